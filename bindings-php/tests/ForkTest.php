<?php

declare(strict_types=1);

namespace Cashi\Tests;

use PHPUnit\Framework\TestCase;

/**
 * A client made (and used) in the parent works in a pcntl_fork child, as in PHP-FPM
 * workers; the parent keeps working afterwards.
 */
final class ForkTest extends TestCase
{
    public function testChildUsesTheParentsClient(): void
    {
        self::assertTrue(function_exists('pcntl_fork'), 'the pcntl extension is required for this test');
        $client = Sandbox::client();
        $parentOrder = $client->createOrder(15000, Sandbox::id('PHP-PARENT'));
        self::assertSame('PENDING', $client->checkStatus($parentOrder->orderId)->status);

        $results = [];
        foreach (['uses it', 'only exits'] as $kind) {
            $file = tempnam(sys_get_temp_dir(), 'cashi-fork');
            $pid = pcntl_fork();
            self::assertGreaterThanOrEqual(0, $pid, 'fork failed');
            if ($pid === 0) {
                $code = 0;
                try {
                    if ($kind === 'uses it') {
                        $order = $client->createOrder(16000, Sandbox::id('PHP-CHILD'));
                        $status = $client->checkStatus($order->orderId);
                        $parent = $client->checkStatus($parentOrder->orderId);
                        file_put_contents($file, json_encode([$order->amount, $status->amount, $parent->status]));
                    } else {
                        file_put_contents($file, json_encode(['exited']));
                    }
                } catch (\Throwable $e) {
                    file_put_contents($file, json_encode(['error', $e->getMessage()]));
                    $code = 1;
                }
                // Leave without running PHPUnit's shutdown in the child; the client's
                // destructor still runs (it releases the parent's handle safely).
                unset($client);
                posix_kill(posix_getpid(), SIGKILL) || exit($code);
            }
            pcntl_waitpid($pid, $status);
            $results[$kind] = json_decode((string) file_get_contents($file), true);
            unlink($file);
        }
        [$childAmount, $childStatusAmount, $parentStatus] = $results['uses it'];
        self::assertSame($childAmount, $childStatusAmount);
        self::assertSame('PENDING', $parentStatus);
        self::assertSame(['exited'], $results['only exits']);
        // The parent's client still works after its children.
        self::assertSame($parentOrder->amount, $client->checkStatus($parentOrder->orderId)->amount);
    }
}

<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Exception\CashiException;
use Cashi\Testing;
use Cashi\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * Every native object is freed exactly once: many calls in one process keep PHP's heap
 * and the process's resident memory flat.
 *
 * Resident memory is meaningless under valgrind (its shadow memory grows with every
 * allocation); scripts/robustness.sh runs the suite under valgrind without this group,
 * valgrind itself being the leak check there.
 *
 * @group memory
 */
final class MemoryTest extends TestCase
{
    private static function rssKb(): int
    {
        $status = (string) file_get_contents('/proc/self/status');
        if (!preg_match('/^VmRSS:\s+(\d+) kB/m', $status, $m)) {
            self::fail('no VmRSS in /proc/self/status');
        }
        return (int) $m[1];
    }

    /**
     * Runs $round $times times after a warm-up; returns the growth of memory_get_usage()
     * in bytes and of RSS in kB.
     *
     * @return array{0: int, 1: int}
     */
    private static function growth(int $times, callable $round): array
    {
        for ($i = 0; $i < intdiv($times, 10); $i++) {
            $round($i);
        }
        gc_collect_cycles();
        $heap = memory_get_usage();
        $rss = self::rssKb();
        for ($i = 0; $i < $times; $i++) {
            $round($i);
        }
        gc_collect_cycles();
        return [memory_get_usage() - $heap, self::rssKb() - $rss];
    }

    public function testHundredThousandVerifiesStayFlat(): void
    {
        $secret = 'sk_0123456789abcdef0123456789abcdef';
        $webhook = new Webhook([$secret, 'sk_old']);
        $body = Testing::webhookBody('INV-MEM', 15023);
        $signature = Testing::sign($secret, $body);
        $bad = str_repeat('0', 64);
        $failures = 0;
        [$heap, $rss] = self::growth(100_000, function (int $i) use ($webhook, $body, $signature, $bad, &$failures): void {
            // Nine good verifications and one failing one (error objects are freed too).
            if ($i % 10 === 9) {
                try {
                    $webhook->verify($body, $bad);
                } catch (CashiException) {
                    $failures++;
                }
                return;
            }
            $event = $webhook->verify($body, $signature);
            if ($event->amount !== 15023) {
                throw new \RuntimeException('wrong amount');
            }
        });
        self::assertSame(11_000, $failures);
        // A leak of even one small native object per call would be 100,000 × ≥ 64 bytes.
        self::assertLessThan(64 * 1024, $heap, "PHP heap grew by $heap bytes");
        self::assertLessThan(2048, $rss, "RSS grew by $rss kB");
    }

    public function testThousandApiCallsStayFlat(): void
    {
        $client = Sandbox::client();
        $ids = [];
        [$heap, $rss] = self::growth(1_000, function (int $i) use ($client, &$ids): void {
            // Create an order every fifth call, read statuses and a not-found otherwise.
            if ($i % 5 === 0 || $ids === []) {
                $order = $client->createOrder(20000 + $i, null); // an amount of its own: no unique codes run out
                $ids[] = $order->orderId;
                if ($i % 25 === 0) {
                    $order->qrPng();
                }
                return;
            }
            if ($i % 5 === 4) {
                try {
                    $client->checkStatus('NO-SUCH-' . $i);
                } catch (CashiException) {
                }
                return;
            }
            $client->checkStatus($ids[$i % count($ids)]);
        });
        self::assertLessThan(64 * 1024, $heap, "PHP heap grew by $heap bytes");
        self::assertLessThan(4096, $rss, "RSS grew by $rss kB");
    }
}

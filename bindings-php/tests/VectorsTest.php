<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Exception\CashiException;
use Cashi\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * Every case of the shared known-answer files in tests/vectors/ (the same files the Rust,
 * Python, Node and C tests read).
 */
final class VectorsTest extends TestCase
{
    /** @return iterable<string, array{0: array<string, mixed>}> */
    public static function cases(): iterable
    {
        foreach (['webhook_signatures.json', 'webhook_payloads.json'] as $file) {
            $path = __DIR__ . '/../../tests/vectors/' . $file;
            $doc = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
            self::assertNotEmpty($doc['cases']);
            foreach ($doc['cases'] as $case) {
                yield "$file: {$case['name']}" => [$case];
            }
        }
    }

    /** @param array<string, mixed> $case */
    private static function body(array $case): string
    {
        if (isset($case['body'])) {
            return $case['body'];
        }
        if (isset($case['body_base64'])) {
            return base64_decode($case['body_base64'], true);
        }
        $p = $case['body_pattern'];
        return $p['prefix'] . str_repeat($p['repeat'], $p['times']) . $p['suffix'];
    }

    /**
     * @dataProvider cases
     * @param array<string, mixed> $case
     */
    public function testVector(array $case): void
    {
        $webhook = new Webhook($case['secrets']);
        $expect = $case['expect'];
        try {
            $event = $webhook->verify(self::body($case), $case['signature']);
        } catch (CashiException $e) {
            self::assertFalse($expect['ok'], "unexpected {$e->getErrorCode()}: {$e->getMessage()}");
            self::assertSame($expect['error'], $e->getErrorCode(), $e->getMessage());
            if (isset($expect['field'])) {
                self::assertStringContainsString($expect['field'], $e->getMessage());
            }
            return;
        }
        self::assertTrue($expect['ok'], 'verified a case that must fail with ' . ($expect['error'] ?? '?'));
        $want = $expect['event'];
        self::assertSame($want['event'], $event->event);
        self::assertSame($want['order_id'], $event->orderId);
        self::assertSame($want['status'], $event->status);
        self::assertSame($want['amount'], $event->amount);
        self::assertSame($want['is_test'], $event->isTest());
        self::assertSame($want['is_settled'], $event->isSettled());
        self::assertSame($want['payment_method'] ?? null, $event->paymentMethod);
        self::assertSame($want['paid_at'] ?? null, $event->paidAt);
        self::assertSame($want['transaction_id'] ?? null, $event->transactionId);
        self::assertIsArray($event->raw['data']);

        // The same case through verifyHeaders, with the header in another letter case.
        $again = $webhook->verifyHeaders(self::body($case), ['X-GATEWAY-SIGNATURE' => [$case['signature']]]);
        self::assertSame($event->orderId, $again->orderId);
    }
}

<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Exception\InvalidArgumentException;
use PHPUnit\Framework\TestCase;

/** createOrder(extra: [...]): fields the SDK does not model, sent to Cashi as given. */
final class ExtraTest extends TestCase
{
    private const EXTRA = [
        'callback_url' => 'https://shop.example/cashi',
        'customer' => ['name' => 'Ani Ünal', 'phone' => '+628123', 'tags' => [1, null, true, 2.0]],
    ];

    protected function tearDown(): void
    {
        Sandbox::clearFaults();
    }

    /** The fields the sandbox received beyond the ones it reads; null when none. */
    private static function received(string $orderId): mixed
    {
        $order = Sandbox::ok('GET', 'orders/' . rawurlencode($orderId))['order'];
        return $order['request_extra'] ?? null;
    }

    public function testExtraFieldsReachCashiAsGiven(): void
    {
        $id = Sandbox::id('EXTRA');
        $order = Sandbox::client()->createOrder(15000, $id, extra: self::EXTRA);
        self::assertSame(15000, $order->requestedAmount);
        self::assertSame(self::EXTRA, self::received($id));
    }

    public function testAnEmptyArraySendsNothingMore(): void
    {
        foreach ([null, []] as $extra) {
            $id = Sandbox::id('PLAIN');
            Sandbox::client()->createOrder(15000, $id, extra: $extra);
            self::assertNull(self::received($id));
        }
    }

    /** @return iterable<string, array{0: string}> */
    public static function reservedKeys(): iterable
    {
        foreach (['amount', 'order_id', 'kode_channel', 'QRIS_CUSTOM'] as $key) {
            yield $key => [$key];
        }
    }

    /** @dataProvider reservedKeys */
    public function testAKeyTheSdkSetsIsRefused(string $key): void
    {
        try {
            Sandbox::client()->createOrder(15000, Sandbox::id('X'), extra: ['note' => 'x', $key => 1]);
            self::fail('no exception');
        } catch (InvalidArgumentException $e) {
            self::assertSame('invalid_argument', $e->getErrorCode());
            self::assertStringStartsWith('extra: ', $e->getMessage());
            self::assertStringContainsString("\"$key\"", $e->getMessage());
        }
    }

    /** @return iterable<string, array{0: array<array-key, mixed>, 1: string}> */
    public static function unsendable(): iterable
    {
        yield 'a list' => [['callback_url', 'x'], 'must be an object'];
        yield 'not JSON' => [['ratio' => INF], 'cannot be written as JSON'];
        yield 'not UTF-8' => [['name' => "\xff"], 'cannot be written as JSON'];
        yield 'too large' => [['note' => str_repeat('x', 16 * 1024)], 'the limit is 16384 bytes'];
    }

    /**
     * @dataProvider unsendable
     * @param array<array-key, mixed> $extra
     */
    public function testExtraThatCannotBeSentIsRefused(array $extra, string $words): void
    {
        try {
            Sandbox::client()->createOrder(15000, Sandbox::id('X'), extra: $extra);
            self::fail('no exception');
        } catch (InvalidArgumentException $e) {
            self::assertStringStartsWith('extra: ', $e->getMessage());
            self::assertStringContainsString($words, $e->getMessage());
        }
    }

    public function testUnknownAnswerFieldsAreInRaw(): void
    {
        Sandbox::fault(['kind' => 'patch', 'path' => 'create-order', 'set' => ['payment_link' => ['short' => 'c.id/x']]]);
        $order = Sandbox::client()->createOrder(15000, Sandbox::id('RAW'));
        self::assertSame(['short' => 'c.id/x'], $order->raw['payment_link']);
    }
}

<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Internal\Handle;
use Cashi\Internal\Native;
use Cashi\Order;
use Cashi\PaymentStatus;
use PHPUnit\Framework\TestCase;

/**
 * Orders and statuses are read through libcashi's scalar accessors, one FFI call per field;
 * every property must hold what libcashi's JSON view of the same object (cashi_order_to_json,
 * cashi_status_to_json) says, for every channel and for answers in Cashi's odd spellings.
 */
final class FieldsTest extends TestCase
{
    protected function tearDown(): void
    {
        Sandbox::clearFaults();
    }

    /** @return iterable<string, array{0: ?string, 1: array<string, mixed>, 2: list<string>}> */
    public static function orders(): iterable
    {
        yield 'QRIS' => [null, [], []];
        yield 'VA' => ['BCA', [], []];
        yield 'retail' => ['ALFAMART', [], []];
        yield 'QRIS Custom' => ['QRIS_CUSTOM', [], []];
        yield 'is_qris_custom false' => [null, ['is_qris_custom' => false], []];
        yield 'is_qris_custom "false"' => [null, ['is_qris_custom' => 'false'], []];
        yield 'is_qris_custom 0' => [null, ['is_qris_custom' => 0], []];
        yield 'is_qris_custom "TRUE"' => [null, ['is_qris_custom' => 'TRUE'], []];
        yield 'is_qris_custom null' => [null, ['is_qris_custom' => null], []];
        yield 'fee as text' => [null, ['fee' => ' 0.25 '], []];
        yield 'fee NaN' => [null, ['fee' => 'NaN'], []];
        yield 'fee inf' => [null, ['fee' => 'inf'], []];
        yield 'fee whole' => [null, ['fee' => 1], []];
        yield 'fee unreadable' => [null, ['fee' => 'abc'], []];
        yield 'no fee' => [null, [], ['fee']];
        yield 'expiry with nanoseconds' => [null, ['expires_at' => '2025-03-01T03:20:30.123456789Z'], []];
        yield 'expiry half a second' => [null, ['expires_at' => '2025-03-01T03:20:30.5Z'], []];
        yield 'expiry epoch ms' => [null, ['expires_at' => 1740799230123], []];
        yield 'expiry unreadable' => [null, ['expires_at' => 'next tuesday'], []];
        yield 'no expiry' => [null, [], ['expires_at']];
        yield 'VA amounts as text' => ['BNI', ['total_amount' => '54000', 'admin_fee' => null, 'expected_net' => '50000'], []];
        yield 'VA without bank' => ['BRI', [], ['bank', 'bank_name', 'kode_channel', 'total_amount']];
        yield 'retail numeric code' => ['INDOMARET', ['payment_code' => 987654], ['retail_name']];
        yield 'texts beyond ASCII' => [null, ['provider' => 'ÇASHI 漢字 😀', 'checkout_url' => "https://x/\"q\\"], []];
        yield 'no checkout URL, no provider' => [null, [], ['checkout_url', 'provider']];
    }

    /**
     * @dataProvider orders
     * @param array<string, mixed> $set
     * @param list<string> $remove
     */
    public function testOrderMatchesTheJsonView(?string $channel, array $set, array $remove): void
    {
        if ($set !== [] || $remove !== []) {
            // The single call and the batch of one.
            Sandbox::fault(['kind' => 'patch', 'count' => 2, 'path' => 'create-order', 'set' => (object) $set, 'remove' => $remove]);
        }
        $amount = $channel === null || str_starts_with($channel, 'QRIS') ? 15000 : 50000;
        $client = Sandbox::client();
        $order = $client->createOrder($amount, Sandbox::id('PHP-FIELDS'), $channel);
        $single = $this->expectFromJson($order);
        $results = $client->createOrders(['k' => ['amount' => $amount, 'order_id' => Sandbox::id('PHP-FIELDS'), 'channel' => $channel]]);
        self::assertInstanceOf(Order::class, $results['k']);

        foreach ([[$order, $single], [$results['k'], null]] as [$o, $expected]) {
            $expected ??= $this->expectFromJson($o);
            $isset = [];
            foreach (self::publicProperties(Order::class) as $name) {
                $isset[$name] = isset($o->$name);
            }
            foreach (self::publicProperties(Order::class) as $name) {
                if ($name === 'raw') {
                    continue;
                }
                $want = $expected->$name;
                self::assertSameValue($want, $o->$name, $name);
                self::assertSame($want !== null, $isset[$name], "isset($name)");
            }
            self::assertTrue($isset['raw']);
            $raw = Native::decode((string) Native::ffi()->cashi_order_raw_json(self::native($o)->pointer()));
            self::assertSame($raw, $o->raw);
            foreach ($set as $field => $value) {
                self::assertSame($value, $o->raw[$field] ?? null, "raw.$field");
            }
            foreach ($remove as $field) {
                self::assertArrayNotHasKey($field, $o->raw);
            }
        }
        if ($channel === 'QRIS_CUSTOM') {
            self::assertTrue($order->isQrisCustom);
        }
        if (array_key_exists('is_qris_custom', $set) && in_array($set['is_qris_custom'], [false, 'false', 0], true)) {
            self::assertFalse($order->isQrisCustom);
        }
    }

    public function testIsQrisCustomIsNullWhenNotSentAndReadonly(): void
    {
        $client = Sandbox::client();
        $order = $client->createOrder(15000, Sandbox::id('PHP-FIELDS'));
        self::assertFalse(isset($order->isQrisCustom));
        self::assertNull($order->isQrisCustom);
        self::assertNull($order->isQrisCustom);
        try {
            $order->isQrisCustom = true; // @phpstan-ignore-line
            self::fail('isQrisCustom was written');
        } catch (\Error $e) {
            self::assertStringContainsString('readonly', $e->getMessage());
        }
        $fresh = $client->createOrder(15000, Sandbox::id('PHP-FIELDS'));
        try {
            $fresh->isQrisCustom = true; // @phpstan-ignore-line
            self::fail('isQrisCustom was written');
        } catch (\Error $e) {
            self::assertStringContainsString('readonly', $e->getMessage());
        }
        self::assertNull($fresh->isQrisCustom);
        $custom = $client->createOrder(15000, Sandbox::id('PHP-FIELDS'), 'QRIS_CUSTOM');
        self::assertTrue(isset($custom->isQrisCustom));
    }

    /** @return iterable<string, array{0: array<string, mixed>, 1: list<string>, 2: bool}> */
    public static function statuses(): iterable
    {
        yield 'pending' => [[], [], false];
        yield 'settled' => [[], [], true];
        yield 'amount null' => [['amount' => null], [], false];
        yield 'no amount' => [[], ['amount'], false];
        yield 'amount as text, status in lower case' => [['amount' => '15023', 'status' => 'settled'], [], false];
        yield 'unknown status word' => [['status' => 'Refunded ünï'], [], false];
        yield 'numeric provider id' => [['provider_tx_id' => 31277571482], [], true];
        yield 'no order id' => [[], ['order_id', 'orderId'], false];
        yield 'other order id' => [['orderId' => 'OTHER', 'order_id' => null], [], false];
    }

    /**
     * @dataProvider statuses
     * @param array<string, mixed> $set
     * @param list<string> $remove
     */
    public function testStatusMatchesTheJsonView(array $set, array $remove, bool $pay): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-FIELDS');
        $order = $client->createOrder(15000, $id);
        if ($pay) {
            Sandbox::pay($id);
        }
        $calls = [
            'checkStatus' => fn () => $client->checkStatus($id),
            'checkStatuses' => fn () => $client->checkStatuses([$id])[0],
        ];
        if ($pay) {
            $calls['waitForPayment'] = fn () => $client->waitForPayment($id, 5);
            $calls['confirm'] = fn () => $client->confirm($id, $order->amount);
        }
        foreach ($calls as $call => $read) {
            if ($set !== [] || $remove !== []) {
                Sandbox::fault(['kind' => 'patch', 'path' => 'check-status', 'set' => (object) $set, 'remove' => $remove]);
            }
            $status = $read();
            Sandbox::clearFaults();
            self::assertInstanceOf(PaymentStatus::class, $status, $call);
            $json = Native::decode((string) Native::ffi()->cashi_status_to_json(self::native($status)->pointer()));
            self::assertSame($json['status'], $status->status, "$call status");
            self::assertSame($json['amount'], $status->amount, "$call amount");
            self::assertSame($json['order_id'], $status->orderId, "$call orderId");
            self::assertSame($json['provider_tx_id'], $status->providerTxId, "$call providerTxId");
            self::assertSame($json['is_settled'], $status->isSettled(), "$call isSettled");
            self::assertSame($json['is_final'], $status->isFinal(), "$call isFinal");
            self::assertSame($json['status'] === 'PENDING', $status->isPending(), "$call isPending");
            self::assertSame($json['status'] === 'EXPIRED', $status->isExpired(), "$call isExpired");
            self::assertFalse((new \ReflectionProperty(PaymentStatus::class, 'raw'))->isInitialized($status));
            foreach ($set as $field => $value) {
                self::assertSame($value, $status->raw[$field] ?? null, "$call raw.$field");
            }
        }
    }

    /**
     * The same value, field by field for a nested record (VirtualAccount, RetailCode), and the
     * same instant at +07:00 for a timestamp.
     */
    private static function assertSameValue(mixed $want, mixed $got, string $name): void
    {
        if ($want instanceof \DateTimeImmutable) {
            self::assertInstanceOf(\DateTimeImmutable::class, $got, $name);
            self::assertSame($want->format('Y-m-d\TH:i:s.uP'), $got->format('Y-m-d\TH:i:s.uP'), $name);
            self::assertSame('+07:00', $got->format('P'));
        } elseif (is_object($want)) {
            self::assertInstanceOf(get_class($want), $got, $name);
            foreach (self::publicProperties(get_class($want)) as $property) {
                self::assertSameValue($want->$property, $got->$property, "$name.$property");
            }
        } elseif (is_float($want) && is_nan($want)) {
            self::fail("$name: NaN in the JSON view");
        } else {
            self::assertSame($want, $got, $name);
        }
    }

    /** The order as the JSON view gives it (the way the package read orders before). */
    private function expectFromJson(Order $order): Order
    {
        return Order::fromArray(Native::decode((string) Native::ffi()->cashi_order_to_json(self::native($order)->pointer())));
    }

    private static function native(Order|PaymentStatus $of): Handle
    {
        $handle = (new \ReflectionProperty($of, 'native'))->getValue($of);
        self::assertInstanceOf(Handle::class, $handle);
        return $handle;
    }

    /** @return list<string> */
    private static function publicProperties(string $class): array
    {
        return array_map(
            fn (\ReflectionProperty $p) => $p->getName(),
            (new \ReflectionClass($class))->getProperties(\ReflectionProperty::IS_PUBLIC)
        );
    }
}

<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\PaymentMismatchException;
use Cashi\Exception\TimeoutException;
use Cashi\Order;
use Cashi\PaymentStatus;
use Cashi\Testing;
use Cashi\Webhook;
use PHPUnit\Framework\TestCase;

final class ClientTest extends TestCase
{
    public function testClientOptionsAndUserAgent(): void
    {
        $client = Sandbox::client(['timeout' => 2.5, 'connect_timeout' => 1, 'max_retries' => 0]);
        self::assertStringStartsWith('cashi-php/' . Client::VERSION . ' cashi-rust/', $client->getUserAgent());
        self::assertSame(Sandbox::baseUrl(), $client->getBaseUrl());
        // No key and no base URL: both come from CASHI_API_KEY / CASHI_BASE_URL.
        self::assertSame(Sandbox::baseUrl(), (new Client())->getBaseUrl());
        $clone = clone $client; // shares the native handle, freed once
        self::assertSame($client->getUserAgent(), $clone->getUserAgent());
    }

    /** @return iterable<string, array{0: ?string, 1: array<string, mixed>, 2: string}> */
    public static function badClients(): iterable
    {
        yield 'empty key' => ['', [], 'api_key'];
        yield 'key with a space' => ['CASHI SECRET', [], 'api_key'];
        yield 'key with NUL' => ["CASHI\0X", [], 'api_key'];
        yield 'http to a remote host' => ['k', ['base_url' => 'http://cashi.example/api'], 'base_url'];
        yield 'base_url not a string' => ['k', ['base_url' => 5], 'base_url'];
        yield 'unknown option' => ['k', ['timout' => 5], 'timout'];
        yield 'zero timeout' => ['k', ['timeout' => 0], 'timeout'];
        yield 'string timeout' => ['k', ['timeout' => '30'], 'timeout'];
        yield 'NaN timeout' => ['k', ['timeout' => NAN], 'timeout'];
        yield 'timeout above a day' => ['k', ['timeout' => 86401], 'timeout: 86401 s is more than a day'];
        yield 'backoff cap above a day' => ['k', ['retry_backoff' => [0.5, 1e6]], 'retry_backoff[1]'];
        yield 'negative connect timeout' => ['k', ['connect_timeout' => -1], 'connect_timeout'];
        yield 'too many retries' => ['k', ['max_retries' => 11], 'max_retries: must be at most 10'];
        yield 'retries beyond 32 bits' => ['k', ['max_retries' => PHP_INT_MAX], 'max_retries: must be at most 10'];
        yield 'retries not an int' => ['k', ['max_retries' => 1.0], 'max_retries'];
        yield 'backoff not a pair' => ['k', ['retry_backoff' => [1]], 'retry_backoff'];
    }

    /**
     * @dataProvider badClients
     * @param array<string, mixed> $options
     */
    public function testInvalidClientArguments(?string $key, array $options, string $field): void
    {
        try {
            new Client($key, $options + ['base_url' => Sandbox::baseUrl()]);
            self::fail('no exception');
        } catch (InvalidArgumentException $e) {
            self::assertSame('invalid_argument', $e->getErrorCode());
            self::assertNull($e->getHttpStatus());
            self::assertStringContainsString($field, $e->getMessage());
            self::assertStringNotContainsString('SECRET', $e->getMessage());
        }
    }

    public function testCreateOrderAndEveryField(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-QRIS');
        $order = $client->createOrder(15000, $id);
        self::assertSame($id, $order->orderId);
        self::assertGreaterThan(15000, $order->amount);
        self::assertLessThan(15100, $order->amount);
        self::assertSame(15000, $order->requestedAmount);
        self::assertSame($order->amount - 15000, $order->uniqueCode);
        self::assertStringContainsString(rawurlencode($id), (string) $order->checkoutUrl);
        self::assertStringStartsWith('data:image/png;base64,', (string) $order->qrUrl);
        self::assertInstanceOf(\DateTimeImmutable::class, $order->expiresAt);
        self::assertSame('+07:00', $order->expiresAt->format('P'));
        self::assertSame('CASHI', $order->provider);
        self::assertIsFloat($order->fee);
        self::assertNull($order->virtualAccount);
        self::assertNull($order->retail);
        // expiresAt is made on first read; isset says it is there before.
        $late = $client->createOrder(15000, Sandbox::id('PHP-QRIS'));
        self::assertFalse((new \ReflectionProperty(Order::class, 'expiresAt'))->isInitialized($late));
        self::assertTrue(isset($late->expiresAt));
        self::assertSame($late->expiresAt, $late->expiresAt);
        // raw is Cashi's whole answer, read from libcashi only when first used.
        $rawSlot = new \ReflectionProperty(Order::class, 'raw');
        self::assertFalse($rawSlot->isInitialized($order), 'raw is not decoded before it is used');
        self::assertTrue(isset($order->raw));
        self::assertTrue($order->raw['success']);
        self::assertTrue($rawSlot->isInitialized($order));
        self::assertSame($order->amount, $order->raw['amount']);
        self::assertSame($order->qrUrl, $order->raw['qrUrl']);
        self::assertSame($order->raw, $order->raw);
        $png = $order->qrPng();
        self::assertStringStartsWith("\x89PNG\r\n\x1a\n", $png);
        self::assertSame($png, $order->qrPng());

        // Readonly: a result object cannot be changed.
        try {
            $order->amount = 1; // @phpstan-ignore-line
            self::fail('readonly property was written');
        } catch (\Error $e) {
            self::assertStringContainsString('readonly', $e->getMessage());
        }
        $fresh = $client->createOrder(15000, Sandbox::id('PHP-RAW'));
        try {
            $fresh->raw = []; // @phpstan-ignore-line
            self::fail('raw was written before its first read');
        } catch (\Error $e) {
            self::assertStringContainsString('readonly', $e->getMessage());
        }
        self::assertSame($fresh->orderId, $fresh->raw['orderId'] ?? $fresh->raw['order_id']);

        // A float without a fraction is the same amount; no order id lets Cashi pick one.
        $other = $client->createOrder(2000.0);
        self::assertSame(2000, $other->requestedAmount);
        self::assertNotSame('', $other->orderId);
    }

    public function testVirtualAccountRetailAndQrisCustom(): void
    {
        $client = Sandbox::client();
        $va = $client->createOrder(50000, Sandbox::id('PHP-VA'), channel: 'BCA');
        self::assertInstanceOf(\Cashi\VirtualAccount::class, $va->virtualAccount);
        self::assertNull($va->retail);
        self::assertNotNull($va->virtualAccount->vaNumber);
        self::assertSame('BCA', $va->virtualAccount->bank);
        self::assertNotNull($va->virtualAccount->bankName);
        self::assertSame('BCA', $va->virtualAccount->kodeChannel);
        self::assertIsInt($va->virtualAccount->totalAmount);
        self::assertIsInt($va->virtualAccount->adminFee);
        self::assertIsInt($va->expectedNet);
        self::assertSame($va->virtualAccount->vaNumber, $va->raw['va_number']);
        self::assertNull($va->qrUrl);
        try {
            $va->qrPng();
            self::fail('a VA order has no QR code');
        } catch (\Cashi\Exception\DecodeException $e) {
            self::assertSame('decode', $e->getErrorCode());
        }
        $retail = $client->createOrder(20000, Sandbox::id('PHP-RETAIL'), 'ALFAMART');
        self::assertInstanceOf(\Cashi\RetailCode::class, $retail->retail);
        self::assertNull($retail->virtualAccount);
        self::assertNotNull($retail->retail->paymentCode);
        self::assertNotNull($retail->retail->retailName);
        self::assertNotNull($retail->retail->retailCode);
        $custom = $client->createOrder(50000, Sandbox::id('PHP-CUSTOM'), 'QRIS_CUSTOM');
        self::assertTrue($custom->isQrisCustom);
        self::assertIsInt($custom->expectedNet);
        self::assertNull($custom->checkoutUrl);
    }

    /** @return iterable<string, array{0: mixed}> */
    public static function badAmounts(): iterable
    {
        yield 'fraction' => [15000.5];
        yield 'numeric string' => ['15000'];
        yield 'text' => ['lima belas ribu'];
        yield 'null' => [null];
        yield 'bool' => [true];
        yield 'array' => [[15000]];
        yield 'NaN' => [NAN];
        yield 'infinity' => [INF];
        yield 'beyond 2^53' => [1e20];
        yield 'below the QRIS minimum' => [1999];
        yield 'zero' => [0];
        yield 'negative' => [-15000];
    }

    /** @dataProvider badAmounts */
    public function testAmountsAreNeverRoundedOrCoerced(mixed $amount): void
    {
        $client = Sandbox::client();
        try {
            $client->createOrder($amount, Sandbox::id('PHP-BAD'));
            self::fail('no exception');
        } catch (InvalidArgumentException $e) {
            self::assertSame('invalid_argument', $e->getErrorCode());
            self::assertStringStartsWith('amount:', $e->getMessage());
        }
    }

    public function testOtherInvalidArguments(): void
    {
        $client = Sandbox::client();
        $cases = [
            'order_id' => fn () => $client->createOrder(15000, "A\nB"),
            'order_id ' => fn () => $client->createOrder(15000, "A\0B"),
            'order_id  ' => fn () => $client->checkStatus(''),
            'amount' => fn () => $client->createOrder(5000, null, 'BCA'),
            'channel' => fn () => $client->createOrder(15000, null, "BCA\0"),
            'expected_amount' => fn () => $client->confirm('X', 'lots'),
            'expected_amount ' => fn () => $client->confirm('X', 0),
            'order' => fn () => $client->confirm(42, 15000),
            'timeout' => fn () => $client->waitForPayment('X', 0),
            'timeout ' => fn () => $client->waitForPayment('X', 'soon'),
            'timeout:' => fn () => $client->waitForPayment('X', 86401),
        ];
        foreach ($cases as $field => $call) {
            try {
                $call();
                self::fail("no exception for $field");
            } catch (InvalidArgumentException $e) {
                self::assertStringContainsString(trim($field), $e->getMessage(), $field);
            }
        }
    }

    public function testStatusConfirmAndWait(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-PAY');
        $order = $client->createOrder(25000, $id);

        $status = $client->checkStatus($id);
        self::assertSame('PENDING', $status->status);
        self::assertTrue($status->isPending());
        self::assertFalse($status->isSettled());
        self::assertFalse($status->isFinal());
        self::assertSame($order->amount, $status->amount);
        self::assertSame($id, $status->orderId);
        self::assertNull($status->providerTxId);

        try {
            $client->confirm($id, $order->amount);
            self::fail('confirmed an unpaid order');
        } catch (PaymentMismatchException $e) {
            self::assertSame('payment_mismatch', $e->getErrorCode());
            self::assertSame($id, $e->getOrderId());
            self::assertSame($order->amount, $e->getExpectedAmount());
            self::assertSame($order->amount, $e->getActualAmount());
            self::assertSame('PENDING', $e->getStatus());
        }
        try {
            $client->waitForPayment($id, 1.2);
            self::fail('waited past the deadline');
        } catch (TimeoutException $e) {
            self::assertSame('timeout', $e->getErrorCode());
        }

        Sandbox::pay($id);
        $status = $client->checkStatus($id);
        self::assertSame('SETTLED', $status->status);
        self::assertTrue($status->isSettled());
        self::assertTrue($status->isFinal());
        self::assertNotNull($status->providerTxId);
        self::assertFalse((new \ReflectionProperty(PaymentStatus::class, 'raw'))->isInitialized($status));
        self::assertTrue($status->raw['success']);
        self::assertSame('SETTLED', $status->raw['status']);
        self::assertSame($status->raw, $status->raw);

        // confirm by id, by Order, by PaymentStatus, by WebhookEvent; float amount allowed.
        self::assertTrue($client->confirm($id, $order->amount)->isSettled());
        self::assertTrue($client->confirm($order, (float) $order->amount)->isSettled());
        self::assertTrue($client->confirm($status, $order->amount)->isSettled());
        $body = Testing::webhookBody($id, $order->amount);
        $event = (new Webhook('sk_php'))->verify($body, Testing::sign('sk_php', $body));
        self::assertSame($order->amount, $client->confirm($event, $order->amount)->amount);
        $this->assertMismatch(fn () => $client->confirm($event, $order->amount + 1));

        $waited = $client->waitForPayment($id, 10);
        self::assertInstanceOf(PaymentStatus::class, $waited);
        self::assertTrue($waited->isSettled());
        // Without a timeout: the SDK's default wait, which a settled order ends at once.
        self::assertTrue($client->waitForPayment($id)->isSettled());
    }

    public function testSettledWithoutAnAmountNeedsTheVerifiedEvent(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-NOAMT');
        $order = $client->createOrder(15000, $id);
        Sandbox::pay($id);
        $noAmount = ['kind' => 'patch', 'path' => 'check-status', 'remove' => ['amount']];
        try {
            Sandbox::fault($noAmount);
            try {
                $client->confirm($id, $order->amount);
                self::fail('confirmed by id a SETTLED answer without an amount');
            } catch (PaymentMismatchException $e) {
                self::assertStringContainsString('carried no amount', $e->getMessage());
                self::assertStringContainsString('webhook event', $e->getMessage());
                self::assertNull($e->getActualAmount());
            }

            $webhook = new Webhook('sk_php');
            $body = Testing::webhookBody($id, $order->amount);
            $event = $webhook->verify($body, Testing::sign('sk_php', $body));
            // Another verify in between: each event stays its own.
            $other = Testing::webhookBody('PHP-SOMEONE-ELSE', 99999);
            $webhook->verify($other, Testing::sign('sk_php', $other));
            Sandbox::fault($noAmount);
            $status = $client->confirm($event, $order->amount);
            self::assertTrue($status->amountFromWebhook);
            self::assertSame($order->amount, $status->amount);
            self::assertSame($id, $status->orderId);
            self::assertArrayNotHasKey('amount', $status->raw);

            $fromHeaders = $webhook->verifyHeaders($body, ['X-Gateway-Signature' => Testing::sign('sk_php', $body)]);
            Sandbox::fault($noAmount);
            self::assertTrue($client->confirm($fromHeaders, $order->amount)->amountFromWebhook);

            $short = Testing::webhookBody($id, $order->amount - 1);
            $shortEvent = $webhook->verify($short, Testing::sign('sk_php', $short));
            Sandbox::fault($noAmount);
            $this->assertMismatch(fn () => $client->confirm($shortEvent, $order->amount));
            // With the amount in the answer, it is Cashi's amount, as always.
            self::assertFalse($client->confirm($event, $order->amount)->amountFromWebhook);
        } finally {
            Sandbox::clearFaults();
        }
    }

    public function testAnAnswerAboutAnotherOrderOrInAnotherCaseProvesNothing(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-OTHER');
        $order = $client->createOrder(15000, $id);
        Sandbox::pay($id);
        $other = ['kind' => 'patch', 'path' => 'check-status', 'set' => ['order_id' => 'OTHER']];
        try {
            Sandbox::fault($other);
            $this->assertMismatch(fn () => $client->confirm($order, $order->amount));
            Sandbox::fault($other);
            $this->assertMismatch(fn () => $client->waitForPayment($id, 10));
            Sandbox::fault(['kind' => 'patch', 'count' => 2, 'path' => 'check-status', 'set' => ['status' => 'settled']]);
            $status = $client->checkStatus($id);
            self::assertSame('settled', $status->status);
            self::assertFalse($status->isSettled());
            self::assertFalse($status->isFinal());
            $this->assertMismatch(fn () => $client->confirm($id, $order->amount));
        } finally {
            Sandbox::clearFaults();
        }
    }

    public function testPaidWithAnotherAmountAndExpiry(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-WRONG');
        $order = $client->createOrder(30000, $id);
        Sandbox::pay($id, 2500);
        $this->assertMismatch(fn () => $client->confirm($order, $order->amount));

        $id = Sandbox::id('PHP-EXP');
        $client->createOrder(15000, $id);
        Sandbox::expire($id);
        $status = $client->waitForPayment($id, 10);
        self::assertSame('EXPIRED', $status->status);
        self::assertTrue($status->isExpired());
        self::assertTrue($status->isFinal());
        self::assertFalse($status->isSettled());
    }

    /**
     * Servers close keep-alive connections left idle. A create-order is not retried once it
     * may have been sent, so it must not be written to the closed connection: libcashi's
     * runtime sleeps between calls, and reads what arrived before picking a connection.
     */
    public function testAConnectionTheServerClosedWhileIdleIsNotReused(): void
    {
        $client = Sandbox::client(['max_retries' => 0]);
        for ($i = 0; $i < 3; $i++) {
            $order = $client->createOrder(15000 + 100 * $i, Sandbox::id('PHP-IDLE'));
            self::assertGreaterThan(15000 + 100 * $i, $order->amount);
            Sandbox::ok('POST', 'close-idle-connections');
            usleep(10000); // the next call comes later, as after a keep-alive timeout
        }
    }

    private function assertMismatch(callable $call): void
    {
        try {
            $call();
            self::fail('no payment_mismatch');
        } catch (PaymentMismatchException $e) {
            self::assertSame('payment_mismatch', $e->getErrorCode());
        }
    }

    public function testOrderMadeOutsideTheClientHasNoPng(): void
    {
        $order = Order::fromArray(['order_id' => 'A', 'amount' => 1, 'requested_amount' => 1, 'unique_code' => 0]);
        self::assertSame([], $order->raw);
        $this->expectException(\Cashi\Exception\DecodeException::class);
        $order->qrPng();
    }
}

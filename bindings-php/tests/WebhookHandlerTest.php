<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\WebhookPayloadException;
use Cashi\Testing;
use Cashi\Webhook;
use Cashi\WebhookEvent;
use Cashi\WebhookHandler;
use PHPUnit\Framework\TestCase;

/**
 * Cashi\WebhookHandler served by `php -S` (tests/webhook-handler-server.php), receiving the
 * sandbox's real signed deliveries, its retries and a redelivery; and handle() called with
 * an explicit body and headers.
 */
final class WebhookHandlerTest extends TestCase
{
    private const SECRET = 'sk_0123456789abcdef0123456789abcdef';

    /** @var resource|null */
    private static $server = null;
    private static string $url = '';
    private static string $shop = '';
    private static string $log = '';
    /** Each test's routes are under /GENERATION/: the server ignores deliveries for another test. */
    private static string $generation = '';

    public static function setUpBeforeClass(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        self::$url = "http://127.0.0.1:$port";
        self::$shop = (string) tempnam(sys_get_temp_dir(), 'cashi-shop');
        self::$log = (string) tempnam(sys_get_temp_dir(), 'cashi-php-s');
        $env = [
            'SHOP_FILE' => self::$shop,
            'CASHI_WEBHOOK_SECRET' => self::SECRET,
            'CASHI_API_KEY' => Sandbox::apiKey(),
            'CASHI_BASE_URL' => Sandbox::baseUrl(),
            'CASHI_PHP_AUTOLOAD' => Php::autoloader(),
        ] + getenv();
        $command = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:$port", __DIR__ . '/webhook-handler-server.php'];
        $io = [0 => ['file', '/dev/null', 'r'], 1 => ['file', self::$log, 'a'], 2 => ['file', self::$log, 'a']];
        self::$server = proc_open($command, $io, $pipes, null, $env);
        for ($i = 0; $i < 200; $i++) {
            $socket = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 1);
            if ($socket !== false) {
                fclose($socket);
                break;
            }
            usleep(50_000);
        }
        Sandbox::ok('POST', 'config', ['webhook_secret' => self::SECRET]);
    }

    public static function tearDownAfterClass(): void
    {
        Sandbox::ok('POST', 'config', ['webhook_url' => null]);
        Sandbox::clearFaults();
        if (self::$server !== null) {
            proc_terminate(self::$server);
            proc_close(self::$server);
        }
        @unlink(self::$shop);
        @unlink(self::$log);
    }

    protected function setUp(): void
    {
        self::$generation = bin2hex(random_bytes(4));
        file_put_contents(self::$shop, json_encode(['orders' => new \stdClass(), 'generation' => self::$generation]), LOCK_EX);
        Sandbox::clearFaults();
    }

    /** @return array<string, mixed> */
    private static function shop(): array
    {
        $handle = fopen(self::$shop, 'r');
        flock($handle, LOCK_SH);
        $state = json_decode((string) stream_get_contents($handle), true) ?: [];
        flock($handle, LOCK_UN);
        fclose($handle);
        return $state + ['calls' => [], 'fulfilled' => [], 'mismatches' => [], 'errors' => []];
    }

    /** @param array<string, mixed> $set */
    private static function change(array $set): void
    {
        $state = json_decode((string) file_get_contents(self::$shop), true) ?: [];
        foreach ($set as $path => $value) {
            [$key, $sub] = array_pad(explode('.', $path, 2), 2, null);
            if ($sub === null) {
                $state[$key] = $value;
            } else {
                $state[$key][$sub] = $value;
            }
        }
        file_put_contents(self::$shop, json_encode($state), LOCK_EX);
    }

    private static function newOrder(int $amount = 15000): \Cashi\Order
    {
        $order = Sandbox::client()->createOrder($amount, Sandbox::id('PHP-HOOK'));
        self::change(["orders.{$order->orderId}" => $order->amount]);
        return $order;
    }

    /**
     * The sandbox's delivery for $orderId once it has $attempts attempts.
     *
     * @return array<string, mixed>
     */
    private static function delivered(string $orderId, int $attempts = 1): array
    {
        for ($i = 0; $i < 400; $i++) {
            [, $answer] = Sandbox::call('GET', 'webhooks?order_id=' . rawurlencode($orderId));
            $delivery = $answer['deliveries'][0] ?? null;
            if ($delivery !== null && count($delivery['attempts']) >= $attempts) {
                return $delivery;
            }
            usleep(50_000);
        }
        self::fail("no $attempts delivery attempt(s) for $orderId; server log:\n" . file_get_contents(self::$log));
    }

    /**
     * @param array<string, mixed> $delivery
     * @return list<array{0: int|null, 1: string}>
     */
    private static function answers(array $delivery): array
    {
        return array_map(fn (array $a) => [$a['http_status'] ?? null, (string) ($a['response_body'] ?? '')], $delivery['attempts']);
    }

    /**
     * @param array<string, string> $headers
     * @return array{0: int, 1: string}
     */
    private static function post(string $route, string $body, array $headers = []): array
    {
        $lines = "Content-Type: application/json\r\n";
        foreach ($headers as $name => $value) {
            $lines .= "$name: $value\r\n";
        }
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => $lines,
            'content' => $body,
            'ignore_errors' => true,
            'timeout' => 30,
        ]]);
        $text = (string) file_get_contents(self::route($route), false, $context);
        preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0] ?? '', $m);
        return [(int) ($m[1] ?? 0), $text];
    }

    /** The URL of a route of this test's generation: cashi, unsigned or no-secret. */
    private static function route(string $name): string
    {
        return self::$url . '/' . self::$generation . '/webhooks/' . $name;
    }

    /** @return array<string, string> */
    private static function signed(string $secret, string $body): array
    {
        return ['X-Gateway-Signature' => Testing::sign($secret, $body)];
    }

    /** @return list<string> */
    private static function fulfilledIds(): array
    {
        return array_column(self::shop()['fulfilled'], 0);
    }

    public function testTheSandboxsDeliveriesRedeliveryTestWebhookBadSignaturesAndRetries(): void
    {
        Sandbox::ok('POST', 'config', ['webhook_url' => self::route('cashi')]);

        // Paid: confirmed against the stored amount, then onPaid, once.
        $order = self::newOrder();
        Sandbox::pay($order->orderId);
        $delivery = self::delivered($order->orderId);
        self::assertSame([[200, 'fulfilled']], self::answers($delivery), (string) file_get_contents(self::$log));
        self::assertSame([[$order->orderId, $order->amount, true, $order->amount]], self::shop()['fulfilled']);

        // The same webhook again: 200, fulfilled once, and Cashi is not asked again.
        $calls = count(self::shop()['calls']);
        $again = Sandbox::ok('POST', "webhooks/{$delivery['id']}/redeliver")['delivery'];
        self::assertTrue($again['attempts'][count($again['attempts']) - 1]['redelivery']);
        self::assertSame([200, 'already fulfilled'], self::answers($again)[count($again['attempts']) - 1]);
        self::assertSame(['alreadyFulfilled'], array_slice(self::shop()['calls'], $calls));
        self::assertCount(1, self::shop()['fulfilled']);

        // The dashboard's Test Webhook: 200, none of the merchant's callbacks runs.
        $calls = count(self::shop()['calls']);
        $test = Sandbox::ok('POST', 'test-webhook')['delivery'];
        self::assertStringStartsWith('TEST-', $test['order_id']);
        self::assertSame([[200, 'test webhook: nothing fulfilled']], self::answers($test));

        // Bad signatures: 400, nothing called.
        $genuine = $delivery['body'];
        self::assertSame([400, 'invalid signature'], self::post('cashi', $genuine, self::signed('sk_not_the_secret', $genuine)));
        $reencoded = json_encode(json_decode($genuine, true), JSON_PRETTY_PRINT);
        self::assertSame([400, 'invalid signature'], self::post('cashi', $reencoded, self::signed(self::SECRET, $genuine)));
        self::assertSame([400, 'invalid signature'], self::post('cashi', $genuine));
        $notCashi = '{"hello":"world"}';
        self::assertSame([400, 'invalid payload'], self::post('cashi', $notCashi, self::signed(self::SECRET, $notCashi)));
        self::assertSame([], array_slice(self::shop()['calls'], $calls));

        // onPaid throws: 500, the sandbox delivers again, and the retry fulfils.
        $flaky = self::newOrder();
        self::change(['fail_paid' => 1]);
        Sandbox::pay($flaky->orderId);
        self::assertSame(
            [[500, 'handler error: retry later'], [200, 'fulfilled']],
            self::answers(self::delivered($flaky->orderId, 2))
        );
        self::assertSame(1, count(array_keys(self::fulfilledIds(), $flaky->orderId, true)));
        self::assertSame([['onPaid', 'the order database is down']], self::shop()['errors']);

        // confirm cannot reach Cashi (the connection drops): 503, and the retry fulfils.
        $dropped = self::newOrder();
        Sandbox::fault(['kind' => 'drop', 'path' => 'check-status', 'count' => 1]);
        Sandbox::pay($dropped->orderId);
        self::assertSame(
            [[503, 'could not confirm the payment yet: retry later'], [200, 'fulfilled']],
            self::answers(self::delivered($dropped->orderId, 2))
        );

        // An order this shop never stored: 404.
        $stranger = Testing::webhookBody('PHP-HOOK-not-ours', 15023);
        self::assertSame([404, 'unknown order'], self::post('cashi', $stranger, self::signed(self::SECRET, $stranger)));

        // Paid with another amount: 409, onMismatch, never onPaid. (Last: the sandbox keeps
        // retrying it, and each retry asks Cashi again.)
        $short = self::newOrder(20000);
        Sandbox::pay($short->orderId, $short->amount - 5);
        self::assertSame([409, 'payment not confirmed: not fulfilled'], self::answers(self::delivered($short->orderId))[0]);
        self::assertSame([$short->orderId, 'payment_mismatch'], self::shop()['mismatches'][0]);
        self::assertNotContains($short->orderId, self::fulfilledIds());
        Sandbox::ok('POST', 'config', ['webhook_url' => null]);
    }

    public function testAllowUnsignedReadsAnUnsignedBodyAsAHintThatConfirmDecides(): void
    {
        // A signed delivery to the route that allows unsigned ones is verified as usual.
        Sandbox::ok('POST', 'config', ['webhook_url' => self::route('unsigned')]);
        $order = self::newOrder();
        Sandbox::pay($order->orderId);
        self::assertSame([[200, 'fulfilled']], self::answers(self::delivered($order->orderId)));
        self::assertTrue(self::shop()['fulfilled'][0][2]);
        Sandbox::ok('POST', 'config', ['webhook_url' => null]); // the test sends the bodies itself

        // Unsigned, for a paid order: fulfilled with the stored amount, whatever the body claims.
        $paid = self::newOrder();
        Sandbox::pay($paid->orderId);
        self::assertSame([200, 'fulfilled'], self::post('unsigned', Testing::webhookBody($paid->orderId, 1)));
        self::assertSame([$paid->orderId, $paid->amount, false, 1], self::shop()['fulfilled'][1]);

        // Unsigned, for an order nobody paid: refused, nothing fulfilled.
        $unpaid = self::newOrder();
        self::assertSame(
            [409, 'payment not confirmed: not fulfilled'],
            self::post('unsigned', Testing::webhookBody($unpaid->orderId, $unpaid->amount))
        );

        // Unsigned, paid, but Cashi's answer carries no amount: the unsigned amount vouches for nothing.
        $quiet = self::newOrder();
        Sandbox::pay($quiet->orderId);
        Sandbox::fault(['kind' => 'patch', 'path' => 'check-status', 'remove' => ['amount'], 'count' => 1]);
        $body = Testing::webhookBody($quiet->orderId, $quiet->amount);
        self::assertSame([409, 'payment not confirmed: not fulfilled'], self::post('unsigned', $body));

        // A wrong or empty signature is still refused there, and an unsigned body on the signed route.
        self::assertSame([400, 'invalid signature'], self::post('unsigned', $body, self::signed('sk_not_the_secret', $body)));
        self::assertSame([400, 'invalid signature'], self::post('unsigned', $body, ['X-Gateway-Signature' => '']));
        self::assertSame([400, 'invalid signature'], self::post('cashi', $body));
        foreach ([$unpaid, $quiet] as $refused) {
            self::assertNotContains($refused->orderId, self::fulfilledIds());
        }

        // An unsigned test webhook: 200, nothing called; with no secret at all, a signed request is refused.
        $calls = count(self::shop()['calls']);
        $test = Testing::webhookBody('TEST-1', 15023);
        self::assertSame([200, 'test webhook: nothing fulfilled'], self::post('no-secret', $test));
        self::assertSame([], array_slice(self::shop()['calls'], $calls));
        self::assertSame(
            [400, 'signed, but no webhook secret is configured'],
            self::post('no-secret', $test, self::signed(self::SECRET, $test))
        );
    }

    public function testHandleTakesAnExplicitBodyAndHeaders(): void
    {
        $client = Sandbox::client(['max_retries' => 0]);
        $paid = [];
        $order = $client->createOrder(15000, Sandbox::id('PHP-DIRECT'));
        Sandbox::pay($order->orderId);
        $handler = new WebhookHandler(
            secret: ['sk_new', self::SECRET],
            client: $client,
            expectedAmount: fn (string $id) => $id === $order->orderId ? $order->amount : null,
            onPaid: function (string $id, int $amount) use (&$paid): void {
                $paid[] = [$id, $amount];
            },
        );
        $body = Testing::webhookBody($order->orderId, $order->amount);
        $signature = Testing::sign(self::SECRET, $body);
        // Every way headers come: a plain array, PSR-7/Symfony lists, lines, $_SERVER's CGI names.
        $forms = [
            ['X-Gateway-Signature' => $signature],
            ['x-gateway-signature' => [$signature], 'content-type' => ['application/json']],
            ["X-Gateway-Signature: $signature"],
            ['HTTP_X_GATEWAY_SIGNATURE' => $signature, 'REQUEST_METHOD' => 'POST'],
        ];
        foreach ($forms as $headers) {
            $answer = $handler->handle($body, $headers);
            self::assertSame([200, 'fulfilled', 'fulfilled'], [$answer->status, $answer->text, $answer->outcome], json_encode($headers));
            self::assertInstanceOf(WebhookEvent::class, $answer->event);
            self::assertTrue($answer->event->isVerified());
        }
        // Without alreadyFulfilled a repeat reaches onPaid again: idempotency is then onPaid's.
        self::assertSame(array_fill(0, 4, [$order->orderId, $order->amount]), $paid);
        self::assertSame(400, $handler->handle($body, [])->status);
        self::assertSame(['allowUnsigned' => false], $handler->__debugInfo());
        self::assertStringNotContainsString(self::SECRET, print_r($handler, true));

        // An expected amount that is not one: 500, reported, never sent to confirm.
        $errors = [];
        $wrong = new WebhookHandler(
            secret: self::SECRET,
            client: $client,
            expectedAmount: fn () => '15023',
            onPaid: fn () => null,
            onError: function (\Throwable $e, array $context) use (&$errors): void {
                $errors[] = [$context['step'], $e->getMessage()];
            },
        );
        $answer = $wrong->handle($body, ['X-Gateway-Signature' => $signature]);
        self::assertSame([500, 'handler_error'], [$answer->status, $answer->outcome]);
        self::assertSame('expectedAmount', $errors[0][0]);
        self::assertStringContainsString('expectedAmount: expected a whole number of rupiah', $errors[0][1]);

        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('allowUnsigned: true');
        new WebhookHandler(secret: null, client: $client, expectedAmount: fn () => 1, onPaid: fn () => null);
    }

    public function testALoggerHearsEveryAnswerAndEachVerification(): void
    {
        $client = Sandbox::client(['max_retries' => 0]);
        $order = $client->createOrder(15000, Sandbox::id('PHP-LOGGED'));
        Sandbox::pay($order->orderId);
        $logger = new class {
            /** @var list<array{string, string, array<string, mixed>}> */
            public array $records = [];

            /** @param array<string, mixed> $context */
            public function log(mixed $level, string|\Stringable $message, array $context = []): void
            {
                $this->records[] = [(string) $level, (string) $message, $context];
            }
        };
        $handler = new WebhookHandler(
            secret: self::SECRET,
            client: $client,
            expectedAmount: fn (string $id) => $id === $order->orderId ? $order->amount : null,
            onPaid: fn () => null,
            logger: $logger,
        );
        $body = Testing::webhookBody($order->orderId, $order->amount);
        $unknown = Testing::webhookBody('PHP-NOT-OURS', 15023);
        self::assertSame(200, $handler->handle($body, ['X-Gateway-Signature' => Testing::sign(self::SECRET, $body)])->status);
        self::assertSame(400, $handler->handle($body, ['X-Gateway-Signature' => str_repeat('0', 64)])->status);
        self::assertSame(404, $handler->handle($unknown, ['X-Gateway-Signature' => Testing::sign(self::SECRET, $unknown)])->status);

        $answers = array_values(array_filter($logger->records, fn (array $r) => ($r[2]['type'] ?? null) === 'webhook_answer'));
        self::assertSame(
            [
                ['info', "webhook for order {$order->orderId}: 200 fulfilled", 'fulfilled', 200, $order->orderId],
                ['warning', 'webhook: 400 invalid signature', 'invalid_signature', 400, null],
                ['warning', 'webhook for order PHP-NOT-OURS: 404 unknown order', 'unknown_order', 404, 'PHP-NOT-OURS'],
            ],
            array_map(fn (array $r) => [$r[0], $r[1], $r[2]['outcome'], $r[2]['status'], $r[2]['order_id']], $answers)
        );
        self::assertTrue($answers[0][2]['is_verified']);
        self::assertFalse($answers[0][2]['is_test']);
        // The verifier made here logs each verification (the refused one as a warning).
        $checks = array_values(array_filter($logger->records, fn (array $r) => ($r[2]['type'] ?? null) === 'webhook'));
        self::assertSame(['info', 'warning', 'info'], array_column($checks, 0));
        self::assertStringNotContainsString(self::SECRET, json_encode($logger->records, JSON_THROW_ON_ERROR));

        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('logger: expected a PSR-3 logger');
        new WebhookHandler(secret: self::SECRET, client: $client, expectedAmount: fn () => 1, onPaid: fn () => null, logger: new \stdClass());
    }

    public function testParseUnverifiedReadsAnUnsignedBodyAsAHint(): void
    {
        $client = Sandbox::client();
        $order = $client->createOrder(15000, Sandbox::id('PHP-HINT'));
        Sandbox::pay($order->orderId);
        $body = Testing::webhookBody($order->orderId, $order->amount);
        $hint = Webhook::parseUnverified($body);
        self::assertFalse($hint->isVerified());
        self::assertSame([$order->orderId, $order->amount, true], [$hint->orderId, $hint->amount, $hint->isSettled()]);
        self::assertSame($order->amount, $hint->raw['data']['amount']);
        self::assertTrue((new Webhook(self::SECRET))->verify($body, Testing::sign(self::SECRET, $body))->isVerified());
        // confirm takes only its order id: Cashi's answer without an amount is a mismatch.
        Sandbox::fault(['kind' => 'patch', 'path' => 'check-status', 'remove' => ['amount'], 'count' => 1]);
        try {
            $client->confirm($hint, $order->amount);
            self::fail('confirmed on an unverified amount');
        } catch (\Cashi\Exception\PaymentMismatchException $e) {
            self::assertStringContainsString('carried no amount', $e->getMessage());
        }
        self::assertTrue($client->confirm($hint, $order->amount)->isSettled());
        $this->expectException(WebhookPayloadException::class);
        Webhook::parseUnverified('{"event":"PAYMENT_SETTLED"}');
    }

    /** @return iterable<string, array{array<string, mixed>, string}> */
    public static function handlerVectors(): iterable
    {
        $path = __DIR__ . '/../../tests/vectors/webhook_handler.json';
        $vectors = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
        foreach ($vectors['cases'] as $case) {
            yield $case['name'] => [$case, $vectors['settled_body']];
        }
    }

    /**
     * The shared cases, which the Python and Node handlers answer too: one delivery each, its
     * status, outcome and the callbacks called, in order (snake_case in the file).
     *
     * @dataProvider handlerVectors
     * @param array<string, mixed> $case
     */
    public function testHandlerVectors(array $case, string $settledBody): void
    {
        $client = Sandbox::client(['max_retries' => 0]);
        [$orderId, $amount] = [$case['order'], 15023];
        if ($orderId === 'paid' || $orderId === 'unpaid') {
            $order = $client->createOrder(15000, Sandbox::id('PHP-HV'));
            if ($case['order'] === 'paid') {
                Sandbox::pay($order->orderId);
            }
            [$orderId, $amount] = [$order->orderId, $order->amount];
        }
        $body = strtr($case['body'] ?? $settledBody, ['{order_id}' => $orderId, '{amount}' => (string) $amount]);
        $headers = match ($case['signature']) {
            'valid' => ['X-Gateway-Signature' => Testing::sign('sk_vectors', $body)],
            'wrong' => ['X-Gateway-Signature' => str_repeat('0', 64)],
            'none' => ['Content-Type' => 'application/json'],
        };
        $stored = match ($case['stored']) {
            'amount' => $amount,
            'other' => $amount + 1,
            default => $case['stored'],
        };
        $confirmOn = match ($case['client']) {
            'sandbox' => $client,
            'wrong_key' => new Client('CASHI-WRONGKEY01', ['base_url' => Sandbox::baseUrl(), 'max_retries' => 0]),
            'unreachable' => new Client(Sandbox::apiKey(), ['base_url' => 'http://127.0.0.1:9/api', 'max_retries' => 0]),
        };
        $camel = static fn (string $name): string => lcfirst(str_replace('_', '', ucwords($name, '_')));
        $calls = [];
        $callback = static function (string $name, mixed $result = null) use (&$calls, $case, $camel): \Closure {
            return static function () use ($name, $result, &$calls, $case, $camel): mixed {
                $calls[] = $name;
                if (isset($case['raises']) && $camel($case['raises']) === $name) {
                    throw new \RuntimeException("$name failed");
                }
                return $result;
            };
        };
        $handler = new WebhookHandler(
            secret: 'sk_vectors',
            expectedAmount: $callback('expectedAmount', $stored),
            onPaid: $callback('onPaid'),
            client: $confirmOn,
            alreadyFulfilled: $callback('alreadyFulfilled', $case['already_fulfilled'] ?? false),
            onMismatch: $callback('onMismatch'),
            onError: static fn () => null,
            allowUnsigned: $case['allow_unsigned'] ?? false,
        );
        $answer = $handler->handle($body, $headers);
        self::assertSame([$case['status'], $case['outcome']], [$answer->status, $answer->outcome]);
        self::assertSame(array_map($camel, $case['calls']), $calls);
    }
}

<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception;
use Cashi\Exception\CashiException;
use Cashi\Testing;
use Cashi\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * Every exception class, produced for real (sandbox faults, wrong keys, bad signatures),
 * with its stable code.
 */
final class ErrorsTest extends TestCase
{
    protected function tearDown(): void
    {
        Sandbox::clearFaults();
    }

    /**
     * @param class-string<CashiException> $class
     */
    private function expectCashi(string $class, string $code, ?int $http, callable $call): CashiException
    {
        try {
            $call();
        } catch (CashiException $e) {
            self::assertInstanceOf($class, $e, $e->getMessage());
            self::assertInstanceOf(\RuntimeException::class, $e);
            self::assertSame($code, $e->getErrorCode(), $e->getMessage());
            self::assertSame($code, $e::CODE);
            self::assertSame($http, $e->getHttpStatus(), $e->getMessage());
            self::assertNotSame('', $e->getMessage());
            return $e;
        }
        self::fail("no $class");
    }

    public function testEveryCodeHasItsClass(): void
    {
        $classes = CashiException::classes();
        self::assertCount(14, $classes);
        foreach ($classes as $code => $class) {
            self::assertSame($code, $class::CODE);
            $e = CashiException::fromDetail(['code' => $code, 'message' => 'm', 'http_status' => 500]);
            self::assertInstanceOf($class, $e);
            self::assertSame($code, $e->getErrorCode());
            self::assertSame('m', $e->getMessage());
        }
        self::assertSame(Exception\ServerException::class, $classes['server']);
        self::assertTrue(is_subclass_of(Exception\NativeLibraryException::class, Exception\InternalException::class));
    }

    /** The names and the tree of tests/vectors/error_classes.json, the table every SDK shares. */
    public function testClassesFollowTheSharedTable(): void
    {
        $path = __DIR__ . '/../../tests/vectors/error_classes.json';
        $table = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR)['codes'];
        $classes = CashiException::classes();
        $codes = array_keys($table);
        $known = array_keys($classes);
        sort($codes);
        sort($known);
        self::assertSame($codes, $known);
        foreach ($table as $code => $entry) {
            $class = $classes[$code];
            self::assertSame('Cashi\\Exception\\' . $entry['php'], $class);
            $parent = $entry['parent'] === null ? CashiException::class : $classes[$entry['parent']];
            self::assertSame($parent, get_parent_class($class), "$class's parent");
        }
    }

    public function testInvalidArgument(): void
    {
        $this->expectCashi(Exception\InvalidArgumentException::class, 'invalid_argument', null,
            fn () => Sandbox::client()->createOrder(100));
    }

    public function testAuthentication(): void
    {
        $e = $this->expectCashi(Exception\AuthenticationException::class, 'authentication', 401,
            fn () => (new Client('CASHI-WRONGKEY00', ['base_url' => Sandbox::baseUrl()]))->createOrder(15000));
        self::assertStringNotContainsString('WRONGKEY', $e->getMessage());
    }

    public function testNotFound(): void
    {
        $this->expectCashi(Exception\NotFoundException::class, 'not_found', 404,
            fn () => Sandbox::client()->checkStatus('NO-SUCH-ORDER-PHP'));
    }

    public function testConflict(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-DUP');
        $client->createOrder(15000, $id);
        $this->expectCashi(Exception\ConflictException::class, 'conflict', 409,
            fn () => $client->createOrder(15000, $id));
    }

    public function testRateLimited(): void
    {
        Sandbox::fault(['kind' => 'rate_limit', 'count' => 2, 'path' => 'check-status', 'retry_after' => 0]);
        $this->expectCashi(Exception\RateLimitException::class, 'rate_limited', 429,
            fn () => Sandbox::client(['max_retries' => 1])->checkStatus('X'));
    }

    public function testServer(): void
    {
        Sandbox::fault(['kind' => 'error', 'count' => 2, 'path' => 'check-status', 'status' => 500]);
        $this->expectCashi(Exception\ServerException::class, 'server', 500,
            fn () => Sandbox::client(['max_retries' => 1])->checkStatus('X'));
    }

    public function testApi(): void
    {
        $client = Sandbox::client(['max_retries' => 0]);
        $id = Sandbox::id('PHP-API');
        $client->createOrder(15000, $id);
        Sandbox::fault(['kind' => 'patch', 'count' => 1, 'path' => 'check-status', 'set' => ['success' => false, 'message' => 'x']]);
        $e = $this->expectCashi(Exception\ApiException::class, 'api', 200, fn () => $client->checkStatus($id));
        self::assertStringContainsString('x', $e->getMessage());
    }

    public function testDecode(): void
    {
        $client = Sandbox::client(['max_retries' => 0]);
        $id = Sandbox::id('PHP-DEC');
        $client->createOrder(15000, $id);
        Sandbox::fault(['kind' => 'truncate', 'count' => 1, 'path' => 'check-status']);
        $this->expectCashi(Exception\DecodeException::class, 'decode', 200, fn () => $client->checkStatus($id));
    }

    public function testConnection(): void
    {
        $this->expectCashi(Exception\ConnectionException::class, 'connection', null,
            fn () => (new Client('k', ['base_url' => 'http://127.0.0.1:1/api', 'max_retries' => 0]))->checkStatus('X'));
        Sandbox::fault(['kind' => 'drop', 'count' => 1, 'path' => 'check-status']);
        $this->expectCashi(Exception\ConnectionException::class, 'connection', null,
            fn () => Sandbox::client(['max_retries' => 0])->checkStatus('X'));
    }

    public function testTimeout(): void
    {
        Sandbox::fault(['kind' => 'latency', 'count' => 1, 'path' => 'check-status', 'latency_ms' => 3000]);
        $this->expectCashi(Exception\TimeoutException::class, 'timeout', null,
            fn () => Sandbox::client(['max_retries' => 0, 'timeout' => 0.5])->checkStatus('X'));
    }

    public function testSignatureInvalid(): void
    {
        $body = Testing::webhookBody('INV-1', 15023);
        $this->expectCashi(Exception\SignatureVerificationException::class, 'signature_invalid', null,
            fn () => (new Webhook('sk_right'))->verify($body, Testing::sign('sk_wrong', $body)));
        $this->expectCashi(Exception\SignatureVerificationException::class, 'signature_invalid', null,
            fn () => (new Webhook('sk_right'))->verify($body, null));
        $this->expectCashi(Exception\SignatureVerificationException::class, 'signature_invalid', null,
            fn () => (new Webhook('sk_right'))->verifyHeaders($body, ['Content-Type' => 'application/json']));
    }

    public function testWebhookPayload(): void
    {
        $body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED"}}';
        $e = $this->expectCashi(Exception\WebhookPayloadException::class, 'webhook_payload', null,
            fn () => (new Webhook('sk_x'))->verify($body, Testing::sign('sk_x', $body)));
        self::assertStringContainsString('data.amount', $e->getMessage());
    }

    public function testPaymentMismatch(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-MIS');
        $order = $client->createOrder(15000, $id);
        $this->expectCashi(Exception\PaymentMismatchException::class, 'payment_mismatch', null,
            fn () => $client->confirm($id, $order->amount));
    }

    public function testInternalAndNativeLibrary(): void
    {
        // A library that cannot be found is an internal error that says what to do
        // (run in a fresh process: the FFI object is made once per process).
        [$code, $out] = Php::run(
            'try { Cashi\Testing::sign("k", "b"); echo "loaded"; } catch (Cashi\Exception\CashiException $e) { echo get_class($e), "|", $e->getErrorCode(), "|", $e->getMessage(); }',
            ['CASHI_FFI_LIBRARY' => '/nonexistent/libcashi.so']
        );
        self::assertSame(0, $code, $out);
        [$class, $errorCode, $message] = explode('|', $out, 3);
        self::assertSame(Exception\NativeLibraryException::class, $class);
        self::assertSame('internal', $errorCode);
        self::assertStringContainsString('CASHI_FFI_LIBRARY', $message);
        self::assertStringContainsString('/nonexistent/libcashi.so, but there is no file there', $message);
        self::assertStringContainsString('libcashi-<version>-<target>.tar.gz', $message);
    }

    /** Stack traces keep no API key or webhook secret, even where PHP records arguments. */
    public function testSecretsStayOutOfStackTraces(): void
    {
        $previous = ini_set('zend.exception_ignore_args', '0');
        try {
            $traces = '';
            foreach ([
                fn () => new Client('CASHI SECRETKEY1', []),
                fn () => (new Webhook(['sk_SECRETKEY2']))->verify('{}', 'bad'),
                fn () => new Webhook(''),
            ] as $call) {
                try {
                    $call();
                    self::fail('expected an exception');
                } catch (CashiException $e) {
                    // The frames up to PHPUnit's own: printing those too would dump PHPUnit's
                    // whole object graph (its frames carry the test suite), minutes under valgrind.
                    $ours = [];
                    foreach ($e->getTrace() as $frame) {
                        if (str_starts_with($frame['class'] ?? '', 'PHPUnit\\')) {
                            break;
                        }
                        $ours[] = $frame;
                    }
                    $traces .= $e->getTraceAsString() . print_r($ours, true);
                }
            }
            self::assertStringContainsString('SensitiveParameterValue', $traces);
            self::assertStringNotContainsString('SECRETKEY', $traces);
        } finally {
            ini_set('zend.exception_ignore_args', (string) $previous);
        }
    }
}

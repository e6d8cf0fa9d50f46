<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception\ApiException;
use Cashi\Exception\AuthenticationException;
use Cashi\Exception\CashiException;
use Cashi\Exception\ConflictException;
use Cashi\Exception\ConnectionException;
use Cashi\Exception\DecodeException;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\NotFoundException;
use Cashi\Exception\PaymentMismatchException;
use Cashi\Exception\RateLimitException;
use Cashi\Exception\ServerException;
use Cashi\Exception\SignatureVerificationException;
use Cashi\Exception\TimeoutException;
use Cashi\Exception\WebhookPayloadException;
use Cashi\Testing;
use Cashi\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * Neither the API key nor a webhook secret shows anywhere, whatever fails. Every error path
 * is provoked with the recognisable key and secret of tests/vectors/secrets.json (test.sh
 * lets the sandbox accept that key), and each exception is looked at the ways a developer
 * sees it: its message, (string) cast, trace as a string, and the SDK's frames as data
 * with every argument (what Whoops or Symfony's error page show), for it and its previous
 * exceptions; so is whatever PHP logged meanwhile.
 */
final class SecretsTest extends TestCase
{
    /** @var array{api_key: string, webhook_secret: string, echoes: list<string>, leaks: array{any_case: list<string>, exact: list<string>}} */
    private static array $secrets;

    private int $checked = 0;

    private string $log = '';

    /** @var array<string, string|false> */
    private array $ini = [];

    public static function setUpBeforeClass(): void
    {
        $path = __DIR__ . '/../../tests/vectors/secrets.json';
        self::$secrets = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
    }

    protected function setUp(): void
    {
        // Traces with every argument at full length, and PHP's log in a file of its own.
        $this->log = (string) tempnam(sys_get_temp_dir(), 'cashi-secrets-log');
        foreach ([
            'zend.exception_ignore_args' => '0',
            'zend.exception_string_param_max_len' => '1000000',
            'error_log' => $this->log,
            'log_errors' => '1',
        ] as $name => $value) {
            $this->ini[$name] = ini_set($name, $value);
        }
    }

    protected function tearDown(): void
    {
        foreach ($this->ini as $name => $old) {
            if ($old !== false) {
                ini_set($name, $old);
            }
        }
        $this->assertClean('the PHP log', (string) file_get_contents($this->log));
        @unlink($this->log);
        Sandbox::clearFaults();
    }

    private function assertClean(string $what, string $text): void
    {
        $lower = strtolower($text);
        foreach (self::$secrets['leaks']['any_case'] as $form) {
            $this->assertStringNotContainsString($form, $lower, "$what shows $form");
        }
        foreach (self::$secrets['leaks']['exact'] as $form) {
            $this->assertStringNotContainsString($form, $text, "$what shows $form");
        }
    }

    private function checkException(string $what, \Throwable $e): void
    {
        for ($one = $e; $one !== null; $one = $one->getPrevious()) {
            $this->assertClean("$what: message", $one->getMessage());
            $this->assertClean("$what: (string)", (string) $one);
            $this->assertClean("$what: trace", $one->getTraceAsString());
            $sdk = self::sdkFrames($one);
            $this->assertClean("$what: trace data", var_export($sdk, true));
            $this->assertClean("$what: print_r of the trace", print_r($sdk, true));
        }
        $this->checked++;
    }

    /**
     * The frames of the SDK's own functions, with every argument: the test's frames hold
     * the closures that pass the secrets, which are the test's own business.
     *
     * @return list<array<string, mixed>>
     */
    private static function sdkFrames(\Throwable $e): array
    {
        $frames = [];
        foreach ($e->getTrace() as $frame) {
            $class = $frame['class'] ?? '';
            if (str_starts_with($class, 'Cashi\\') && !str_starts_with($class, 'Cashi\\Tests\\')) {
                $frames[] = $frame;
            }
        }
        return $frames;
    }

    /**
     * @param class-string<\Throwable> $class
     */
    private function fails(string $what, string $class, callable $call): void
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e, "$what: " . $e->getMessage());
            $this->checkException($what, $e);
            return;
        }
        $this->fail("$what: did not fail");
    }

    private function key(): string
    {
        return self::$secrets['api_key'];
    }

    private function secret(): string
    {
        return self::$secrets['webhook_secret'];
    }

    /** @param array<string, mixed> $options */
    private function client(array $options = []): Client
    {
        return new Client($this->key(), $options + ['base_url' => Sandbox::baseUrl(), 'max_retries' => 0, 'timeout' => 3]);
    }

    public function testBuildingAClientOrAVerifierNeverShowsTheKeyOrTheSecret(): void
    {
        $key = $this->key();
        $secret = $this->secret();
        $url = Sandbox::baseUrl();
        $bad = [
            'a key with a NUL byte' => fn () => new Client($key . "\0", ['base_url' => $url]),
            'a key with a space' => fn () => new Client($key . ' ', ['base_url' => $url]),
            'a key with a line break' => fn () => new Client($key . "\n", ['base_url' => $url]),
            'a key not ASCII' => fn () => new Client($key . 'é', ['base_url' => $url]),
            'a cleartext URL' => fn () => new Client($key, ['base_url' => 'http://cashi.example/api']),
            'a bad timeout' => fn () => new Client($key, ['base_url' => $url, 'timeout' => 'x']),
            'too many retries' => fn () => new Client($key, ['base_url' => $url, 'max_retries' => 11]),
            'an unknown option' => fn () => new Client($key, ['apikey' => 'k']),
            'a secret with a NUL byte' => fn () => new Webhook($secret . "\0"),
            'a second secret with a NUL byte' => fn () => new Webhook([$secret, $secret . "\0"]),
            'an empty secret' => fn () => new Webhook(''),
            'an empty second secret' => fn () => new Webhook([$secret, '']),
            'no secret' => fn () => new Webhook([]),
            'a number among secrets' => fn () => new Webhook([$secret, 123456789]),
            'signing under a secret with a NUL byte' => fn () => Testing::sign($secret . "\0", '{}'),
            'signing under an empty secret' => fn () => Testing::sign('', '{}'),
            'fromGlobals without a signature' => fn () => Webhook::fromGlobals($secret),
        ];
        foreach ($bad as $what => $make) {
            $this->fails($what, CashiException::class, $make);
        }
        $this->assertClean('print_r(client)', print_r($this->client(), true));
        $this->assertClean('var_export(client)', var_export($this->client(), true));
        $this->assertClean('print_r(webhook)', print_r(new Webhook([$secret, 'sk_old']), true));
    }

    public function testNoErrorOfAnyCallShowsTheKey(): void
    {
        $client = $this->client();
        $statuses = [
            401 => AuthenticationException::class,
            403 => AuthenticationException::class,
            400 => ApiException::class,
            404 => NotFoundException::class,
            409 => ConflictException::class,
            429 => RateLimitException::class,
            500 => ServerException::class,
            503 => ServerException::class,
        ];
        foreach (self::$secrets['echoes'] as $i => $echo) {
            foreach ($statuses as $status => $class) {
                Sandbox::fault(['kind' => 'error', 'status' => $status, 'message' => $echo]);
                $this->fails("HTTP $status, echo #$i", $class, fn () => $client->checkStatus('A'));
            }
            Sandbox::fault(['kind' => 'patch', 'path' => 'create-order', 'set' => ['success' => false, 'message' => $echo]]);
            $this->fails("success:false, echo #$i", ApiException::class, fn () => $client->createOrder(15000, null, 'BCA'));
            Sandbox::fault(['kind' => 'patch', 'path' => 'create-order', 'set' => ['amount' => $echo]]);
            $this->fails("an unreadable amount, echo #$i", DecodeException::class, fn () => $client->createOrder(15000, null, 'BCA'));
            $order = $client->createOrder(15000, uniqid('PHP-SECRET-'), 'BCA');
            Sandbox::fault(['kind' => 'patch', 'path' => 'check-status', 'set' => ['status' => $echo]]);
            $this->fails("a mismatch, echo #$i", PaymentMismatchException::class, fn () => $client->confirm($order, $order->amount));
            $results = $client->checkStatuses(['A']);
            $this->assertInstanceOf(NotFoundException::class, $results[0]);
        }
        Sandbox::clearFaults();

        $plain = [
            [['kind' => 'error', 'status' => 502], ServerException::class],
            [['kind' => 'rate_limit', 'retry_after' => 0], RateLimitException::class],
            [['kind' => 'truncate'], DecodeException::class],
            [['kind' => 'drop'], ConnectionException::class],
            [['kind' => 'latency', 'latency_ms' => 4000], TimeoutException::class],
        ];
        foreach ($plain as [$fault, $class]) {
            Sandbox::fault($fault);
            $this->fails('the fault ' . json_encode($fault), $class, fn () => $client->checkStatus('A'));
        }

        $order = $client->createOrder(15000, uniqid('PHP-SECRET-'), 'BCA');
        $this->fails('a refused amount', InvalidArgumentException::class, fn () => $client->createOrder(1));
        $this->fails('a refused order id', InvalidArgumentException::class, fn () => $client->checkStatus("a\nb"));
        $this->fails('an unknown order', NotFoundException::class, fn () => $client->checkStatus('NO-SUCH-ORDER'));
        $this->fails('an order id used twice', ConflictException::class, fn () => $client->createOrder(15000, $order->orderId, 'BCA'));
        $this->fails('a wrong amount', PaymentMismatchException::class, fn () => $client->confirm($order, 1));
        $this->fails('a wait', TimeoutException::class, fn () => $client->waitForPayment($order->orderId, 0.3));
        $nobody = new Client($this->key(), ['base_url' => 'http://127.0.0.1:9/api', 'max_retries' => 0]);
        $this->fails('no listener', ConnectionException::class, fn () => $nobody->checkStatus('A'));
        // A batch's errors too.
        Sandbox::fault(['kind' => 'error', 'status' => 401, 'message' => self::$secrets['echoes'][0]]);
        $batch = $client->checkStatuses(['A']);
        $this->assertInstanceOf(AuthenticationException::class, $batch[0]);
        $this->checkException('a batch item', $batch[0]);
        $this->assertGreaterThanOrEqual(140, $this->checked);
    }

    public function testNoWebhookErrorShowsTheSecret(): void
    {
        $secret = $this->secret();
        $webhook = new Webhook([$secret, 'sk_old']);
        $body = Testing::webhookBody('INV-1', 15023);
        // (A signature holding the secret would be the caller's own argument, shown in a trace
        // like any other.)
        foreach (['', 'sha256=', str_repeat('0', 64), Testing::sign('sk_x', $body)] as $signature) {
            $this->fails('a wrong signature', SignatureVerificationException::class, fn () => $webhook->verify($body, $signature));
            $this->fails(
                'a wrong signature header',
                SignatureVerificationException::class,
                fn () => $webhook->verifyHeaders($body, ['X-Gateway-Signature' => $signature])
            );
        }
        $this->fails('no signature header', SignatureVerificationException::class, fn () => $webhook->verifyHeaders($body, ['x-other' => 'v']));
        foreach (['not json', '{"event":"PAYMENT_SETTLED"}'] as $payload) {
            $signature = Testing::sign($secret, $payload);
            $this->fails('a signed non-event', WebhookPayloadException::class, fn () => $webhook->verify($payload, $signature));
        }
        $event = $webhook->verify($body, Testing::sign($secret, $body));
        $this->assertClean('print_r(event)', print_r($event, true));
    }
}

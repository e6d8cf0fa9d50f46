<?php

declare(strict_types=1);

namespace Cashi\Tests;

use PHPUnit\Framework\TestCase;

/**
 * examples/webhook.php served by `php -S`, set up like PHP-FPM with ffi.enable=preload
 * (ffi.preload + opcache.preload), receiving real signed deliveries from the sandbox.
 */
final class WebhookExampleTest extends TestCase
{
    private const SECRET = 'sk_0123456789abcdef0123456789abcdef';

    /** @var resource|null */
    private static $server = null;
    private static int $port = 0;
    private static string $orders = '';
    private static string $header = '';
    private static string $log = '';

    public static function setUpBeforeClass(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        self::$port = (int) substr((string) strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        self::$orders = (string) tempnam(sys_get_temp_dir(), 'cashi-orders');
        self::$header = (string) tempnam(sys_get_temp_dir(), 'cashi-ffi-h');
        self::$log = (string) tempnam(sys_get_temp_dir(), 'cashi-php-s');
        exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(Php::package('bin/cashi-ffi-header')) . ' ' . escapeshellarg(self::$header));
        $user = posix_getpwuid(posix_geteuid())['name'] ?? 'root';
        $command = [
            PHP_BINARY,
            '-d', 'ffi.enable=preload',
            '-d', 'ffi.preload=' . self::$header,
            '-d', 'opcache.enable=1',
            '-d', 'opcache.preload=' . Php::package('preload.php'),
            '-d', 'opcache.preload_user=' . $user,
            '-S', '127.0.0.1:' . self::$port,
            Php::project('examples/webhook.php'),
        ];
        $env = [
            'ORDERS_FILE' => self::$orders,
            'CASHI_WEBHOOK_SECRET' => self::SECRET,
            'CASHI_API_KEY' => Sandbox::apiKey(),
            'CASHI_BASE_URL' => Sandbox::baseUrl(),
        ] + getenv();
        unset($env['CASHI_FFI_LIBRARY']);
        self::$server = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', self::$log, 'a'], 2 => ['file', self::$log, 'a']], $pipes, null, $env);
        for ($i = 0; $i < 200; $i++) {
            $socket = @stream_socket_client('tcp://127.0.0.1:' . self::$port, $errno, $errstr, 1);
            if ($socket !== false) {
                fclose($socket);
                break;
            }
            usleep(50_000);
        }
        Sandbox::ok('POST', 'config', [
            'webhook_url' => 'http://127.0.0.1:' . self::$port . '/cashi/webhook',
            'webhook_secret' => self::SECRET,
        ]);
    }

    public static function tearDownAfterClass(): void
    {
        Sandbox::ok('POST', 'config', ['webhook_url' => null]);
        if (self::$server !== null) {
            proc_terminate(self::$server);
            proc_close(self::$server);
        }
        foreach ([self::$orders, self::$header, self::$log] as $file) {
            @unlink($file);
        }
    }

    /** @return array<string, mixed> */
    private static function orders(): array
    {
        return json_decode((string) file_get_contents(self::$orders), true) ?: [];
    }

    /** @param array<string, mixed> $entry */
    private static function store(string $orderId, array $entry): void
    {
        $orders = self::orders();
        $orders[$orderId] = $entry;
        file_put_contents(self::$orders, json_encode($orders), LOCK_EX);
    }

    /**
     * Waits (bounded) until the sandbox's deliveries for $orderId include an attempt with
     * an HTTP status, and returns the attempts.
     *
     * @return list<array<string, mixed>>
     */
    private static function attempts(string $orderId): array
    {
        for ($i = 0; $i < 300; $i++) {
            [, $answer] = Sandbox::call('GET', 'webhooks?order_id=' . rawurlencode($orderId));
            foreach ($answer['deliveries'] ?? [] as $delivery) {
                $done = array_values(array_filter($delivery['attempts'], fn ($a) => ($a['http_status'] ?? null) !== null));
                if ($done !== []) {
                    return $done;
                }
            }
            usleep(100_000);
        }
        self::fail("no delivery attempt for $orderId; server log:\n" . file_get_contents(self::$log));
    }

    /** @return array{0: int, 1: string} */
    private static function post(string $body, string $signature): array
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: application/json\r\nX-Gateway-Signature: $signature\r\n",
            'content' => $body,
            'ignore_errors' => true,
        ]]);
        $text = (string) file_get_contents('http://127.0.0.1:' . self::$port . '/cashi/webhook', false, $context);
        preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0] ?? '', $m);
        return [(int) ($m[1] ?? 0), trim($text)];
    }

    public function testTestWebhookIsAnsweredAndFulfilsNothing(): void
    {
        $answer = Sandbox::ok('POST', 'test-webhook');
        $attempt = $answer['delivery']['attempts'][0];
        self::assertSame(200, $attempt['http_status'], (string) file_get_contents(self::$log));
        self::assertStringContainsString('test webhook received', (string) $attempt['response_body']);
        self::assertArrayNotHasKey($answer['delivery']['order_id'], self::orders());
    }

    public function testForgedAndMalformedRequestsAreRefused(): void
    {
        $body = \Cashi\Testing::webhookBody('INV-FORGED', 15023);
        self::assertSame([400, 'invalid signature'], self::post($body, \Cashi\Testing::sign('sk_attacker', $body)));
        $notEvent = '{"hello":"world"}';
        self::assertSame([400, 'invalid payload'], self::post($notEvent, \Cashi\Testing::sign(self::SECRET, $notEvent)));
        $unsigned = stream_context_create(['http' => ['method' => 'POST', 'header' => "Content-Type: application/json\r\n", 'content' => $body, 'ignore_errors' => true]]);
        self::assertSame('invalid signature', trim((string) file_get_contents('http://127.0.0.1:' . self::$port . '/', false, $unsigned)));
        self::assertStringContainsString('400', $http_response_header[0]);
        $context = stream_context_create(['http' => ['ignore_errors' => true]]);
        file_get_contents('http://127.0.0.1:' . self::$port . '/cashi/webhook', false, $context);
        self::assertStringContainsString('405', $http_response_header[0]);
    }

    public function testPaidOrderIsFulfilledAfterConfirm(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-SHOP');
        $order = $client->createOrder(15000, $id);
        self::store($id, ['amount' => $order->amount, 'status' => 'pending']);

        Sandbox::pay($id);
        $attempts = self::attempts($id);
        self::assertSame(200, $attempts[0]['http_status'], (string) file_get_contents(self::$log));
        self::assertStringContainsString('fulfilled', (string) $attempts[0]['response_body']);
        $stored = self::orders()[$id];
        self::assertSame('paid', $stored['status']);
        self::assertNotEmpty($stored['provider_tx_id']);

        // The sandbox delivers the same settlement again (a lost 200, a retry, a replay of a
        // captured webhook): acknowledged with 200, and the order is fulfilled once.
        [, $answer] = Sandbox::call('GET', 'webhooks?order_id=' . rawurlencode($id));
        $delivery = $answer['deliveries'][0];
        $again = Sandbox::ok('POST', "webhooks/{$delivery['id']}/redeliver")['delivery'];
        $last = $again['attempts'][count($again['attempts']) - 1];
        self::assertTrue($last['redelivery']);
        self::assertSame(200, $last['http_status']);
        self::assertSame('already fulfilled', trim((string) $last['response_body']));
        self::assertSame(1, substr_count((string) file_get_contents(self::$log), "order $id fulfilled"));
        self::assertSame('paid', self::orders()[$id]['status']);
    }

    public function testPaidWithAnotherAmountIsHeldNotFulfilled(): void
    {
        $client = Sandbox::client();
        $id = Sandbox::id('PHP-SHORT');
        $order = $client->createOrder(20000, $id);
        self::store($id, ['amount' => $order->amount, 'status' => 'pending']);

        Sandbox::pay($id, 2000);
        $attempts = self::attempts($id);
        self::assertSame(200, $attempts[0]['http_status'], (string) file_get_contents(self::$log));
        $stored = self::orders()[$id];
        self::assertSame('review', $stored['status']);
        self::assertSame(2000, $stored['paid_amount']);
    }
}

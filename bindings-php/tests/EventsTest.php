<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\NotFoundException;
use Cashi\Exception\SignatureVerificationException;
use Cashi\Exception\TimeoutException;
use Cashi\Testing;
use Cashi\Webhook;
use PHPUnit\Framework\TestCase;

/** A PSR-3 logger as merchants duck-type one: only log(), no psr/log. */
final class RecordingLogger
{
    /** @var list<array{0: string, 1: string, 2: array<string, mixed>}> */
    public array $records = [];

    /** @param array<string, mixed> $context */
    public function log(mixed $level, string|\Stringable $message, array $context = []): void
    {
        $this->records[] = [(string) $level, (string) $message, $context];
    }
}

final class EventsTest extends TestCase
{
    private const SECRET = 'sk_events_php_secret_0001';

    protected function tearDown(): void
    {
        Sandbox::clearFaults();
    }

    /**
     * A client telling $logger, with on_response's attempts in $responses.
     *
     * @param list<array<string, mixed>> $responses
     * @param array<string, mixed> $options
     */
    private static function client(RecordingLogger $logger, array &$responses, array $options = []): Client
    {
        return Sandbox::client($options + [
            'logger' => $logger,
            'on_response' => function (array $attempt) use (&$responses): void {
                $responses[] = $attempt;
            },
        ]);
    }

    /** @param list<mixed> $records */
    private static function assertNoSecret(array $records): void
    {
        $text = json_encode($records, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
        self::assertStringNotContainsString(Sandbox::apiKey(), $text);
        self::assertStringNotContainsString(self::SECRET, $text);
    }

    public function testASuccessIsADebugAttemptAndAnInfoCall(): void
    {
        $logger = new RecordingLogger();
        $responses = [];
        $client = self::client($logger, $responses);
        $id = Sandbox::id('EV-OK');
        $client->createOrder(15000, $id);
        self::assertCount(2, $logger->records, 'create: one attempt and one call');
        $logger->records = [];
        $responses = [];

        $client->checkStatus($id);
        self::assertCount(2, $logger->records);
        [[$level, $message, $attempt], [$callLevel, $line, $call]] = $logger->records;
        self::assertSame('debug', $level);
        self::assertSame('attempt', $attempt['type']);
        self::assertSame('GET', $attempt['method']);
        self::assertSame("/check-status/$id", $attempt['path']);
        self::assertSame($id, $attempt['order_id']);
        self::assertSame(1, $attempt['attempt']);
        self::assertSame(200, $attempt['http_status']);
        self::assertNull($attempt['error']);
        self::assertNull($attempt['retry_in_ms']);
        self::assertGreaterThanOrEqual(0, $attempt['elapsed_ms']);
        self::assertStringStartsWith("GET /check-status/$id order=$id attempt 1: 200 in ", $message);
        self::assertSame('info', $callLevel);
        self::assertSame('call', $call['type']);
        self::assertSame(1, $call['attempts']);
        self::assertStringStartsWith("GET /check-status/$id order=$id: 200 in ", $line);
        self::assertSame([$attempt], $responses, 'on_response hears each attempt');
        self::assertNoSecret($logger->records);
    }

    public function testARetried503IsAWarningThatSaysItWillRetry(): void
    {
        $logger = new RecordingLogger();
        $responses = [];
        $client = self::client($logger, $responses);
        $id = Sandbox::id('EV-503');
        $client->createOrder(15000, $id);
        $logger->records = [];
        $responses = [];
        // The server echoes the key in its message: the events must not.
        Sandbox::fault(['kind' => 'error', 'status' => 503, 'count' => 1, 'path' => 'check-status', 'message' => 'busy, key {api_key}']);

        $client->checkStatus($id);
        self::assertSame(['warning', 'debug', 'info'], array_column($logger->records, 0));
        [$failed, $answered, $call] = array_column($logger->records, 2);
        self::assertSame(503, $failed['http_status']);
        self::assertSame('server', $failed['error']['code']);
        self::assertGreaterThan(0, $failed['retry_in_ms']);
        self::assertStringContainsString(', retrying in ', $logger->records[0][1]);
        self::assertSame(2, $answered['attempt']);
        self::assertSame(200, $answered['http_status']);
        self::assertSame(2, $call['attempts']);
        self::assertSame([503, 200], array_column($responses, 'http_status'));
        self::assertNoSecret($logger->records);
        self::assertNoSecret($responses);
    }

    public function testATimeoutIsReportedBeforeTheExceptionReachesTheCaller(): void
    {
        $logger = new RecordingLogger();
        $responses = [];
        $client = self::client($logger, $responses, ['timeout' => 0.3, 'max_retries' => 0]);
        $id = Sandbox::id('EV-TIME');
        $client->createOrder(15000, $id);
        $logger->records = [];
        Sandbox::fault(['kind' => 'latency', 'latency_ms' => 1500, 'count' => 1, 'path' => 'check-status']);
        try {
            $client->checkStatus($id);
            self::fail('no timeout');
        } catch (TimeoutException) {
        }
        self::assertSame(['warning', 'warning'], array_column($logger->records, 0));
        [$attempt, $call] = array_column($logger->records, 2);
        self::assertNull($attempt['http_status']);
        self::assertSame('timeout', $attempt['error']['code']);
        self::assertNull($attempt['retry_in_ms']);
        self::assertSame('timeout', $call['error']['code']);
        self::assertStringContainsString(': no answer in ', $logger->records[1][1]);
        self::assertNoSecret($logger->records);
    }

    public function testBatchCallsReportEveryCall(): void
    {
        $logger = new RecordingLogger();
        $responses = [];
        $client = self::client($logger, $responses);
        $ids = [Sandbox::id('EV-B1'), Sandbox::id('EV-B2')];
        $orders = $client->createOrders(array_map(fn (string $id) => ['amount' => 15000, 'order_id' => $id], $ids));
        self::assertCount(2, $orders);
        $calls = array_values(array_filter(array_column($logger->records, 2), fn (array $e) => $e['type'] === 'call'));
        self::assertEqualsCanonicalizing($ids, array_column($calls, 'order_id'));
    }

    public function testAThrowingLoggerDoesNotChangeTheOutcome(): void
    {
        $log = tempnam(sys_get_temp_dir(), 'cashi-events');
        $previous = ini_set('error_log', $log);
        try {
            $client = Sandbox::client([
                'logger' => new class () {
                    public function log(mixed $level, string $message, array $context = []): void
                    {
                        throw new \RuntimeException('logger broke');
                    }
                },
                'on_response' => fn () => throw new \LogicException('callback broke'),
            ]);
            $order = $client->createOrder(15000, Sandbox::id('EV-THROW'));
            self::assertSame(15000, $order->requestedAmount);
            $written = (string) file_get_contents($log);
            self::assertStringContainsString('cashi: the logger threw RuntimeException: logger broke', $written);
            self::assertStringContainsString('cashi: the on_response callable threw LogicException: callback broke', $written);
        } finally {
            ini_set('error_log', (string) $previous);
            unlink($log);
        }
    }

    public function testWebhookVerificationsAreLoggedOnce(): void
    {
        $logger = new RecordingLogger();
        $webhook = new Webhook(self::SECRET, ['logger' => $logger]);
        $body = Testing::webhookBody('INV-EV-9', 15023);
        $signature = Testing::sign(self::SECRET, $body);
        $event = $webhook->verify($body, $signature);
        $webhook->verifyHeaders($body, ['X-Gateway-Signature' => $signature]);
        try {
            $webhook->verify($body, str_repeat('0', 64));
            self::fail('a bad signature was accepted');
        } catch (SignatureVerificationException) {
        }
        try {
            $webhook->verifyHeaders($body, []);
            self::fail('an unsigned body was accepted');
        } catch (SignatureVerificationException) {
        }
        self::assertSame(['info', 'info', 'warning', 'warning'], array_column($logger->records, 0));
        self::assertSame('webhook order=INV-EV-9 verified', $logger->records[0][1]);
        self::assertSame(['type' => 'webhook', 'order_id' => 'INV-EV-9', 'is_test' => false, 'error' => null], $logger->records[0][2]);
        self::assertSame('signature_invalid', $logger->records[2][2]['error']['code']);
        self::assertStringStartsWith('webhook refused (signature_invalid: ', $logger->records[3][1]);

        // Confirming with the event verifies it again inside; that is not a new verification.
        try {
            Sandbox::client()->confirm($event, 15023);
            self::fail('an unknown order was confirmed');
        } catch (NotFoundException) {
        }
        $webhook->verify($body, $signature);
        self::assertCount(5, $logger->records, 'the verification inside confirm() is not reported');
        self::assertNoSecret($logger->records);
    }

    public function testBadOptionsNameTheField(): void
    {
        foreach ([
            [['logger' => 'syslog'], 'logger'],
            [['logger' => new \stdClass()], 'logger'],
            [['on_response' => 5], 'on_response'],
        ] as [$options, $field]) {
            try {
                Sandbox::client($options);
                self::fail("accepted $field");
            } catch (InvalidArgumentException $e) {
                self::assertStringStartsWith("$field: ", $e->getMessage());
            }
        }
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage("unknown option 'on_response'; the only option is logger");
        new Webhook(self::SECRET, ['on_response' => fn () => null]);
    }
}

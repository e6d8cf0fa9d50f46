<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Exception\ConflictException;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\NotFoundException;
use Cashi\Order;
use Cashi\PaymentStatus;
use PHPUnit\Framework\TestCase;

/**
 * Client::checkStatuses and Client::createOrders against the sandbox: a result or an
 * exception per item, keys kept, bad items, and calls that really run at the same time.
 */
final class BatchTest extends TestCase
{
    protected function tearDown(): void
    {
        Sandbox::clearFaults();
    }

    public function testCheckStatusesAllSucceedWithTheirKeys(): void
    {
        $client = Sandbox::client();
        $orders = [];
        foreach (['first', 'second', 'third'] as $i => $key) {
            $orders[$key] = $client->createOrder(10000 + 1000 * $i, Sandbox::id('PHP-BS'));
        }
        Sandbox::pay($orders['second']->orderId);
        $ids = array_map(fn (Order $o) => $o->orderId, $orders);
        $ids = ['third' => $ids['third'], 'first' => $ids['first'], 'second' => $ids['second']];

        $statuses = $client->checkStatuses($ids);
        self::assertSame(['third', 'first', 'second'], array_keys($statuses));
        foreach ($statuses as $key => $status) {
            self::assertInstanceOf(PaymentStatus::class, $status);
            self::assertSame($orders[$key]->orderId, $status->orderId);
            self::assertSame($orders[$key]->amount, $status->amount);
            self::assertSame($key === 'second' ? 'SETTLED' : 'PENDING', $status->status);
            self::assertSame($key === 'second', $status->isSettled());
            self::assertSame($status->status, $status->raw['status']);
        }
        // The same as one call at a time.
        $single = $client->checkStatus($ids['second']);
        self::assertSame($single->providerTxId, $statuses['second']->providerTxId);
        self::assertSame($single->raw, $statuses['second']->raw);
    }

    public function testCheckStatusesMixOfGoodAndBadIds(): void
    {
        $client = Sandbox::client();
        $a = $client->createOrder(15000, Sandbox::id('PHP-BM'));
        $b = $client->createOrder(16000, Sandbox::id('PHP-BM'));
        $results = $client->checkStatuses([$a->orderId, Sandbox::id('PHP-NO-SUCH'), '', 42, "A\0B", null, $b->orderId]);

        self::assertSame([0, 1, 2, 3, 4, 5, 6], array_keys($results));
        self::assertInstanceOf(PaymentStatus::class, $results[0]);
        self::assertSame($a->amount, $results[0]->amount);
        self::assertInstanceOf(NotFoundException::class, $results[1]);
        self::assertSame(404, $results[1]->getHttpStatus());
        self::assertInstanceOf(InvalidArgumentException::class, $results[2]);
        self::assertInstanceOf(InvalidArgumentException::class, $results[3]);
        self::assertStringContainsString('orderIds[3]', $results[3]->getMessage());
        self::assertStringContainsString('int 42', $results[3]->getMessage());
        self::assertInstanceOf(InvalidArgumentException::class, $results[4]);
        self::assertStringContainsString('orderIds[4]', $results[4]->getMessage());
        self::assertInstanceOf(InvalidArgumentException::class, $results[5]);
        self::assertInstanceOf(PaymentStatus::class, $results[6]);
        self::assertSame($b->amount, $results[6]->amount);

        // Each exception is the one the single call throws.
        try {
            $client->checkStatus(Sandbox::id('PHP-NO-SUCH'));
            self::fail('no exception');
        } catch (NotFoundException $e) {
            self::assertSame(get_class($e), get_class($results[1]));
            self::assertSame($e->getErrorCode(), $results[1]->getErrorCode());
        }

        // Only bad items: nothing is sent, each has its exception.
        $bad = $client->checkStatuses(['x' => 1.5, 'y' => []]);
        self::assertSame(['x', 'y'], array_keys($bad));
        self::assertStringContainsString("orderIds['x']", $bad['x']->getMessage());
        self::assertInstanceOf(InvalidArgumentException::class, $bad['y']);
    }

    public function testEmptyAndTooMany(): void
    {
        $client = Sandbox::client();
        self::assertSame([], $client->checkStatuses([]));
        self::assertSame([], $client->createOrders([]));
        // libcashi's limit, 10,000 items, counts every item, the ones refused here included.
        foreach (['checkStatuses' => ['order_ids', 'X'], 'createOrders' => ['requests', ['amount' => 15000]]] as $method => [$name, $item]) {
            foreach ([array_fill(0, 10001, $item), [...array_fill(0, 10000, $item), 42]] as $items) {
                try {
                    $client->{$method}($items);
                    self::fail("$method took too many items");
                } catch (InvalidArgumentException $e) {
                    self::assertSame('invalid_argument', $e->getErrorCode());
                    self::assertStringContainsString($name, $e->getMessage());
                    self::assertStringContainsString('10000', $e->getMessage());
                }
            }
        }
    }

    public function testCreateOrdersMixOfGoodAndBadRequests(): void
    {
        $client = Sandbox::client();
        $existing = $client->createOrder(15000, Sandbox::id('PHP-BC'));
        $qris = Sandbox::id('PHP-BC');
        $va = Sandbox::id('PHP-BC');
        $results = $client->createOrders([
            'qris' => ['amount' => 15000, 'order_id' => $qris],
            'va' => ['amount' => 50000.0, 'order_id' => $va, 'channel' => 'BCA'],
            'no id' => ['amount' => 2000],
            'fraction' => ['amount' => 15000.5],
            'too small' => ['amount' => 5],
            'unknown field' => ['amount' => 15000, 'orderId' => 'X'],
            'no amount' => ['order_id' => 'X'],
            'not an array' => 15000,
            'channel not text' => ['amount' => 15000, 'channel' => 7],
            'taken' => ['amount' => 15000, 'order_id' => $existing->orderId],
        ]);
        self::assertSame(['qris', 'va', 'no id', 'fraction', 'too small', 'unknown field', 'no amount',
                          'not an array', 'channel not text', 'taken'], array_keys($results));

        $order = $results['qris'];
        self::assertInstanceOf(Order::class, $order);
        self::assertSame($qris, $order->orderId);
        self::assertSame(15000, $order->requestedAmount);
        self::assertGreaterThan(15000, $order->amount);
        self::assertStringStartsWith("\x89PNG", $order->qrPng());
        self::assertSame($order->qrUrl, $order->raw['qrUrl']);
        self::assertSame($order->amount, $client->checkStatus($qris)->amount);
        self::assertInstanceOf(Order::class, $results['va']);
        self::assertNotNull($results['va']->virtualAccount?->vaNumber);
        self::assertInstanceOf(Order::class, $results['no id']);
        self::assertNotSame('', $results['no id']->orderId);

        foreach (['fraction' => '.amount', 'unknown field' => 'orderId', 'no amount' => 'amount',
                  'not an array' => 'int 15000', 'channel not text' => '.channel'] as $key => $part) {
            self::assertInstanceOf(InvalidArgumentException::class, $results[$key], $key);
            self::assertStringContainsString("requests['$key']", $results[$key]->getMessage());
            self::assertStringContainsString($part, $results[$key]->getMessage());
        }
        self::assertInstanceOf(InvalidArgumentException::class, $results['too small']);
        self::assertInstanceOf(ConflictException::class, $results['taken']);
        self::assertSame(409, $results['taken']->getHttpStatus());
    }

    public function testRetriedAsTheSingleCall(): void
    {
        $client = Sandbox::client();
        $order = $client->createOrder(15000, Sandbox::id('PHP-BR'));
        Sandbox::fault(['kind' => 'error', 'count' => 1, 'path' => 'check-status', 'status' => 500]);
        $results = $client->checkStatuses([$order->orderId]);
        self::assertInstanceOf(PaymentStatus::class, $results[0]);
        Sandbox::fault(['kind' => 'error', 'count' => 3, 'path' => 'check-status', 'status' => 500]);
        $results = $client->checkStatuses([$order->orderId]);
        self::assertInstanceOf(\Cashi\Exception\ServerException::class, $results[0]);
    }

    /**
     * N calls that each wait at the sandbox finish in less than N waits, which only calls in
     * flight together can do: a load on the machine makes calls slower, never faster.
     */
    public function testCallsRunAtTheSameTime(): void
    {
        $client = Sandbox::client();
        $id = $client->createOrder(15000, Sandbox::id('PHP-BL'))->orderId;
        $n = 8;
        $latencyMs = 500;
        $delayed = function (string $path, int $count, callable $call) use ($latencyMs): float {
            Sandbox::fault(['kind' => 'latency', 'count' => $count, 'path' => $path, 'latency_ms' => $latencyMs]);
            $start = hrtime(true);
            $call();
            $elapsed = (hrtime(true) - $start) / 1e6;
            Sandbox::clearFaults();
            return $elapsed;
        };

        $many = $delayed('check-status', $n, function () use ($client, $id, $n): void {
            foreach ($client->checkStatuses(array_fill(0, $n, $id)) as $status) {
                self::assertInstanceOf(PaymentStatus::class, $status);
            }
        });
        // One after another, n answers each held latency_ms cannot take less than n * latency_ms:
        // finishing sooner proves they overlapped, however loaded the machine is.
        self::assertLessThan($n * $latencyMs, $many, "$n delayed statuses took {$many} ms: not at the same time");

        $requests = [];
        for ($i = 0; $i < $n; $i++) {
            $requests[] = ['amount' => 15000 + 100 * $i, 'order_id' => Sandbox::id('PHP-BL')];
        }
        $many = $delayed('create-order', $n, function () use ($client, $requests): void {
            foreach ($client->createOrders($requests) as $order) {
                self::assertInstanceOf(Order::class, $order);
            }
        });
        self::assertLessThan($n * $latencyMs, $many, "$n delayed creates took {$many} ms: not at the same time");
    }
}

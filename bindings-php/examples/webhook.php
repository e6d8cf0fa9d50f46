<?php

/*
 * A Cashi webhook endpoint in plain PHP.
 *
 * Cashi POSTs {"event":"PAYMENT_SETTLED","data":{"order_id":..,"status":"SETTLED","amount":..}}
 * signed with your webhook secret. This endpoint:
 *   1. verifies the signature on the raw body (400 when it does not match),
 *   2. answers the dashboard's "Test Webhook" with 200 and fulfils nothing,
 *   3. fulfils an order only after Client::confirm() re-read it from Cashi as SETTLED with
 *      exactly the amount stored when the order was created,
 *   4. fulfils each order once: Cashi may deliver the same webhook more than once, and a
 *      captured webhook can be replayed forever (its signature has no timestamp) while
 *      confirm() still passes, so the order id is marked under a lock and repeats ignored,
 *   5. answers 200 quickly, and non-200 only when Cashi should try again later.
 *
 * Configuration (environment): CASHI_API_KEY, CASHI_WEBHOOK_SECRET (and optionally
 * CASHI_WEBHOOK_SECRET_OLD during a rotation), CASHI_BASE_URL for a sandbox, and
 * ORDERS_FILE: a JSON file standing in for your database, written by your checkout code as
 *     $order = $cashi->createOrder(15000, 'INV-9921');
 *     $orders['INV-9921'] = ['amount' => $order->amount, 'status' => 'pending'];
 *
 * Try it: php -S 127.0.0.1:8080 examples/webhook.php
 */

declare(strict_types=1);

use Cashi\Client;
use Cashi\Exception\CashiException;
use Cashi\Exception\PaymentMismatchException;
use Cashi\Exception\SignatureVerificationException;
use Cashi\Exception\WebhookPayloadException;
use Cashi\Webhook;

require __DIR__ . '/../vendor/autoload.php'; // your application's Composer autoloader

function answer(int $status, string $text): never
{
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    echo $text, "\n";
    exit;
}

/**
 * Runs $change on the stored orders under an exclusive lock (a database transaction in a
 * real application), so two deliveries of the same webhook cannot both fulfil.
 */
function with_orders(callable $change): mixed
{
    $path = getenv('ORDERS_FILE') ?: __DIR__ . '/orders.json';
    $handle = fopen($path, 'c+');
    if ($handle === false) {
        answer(503, 'order store unavailable');
    }
    try {
        flock($handle, LOCK_EX);
        $orders = json_decode((string) stream_get_contents($handle), true) ?: [];
        $result = $change($orders);
        ftruncate($handle, 0);
        rewind($handle);
        fwrite($handle, json_encode($orders, JSON_PRETTY_PRINT));
        return $result;
    } finally {
        flock($handle, LOCK_UN);
        fclose($handle);
    }
}

if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
    answer(405, 'POST only');
}

$secrets = array_values(array_filter([getenv('CASHI_WEBHOOK_SECRET'), getenv('CASHI_WEBHOOK_SECRET_OLD')]));
try {
    // Reads php://input and X-Gateway-Signature itself: the raw bytes, never re-encoded JSON.
    $event = Webhook::fromGlobals($secrets);
} catch (SignatureVerificationException $e) {
    error_log('cashi webhook: ' . $e->getMessage());
    answer(400, 'invalid signature');
} catch (WebhookPayloadException $e) {
    error_log('cashi webhook: ' . $e->getMessage());
    answer(400, 'invalid payload');
}

if ($event->isTest()) {
    answer(200, 'test webhook received');
}
if (!$event->isSettled()) {
    answer(200, "ignored {$event->event} / {$event->status}");
}

$stored = with_orders(fn (array $orders) => $orders[$event->orderId] ?? null);
if ($stored === null) {
    error_log("cashi webhook: unknown order {$event->orderId}");
    answer(200, 'unknown order');
}
if (($stored['status'] ?? '') === 'paid') {
    answer(200, 'already fulfilled'); // Cashi may deliver the same webhook more than once
}

try {
    // The webhook is a hint; Cashi's own status with the stored amount is the proof. Given
    // the event itself, a SETTLED answer without an amount is checked on its signed amount.
    $status = (new Client())->confirm($event, $stored['amount']);
} catch (PaymentMismatchException $e) {
    if ($e->getStatus() === 'SETTLED') {
        // Paid, but not the amount asked: never fulfil; a person looks at it.
        with_orders(function (array &$orders) use ($event, $e): void {
            $orders[$event->orderId]['status'] = 'review';
            $orders[$event->orderId]['paid_amount'] = $e->getActualAmount();
        });
        answer(200, 'amount mismatch, held for review');
    }
    answer(409, 'not settled yet'); // let Cashi deliver again later
} catch (CashiException $e) {
    error_log('cashi webhook: could not confirm: ' . $e->getMessage());
    answer(503, 'try again later');
}

// Once per order id: checked and marked under the lock, so a repeat delivered meanwhile
// finds it paid and fulfils nothing.
$fulfilled = with_orders(function (array &$orders) use ($event, $status): bool {
    if (($orders[$event->orderId]['status'] ?? '') === 'paid') {
        return false;
    }
    $orders[$event->orderId]['status'] = 'paid';
    $orders[$event->orderId]['provider_tx_id'] = $status->providerTxId;
    // ... ship the goods, send the e-mail, ...
    error_log("cashi webhook: order {$event->orderId} fulfilled");
    return true;
});
answer(200, $fulfilled ? 'fulfilled' : 'already fulfilled');

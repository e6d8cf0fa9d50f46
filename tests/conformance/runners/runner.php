<?php
// The PHP runner of the conformance suite (see ../run.py): one JSON request per line in, one
// normalized JSON outcome per line out, every call through the Composer package `cashi/cashi`.
// CASHI_PHP_AUTOLOAD names the vendor/autoload.php to load.

declare(strict_types=1);

require getenv('CASHI_PHP_AUTOLOAD') ?: __DIR__ . '/../../../bindings-php/vendor/autoload.php';

use Cashi\Client;
use Cashi\Exception\CashiException;
use Cashi\Order;
use Cashi\PaymentStatus;
use Cashi\Webhook;

/** {"$float": x} is a PHP float (NAN and INF included); everything else as JSON decodes it. */
function native(mixed $v): mixed
{
    if (is_array($v) && array_key_exists('$float', $v)) {
        return match ((string) $v['$float']) {
            'NaN' => NAN,
            'Infinity' => INF,
            '-Infinity' => -INF,
            default => (float) $v['$float'],
        };
    }
    return $v;
}

function body(array $call): string
{
    if (array_key_exists('body', $call)) {
        return $call['body'];
    }
    if (array_key_exists('body_base64', $call)) {
        return base64_decode($call['body_base64'], true);
    }
    $p = $call['body_pattern'];
    return $p['prefix'] . str_repeat($p['repeat'], $p['times']) . $p['suffix'];
}

function client(array $spec): Client
{
    return new Client($spec['api_key'] ?? null, [
        'base_url' => $spec['base_url'],
        'timeout' => $spec['timeout_ms'] / 1000,
        'max_retries' => $spec['max_retries'],
    ]);
}

function statusValue(PaymentStatus $s): array
{
    return ['order_id' => $s->orderId, 'status' => $s->status, 'amount' => $s->amount,
        'is_settled' => $s->isSettled(), 'has_provider_tx_id' => $s->providerTxId !== null,
        'provider_tx_id' => $s->providerTxId, 'amount_from_webhook' => $s->amountFromWebhook];
}

function orderValue(Order $o): array
{
    try {
        $hasQr = str_starts_with($o->qrPng(), "\x89PNG");
    } catch (CashiException) {
        $hasQr = false;
    }
    return ['order_id' => $o->orderId, 'amount' => $o->amount, 'requested_amount' => $o->requestedAmount,
        'unique_code' => $o->uniqueCode, 'has_qr' => $hasQr, 'has_checkout_url' => $o->checkoutUrl !== null,
        'has_expires_at' => $o->expiresAt !== null,
        'expires_at' => $o->expiresAt?->setTimezone(new DateTimeZone('+07:00'))->format('Y-m-d\TH:i:sP'),
        'provider' => $o->provider, 'checkout_url' => $o->checkoutUrl, 'fee' => $o->fee,
        'expected_net' => $o->expectedNet];
}

function failure(CashiException $e): array
{
    return ['ok' => false, 'error' => $e->getErrorCode(), 'http_status' => $e->getHttpStatus(), 'message' => $e->getMessage()];
}

/** A batch's answer: each item's outcome, as a single call's, in the items' order. */
function items(array $results, callable $value): array
{
    $items = [];
    foreach ($results as $result) {
        $items[] = $result instanceof CashiException ? failure($result) : ['ok' => true, 'value' => $value($result)];
    }
    return ['items' => $items];
}

function run(array $request): array
{
    $call = $request['call'];
    if ($call['op'] === 'webhook_verify') {
        $e = (new Webhook($call['secrets']))->verify(body($call), $call['signature']);
        return ['event' => $e->event, 'order_id' => $e->orderId, 'status' => $e->status, 'amount' => $e->amount,
            'is_test' => $e->isTest(), 'is_settled' => $e->isSettled(), 'payment_method' => $e->paymentMethod,
            'paid_at' => $e->paidAt, 'transaction_id' => $e->transactionId];
    }
    $c = client($request['client']);
    switch ($call['op']) {
        case 'create_order':
            $o = $c->createOrder(
                native($call['amount']),
                $call['order_id'] ?? null,
                $call['channel'] ?? null,
                extra: $call['extra'] ?? null,
            );
            return orderValue($o);
        case 'create_orders':
            $requests = array_map(
                static fn (array $r): array => ['amount' => native($r['amount'])] + array_intersect_key($r, ['order_id' => 1, 'channel' => 1]),
                $call['requests']
            );
            return items($c->createOrders($requests), orderValue(...));
        case 'check_status':
            return statusValue($c->checkStatus($call['order_id']));
        case 'check_statuses':
            return items($c->checkStatuses($call['order_ids']), statusValue(...));
        case 'wait_for_payment':
            return statusValue($c->waitForPayment($call['order_id'], $call['timeout_ms'] / 1000));
        case 'confirm':
            // With "event": confirmed with the verified webhook event itself, not its order id.
            $target = isset($call['event'])
                ? (new Webhook($call['event']['secrets']))->verify(body($call['event']), $call['event']['signature'])
                : $call['order_id'];
            return statusValue($c->confirm($target, native($call['expected_amount'])));
    }
    throw new LogicException('unknown op ' . $call['op']);
}

while (($line = fgets(STDIN)) !== false) {
    try {
        $answer = ['ok' => true, 'value' => run(json_decode($line, true, 512, JSON_THROW_ON_ERROR))];
    } catch (CashiException $e) {
        $answer = failure($e);
    } catch (Throwable $e) {
        $answer = ['ok' => false, 'error' => 'php:' . get_class($e), 'http_status' => null, 'message' => $e->getMessage()];
    }
    echo json_encode($answer, JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION), "\n";
    fflush(STDOUT);
}

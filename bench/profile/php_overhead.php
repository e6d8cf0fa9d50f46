<?php
/*
 * Where a PHP SDK call's time goes (bench/FINDINGS.md): the package's checkStatus and
 * createOrder against the raw FFI calls under them, and the price of one FFI call.
 *   CASHI_FFI_LIBRARY=target-bench/release/libcashi.so BENCH_BASE_URL=http://127.0.0.1:PORT/api \
 *     php bench/profile/php_overhead.php
 */
declare(strict_types=1);
require __DIR__ . '/autoload.php';
$seconds = (float) (getenv('BENCH_SECONDS') ?: '1');

function median_us(Closure $fn, float $seconds): float
{
    for ($i = 0; $i < 200; $i++) {
        $fn();
    }
    $t = [];
    $until = hrtime(true) + (int) ($seconds * 1e9);
    while (hrtime(true) < $until) {
        $s = hrtime(true);
        $fn();
        $t[] = hrtime(true) - $s;
    }
    sort($t);
    return round($t[intdiv(count($t), 2)] / 1e3, 2);
}

$client = new Cashi\Client($key, ['base_url' => $base]);
$ffi = Cashi\Internal\Native::ffi();
$handle = (new ReflectionProperty(Cashi\Client::class, 'handle'))->getValue($client)->pointer();
$n = 0;
$out = [];
$out['ffi_trivial_call (cashi_version)'] = median_us(fn () => $ffi->cashi_version(), $seconds);
$out['ffi_new (cashi_status*)'] = median_us(fn () => $ffi->new('cashi_status*'), $seconds);
$out['package checkStatus'] = median_us(fn () => $client->checkStatus('INV-1'), $seconds);
$out['raw FFI check_status + to_json + json_decode + free'] = median_us(function () use ($ffi, $handle) {
    $st = $ffi->new('cashi_status*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_client_check_status($handle, 'INV-1', FFI::addr($st), FFI::addr($err));
    json_decode((string) $ffi->cashi_status_to_json($st), true);
    $ffi->cashi_status_free($st);
}, $seconds);
// The typed fields through the scalar accessors, no cashi_status_to_json / json_decode (raw
// is read only when used): bench/FINDINGS.md §9.
$out['raw FFI check_status + 6 scalar accessors + free (no to_json)'] = median_us(function () use ($ffi, $handle) {
    $st = $ffi->new('cashi_status*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_client_check_status($handle, 'INV-1', FFI::addr($st), FFI::addr($err));
    $fields = [
        $ffi->cashi_status_status($st), $ffi->cashi_status_has_amount($st) ? $ffi->cashi_status_amount($st) : null,
        $ffi->cashi_status_order_id($st), $ffi->cashi_status_provider_tx_id($st),
        $ffi->cashi_status_is_settled($st), $ffi->cashi_status_is_final($st),
    ];
    $ffi->cashi_status_free($st);
    return $fields;
}, $seconds);
$out['package createOrder'] = median_us(function () use ($client, &$n) {
    $client->createOrder(10000 + 100 * ($n % 90000), 'P-' . getmypid() . '-' . $n++);
}, $seconds);
$out['raw FFI create_order + to_json + json_decode + free'] = median_us(function () use ($ffi, $handle, &$n) {
    $o = $ffi->new('cashi_order*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_client_create_order($handle, 10000 + 100 * ($n % 90000), 'P-' . getmypid() . '-' . $n++, null, FFI::addr($o), FFI::addr($err));
    json_decode((string) $ffi->cashi_order_to_json($o), true);
    $ffi->cashi_order_free($o);
}, $seconds);
$out['raw FFI create_order + 14 scalar accessors + free (no to_json)'] = median_us(function () use ($ffi, $handle, &$n) {
    $o = $ffi->new('cashi_order*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_client_create_order($handle, 10000 + 100 * ($n % 90000), 'P-' . getmypid() . '-' . $n++, null, FFI::addr($o), FFI::addr($err));
    $fields = [
        $ffi->cashi_order_order_id($o), $ffi->cashi_order_amount($o), $ffi->cashi_order_requested_amount($o),
        $ffi->cashi_order_unique_code($o), $ffi->cashi_order_checkout_url($o), $ffi->cashi_order_qr_url($o),
        $ffi->cashi_order_expires_at($o), $ffi->cashi_order_provider($o),
        $ffi->cashi_order_has_fee($o) ? $ffi->cashi_order_fee($o) : null,
        $ffi->cashi_order_has_expected_net($o) ? $ffi->cashi_order_expected_net($o) : null,
        $ffi->cashi_order_is_qris_custom($o), $ffi->cashi_order_virtual_account($o), $ffi->cashi_order_retail($o),
    ];
    $ffi->cashi_order_free($o);
    return $fields;
}, $seconds);
$ch = curl_init();
$out['curl persistent GET + json_decode'] = median_us(function () use ($ch, $base, $key) {
    curl_setopt_array($ch, [CURLOPT_URL => "$base/check-status/INV-1", CURLOPT_HTTPGET => true,
        CURLOPT_HTTPHEADER => ["x-api-key: $key", 'accept: application/json'], CURLOPT_RETURNTRANSFER => true]);
    json_decode(curl_exec($ch), true);
}, $seconds);
$json = (string) $ffi->cashi_order_to_json((function () use ($ffi, $handle) {
    $o = $ffi->new('cashi_order*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_client_create_order($handle, 20000, 'P-json-' . getmypid(), null, FFI::addr($o), FFI::addr($err));
    return $o;
})());
$out['json_decode of cashi_order_to_json (' . strlen($json) . ' bytes)'] = median_us(fn () => json_decode($json, true), $seconds);
$data = json_decode($json, true);
$out['Cashi\Order::fromArray (PHP object)'] = median_us(fn () => Cashi\Order::fromArray($data), $seconds);
$secret = 'sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b';
$body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED","amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05","transaction_id":"31277571482"}}';
$sig = hash_hmac('sha256', $body, $secret);
$w = new Cashi\Webhook($secret);
$wh = (new ReflectionProperty(Cashi\Webhook::class, 'handle'))->getValue($w)->pointer();
$out['package Webhook::verify'] = median_us(fn () => $w->verify($body, $sig), $seconds);
$out['raw FFI cashi_webhook_verify + free'] = median_us(function () use ($ffi, $wh, $body, $sig) {
    $e = $ffi->new('cashi_event*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_webhook_verify($wh, $body, strlen($body), $sig, FFI::addr($e), FFI::addr($err));
    $ffi->cashi_event_free($e);
}, $seconds);
$out['raw FFI verify + cashi_event_to_json + json_decode + free'] = median_us(function () use ($ffi, $wh, $body, $sig) {
    $e = $ffi->new('cashi_event*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_webhook_verify($wh, $body, strlen($body), $sig, FFI::addr($e), FFI::addr($err));
    json_decode((string) $ffi->cashi_event_to_json($e), true);
    $ffi->cashi_event_free($e);
}, $seconds);
// The event read through the scalar accessors instead of cashi_event_to_json (raw would be
// json_decode($body) on first use): what the package's one-call read is measured against.
$out['raw FFI verify + 9 scalar accessors + free (no to_json)'] = median_us(function () use ($ffi, $wh, $body, $sig) {
    $e = $ffi->new('cashi_event*');
    $err = $ffi->new('cashi_error*');
    $ffi->cashi_webhook_verify($wh, $body, strlen($body), $sig, FFI::addr($e), FFI::addr($err));
    $fields = [
        $ffi->cashi_event_event($e), $ffi->cashi_event_order_id($e), $ffi->cashi_event_status($e),
        $ffi->cashi_event_amount($e), $ffi->cashi_event_is_test($e), $ffi->cashi_event_is_settled($e),
        $ffi->cashi_event_payment_method($e), $ffi->cashi_event_paid_at($e), $ffi->cashi_event_transaction_id($e),
    ];
    $ffi->cashi_event_free($e);
    return $fields;
}, $seconds);
$out['hash_hmac + hash_equals + json_decode'] = median_us(function () use ($body, $sig, $secret) {
    hash_equals(hash_hmac('sha256', $body, $secret), $sig);
    return json_decode($body, true);
}, $seconds);
echo json_encode($out, JSON_PRETTY_PRINT), "\n";

<?php
/*
 * N sequential calls of one kind, for counting what a call costs from outside the process
 * (php_instructions.sh runs it under callgrind; `perf stat` or `strace -c` work too):
 *   php bench/profile/php_calls.php sdk|curl create|status|verify N
 * The SDK through the package; curl with one persistent handle, the same request and
 * headers, json_decode of the answer. `verify` needs no server: the SDK's Webhook::verify
 * of bench.php's settlement body, against ("curl") PHP's own hash_hmac, hash_equals and
 * json_decode. 200 calls first, to warm up.
 */
declare(strict_types=1);
require __DIR__ . '/autoload.php';
[, $client, $op, $n] = $argv + [3 => '1000'];
$headers = ["x-api-key: $key", 'accept: application/json'];
$secret = 'sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b';
$body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED","amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05","transaction_id":"31277571482"}}';
$signature = hash_hmac('sha256', $body, $secret);
if ($op === 'verify') {
    $webhook = $client === 'sdk' ? new Cashi\Webhook($secret) : null;
    $call = $webhook !== null
        ? fn (int $i) => $webhook->verify($body, $signature)->amount
        : fn (int $i) => hash_equals(hash_hmac('sha256', $body, $secret), $signature)
            ? json_decode($body, true)['data']['amount'] : null;
} elseif ($client === 'sdk') {
    $sdkClient = new Cashi\Client($key, ['base_url' => $base]);
    $call = $op === 'status'
        ? fn (int $i) => $sdkClient->checkStatus('INV-1')->status
        : fn (int $i) => $sdkClient->createOrder(15000, "PC-$i")->amount;
} else {
    $ch = curl_init();
    $call = $op === 'status'
        ? function (int $i) use ($ch, $base, $headers) {
            curl_setopt_array($ch, [CURLOPT_URL => "$base/check-status/INV-1", CURLOPT_HTTPGET => true,
                CURLOPT_HTTPHEADER => $headers, CURLOPT_RETURNTRANSFER => true]);
            return json_decode((string) curl_exec($ch), true)['status'];
        }
        : function (int $i) use ($ch, $base, $headers) {
            curl_setopt_array($ch, [CURLOPT_URL => "$base/create-order", CURLOPT_POST => true,
                CURLOPT_POSTFIELDS => json_encode(['amount' => 15000, 'order_id' => "PC-$i"]),
                CURLOPT_HTTPHEADER => [...$headers, 'content-type: application/json'],
                CURLOPT_RETURNTRANSFER => true]);
            return json_decode((string) curl_exec($ch), true)['amount'];
        };
}
for ($i = 0; $i < 200; $i++) {
    $call($i);
}
for ($i = 0; $i < (int) $n; $i++) {
    $call($i);
}

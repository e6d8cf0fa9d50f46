<?php
/*
 * The merchant's page under PHP-FPM: one Cashi create-order per request.
 *
 * REALBENCH_CLIENT (the pool's env) picks how the call is made, as merchants write it:
 *   sdk         new Cashi\Client per request, from the Composer package (its connections
 *               live in libcashi, per worker, from one request to the next);
 *   curl        curl_init per request (what most PHP integrations do);
 *   curl_share  a handle with CURLOPT_SHARE over a share handle that shares connections,
 *               TLS sessions and DNS: curl_share_init_persistent() where PHP has it (8.5+),
 *               which keeps it across requests, else curl_share_init(), which lasts one
 *               request;
 *   none        no call: the page's own cost.
 * Each answer carries x-call-us (the call's duration in the worker, µs) and x-pid.
 * GET /ready answers without a call. curl trusts what php.ini's curl.cainfo names, as it
 * would for cashi.id: run.sh points it at the system's roots plus the benchmark's CA.
 */
declare(strict_types=1);

$base = (string) getenv('REALBENCH_BASE_URL');
$key = (string) getenv('REALBENCH_API_KEY');
$client = (string) getenv('REALBENCH_CLIENT');
$autoload = getenv('REALBENCH_PHP_AUTOLOAD');
if (is_string($autoload) && $autoload !== '') {
    require_once $autoload; // a merchant's app loads Composer's autoloader on every request
}

function next_order(): array
{
    // An id unique to this worker and request (hrtime: the worker's requests never share one).
    return [10000 + 100 * (hrtime(true) % 90000), sprintf('RB-php-%d-%d', getmypid(), hrtime(true))];
}

function order_id(string|false $answer, CurlHandle $ch): string
{
    if ($answer === false) {
        throw new RuntimeException('create-order: ' . curl_error($ch));
    }
    $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    $json = json_decode($answer, true);
    if ($status !== 200 || !is_array($json) || ($json['success'] ?? null) !== true) {
        throw new RuntimeException("create-order: HTTP $status: " . substr($answer, 0, 200));
    }
    return $json['orderId'] ?? $json['order_id'];
}

function curl_call(string $base, string $key, ?CurlShareHandle $share): string
{
    [$amount, $id] = next_order();
    $ch = curl_init("$base/create-order");
    curl_setopt_array($ch, [
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => json_encode(['amount' => $amount, 'order_id' => $id]),
        CURLOPT_HTTPHEADER => ["x-api-key: $key", 'accept: application/json', 'content-type: application/json'],
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 30,
        CURLOPT_CONNECTTIMEOUT => 10,
    ]);
    if ($share !== null) {
        curl_setopt($ch, CURLOPT_SHARE, $share);
    }
    try {
        return order_id(curl_exec($ch), $ch);
    } finally {
        curl_close($ch);
    }
}

function share_handle(): CurlShareHandle
{
    $what = [CURL_LOCK_DATA_CONNECT, CURL_LOCK_DATA_SSL_SESSION, CURL_LOCK_DATA_DNS];
    if (function_exists('curl_share_init_persistent')) {
        return curl_share_init_persistent($what);
    }
    $sh = curl_share_init();
    foreach ($what as $data) {
        curl_share_setopt($sh, CURLSHOPT_SHARE, $data);
    }
    return $sh;
}

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$t0 = hrtime(true);
if ($path !== '/ready') {
    try {
        switch ($client) {
            case 'sdk':
                $cashi = new Cashi\Client($key, ['base_url' => $base]);
                [$amount, $id] = next_order();
                $cashi->createOrder($amount, $id)->orderId;
                break;
            case 'curl':
                curl_call($base, $key, null);
                break;
            case 'curl_share':
                curl_call($base, $key, share_handle());
                break;
            case 'none':
                break;
            default:
                throw new RuntimeException("REALBENCH_CLIENT: unknown client '$client' for php-fpm");
        }
    } catch (Throwable $e) {
        http_response_code(500);
        header('content-type: text/plain');
        echo substr(str_replace($key, '<key>', get_class($e) . ': ' . $e->getMessage()), 0, 1000);
        return;
    }
}
header('content-type: application/json');
header('x-call-us: ' . intdiv(hrtime(true) - $t0, 1000));
header('x-pid: ' . getmypid());
echo '{"ok":true}';

<?php

/*
 * The Cashi PHP package (cashi/cashi over libcashi through FFI) against the curl code PHP
 * merchants write today: a persistent curl handle, a fresh handle per call (what most
 * integrations do), and curl_multi with 64 handles for the concurrent figure. Every
 * client sends the same requests (method, URL, x-api-key, accept, JSON body) and decodes
 * the JSON answer. Prints one JSON record per line (bench/README.md).
 *
 *   php bench.php                 every figure; settings from BENCH_* variables
 *   php bench.php cold CLIENT     one cold start (what the cold figure spawns)
 *   php bench.php mem CLIENT      RSS after BENCH_MEM_CALLS calls (what mem spawns)
 *   php bench.php ffi MODE        FFI load + client creation, per request (MODE: cdef|preload)
 *
 * The package is loaded from BENCH_CASHI_PHP (default ../../bindings-php) with a PSR-4
 * autoloader; libcashi from CASHI_FFI_LIBRARY (run.sh points it at the release build).
 * PHP has no threads: the SDK's concurrent figure is its batch form (checkStatuses /
 * createOrders with 4 x 64 items, at most 64 requests in flight inside libcashi: a batch of
 * only 64 would leave nothing in flight while PHP reads one batch's answers and builds the
 * next) next to curl_multi with
 * 64 handles, plus 64 forked worker processes (what PHP-FPM does) each with the SDK or a
 * persistent curl handle.
 */

declare(strict_types=1);

$T_START = hrtime(true);

const LANG = 'php';
$BASE_URL = getenv('BENCH_BASE_URL') ?: 'http://127.0.0.1:8080/api';
$API_KEY = getenv('BENCH_API_KEY') ?: 'CASHI-SANDBOX01';
$TARGET = getenv('BENCH_TARGET') ?: 'static';
$SECONDS = (float) (getenv('BENCH_SECONDS') ?: '2');
$ROUNDS = (int) (getenv('BENCH_ROUNDS') ?: '5');
$CONC = (int) (getenv('BENCH_CONC') ?: '64');
$COLD_RUNS = (int) (getenv('BENCH_COLD_RUNS') ?: '10');
$MEM_CALLS = (int) (getenv('BENCH_MEM_CALLS') ?: '10000');
$FIGURES = explode(',', getenv('BENCH_FIGURES') ?: 'seq,conc,webhook,cold,mem,ffi');
$SECRET = getenv('BENCH_WEBHOOK_SECRET') ?: 'sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b';
$SDK_DIR = getenv('BENCH_CASHI_PHP') ?: __DIR__ . '/../../bindings-php';
// Seconds of calls before a client's first slice (0.05 s before its later ones); 0: none.
$WARMUP = (float) (getenv('BENCH_WARMUP') === false ? '0.3' : getenv('BENCH_WARMUP'));

spl_autoload_register(function (string $class) use ($SDK_DIR): void {
    if (str_starts_with($class, 'Cashi\\')) {
        $file = $SDK_DIR . '/src/' . str_replace('\\', '/', substr($class, 6)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

function cfg(string $name): mixed
{
    return $GLOBALS[$name];
}

/**
 * A fresh order: unique id, amounts 100 apart so the sandbox never runs out of codes. The
 * sequence starts at a random point, again in each forked worker.
 */
function next_order(): array
{
    $i = $GLOBALS['ORDER_SEQ']++;
    return [10000 + 100 * ($i % 90000), 'B-php-' . getmypid() . '-' . $i];
}
$ORDER_SEQ = random_int(0, 89999);

function record(array $fields): void
{
    echo json_encode(['lang' => LANG] + $fields), "\n";
}

function headers(bool $json): array
{
    $h = ['x-api-key: ' . cfg('API_KEY'), 'accept: application/json'];
    if ($json) {
        $h[] = 'content-type: application/json';
    }
    return $h;
}

/** The curl options of one call, the same for every curl flavour. */
function curl_call_options(string $op, string $statusId): array
{
    if ($op === 'create') {
        [$amount, $id] = next_order();
        return [
            CURLOPT_URL => cfg('BASE_URL') . '/create-order',
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => json_encode(['amount' => $amount, 'order_id' => $id]),
            CURLOPT_HTTPHEADER => headers(true),
            CURLOPT_RETURNTRANSFER => true,
        ];
    }
    return [
        CURLOPT_URL => cfg('BASE_URL') . '/check-status/' . rawurlencode($statusId),
        CURLOPT_HTTPGET => true,
        CURLOPT_HTTPHEADER => headers(false),
        CURLOPT_RETURNTRANSFER => true,
    ];
}

/** What a merchant checks of a curl answer: HTTP 2xx, JSON, success. */
function curl_answer(CurlHandle $ch, string|bool $body, string $op): string
{
    $code = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    if ($body === false || $code < 200 || $code > 299) {
        throw new RuntimeException("HTTP $code " . curl_error($ch));
    }
    $data = json_decode($body, true, 512, JSON_THROW_ON_ERROR);
    if (empty($data['success'])) {
        throw new RuntimeException('success false');
    }
    return $op === 'create' ? $data['orderId'] : $data['status'];
}

/** A client: fn(string $op, string $statusId): string (the order id, or the status). */
function make_client(string $name): Closure
{
    switch ($name) {
        case 'sdk':
            $c = new Cashi\Client(cfg('API_KEY'), ['base_url' => cfg('BASE_URL')]);
            return function (string $op, string $statusId) use ($c): string {
                if ($op === 'create') {
                    [$amount, $id] = next_order();
                    return $c->createOrder($amount, $id)->orderId;
                }
                return $c->checkStatus($statusId)->status;
            };
        case 'sdk_logged':
            // Figure 1's event row: a logger and an on_response that take every event and do
            // nothing with it (the default row, 'sdk', has neither, so libcashi keeps nothing).
            $logger = new class () {
                public function log(mixed $level, string $message, array $context = []): void
                {
                }
            };
            $c = new Cashi\Client(cfg('API_KEY'), [
                'base_url' => cfg('BASE_URL'),
                'logger' => $logger,
                'on_response' => static function (array $attempt): void {
                },
            ]);
            return function (string $op, string $statusId) use ($c): string {
                if ($op === 'create') {
                    [$amount, $id] = next_order();
                    return $c->createOrder($amount, $id)->orderId;
                }
                return $c->checkStatus($statusId)->status;
            };
        case 'sdk_fresh':
            // A client per call: what a PHP-FPM request that builds its client does.
            return function (string $op, string $statusId): string {
                $c = new Cashi\Client(cfg('API_KEY'), ['base_url' => cfg('BASE_URL')]);
                if ($op === 'create') {
                    [$amount, $id] = next_order();
                    return $c->createOrder($amount, $id)->orderId;
                }
                return $c->checkStatus($statusId)->status;
            };
        case 'curl':
            $ch = curl_init();
            return function (string $op, string $statusId) use ($ch): string {
                curl_setopt_array($ch, curl_call_options($op, $statusId));
                return curl_answer($ch, curl_exec($ch), $op);
            };
        case 'curl_fresh':
            return function (string $op, string $statusId): string {
                $ch = curl_init();
                curl_setopt_array($ch, curl_call_options($op, $statusId));
                $r = curl_answer($ch, curl_exec($ch), $op);
                curl_close($ch);
                return $r;
            };
    }
    throw new InvalidArgumentException("unknown client $name");
}

function pct(array $sorted, float $p): float
{
    if (!$sorted) {
        return 0.0;
    }
    return $sorted[(int) round($p / 100 * (count($sorted) - 1))] / 1000;
}

/** @param list<array{float, float}> $slices each round-robin slice's calls/s and p50 */
function report(string $figure, string $client, string $op, array $lat, int $errors, ?string $firstError, float $elapsed, array $slices): void
{
    sort($lat);
    if ($errors) {
        fwrite(STDERR, "php $figure $client $op: $errors errors, first: $firstError\n");
    }
    record([
        'target' => cfg('TARGET'), 'figure' => $figure, 'client' => $client, 'op' => $op,
        'n' => count($lat), 'errors' => $errors, 'rate' => count($lat) / $elapsed,
        'p50_us' => pct($lat, 50), 'p99_us' => pct($lat, 99),
        'slice_rates' => array_column($slices, 0), 'slice_p50_us' => array_column($slices, 1),
    ]);
}

/** Calls $fn until $until (hrtime ns); returns [latencies ns, errors, first error]. */
function run_loop(Closure $fn, string $op, string $statusId, int $until): array
{
    $lat = [];
    $errors = 0;
    $first = null;
    while (($t = hrtime(true)) < $until || (!$lat && !$errors)) { // at least one call
        try {
            $fn($op, $statusId);
        } catch (Throwable $e) {
            $errors++;
            $first ??= get_class($e) . ': ' . $e->getMessage();
            continue;
        }
        $lat[] = hrtime(true) - $t;
    }
    return [$lat, $errors, $first];
}

/** One slice: a warm-up, then $seconds of calls; returns [latencies, errors, first error, elapsed]. */
function sequential(Closure $fn, string $op, string $statusId, float $warm, float $seconds): array
{
    if ($warm > 0) {
        run_loop($fn, $op, $statusId, hrtime(true) + (int) ($warm * 1e9));
    }
    $start = hrtime(true);
    [$lat, $errors, $first] = run_loop($fn, $op, $statusId, $start + (int) ($seconds * 1e9));
    return [$lat, $errors, $first, (hrtime(true) - $start) / 1e9];
}

/** 64 handles in one curl_multi, each re-armed as soon as its answer is read. */
function curl_multi_run(string $op, string $statusId, float $seconds): array
{
    $mh = curl_multi_init();
    $handles = [];
    $started = [];
    $arm = function (CurlHandle $ch) use ($mh, $op, $statusId, &$started): void {
        curl_setopt_array($ch, curl_call_options($op, $statusId));
        $started[spl_object_id($ch)] = hrtime(true);
        curl_multi_add_handle($mh, $ch);
    };
    for ($i = 0; $i < cfg('CONC'); $i++) {
        $handles[] = $ch = curl_init();
        $arm($ch);
    }
    $until = hrtime(true) + (int) ($seconds * 1e9);
    $lat = [];
    $errors = 0;
    $first = null;
    $active = count($handles);
    $running = 0;
    $start = hrtime(true);
    while ($active > 0) {
        curl_multi_exec($mh, $running);
        while ($info = curl_multi_info_read($mh)) {
            $ch = $info['handle'];
            curl_multi_remove_handle($mh, $ch);
            try {
                if ($info['result'] !== CURLE_OK) {
                    throw new RuntimeException(curl_strerror($info['result']));
                }
                curl_answer($ch, curl_multi_getcontent($ch), $op);
                $lat[] = hrtime(true) - $started[spl_object_id($ch)];
            } catch (Throwable $e) {
                $errors++;
                $first ??= $e->getMessage();
            }
            if (hrtime(true) < $until) {
                $arm($ch);
            } else {
                $active--;
            }
        }
        if ($running > 0) {
            curl_multi_select($mh, 0.05);
        }
    }
    $elapsed = (hrtime(true) - $start) / 1e9;
    foreach ($handles as $ch) {
        curl_close($ch);
    }
    curl_multi_close($mh);
    return [$lat, $errors, $first, $elapsed];
}

/**
 * The SDK's batch form: checkStatuses / createOrders with BATCH_PER_CONC x CONC items (at
 * most CONC in flight, libcashi's own cap being 64), again and again until the deadline.
 * Every item of a batch is counted with the batch's time as its latency (the batch returns
 * when its last answer is in; curl_multi re-arms each handle on its own).
 */
const BATCH_PER_CONC = 4;

function sdk_batch_run(string $op, string $statusId, float $seconds): array
{
    $c = new Cashi\Client(cfg('API_KEY'), ['base_url' => cfg('BASE_URL')]);
    $until = hrtime(true) + (int) ($seconds * 1e9);
    $lat = [];
    $errors = 0;
    $first = null;
    $start = hrtime(true);
    while (($t = hrtime(true)) < $until || (!$lat && !$errors)) { // at least one call
        if ($op === 'create') {
            $requests = [];
            for ($i = 0; $i < BATCH_PER_CONC * cfg('CONC'); $i++) {
                [$amount, $id] = next_order();
                $requests[] = ['amount' => $amount, 'order_id' => $id];
            }
            $results = $c->createOrders($requests);
        } else {
            $results = $c->checkStatuses(array_fill(0, BATCH_PER_CONC * cfg('CONC'), $statusId));
        }
        $took = hrtime(true) - $t;
        foreach ($results as $r) {
            if ($r instanceof Throwable) {
                $errors++;
                $first ??= get_class($r) . ': ' . $r->getMessage();
                continue;
            }
            // What a merchant reads of each result, as the other clients do.
            $op === 'create' ? $r->orderId : $r->status;
            $lat[] = $took;
        }
    }
    return [$lat, $errors, $first, (hrtime(true) - $start) / 1e9];
}

/**
 * CONC forked processes, each with its own client, calling until the deadline (PHP-FPM's
 * concurrency). Each child writes its latencies to a file the parent merges.
 */
function workers_run(string $name, string $op, string $statusId, float $seconds): array
{
    $dir = sys_get_temp_dir() . '/cashi-bench-' . getmypid();
    @mkdir($dir);
    $go = hrtime(true) + (int) (0.5 * 1e9); // every child starts at the same moment
    $until = $go + (int) ($seconds * 1e9);
    $pids = [];
    for ($i = 0; $i < cfg('CONC'); $i++) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            $GLOBALS['ORDER_SEQ'] = random_int(0, 89999);
            $fn = make_client($name);
            try {
                $fn($op, $statusId); // connect before the start line
            } catch (Throwable) {
            }
            while (hrtime(true) < $go) {
                usleep(1000);
            }
            $r = run_loop($fn, $op, $statusId, $until);
            file_put_contents("$dir/$i.json", json_encode($r));
            exit(0);
        }
        $pids[] = $pid;
    }
    foreach ($pids as $pid) {
        pcntl_waitpid($pid, $status);
    }
    $elapsed = max(hrtime(true), $until) - $go;
    $lat = [];
    $errors = 0;
    $first = null;
    for ($i = 0; $i < cfg('CONC'); $i++) {
        $r = json_decode((string) @file_get_contents("$dir/$i.json"), true);
        @unlink("$dir/$i.json");
        if (!is_array($r)) {
            $errors++;
            $first ??= "worker $i reported nothing";
            continue;
        }
        array_push($lat, ...$r[0]);
        $errors += $r[1];
        $first ??= $r[2];
    }
    @rmdir($dir);
    return [$lat, $errors, $first, min($elapsed, $until - $go) / 1e9];
}

function concurrent(string $name, string $op, string $statusId, float $warm, float $seconds): array
{
    if ($name === 'curl_multi') {
        if ($warm > 0) {
            curl_multi_run($op, $statusId, $warm);
        }
        return curl_multi_run($op, $statusId, $seconds);
    }
    if ($name === 'sdk_batch') {
        if ($warm > 0) {
            sdk_batch_run($op, $statusId, $warm);
        }
        return sdk_batch_run($op, $statusId, $seconds);
    }
    return workers_run(substr($name, 0, -strlen('_workers')), $op, $statusId, $seconds);
}

/**
 * Round-robin: every client of a figure runs ROUNDS slices of SECONDS / ROUNDS in turn, so
 * a change in the machine's load hits all of them alike.
 */
function figure(string $figure, array $names, string $statusId): void
{
    $slice = cfg('SECONDS') / cfg('ROUNDS');
    $clients = [];
    if ($figure === 'seq') {
        foreach ($names as $name) {
            $clients[$name] = make_client($name);
        }
    }
    foreach (['create', 'status'] as $op) {
        $acc = array_fill_keys($names, [[], 0, null, 0.0, []]);
        for ($round = 0; $round < cfg('ROUNDS'); $round++) {
            $warm = $round === 0 ? cfg('WARMUP') : min(cfg('WARMUP'), 0.05);
            foreach ($names as $name) {
                $r = $figure === 'seq'
                    ? sequential($clients[$name], $op, $statusId, $warm, $slice)
                    : concurrent($name, $op, $statusId, $warm, $slice);
                array_push($acc[$name][0], ...$r[0]);
                $acc[$name][1] += $r[1];
                $acc[$name][2] ??= $r[2];
                $acc[$name][3] += $r[3];
                // Each slice's own calls/s and p50: the report shows how far they move.
                $sliceLat = $r[0];
                sort($sliceLat);
                $acc[$name][4][] = [count($r[0]) / $r[3], pct($sliceLat, 50)];
            }
        }
        foreach ($acc as $name => [$lat, $errors, $first, $elapsed, $slices]) {
            report($figure, $name, $op, $lat, $errors, $first, $elapsed, $slices);
        }
    }
}

const BODY = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED",'
    . '"amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05",'
    . '"transaction_id":"31277571482"}}';

function webhook(): void
{
    $secret = cfg('SECRET');
    $sig = hash_hmac('sha256', BODY, $secret);
    $w = new Cashi\Webhook($secret);
    $sdk = fn () => $w->verify(BODY, $sig);
    $native = function () use ($secret, $sig) {
        if (!hash_equals(hash_hmac('sha256', BODY, $secret), $sig)) {
            throw new RuntimeException('bad signature');
        }
        return json_decode(BODY, true, 512, JSON_THROW_ON_ERROR);
    };
    if ($sdk()->amount !== 15023 || $native()['data']['amount'] !== 15023) {
        throw new RuntimeException('webhook check');
    }
    // Round-robin, as the other figures: ROUNDS slices each, in turn.
    $clients = ['sdk' => $sdk, 'native' => $native];
    $calls = ['sdk' => 0, 'native' => 0];
    $spentNs = ['sdk' => 0, 'native' => 0];
    $sliceRates = ['sdk' => [], 'native' => []];
    $sliceNs = (int) (min(cfg('SECONDS'), 1.5) * 1e9 / cfg('ROUNDS'));
    for ($round = 0; $round < cfg('ROUNDS'); $round++) {
        foreach ($clients as $client => $fn) {
            $start = hrtime(true);
            $n = 0;
            while (hrtime(true) < $start + $sliceNs) {
                for ($i = 0; $i < 1000; $i++) {
                    $fn();
                }
                $n += 1000;
            }
            $ns = hrtime(true) - $start;
            $calls[$client] += $n;
            $spentNs[$client] += $ns;
            $sliceRates[$client][] = $n / ($ns / 1e9);
        }
    }
    foreach ($clients as $client => $fn) {
        $n = $calls[$client];
        $secs = $spentNs[$client] / 1e9;
        record(['target' => 'none', 'figure' => 'webhook', 'client' => $client, 'op' => 'verify',
                'n' => $n, 'errors' => 0, 'rate' => $n / $secs, 'p50_us' => $secs * 1e6 / $n,
                'slice_rates' => $sliceRates[$client]]);
    }
}

function rss_kb(): array
{
    $s = (string) file_get_contents('/proc/self/status');
    preg_match('/^VmRSS:\s+(\d+)/m', $s, $rss);
    preg_match('/^VmHWM:\s+(\d+)/m', $s, $hwm);
    return [(int) $rss[1], (int) $hwm[1]];
}

/** Runs this script again with extra php options; returns its last stdout line as JSON. */
function child(array $args, array $phpOptions = []): array
{
    $cmd = array_merge([PHP_BINARY], $phpOptions, [__FILE__], $args);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    proc_close($p);
    $lines = array_filter(explode("\n", trim($out)));
    $r = $lines ? json_decode((string) end($lines), true) : null;
    if (!is_array($r)) {
        fwrite(STDERR, 'php ' . implode(' ', $args) . ' failed: ' . substr($err . $out, -500) . "\n");
        return [];
    }
    return $r;
}

function cold(): void
{
    // The clients take turns, run after run, so a change in load hits both alike.
    $names = ['sdk', 'curl'];
    $wall = array_fill_keys($names, []);
    $inproc = array_fill_keys($names, []);
    for ($i = 0; $i < cfg('COLD_RUNS'); $i++) {
        foreach ($names as $name) {
            $t = hrtime(true);
            $r = child(['cold', $name]);
            $wall[$name][] = (hrtime(true) - $t) / 1e6;
            $inproc[$name][] = $r['in_process_ms'] ?? NAN;
        }
    }
    foreach ($names as $name) {
        sort($wall[$name]);
        sort($inproc[$name]);
        $mid = intdiv(count($wall[$name]), 2);
        record(['target' => cfg('TARGET'), 'figure' => 'cold', 'client' => $name, 'op' => 'first_call',
                'n' => cfg('COLD_RUNS'), 'wall_ms' => $wall[$name][$mid], 'in_process_ms' => $inproc[$name][$mid]]);
    }
}

function mem(): void
{
    foreach (['sdk', 'curl'] as $name) {
        $r = child(['mem', $name]);
        record(['target' => cfg('TARGET'), 'figure' => 'mem', 'client' => $name, 'op' => 'create',
                'n' => cfg('MEM_CALLS'), 'errors' => $r['errors'] ?? null, 'rss_kb' => $r['rss_kb'] ?? null,
                'hwm_kb' => $r['hwm_kb'] ?? null, 'rss_before_kb' => $r['rss_before_kb'] ?? null]);
    }
}

/**
 * What a PHP-FPM request pays before its first call: the package's FFI object (rebuilt every
 * request: PHP frees it, and dlcloses libcashi, when the request ends) and a client.
 * cdef: no preloading (FFI::cdef of the header, each request). preload: opcache.preload with
 * ffi.preload, so a request only looks up FFI::scope("CASHI").
 */
function ffi_child(string $mode): void
{
    $slot = new ReflectionProperty(Cashi\Internal\Native::class, 'ffi');
    $build = function () use ($slot): void {
        $slot->setValue(null, null); // the request starts with no FFI object
        new Cashi\Client(cfg('API_KEY'), ['base_url' => cfg('BASE_URL')]);
    };
    $clientOnly = fn () => new Cashi\Client(cfg('API_KEY'), ['base_url' => cfg('BASE_URL')]);
    $measure = function (Closure $fn): float {
        $fn();
        $t = [];
        $until = hrtime(true) + (int) (min(cfg('SECONDS'), 1.0) * 1e9);
        while (hrtime(true) < $until || count($t) < 20) {
            $s = hrtime(true);
            $fn();
            $t[] = hrtime(true) - $s;
        }
        sort($t);
        return $t[intdiv(count($t), 2)] / 1e3;
    };
    $ffi = Cashi\Internal\Native::ffi();
    $scope = null;
    try {
        FFI::scope('CASHI');
        $scope = true;
    } catch (Throwable) {
        $scope = false;
    }
    echo json_encode([
        'mode' => $mode, 'preloaded_scope' => $scope,
        'load_and_client_us' => $measure($build),
        'client_only_us' => $measure($clientOnly),
    ]), "\n";
}

function ffi_figure(): void
{
    $work = getenv('BENCH_WORK') ?: sys_get_temp_dir();
    $header = "$work/cashi-ffi.h";
    $sdk = realpath(cfg('SDK_DIR'));
    // The documented set-up: bin/cashi-ffi-header writes the header ffi.preload reads.
    exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg("$sdk/bin/cashi-ffi-header") . ' ' . escapeshellarg($header), $o, $rc);
    $modes = [
        'cdef' => ['-d', 'ffi.enable=true'],
        'preload' => ['-d', 'ffi.enable=preload', '-d', 'opcache.enable_cli=1', '-d', "ffi.preload=$header",
                      '-d', "opcache.preload=$sdk/preload.php", '-d', 'opcache.preload_user=' . (posix_getpwuid(posix_geteuid())['name'] ?? 'root')],
    ];
    foreach ($modes as $mode => $opts) {
        $r = child(['ffi', $mode], $opts);
        record(['target' => 'none', 'figure' => 'ffi', 'client' => 'sdk', 'op' => $mode,
                'preloaded_scope' => $r['preloaded_scope'] ?? null,
                'load_and_client_us' => $r['load_and_client_us'] ?? null,
                'client_only_us' => $r['client_only_us'] ?? null]);
    }
}

function main(array $argv): void
{
    $mode = $argv[1] ?? null;
    if ($mode === 'cold') {
        make_client($argv[2])('create', '');
        echo json_encode(['in_process_ms' => (hrtime(true) - $GLOBALS['T_START']) / 1e6]), "\n";
        return;
    }
    if ($mode === 'mem') {
        $before = rss_kb()[0];
        $fn = make_client($argv[2]);
        $errors = 0;
        for ($i = 0; $i < cfg('MEM_CALLS'); $i++) {
            try {
                $fn('create', '');
            } catch (Throwable) {
                $errors++;
            }
        }
        [$rss, $hwm] = rss_kb();
        echo json_encode(['rss_kb' => $rss, 'hwm_kb' => $hwm, 'rss_before_kb' => $before, 'errors' => $errors]), "\n";
        return;
    }
    if ($mode === 'ffi') {
        ffi_child($argv[2]);
        return;
    }
    $figures = cfg('FIGURES');
    $statusId = make_client('sdk')('create', ''); // a real order on the sandbox
    if (in_array('seq', $figures, true)) {
        figure('seq', ['sdk', 'curl', 'curl_fresh', 'sdk_fresh', 'sdk_logged'], $statusId);
    }
    if (in_array('conc', $figures, true)) {
        figure('conc', ['sdk_batch', 'curl_multi', 'sdk_workers', 'curl_workers'], $statusId);
    }
    if (in_array('webhook', $figures, true)) {
        webhook();
    }
    if (in_array('cold', $figures, true)) {
        cold();
    }
    if (in_array('mem', $figures, true)) {
        mem();
    }
    if (in_array('ffi', $figures, true)) {
        ffi_figure();
    }
}

main($argv);

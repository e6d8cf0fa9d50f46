<?php
/*
 * What the PHP profiling scripts share: the package under test's classes without Composer
 * (BENCH_CASHI_PHP, or bindings-php), and the server and key to call.
 */
declare(strict_types=1);
$sdk = getenv('BENCH_CASHI_PHP') ?: __DIR__ . '/../../bindings-php';
spl_autoload_register(function (string $c) use ($sdk): void {
    $f = $sdk . '/src/' . str_replace('\\', '/', substr($c, 6)) . '.php';
    if (str_starts_with($c, 'Cashi\\') && is_file($f)) {
        require $f;
    }
});
$base = getenv('BENCH_BASE_URL') ?: 'http://127.0.0.1:8080/api';
$key = getenv('BENCH_API_KEY') ?: 'CASHI-SANDBOX01';

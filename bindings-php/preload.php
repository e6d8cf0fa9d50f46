<?php

/*
 * opcache.preload script for PHP-FPM with `ffi.enable=preload` (see the README, "PHP-FPM").
 * With that setting PHP lets only preloaded code use FFI, so this script compiles the
 * package's classes into the preloaded code, and makes sure libcashi is in the FFI scope
 * "CASHI" (loaded by `ffi.preload`, or here with FFI::load when the server does not
 * start as root).
 */

declare(strict_types=1);

require_once __DIR__ . '/src/autoload.php';

\Cashi\Internal\Native::preload();

$files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(__DIR__ . '/src', FilesystemIterator::SKIP_DOTS));
foreach ($files as $file) {
    $path = realpath($file->getPathname());
    if ($file->getExtension() === 'php' && !in_array($path, get_included_files(), true)) {
        opcache_compile_file($path);
    }
}

<?php

/*
 * opcache.preload script for PHP-FPM with `ffi.enable=preload`: loads libcashi once, at
 * server start, into the FFI scope "CASHI", and compiles the package's classes.
 *
 *     ; php.ini (FPM)
 *     ffi.enable = preload
 *     opcache.enable = 1
 *     opcache.preload = /path/to/vendor/cashi/cashi/preload.php
 *     opcache.preload_user = www-data
 *
 * The library is found like at run time: CASHI_FFI_LIBRARY, else this package's lib/.
 */

declare(strict_types=1);

require_once __DIR__ . '/src/Internal/Native.php';
require_once __DIR__ . '/src/Exception/CashiException.php';
require_once __DIR__ . '/src/Exception/InternalException.php';
require_once __DIR__ . '/src/Exception/NativeLibraryException.php';

\Cashi\Internal\Native::preload();

foreach (new RecursiveIteratorIterator(new RecursiveDirectoryIterator(__DIR__ . '/src', FilesystemIterator::SKIP_DOTS)) as $file) {
    if ($file->getExtension() === 'php') {
        opcache_compile_file($file->getPathname());
    }
}

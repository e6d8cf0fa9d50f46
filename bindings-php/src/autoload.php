<?php

/*
 * The package's own PSR-4 autoloader, for the scripts that run before or without
 * Composer's: preload.php (opcache.preload) and bin/cashi-ffi-header.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Cashi\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen('Cashi\\'))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

<?php

declare(strict_types=1);

// The package is loaded the way users load it: through Composer's autoloader
// (`composer dump-autoload` makes it offline). Without Composer, an equivalent PSR-4
// autoloader for Cashi\ and Cashi\Tests\.
$composer = __DIR__ . '/../vendor/autoload.php';
if (is_file($composer)) {
    require $composer;
} else {
    spl_autoload_register(static function (string $class): void {
        foreach (['Cashi\\Tests\\' => __DIR__ . '/', 'Cashi\\' => __DIR__ . '/../src/'] as $prefix => $dir) {
            if (str_starts_with($class, $prefix)) {
                $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
                if (is_file($file)) {
                    require $file;
                }
                return;
            }
        }
    });
}

foreach (['CASHI_BASE_URL', 'CASHI_API_KEY'] as $name) {
    if ((string) getenv($name) === '') {
        fwrite(STDERR, "$name is not set: run the tests through bindings-php/test.sh, which starts a sandbox\n");
        exit(2);
    }
}

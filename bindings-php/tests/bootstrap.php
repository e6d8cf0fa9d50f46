<?php

declare(strict_types=1);

// The package under test is the one Composer installed into a scratch project (test.sh
// does that from the package's zip, as a merchant's `composer require` would), loaded
// through that project's autoloader; the tests' own classes are autoloaded from here.
$autoload = getenv('CASHI_PHP_AUTOLOAD');
if (!is_string($autoload) || !is_file($autoload)) {
    fwrite(STDERR, "CASHI_PHP_AUTOLOAD does not name a Composer autoloader: run the tests through bindings-php/test.sh\n");
    exit(2);
}
require $autoload;
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Cashi\\Tests\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen('Cashi\\Tests\\'))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

foreach (['CASHI_BASE_URL', 'CASHI_API_KEY'] as $name) {
    if ((string) getenv($name) === '') {
        fwrite(STDERR, "$name is not set: run the tests through bindings-php/test.sh, which starts a sandbox\n");
        exit(2);
    }
}

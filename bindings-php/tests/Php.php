<?php

declare(strict_types=1);

namespace Cashi\Tests;

/**
 * Runs PHP code in a fresh process with the package's autoloader (for what is decided
 * once per process: loading libcashi, preloading, ini settings), and finds the files of
 * the installed package.
 */
final class Php
{
    /** A file of the installed cashi/cashi package, e.g. preload.php. */
    public static function package(string $file): string
    {
        return \Cashi\Internal\Native::packageDirectory() . '/' . $file;
    }

    /** The Composer autoloader of the project the package is installed in. */
    public static function autoloader(): string
    {
        return (string) realpath((string) getenv('CASHI_PHP_AUTOLOAD'));
    }

    /** A file of that project (test.sh copies the examples there, as a merchant would). */
    public static function project(string $file): string
    {
        return dirname(self::autoloader(), 2) . '/' . $file;
    }

    /**
     * @param array<string, string> $env extra environment
     * @param list<string> $ini -d settings
     * @return array{0: int, 1: string} exit code and output (stdout and stderr)
     */
    public static function run(string $code, array $env = [], array $ini = []): array
    {
        $script = tempnam(sys_get_temp_dir(), 'cashi-php-test');
        $bootstrap = var_export(realpath(__DIR__ . '/bootstrap.php'), true);
        file_put_contents($script, "<?php\nrequire $bootstrap;\n$code\n");
        $command = [PHP_BINARY];
        foreach ($ini as $setting) {
            $command[] = '-d';
            $command[] = $setting;
        }
        $command[] = $script;
        $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env + getenv());
        $out = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        $status = proc_close($process);
        unlink($script);
        return [$status, (string) $out];
    }
}

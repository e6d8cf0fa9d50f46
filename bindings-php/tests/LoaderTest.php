<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Internal\Native;
use PHPUnit\Framework\TestCase;

/**
 * How the package finds and loads libcashi: its lib/ folder, CASHI_FFI_LIBRARY, preloading
 * with ffi.enable=preload, and the messages when FFI or the library is missing.
 */
final class LoaderTest extends TestCase
{
    private const SIGN = 'echo Cashi\Testing::sign("sk_x", "body"), "|", FFI::scope("CASHI") instanceof FFI ? "scope" : "";';

    public function testTheCommittedHeaderIsTheCLibrarysHeader(): void
    {
        self::assertFileEquals(__DIR__ . '/../../bindings-c/include/cashi.h', __DIR__ . '/../resources/cashi.h');
        self::assertStringNotContainsString('#', Native::declarations());
        self::assertSame(Native::LIBRARY_VERSION, Native::ffi()->cashi_version());
    }

    public function testThisProcessLoadedTheBundledLibrary(): void
    {
        self::assertFalse(getenv('CASHI_FFI_LIBRARY'), 'test.sh runs PHPUnit without CASHI_FFI_LIBRARY');
        self::assertSame(Native::bundledLibraryPath(), Native::libraryPath());
        self::assertFileExists(Native::bundledLibraryPath());
    }

    public function testLibraryFromTheEnvironment(): void
    {
        $copy = sys_get_temp_dir() . '/cashi-env-' . getmypid() . '.so';
        copy(Native::bundledLibraryPath(), $copy);
        try {
            [$code, $out] = Php::run(
                'echo Cashi\Internal\Native::libraryPath(), "|", Cashi\Testing::sign("sk_x", "body");',
                ['CASHI_FFI_LIBRARY' => $copy]
            );
        } finally {
            unlink($copy);
        }
        self::assertSame(0, $code, $out);
        self::assertSame($copy . '|' . hash_hmac('sha256', 'body', 'sk_x'), $out);
    }

    public function testDisabledFfiSaysWhatToSet(): void
    {
        [$code, $out] = Php::run(
            'try { Cashi\Testing::sign("k", "b"); } catch (Cashi\Exception\NativeLibraryException $e) { echo $e->getMessage(); }',
            [],
            ['ffi.enable=0']
        );
        self::assertSame(0, $code, $out);
        self::assertStringContainsString('ffi.enable=true', $out);
        self::assertStringContainsString('preload.php', $out);
    }

    /** @return list<string> */
    private static function preloadIni(string $header): array
    {
        $user = function_exists('posix_getpwuid') ? (posix_getpwuid(posix_geteuid())['name'] ?? 'root') : 'root';
        return [
            'ffi.enable=preload',
            'ffi.preload=' . $header,
            'opcache.enable=1',
            'opcache.enable_cli=1',
            'opcache.preload=' . realpath(__DIR__ . '/../preload.php'),
            'opcache.preload_user=' . $user,
        ];
    }

    public function testPreloadedScope(): void
    {
        // What PHP-FPM does with ffi.enable=preload: ffi.preload loads libcashi into the
        // scope CASHI at startup, preload.php compiles the classes; requests use FFI::scope().
        $header = tempnam(sys_get_temp_dir(), 'cashi-ffi-h');
        exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(__DIR__ . '/../bin/cashi-ffi-header') . ' ' . escapeshellarg($header), $_, $written);
        self::assertSame(0, $written);
        self::assertStringStartsWith("#define FFI_SCOPE \"CASHI\"\n#define FFI_LIB \"/", (string) file_get_contents($header));
        try {
            [$code, $out] = Php::run(self::SIGN, [], self::preloadIni($header));
            self::assertSame(0, $code, $out);
            self::assertSame(hash_hmac('sha256', 'body', 'sk_x') . '|scope', $out);

            // Without ffi.preload, preload.php says what to set.
            [$code, $out] = Php::run(self::SIGN, [], array_values(array_filter(
                self::preloadIni($header),
                fn (string $s) => !str_starts_with($s, 'ffi.preload=')
            )));
            self::assertNotSame(0, $code, $out);
            self::assertStringContainsString('ffi.preload=', $out);
            self::assertStringContainsString('bin/cashi-ffi-header', $out);
        } finally {
            unlink($header);
        }
    }

    public function testPreloadModeWithoutPreloadingSaysWhatToDo(): void
    {
        // A web SAPI (php -S here, like FPM) with ffi.enable=preload and nothing preloaded.
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $router = tempnam(sys_get_temp_dir(), 'cashi-router');
        file_put_contents($router, '<?php require ' . var_export(realpath(__DIR__ . '/../vendor/autoload.php'), true) . ';'
            . 'try { echo Cashi\Testing::sign("k", "b"); } catch (Cashi\Exception\NativeLibraryException $e) { echo $e->getMessage(); }');
        $server = proc_open([PHP_BINARY, '-d', 'ffi.enable=preload', '-S', "127.0.0.1:$port", $router],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
        try {
            $answer = false;
            for ($i = 0; $i < 200 && $answer === false; $i++) {
                usleep(50_000);
                $answer = @file_get_contents("http://127.0.0.1:$port/");
            }
            self::assertIsString($answer);
            self::assertStringContainsString('ffi.enable=true', $answer);
            self::assertStringContainsString('ffi.preload=', $answer);
            self::assertStringContainsString('bin/cashi-ffi-header', $answer);
        } finally {
            proc_terminate($server);
            proc_close($server);
            unlink($router);
        }
    }

    /**
     * A PHP-FPM request without preloading builds a new FFI object; the reused out-slots
     * must come from it too, or every call fails with FFI's type error.
     */
    public function testErrorsStillArriveAfterTheFfiObjectIsRebuilt(): void
    {
        $badKey = fn () => new \Cashi\Client('a key with spaces', ['base_url' => 'http://127.0.0.1:9/api']);
        $ffi = new \ReflectionProperty(Native::class, 'ffi');
        foreach (['first FFI object', 'rebuilt FFI object'] as $when) {
            try {
                $badKey();
                self::fail("no exception with the $when");
            } catch (\Cashi\Exception\InvalidArgumentException $e) {
                self::assertStringStartsWith('api_key:', $e->getMessage(), $when);
            }
            $ffi->setValue(null, null);
        }
        self::assertSame(64, strlen(\Cashi\Testing::sign('sk_x', 'body')));
    }
}

<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception\NativeLibraryException;
use Cashi\Internal\Native;
use Cashi\Internal\Platform;
use PHPUnit\Framework\TestCase;

/**
 * How the package finds and loads libcashi: its lib/<platform>/ folder, CASHI_FFI_LIBRARY,
 * preloading with ffi.enable=preload, and the messages when FFI or the library is missing.
 */
final class LoaderTest extends TestCase
{
    private const SIGN = 'echo Cashi\Testing::sign("sk_x", "body"), "|", FFI::scope("CASHI") instanceof FFI ? "scope" : "";';

    public function testTheCommittedHeaderIsTheCLibrarysHeader(): void
    {
        self::assertFileEquals(__DIR__ . '/../../bindings-c/include/cashi.h', Php::package('resources/cashi.h'));
        self::assertStringNotContainsString('#', Native::declarations());
        self::assertSame(Native::LIBRARY_VERSION, Native::ffi()->cashi_version());
    }

    public function testThePackageCarriesTheLicencesAndLibcashisThirdPartyNotices(): void
    {
        foreach (['LICENSE-MIT', 'LICENSE-APACHE', 'THIRD-PARTY-NOTICES.txt'] as $file) {
            self::assertFileExists(Php::package($file));
        }
        self::assertMatchesRegularExpression('/^rustls +\S+ /m', (string) file_get_contents(Php::package('THIRD-PARTY-NOTICES.txt')));
    }

    public function testThePackageAndItsLibraryAreAtTheWorkspacesVersion(): void
    {
        $cargo = (string) file_get_contents(__DIR__ . '/../../Cargo.toml');
        self::assertSame(1, preg_match('/^\[workspace\.package\]\nversion = "([^"]+)"$/m', $cargo, $m), 'no [workspace.package] version in Cargo.toml');
        self::assertSame($m[1], Client::VERSION);
        self::assertSame($m[1], Native::LIBRARY_VERSION);
        self::assertSame($m[1], Native::ffi()->cashi_version());
    }

    public function testThisProcessLoadedTheInstalledPackagesOwnLibrary(): void
    {
        self::assertFalse(getenv('CASHI_FFI_LIBRARY'), 'test.sh runs PHPUnit without CASHI_FFI_LIBRARY');
        $installed = dirname(Php::autoloader()) . '/cashi/cashi';
        self::assertSame(realpath($installed), realpath(Native::packageDirectory()), 'the package Composer installed');
        self::assertSame(Native::bundledLibraryPath(), Native::libraryPath());
        self::assertStringEndsWith('/lib/linux-x86_64-gnu/libcashi.so', Native::libraryPath());
        self::assertFileExists(Native::libraryPath());
    }

    /** @return iterable<string, array{string, string, bool, string, string}> */
    public static function platforms(): iterable
    {
        foreach (['Linux', 'Darwin', 'Windows'] as $os) {
            foreach ([['x86_64', 'x86_64'], ['aarch64', 'aarch64'], ['arm64', 'aarch64'], ['AMD64', 'x86_64']] as [$machine, $arch]) {
                foreach ([false, true] as $musl) {
                    [$directory, $file] = match ($os) {
                        'Linux' => ["linux-$arch-" . ($musl ? 'musl' : 'gnu'), 'libcashi.so'],
                        'Darwin' => ["darwin-$arch", 'libcashi.dylib'],
                        'Windows' => ["windows-$arch-msvc", 'cashi.dll'],
                    };
                    yield "$os $machine " . ($musl ? 'musl' : 'glibc') => [$os, $machine, $musl, $directory, $file];
                }
            }
        }
    }

    /** @dataProvider platforms */
    public function testPlatformFromWhatPhpReports(string $os, string $machine, bool $musl, string $directory, string $file): void
    {
        $platform = Platform::fromFacts($os, $machine, $musl);
        self::assertSame($directory, $platform->directory());
        self::assertSame($file, $platform->libraryFile());
        self::assertSame(
            implode(DIRECTORY_SEPARATOR, ['/pkg', 'lib', $directory, $file]),
            Native::bundledLibraryPath($platform, '/pkg')
        );
    }

    public function testThisMachinesPlatform(): void
    {
        // The test command runs on Linux x86_64 with glibc; CI's macOS and Windows jobs say
        // which platform they are.
        $expected = getenv('CASHI_EXPECTED_PLATFORM') ?: 'linux-x86_64-gnu';
        self::assertSame($expected, Platform::current()->directory());
    }

    /**
     * Every platform of the release (.github/workflows/release.yml, the README's table), as
     * PHP reports it there: PHP_OS_FAMILY, php_uname('m'), and whether the C library is musl.
     *
     * @return iterable<string, array{string, string, bool, string, string, string}>
     */
    public static function releasePlatforms(): iterable
    {
        yield 'Linux x86_64 glibc' => ['Linux', 'x86_64', false, 'linux-x86_64-gnu', 'libcashi.so', 'linux x86_64 (gnu)'];
        yield 'Linux aarch64 glibc' => ['Linux', 'aarch64', false, 'linux-aarch64-gnu', 'libcashi.so', 'linux aarch64 (gnu)'];
        yield 'Linux x86_64 musl' => ['Linux', 'x86_64', true, 'linux-x86_64-musl', 'libcashi.so', 'linux x86_64 (musl)'];
        yield 'Linux aarch64 musl' => ['Linux', 'aarch64', true, 'linux-aarch64-musl', 'libcashi.so', 'linux aarch64 (musl)'];
        yield 'macOS x86_64' => ['Darwin', 'x86_64', false, 'darwin-x86_64', 'libcashi.dylib', 'darwin x86_64'];
        yield 'macOS arm64' => ['Darwin', 'arm64', false, 'darwin-aarch64', 'libcashi.dylib', 'darwin aarch64'];
        yield 'Windows x64' => ['Windows', 'AMD64', false, 'windows-x86_64-msvc', 'cashi.dll', 'windows x86_64 (msvc)'];
    }

    /**
     * A package with every platform's library loads each platform's own: the folder and file
     * name the release puts there (bindings-php/package.py).
     *
     * @dataProvider releasePlatforms
     */
    public function testEachReleasePlatformFindsItsLibrary(string $os, string $machine, bool $musl, string $directory, string $file, string $described): void
    {
        $package = self::fakePackage(array_map(
            static fn (array $row) => $row[3] . '/' . $row[4],
            iterator_to_array(self::releasePlatforms(), false)
        ));
        $platform = Platform::fromFacts($os, $machine, $musl);
        self::assertSame($described, $platform->describe());
        $path = self::withoutLibraryFromEnvironment(fn () => Native::libraryPath($platform, $package));
        self::assertSame(implode(DIRECTORY_SEPARATOR, [$package, 'lib', $directory, $file]), $path);
        self::assertSame("$directory/$file", file_get_contents($path), 'the file of that platform, not another');
    }

    /**
     * A package without this platform's build (e.g. one assembled for Linux only) says which
     * platform it detected, where it looked, what it has, and what to set.
     *
     * @dataProvider releasePlatforms
     */
    public function testNoBuildForAReleasePlatformNamesIt(string $os, string $machine, bool $musl, string $directory, string $file, string $described): void
    {
        $others = $directory === 'linux-x86_64-gnu' ? 'darwin-aarch64/libcashi.dylib' : 'linux-x86_64-gnu/libcashi.so';
        $package = self::fakePackage([$others]);
        try {
            self::withoutLibraryFromEnvironment(fn () => Native::libraryPath(Platform::fromFacts($os, $machine, $musl), $package));
            self::fail("no exception for $described, which the package has no build for");
        } catch (NativeLibraryException $e) {
            $message = $e->getMessage();
        }
        self::assertStringContainsString("no libcashi for this platform ($described)", $message);
        self::assertStringContainsString($file . ' in ' . implode(DIRECTORY_SEPARATOR, [$package, 'lib', $directory]), $message);
        self::assertStringContainsString('this package has builds for: ' . dirname($others), $message);
        self::assertStringContainsString('CASHI_FFI_LIBRARY', $message);
    }

    /** @param list<string> $libraries paths under lib/, each written with its own path as content */
    private static function fakePackage(array $libraries): string
    {
        $package = self::freshDirectory();
        foreach ($libraries as $library) {
            mkdir(dirname("$package/lib/$library"), 0700, true);
            file_put_contents("$package/lib/$library", $library);
        }
        return $package;
    }

    /** Runs $call with CASHI_FFI_LIBRARY unset (it takes precedence over the package's lib/). */
    private static function withoutLibraryFromEnvironment(callable $call): mixed
    {
        $saved = getenv('CASHI_FFI_LIBRARY');
        putenv('CASHI_FFI_LIBRARY');
        try {
            return $call();
        } finally {
            if (is_string($saved)) {
                putenv("CASHI_FFI_LIBRARY=$saved");
            }
        }
    }

    public function testNoBuildForThePlatformSaysWhatWasDetectedTriedAndWhatToSet(): void
    {
        try {
            Native::libraryPath(Platform::fromFacts('Linux', 'aarch64', true));
            self::fail('no exception for a platform the package has no build for');
        } catch (NativeLibraryException $e) {
            $message = $e->getMessage();
        }
        self::assertStringContainsString('linux aarch64 (musl)', $message);
        self::assertStringContainsString(Native::packageDirectory() . '/lib/linux-aarch64-musl', $message);
        self::assertStringContainsString('CASHI_FFI_LIBRARY', $message);
        self::assertStringContainsString('this package has builds for: linux-x86_64-gnu', $message);
    }

    public function testThePreloadHeaderIsWrittenWhereOnlyThisUserCanWrite(): void
    {
        $parent = self::freshDirectory();
        $file = Native::writePrivateHeader("/* header */\n", $parent);
        self::assertSame("/* header */\n", file_get_contents($file));
        self::assertSame(0700, fileperms(dirname($file)) & 0777);
        self::assertSame(0600, fileperms($file) & 0777);
        self::assertSame($file, Native::writePrivateHeader("/* header */\n", $parent), 'written once, then reused');
    }

    public function testAPlantedPreloadHeaderIsRefused(): void
    {
        $parent = self::freshDirectory();
        $file = Native::writePrivateHeader("/* header */\n", $parent);
        file_put_contents($file, "#define FFI_LIB \"/tmp/evil.so\"\n");
        $this->assertRefused(fn () => Native::writePrivateHeader("/* header */\n", $parent), 'is not the header');

        // A link planted where the header will be written.
        $parent = self::freshDirectory();
        $file = Native::writePrivateHeader("/* other */\n", $parent);
        $target = $parent . '/elsewhere.h';
        file_put_contents($target, "/* header */\n");
        $planted = dirname($file) . '/cashi-' . hash('sha256', "/* header */\n") . '.h';
        symlink($target, $planted);
        $this->assertRefused(fn () => Native::writePrivateHeader("/* header */\n", $parent), 'symbolic link');
    }

    public function testAFolderOthersCanWriteIsRefused(): void
    {
        $parent = self::freshDirectory();
        $file = Native::writePrivateHeader("/* header */\n", $parent);
        chmod(dirname($file), 0777);
        $this->assertRefused(fn () => Native::writePrivateHeader("/* header */\n", $parent), 'other users may write it');
    }

    private function assertRefused(callable $write, string $why): void
    {
        try {
            $write();
            self::fail('a header another user could have written was used');
        } catch (NativeLibraryException $e) {
            self::assertStringContainsString('refusing to load', $e->getMessage());
            self::assertStringContainsString($why, $e->getMessage());
        }
    }

    /** @var list<string> The directories freshDirectory() made, removed after each test. */
    private static array $made = [];

    private static function freshDirectory(): string
    {
        $dir = sys_get_temp_dir() . '/cashi-loader-test-' . bin2hex(random_bytes(6));
        mkdir($dir, 0700);
        self::$made[] = $dir;
        return $dir;
    }

    protected function tearDown(): void
    {
        foreach (self::$made as $dir) {
            self::remove($dir);
        }
        self::$made = [];
    }

    private static function remove(string $path): void
    {
        if (is_dir($path) && !is_link($path)) {
            chmod($path, 0700); // a test may have opened it to others
            foreach (scandir($path) ?: [] as $name) {
                if ($name !== '.' && $name !== '..') {
                    self::remove($path . '/' . $name);
                }
            }
            rmdir($path);
        } elseif (file_exists($path) || is_link($path)) {
            unlink($path);
        }
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
            'opcache.preload=' . Php::package('preload.php'),
            'opcache.preload_user=' . $user,
        ];
    }

    public function testPreloadedScope(): void
    {
        // What PHP-FPM does with ffi.enable=preload: ffi.preload loads libcashi into the
        // scope CASHI at startup, preload.php compiles the classes; requests use FFI::scope().
        $header = tempnam(sys_get_temp_dir(), 'cashi-ffi-h');
        exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(Php::package('bin/cashi-ffi-header')) . ' ' . escapeshellarg($header), $_, $written);
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
        file_put_contents($router, '<?php require ' . var_export(Php::autoloader(), true) . ';'
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

<?php

declare(strict_types=1);

namespace Cashi\Internal;

use Cashi\Exception\CashiException;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\NativeLibraryException;
use FFI;
use FFI\CData;

/**
 * The one FFI object of the process, over libcashi, and the glue every class shares.
 *
 * The library is found through the CASHI_FFI_LIBRARY environment variable, then the FFI
 * scope "CASHI" that preloading made, then the package's own build for this platform in
 * lib/<os>-<arch>-<libc>/. Under PHP-FPM with `ffi.enable=preload`, preload.php (or
 * `ffi.preload`) loads it once at server start and workers use FFI::scope().
 *
 * @internal
 */
final class Native
{
    /** The FFI scope preload.php registers. */
    public const SCOPE = 'CASHI';

    /** The libcashi version resources/cashi.h was generated from. */
    public const LIBRARY_VERSION = '0.1.0';

    private static ?FFI $ffi = null;

    /** @var array<string, array{CData, CData}> The out-slots of slot(), by type. */
    private static array $slots = [];

    private static ?FFI $slotsOf = null;

    /**
     * @var list<FFI> FFI objects replaced (tests rebuild it), kept alive: PHP frees an FFI
     * object's types with it, and a CData made from them may outlive it (a client or verifier
     * still referenced, a cycle not collected yet), reading and freeing them later.
     */
    private static array $retired = [];

    public static function ffi(): FFI
    {
        return self::$ffi ??= self::load();
    }

    /** The package's root folder (where composer.json, lib/ and resources/ are). */
    public static function packageDirectory(): string
    {
        return dirname(__DIR__, 2);
    }

    /**
     * Where the package's own libcashi for $platform is: lib/<os>-<arch>-<libc>/ of the
     * package, e.g. lib/linux-x86_64-gnu/libcashi.so.
     */
    public static function bundledLibraryPath(?Platform $platform = null, ?string $packageDirectory = null): string
    {
        $platform ??= Platform::current();
        return implode(DIRECTORY_SEPARATOR, [
            $packageDirectory ?? self::packageDirectory(),
            'lib',
            $platform->directory(),
            $platform->libraryFile(),
        ]);
    }

    /** The library CASHI_FFI_LIBRARY names, or null when it is not set. */
    public static function libraryFromEnvironment(): ?string
    {
        $fromEnv = getenv('CASHI_FFI_LIBRARY');
        if (!is_string($fromEnv) || $fromEnv === '') {
            return null;
        }
        if (!is_file($fromEnv)) {
            throw new NativeLibraryException(sprintf(
                'CASHI_FFI_LIBRARY is set to %s, but there is no file there. Point it at libcashi '
                . '(from the libcashi-<version>-<target>.tar.gz of the release), or unset it to use the '
                . "package's own %s.",
                $fromEnv,
                self::bundledLibraryPath()
            ));
        }
        return $fromEnv;
    }

    /**
     * The library to load: CASHI_FFI_LIBRARY, else the package's build for this platform.
     * When neither exists the exception names the platform detected, the folders looked in
     * and the variable to set.
     */
    public static function libraryPath(?Platform $platform = null, ?string $packageDirectory = null): string
    {
        $fromEnv = self::libraryFromEnvironment();
        if ($fromEnv !== null) {
            return $fromEnv;
        }
        $platform ??= Platform::current();
        $bundled = self::bundledLibraryPath($platform, $packageDirectory);
        if (is_file($bundled)) {
            return $bundled;
        }
        $lib = dirname($bundled, 2);
        $shipped = array_values(array_filter(
            is_dir($lib) ? (scandir($lib) ?: []) : [],
            static fn (string $entry) => $entry[0] !== '.' && is_dir($lib . DIRECTORY_SEPARATOR . $entry)
        ));
        throw new NativeLibraryException(sprintf(
            'cashi/cashi has no libcashi for this platform (%s): it looked for %s in %s%s. Set the environment '
            . 'variable CASHI_FFI_LIBRARY to the path of a libcashi built for this machine (the release\'s '
            . 'libcashi-<version>-<target>.tar.gz, or `cargo build --release -p cashi-ffi` from the source).',
            $platform->describe(),
            $platform->libraryFile(),
            dirname($bundled),
            $shipped === [] ? '' : ' (this package has builds for: ' . implode(', ', $shipped) . ')'
        ));
    }

    /**
     * The committed C header reduced to what FFI::cdef accepts: plain declarations (and
     * comments), without the include guard, the #include lines and the C++ blocks. Two
     * regular expressions: it runs on every request without preloading, and a loop over the
     * header's lines in PHP took longer than FFI::cdef itself.
     */
    public static function declarations(): string
    {
        $path = self::packageDirectory() . '/resources/cashi.h';
        $header = @file_get_contents($path);
        if ($header === false) {
            throw new NativeLibraryException("the package's C header is missing: $path; reinstall cashi/cashi");
        }
        return (string) preg_replace(
            ['~#ifdef __cplusplus\n.*?#endif[^\n]*\n?~s', '~^[ \t]*#[^\n]*\n?~m'],
            '',
            $header
        );
    }

    /**
     * The header for `ffi.preload` (or FFI::load): the declarations plus FFI_SCOPE "CASHI"
     * and FFI_LIB with the library's absolute path. bin/cashi-ffi-header prints it.
     */
    public static function preloadHeader(?string $library = null): string
    {
        $library ??= self::libraryPath();
        $real = realpath($library);
        if ($real === false) {
            throw new NativeLibraryException("libcashi not found at $library");
        }
        return sprintf(
            // PHP reads the two defines only at the very top of the file.
            "#define FFI_SCOPE \"%s\"\n#define FFI_LIB \"%s\"\n"
            . "/* libcashi for PHP's ffi.preload / FFI::load, written by cashi/cashi's bin/cashi-ffi-header */\n%s",
            self::SCOPE,
            addcslashes($real, '"\\'),
            self::declarations()
        );
    }

    /**
     * For opcache.preload (preload.php): makes sure libcashi is in the FFI scope "CASHI".
     * With `ffi.preload` pointing at bin/cashi-ffi-header's output it already is; without
     * it, the library is loaded here with FFI::load, which PHP allows only when preloading
     * does not switch user (no opcache.preload_user, i.e. the server does not start as root).
     */
    public static function preload(?string $library = null): void
    {
        self::requireFfiExtension();
        try {
            FFI::scope(self::SCOPE);
            return; // ffi.preload did it
        } catch (FFI\Exception) {
        }
        if ((string) ini_get('opcache.preload_user') !== '') {
            throw new NativeLibraryException(
                'with opcache.preload_user set, PHP refuses FFI::load while preloading: write the header with '
                . '`php ' . dirname(__DIR__, 2) . '/bin/cashi-ffi-header /etc/php/cashi-ffi.h` and set '
                . 'ffi.preload=/etc/php/cashi-ffi.h in php.ini'
            );
        }
        $file = self::writePrivateHeader(self::preloadHeader($library), sys_get_temp_dir());
        if (FFI::load($file) === null) {
            throw new NativeLibraryException("FFI::load($file) failed: check that libcashi was built for this machine");
        }
    }

    /**
     * Writes $header for FFI::load where no other user can change it, and returns its path.
     *
     * The header's FFI_LIB line decides which library PHP loads, so a file another local user
     * could plant or rewrite (the shared temp folder on shared hosting) would let them run code
     * in this server. The file lives in a folder of $parent that only this user may write
     * (created 0700, checked before use), is created exclusively, and an existing file is used
     * only if this user owns it and it holds exactly $header; anything else is refused.
     */
    public static function writePrivateHeader(string $header, string $parent): string
    {
        $uid = function_exists('posix_geteuid') ? posix_geteuid() : null;
        $dir = $parent . DIRECTORY_SEPARATOR . 'cashi-ffi' . ($uid === null ? '' : "-$uid");
        if (!is_dir($dir) && !@mkdir($dir, 0700) && !is_dir($dir)) {
            throw new NativeLibraryException("could not create $dir for the FFI header; check sys_temp_dir");
        }
        self::requirePrivate($dir, $uid, true);
        $file = $dir . DIRECTORY_SEPARATOR . 'cashi-' . hash('sha256', $header) . '.h';
        $handle = @fopen($file, 'x');
        if ($handle !== false) {
            $written = fwrite($handle, $header);
            fclose($handle);
            @chmod($file, 0600);
            if ($written !== strlen($header)) {
                @unlink($file);
                throw new NativeLibraryException("could not write $file for FFI::load; check free space");
            }
        }
        self::requirePrivate($file, $uid, false);
        if (@file_get_contents($file) !== $header) {
            throw new NativeLibraryException(
                "refusing to load $file: it is not the header cashi/cashi wrote. Delete it, or preload with "
                . 'ffi.preload and bin/cashi-ffi-header (see the README, "PHP-FPM")'
            );
        }
        return $file;
    }

    /** Refuses $path unless it is a real (not linked) file or folder of user $uid that no one else may write. */
    private static function requirePrivate(string $path, ?int $uid, bool $directory): void
    {
        clearstatcache(true, $path);
        $stat = @lstat($path);
        $why = match (true) {
            $stat === false => 'it cannot be read',
            is_link($path) => 'it is a symbolic link',
            $directory ? !is_dir($path) : !is_file($path) => $directory ? 'it is not a folder' : 'it is not a file',
            $uid !== null && $stat['uid'] !== $uid => "it belongs to user {$stat['uid']}, not to this process's user $uid",
            $uid !== null && ($stat['mode'] & 0022) !== 0 => sprintf('other users may write it (mode %o)', $stat['mode'] & 0777),
            default => null,
        };
        if ($why !== null) {
            throw new NativeLibraryException(
                "refusing to load libcashi's FFI header through $path: $why, so another user could choose the "
                . 'library PHP loads. Delete it, or preload with ffi.preload and bin/cashi-ffi-header '
                . '(see the README, "PHP-FPM")'
            );
        }
    }

    private static function requireFfiExtension(): void
    {
        if (!extension_loaded('ffi')) {
            throw new NativeLibraryException(
                "PHP's FFI extension is not loaded. Install it (Debian/Ubuntu: it ships with php8.x-common; "
                . 'other systems: the php-ffi package, or build PHP with --with-ffi) and enable it with '
                . '`extension=ffi` in php.ini.'
            );
        }
    }

    private static function load(): FFI
    {
        self::requireFfiExtension();
        $mode = strtolower(trim((string) ini_get('ffi.enable')));
        $fromEnv = self::libraryFromEnvironment();
        // Preloaded by preload.php (PHP-FPM with ffi.enable=preload), unless CASHI_FFI_LIBRARY
        // names another library and FFI may load it now.
        if ($fromEnv === null || $mode === 'preload') {
            try {
                $ffi = FFI::scope(self::SCOPE);
                self::checkVersion($ffi, 'the preloaded FFI scope ' . self::SCOPE);
                return $ffi;
            } catch (FFI\Exception) {
                // not preloaded: load it now
            }
        }
        if (in_array($mode, ['0', '', 'off', 'false', 'no'], true)) {
            throw new NativeLibraryException(
                'FFI is disabled (ffi.enable=' . ini_get('ffi.enable') . '). Set ffi.enable=true in php.ini, or '
                . 'ffi.enable=preload together with opcache.preload=' . dirname(__DIR__, 2) . '/preload.php '
                . '(see the README, "PHP-FPM").'
            );
        }
        if ($mode === 'preload' && PHP_SAPI !== 'cli') {
            throw new NativeLibraryException(
                'ffi.enable=preload lets only preloaded code use FFI, and libcashi was not preloaded. Either '
                . 'set ffi.enable=true, or preload it: write the header with `php ' . dirname(__DIR__, 2)
                . '/bin/cashi-ffi-header /etc/php/cashi-ffi.h`, then set ffi.preload=/etc/php/cashi-ffi.h, '
                . 'opcache.preload=' . dirname(__DIR__, 2) . '/preload.php and opcache.preload_user in php.ini '
                . '(see the README, "PHP-FPM").'
            );
        }
        $library = $fromEnv ?? self::libraryPath();
        try {
            $ffi = FFI::cdef(self::declarations(), $library);
        } catch (FFI\Exception $e) {
            throw new NativeLibraryException(
                "could not load libcashi from $library: {$e->getMessage()}. Check that it was built for this "
                . 'machine (' . Platform::current()->describe() . '), or set CASHI_FFI_LIBRARY to one that is.',
                null,
                null,
                $e
            );
        }
        self::checkVersion($ffi, $library);
        return $ffi;
    }

    private static function checkVersion(FFI $ffi, string $where): void
    {
        $version = $ffi->cashi_version();
        if ($version !== self::LIBRARY_VERSION) {
            throw new NativeLibraryException(sprintf(
                'libcashi %s at %s does not match this cashi/cashi package, which needs libcashi %s; '
                . 'install the library from the same release.',
                (string) $version,
                $where,
                self::LIBRARY_VERSION
            ));
        }
    }

    /**
     * A reusable out-parameter of $type (e.g. `cashi_error*`) and its address. PHP makes one
     * call at a time, so one slot per type serves every call, which reads (and frees) what
     * it got before the next call: a fresh slot per call cost as much as a webhook check.
     * Slots belong to the FFI object that made them, and are made anew with it.
     *
     * @return array{CData, CData}
     */
    public static function slot(string $type): array
    {
        $ffi = self::ffi();
        if (self::$slotsOf !== $ffi) {
            if (self::$slotsOf !== null) {
                self::$retired[] = self::$slotsOf;
            }
            self::$slots = [];
            self::$slotsOf = $ffi;
        }
        if (!isset(self::$slots[$type])) {
            $slot = $ffi->new($type);
            self::$slots[$type] = [$slot, FFI::addr($slot)];
        }
        return self::$slots[$type];
    }

    /** The address of the `cashi_error *` slot for a call's `err` parameter; check() reads it. */
    public static function errorOut(): CData
    {
        return self::slot('cashi_error*')[1];
    }

    /**
     * Throws the exception for a failed call (its error is in the errorOut() slot) and frees
     * the error object.
     *
     * @throws CashiException
     */
    public static function check(int $result): void
    {
        if ($result === 0) {
            return;
        }
        $ffi = self::ffi();
        [$err, $address] = self::slot('cashi_error*');
        if (FFI::isNull($err)) {
            $code = (string) $ffi->cashi_result_code($result);
            throw CashiException::fromDetail(['code' => $code, 'message' => "libcashi failed ($code)"]);
        }
        try {
            $exception = self::exception($err);
        } finally {
            $ffi->cashi_error_free($err);
            FFI::memset($address, 0, FFI::sizeof($err));
        }
        throw $exception;
    }

    /** The exception for a `cashi_error *` (which stays the caller's to free). */
    public static function exception(CData $err): CashiException
    {
        $detail = json_decode((string) self::ffi()->cashi_error_to_json($err), true, 16, JSON_THROW_ON_ERROR);
        return CashiException::fromDetail(is_array($detail) ? $detail : []);
    }

    /**
     * A `const char *` for a struct field or an array element: a NUL-terminated copy of
     * $value, kept alive by $keep (FFI frees it when $keep goes).
     *
     * @param list<CData> $keep
     */
    public static function cString(string $value, array &$keep): CData
    {
        $length = strlen($value);
        $buffer = self::ffi()->new('char[' . ($length + 1) . ']');
        FFI::memcpy($buffer, $value, $length);
        $keep[] = $buffer;
        return FFI::cast('const char*', FFI::addr($buffer[0]));
    }

    /** How a batch item is named in messages: orderIds[3], requests['a']. */
    public static function itemName(string $array, int|string $key): string
    {
        return $array . '[' . (is_int($key) ? $key : var_export($key, true)) . ']';
    }

    /**
     * A text argument for a `const char *` parameter: a NUL byte would silently cut it short.
     * $value may be the API key or a webhook secret: a stack trace never shows it.
     */
    public static function text(#[\SensitiveParameter] string $value, string $field): string
    {
        if (str_contains($value, "\0")) {
            throw new InvalidArgumentException("$field: contains a NUL byte; pass plain text");
        }
        return $value;
    }

    /**
     * A PHP array as JSON text for libcashi, which checks what it holds. `[]` is the empty
     * object (PHP cannot tell an empty map from an empty list); any other list stays a JSON
     * array, so libcashi can refuse it where it wants an object.
     *
     * @param array<array-key, mixed> $value
     */
    public static function json(array $value, string $field): string
    {
        if ($value === []) {
            return '{}';
        }
        try {
            return json_encode(
                $value,
                JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION
            );
        } catch (\JsonException $e) {
            throw new InvalidArgumentException("$field: cannot be written as JSON ({$e->getMessage()})");
        }
    }

    /**
     * Whole rupiah from a PHP value: an int, or a float that libcashi takes as a whole
     * number of rupiah (the core's rule: no fraction, NaN or infinity; amounts are never
     * rounded). Anything else is refused with the field's name.
     *
     * @throws InvalidArgumentException
     */
    public static function amount(mixed $value, string $field): int
    {
        if (is_int($value)) {
            return $value;
        }
        if (is_float($value)) {
            [$amount, $address] = self::slot('int64_t');
            self::check(self::ffi()->cashi_amount_from_double($value, $field, $address, self::errorOut()));
            return $amount->cdata;
        }
        throw new InvalidArgumentException(sprintf(
            '%s: expected a whole number of rupiah (int), got %s',
            $field,
            self::describe($value)
        ));
    }

    /**
     * Seconds (int or float) as the whole milliseconds libcashi takes, under the core's one
     * rule for durations (more than zero, at most a day).
     *
     * @throws InvalidArgumentException
     */
    public static function milliseconds(mixed $seconds, string $field): int
    {
        if (!is_int($seconds) && !is_float($seconds)) {
            throw new InvalidArgumentException(sprintf(
                '%s: expected a number of seconds, got %s',
                $field,
                self::describe($seconds)
            ));
        }
        [$ms, $address] = self::slot('uint64_t');
        self::check(self::ffi()->cashi_milliseconds_from_seconds((float) $seconds, $field, $address, self::errorOut()));
        return $ms->cdata;
    }

    public static function describe(mixed $value): string
    {
        return match (true) {
            is_string($value) => 'string ' . var_export(strlen($value) > 40 ? substr($value, 0, 40) . '...' : $value, true),
            is_bool($value) => 'bool ' . ($value ? 'true' : 'false'),
            $value === null => 'null',
            is_float($value) => 'float ' . $value,
            is_int($value) => 'int ' . $value,
            is_object($value) => 'an object of class ' . get_class($value),
            default => get_debug_type($value),
        };
    }

    /**
     * Decodes a JSON object libcashi produced.
     *
     * @return array<string, mixed>
     */
    public static function decode(string $json): array
    {
        $value = json_decode($json, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        return is_array($value) ? $value : [];
    }
}

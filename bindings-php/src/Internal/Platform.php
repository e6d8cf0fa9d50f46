<?php

declare(strict_types=1);

namespace Cashi\Internal;

/**
 * The operating system, CPU and C library PHP runs on, which decide the folder of the
 * package's lib/ whose libcashi fits: a glibc build does not load on Alpine (musl), nor an
 * x86_64 build on an ARM server.
 *
 * @internal
 */
final class Platform
{
    private function __construct(
        /** linux, darwin, windows, or PHP_OS_FAMILY in lower case for anything else. */
        public readonly string $os,
        /** x86_64, aarch64, or the machine name as PHP reported it. */
        public readonly string $arch,
        /** gnu or musl on Linux, msvc on Windows, null on macOS. */
        public readonly ?string $libc,
    ) {
    }

    /** This process's platform. */
    public static function current(): self
    {
        return self::fromFacts(PHP_OS_FAMILY, php_uname('m'), PHP_OS_FAMILY === 'Linux' && self::hostIsMusl());
    }

    /**
     * The platform from what PHP reports: PHP_OS_FAMILY, php_uname('m') and whether the C
     * library is musl. Separate from current() so that every combination can be tested.
     */
    public static function fromFacts(string $osFamily, string $machine, bool $musl): self
    {
        $os = match ($osFamily) {
            'Linux' => 'linux',
            'Darwin' => 'darwin',
            'Windows' => 'windows',
            default => strtolower($osFamily),
        };
        $arch = match (strtolower($machine)) {
            'x86_64', 'amd64', 'x64' => 'x86_64',
            'aarch64', 'arm64', 'armv8', 'armv8l' => 'aarch64',
            default => $machine,
        };
        $libc = match ($os) {
            'linux' => $musl ? 'musl' : 'gnu',
            'windows' => 'msvc',
            default => null,
        };
        return new self($os, $arch, $libc);
    }

    /** The folder under the package's lib/ that holds this platform's libcashi: linux-x86_64-gnu. */
    public function directory(): string
    {
        return $this->os . '-' . $this->arch . ($this->libc === null ? '' : '-' . $this->libc);
    }

    /** The file name of libcashi on this platform. */
    public function libraryFile(): string
    {
        return match ($this->os) {
            'darwin' => 'libcashi.dylib',
            'windows' => 'cashi.dll',
            default => 'libcashi.so',
        };
    }

    /** For messages: "linux x86_64 (musl)". */
    public function describe(): string
    {
        return $this->os . ' ' . $this->arch . ($this->libc === null ? '' : " ({$this->libc})");
    }

    /**
     * Whether this Linux runs on musl (Alpine): its dynamic loader is /lib/ld-musl-<arch>.so.1.
     * Where open_basedir hides /lib this answers glibc; a musl host there sets CASHI_FFI_LIBRARY.
     */
    private static function hostIsMusl(): bool
    {
        foreach (['x86_64', 'aarch64', 'armhf', 'i386'] as $arch) {
            if (@file_exists("/lib/ld-musl-$arch.so.1")) {
                return true;
            }
        }
        return false;
    }
}

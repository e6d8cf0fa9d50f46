# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# The release targets and what each packaging tool calls them, for scripts/dist.sh and
# tests/install/run.sh: `source` this file, then
#
#   host_triple                  prints this machine's target (x86_64-unknown-linux-gnu, ...)
#   target_facts TRIPLE          sets OS (linux, darwin, windows), ARCH (x86_64, aarch64),
#                                LIBC (gnu, musl or empty), NPM (npm platform package suffix,
#                                linux-x64-gnu), PHP (folder under the PHP package's lib/,
#                                linux-x86_64-gnu), WHEEL_TAG (the wheel's platform tag, a glob
#                                on macOS where it carries the minimum version); returns 1 for
#                                a triple that is not a release target
#
# RELEASE_TARGETS lists them all, in the order of the README's table.

RELEASE_TARGETS=(
    x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu
    x86_64-unknown-linux-musl aarch64-unknown-linux-musl
    x86_64-apple-darwin aarch64-apple-darwin
    x86_64-pc-windows-msvc
)

host_triple() {
    local arch os
    case "$(uname -m)" in
        x86_64 | amd64) arch=x86_64 ;;
        aarch64 | arm64) arch=aarch64 ;;
        *) echo "this machine's CPU ($(uname -m)) is not one the release is built for" >&2; return 1 ;;
    esac
    os="$(uname -s)"
    case "$os" in
        Linux)
            if ldd --version 2>&1 | grep -qi musl; then echo "$arch-unknown-linux-musl"; else echo "$arch-unknown-linux-gnu"; fi ;;
        Darwin) echo "$arch-apple-darwin" ;;
        MINGW* | MSYS* | CYGWIN*) echo "$arch-pc-windows-msvc" ;;
        *) echo "this machine's OS ($os) is not one the release is built for: Linux, macOS or Windows" >&2; return 1 ;;
    esac
}

target_facts() {
    local known="" t
    for t in "${RELEASE_TARGETS[@]}"; do [ "$t" != "$1" ] || known=1; done
    [ -n "$known" ] || return 1
    ARCH="${1%%-*}"
    local npm_arch wheel_arch
    npm_arch=$([ "$ARCH" = x86_64 ] && echo x64 || echo arm64)
    case "$1" in
        *-linux-gnu) OS=linux LIBC=gnu NPM="linux-$npm_arch-gnu" PHP="linux-$ARCH-gnu"
            WHEEL_TAG="manylinux_2_17_$ARCH.manylinux2014_$ARCH" ;;
        *-linux-musl) OS=linux LIBC=musl NPM="linux-$npm_arch-musl" PHP="linux-$ARCH-musl"
            WHEEL_TAG="musllinux_1_2_$ARCH" ;;
        *-apple-darwin) OS=darwin LIBC="" NPM="darwin-$npm_arch" PHP="darwin-$ARCH"
            wheel_arch=$([ "$ARCH" = x86_64 ] && echo x86_64 || echo arm64)
            WHEEL_TAG="macosx_*_$wheel_arch" ;;
        *-windows-msvc) OS=windows LIBC="" NPM="win32-$npm_arch-msvc" PHP="windows-$ARCH-msvc"
            WHEEL_TAG="win_amd64" ;;
    esac
}

#!/usr/bin/env bash
# Builds every release artifact for one target, as merchants get them, into dist/ (or
# $CASHI_DIST_DIR), with the workspace's version:
#
#   scripts/dist.sh [--target TRIPLE]      (default: this host's, x86_64-unknown-linux-gnu here)
#
#   python/cashi-<v>-cp39-abi3-<platform tag>.whl, cashi-<v>.tar.gz (the sdist)
#   npm/cashi-<v>.tgz, npm/cashi-<npm platform>-<v>.tgz
#   c/libcashi-<v>-<target>.tar.gz
#   php/cashi-php-<v>.zip (with this target's libcashi; the release assembles one with all)
#   cli/cashi-<v>-<target>.tar.gz
#   SHA256SUMS
#
# Targets, and the host that builds each:
#   x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu     Linux, linked by zig against
#       glibc 2.17 (manylinux2014): loads on any Linux from CentOS 7 on
#   x86_64-unknown-linux-musl, aarch64-unknown-linux-musl   Linux, zig, musllinux_1_2 (Alpine);
#       the CLI is a static binary
#   x86_64-apple-darwin, aarch64-apple-darwin               macOS (Xcode's linker); libcashi's
#       install name is @rpath/..., as rustls-ffi ships it
#   x86_64-pc-windows-msvc                                  Windows (MSVC), under Git Bash
# A target needs its Rust standard library (`rustup target add TRIPLE`); the script says so
# when it is missing, and refuses a target its host cannot build.
#
# Built with the `dist` profile (fat LTO, one codegen unit, stripped). Every artifact carries
# LICENSE-MIT and LICENSE-APACHE, and each native one THIRD-PARTY-NOTICES.txt: the licences
# of the crates linked into it (scripts/licenses.py). Installs its own tools
# (maturin, and on Linux zig and cargo-zigbuild, into a venv; cargo-c with cargo) under
# target/dist-tools/; running it again rebuilds only what changed. tests/install/run.sh
# installs what it writes, as a merchant would.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "scripts/dist.sh: $*" >&2; exit 2; }

source scripts/lib/target.sh

TARGET=""
while (($#)); do
    case "$1" in
        --target) (($# >= 2)) || die "--target needs a value: a target triple such as x86_64-unknown-linux-gnu"
            TARGET=$2; shift 2 ;;
        --target=*) TARGET=${1#--target=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (usage: scripts/dist.sh [--target TRIPLE])" ;;
    esac
done
HOST="$(host_triple)" || die "cannot build here"
TARGET="${TARGET:-$HOST}"
target_facts "$TARGET" || die "--target $TARGET: not a release target. The targets are: ${RELEASE_TARGETS[*]}"
target_facts "$HOST" || die "this host ($HOST) is not one the release is built on"
HOST_OS=$OS
target_facts "$TARGET"
[ "$OS" = "$HOST_OS" ] || die "--target $TARGET: this host ($HOST) cannot build it; it is built on \
$(case $OS in darwin) echo macOS ;; windows) echo Windows ;; *) echo Linux ;; esac) (.github/workflows/release.yml does that)"
case "$TARGET" in
    *-linux-gnu) GLIBC=2.17 ZIG_TARGET="$ARCH-linux-gnu.2.17" COMPAT=manylinux2014 ;;
    *-linux-musl) ZIG_TARGET="$ARCH-linux-musl" COMPAT=musllinux_1_2 ;;
esac

# The standard library for the target must be installed (rustup target add).
if ! rustc --print target-list | grep -qx "$TARGET" ||
    [ ! -d "$(rustc --print sysroot)/lib/rustlib/$TARGET/lib" ]; then
    die "--target $TARGET: Rust's standard library for it is not installed; run: rustup target add $TARGET"
fi

source scripts/lib/version.sh
VERSION=$CASHI_VERSION
DIST="${CASHI_DIST_DIR:-$ROOT/dist}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BUILT="$TARGET_DIR/$TARGET/dist"
TOOLS="$TARGET_DIR/dist-tools"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cashi-dist.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [ "$HOST_OS" = windows ]; then
    PYTHON="${PYTHON:-python}" VENV_BIN="$TOOLS/venv/Scripts" EXE=.exe
else
    PYTHON="${PYTHON:-python3}" VENV_BIN="$TOOLS/venv/bin" EXE=""
fi

step() { printf '\n==> %s\n' "$*"; }
timed() { # name, command...: runs it and says how long it took
    local name=$1 start=$SECONDS
    shift
    "$@"
    echo "    $name: $((SECONDS - start)) s"
}
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
archive() { "$PYTHON" scripts/lib/archive.py "$@"; } # OUT.tar.gz PARENT NAME
# A library that links libcashi dynamically must be built with the C runtime as a shared
# library on musl (Rust's musl targets link it statically by default, which rules out cdylib).
cdylib_env=()
if [ "$LIBC" = musl ]; then
    triple_var="$(echo "$TARGET" | tr 'a-z-' 'A-Z_')"
    cdylib_env=("CARGO_TARGET_${triple_var}_RUSTFLAGS=-C target-feature=-crt-static")
fi

step "$TARGET on $HOST: tools in $TOOLS"
[ -x "$VENV_BIN/python$EXE" ] || "$PYTHON" -m venv "$TOOLS/venv"
if [ "$HOST_OS" = linux ]; then
    "$VENV_BIN/python" -m pip install --quiet --disable-pip-version-check \
        maturin==1.16.0 ziglang==0.17.1 cargo-zigbuild==0.24.0
else
    "$VENV_BIN/python$EXE" -m pip install --quiet --disable-pip-version-check maturin==1.16.0
fi
if ! "$TOOLS/bin/cargo-cinstall$EXE" --version 2>/dev/null | grep -q '0\.10\.24'; then
    timed "cargo install cargo-c" cargo install --quiet --locked cargo-c --version 0.10.24 --root "$TOOLS"
fi
mkdir -p "$WORK/bin"
export PATH="$WORK/bin:$VENV_BIN:$TOOLS/bin:$PATH"
if [ "$HOST_OS" = linux ]; then
    # zig, from the venv's ziglang, as `zig` for napi and as `python3 -m ziglang` for the others.
    printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$VENV_BIN/python3" >"$WORK/bin/zig"
    chmod +x "$WORK/bin/zig"
    # cargo-c has no zig mode: the linker and C compiler it uses are cargo-zigbuild's zig cc,
    # for the same C library.
    cat >"$WORK/zigcc" <<EOF
#!/bin/sh
exec cargo-zigbuild zig cc -- -g -fno-sanitize=all -target $ZIG_TARGET "\$@"
EOF
    chmod +x "$WORK/zigcc"
fi
case "$TARGET" in
    # The oldest macOS each architecture's Rust target supports.
    x86_64-apple-darwin) export MACOSX_DEPLOYMENT_TARGET=10.12 ;;
    aarch64-apple-darwin) export MACOSX_DEPLOYMENT_TARGET=11.0 ;;
esac

rm -rf "$DIST"
mkdir -p "$DIST"/{python,npm,c,php,cli}

step "third-party notices: the crates linked into each native artifact"
NOTICES="$WORK/notices"
"$PYTHON" scripts/licenses.py --target "$TARGET" "cashi-python=$NOTICES/python.txt" "cashi-node=$NOTICES/node.txt" \
    "cashi-ffi=$NOTICES/libcashi.txt" "cashi-cli=$NOTICES/cli.txt"

step "Python: the abi3 wheel (maturin${COMPAT:+, zig, $COMPAT}) and the sdist"
# In the package folder, the wheel installs it as site-packages/cashi/THIRD-PARTY-NOTICES.txt
# (the sdist carries it too); not in git.
cp "$NOTICES/python.txt" bindings-python/python/cashi/THIRD-PARTY-NOTICES.txt
maturin_args=(--quiet --profile dist --target "$TARGET" --interpreter "$PYTHON" --out "$WORK/wheel")
[ "$HOST_OS" != linux ] || maturin_args+=(--zig --compatibility "$COMPAT")
(cd bindings-python && timed "wheel" env ${cdylib_env[@]+"${cdylib_env[@]}"} maturin build "${maturin_args[@]}")
# maturin names the tags manylinux2014 first; the file is named as auditwheel and pip's
# own tools write it, legacy alias last (the tags are a set: the name changes nothing else).
for wheel in "$WORK"/wheel/*.whl; do
    name="$(basename "$wheel")"
    name="${name/manylinux2014_$ARCH.manylinux_2_17_$ARCH/manylinux_2_17_$ARCH.manylinux2014_$ARCH}"
    cp "$wheel" "$DIST/python/$name"
done
(cd bindings-python && maturin sdist --out "$DIST/python" >/dev/null)

step "Node: the native module (napi${ZIG_TARGET:+, cargo-zigbuild, $ZIG_TARGET}) and the npm packages"
(cd bindings-node && { [ -d node_modules/@napi-rs/cli ] || npm ci --no-audit --no-fund --loglevel=error; })
napi_args=(--platform --profile dist --output-dir "$WORK/node" --no-js --dts native.d.ts)
if [ "$HOST_OS" = linux ]; then
    napi_args+=(--cross-compile --target "$TARGET${GLIBC:+.$GLIBC}")
else
    napi_args+=(--target "$TARGET")
fi
(cd bindings-node && timed "native module" env ${cdylib_env[@]+"${cdylib_env[@]}"} npx napi build "${napi_args[@]}" >/dev/null)
bindings-node/pack.sh --notices "$NOTICES/node.txt" "$DIST/npm" "$NPM=$WORK/node/cashi.$NPM.node" >/dev/null

step "C: libcashi (cargo cinstall: shared and static library, header, pkg-config)"
CROOT="$WORK/c/libcashi-$VERSION-$TARGET"
cinstall_env=(${cdylib_env[@]+"${cdylib_env[@]}"})
# Installed under / of a staging folder; on Windows straight into it (Git Bash would turn a
# prefix of / into its own install folder), the .pc's prefix is rewritten below either way.
layout=(--prefix / --libdir lib --includedir include --destdir "$CROOT")
case "$HOST_OS" in
    linux)
        triple_var="$(echo "$TARGET" | tr 'a-z-' 'A-Z_')"
        cinstall_env+=("CARGO_TARGET_${triple_var}_LINKER=$WORK/zigcc" "CC_${TARGET//-/_}=$WORK/zigcc") ;;
    windows) layout=(--prefix "$(cygpath -m "$CROOT")" --libdir lib --includedir include --bindir bin) ;;
esac
timed "libcashi" env ${cinstall_env[@]+"${cinstall_env[@]}"} cargo cinstall --profile dist -p cashi-ffi \
    --target "$TARGET" "${layout[@]}"
# Relocatable: the archive unpacks anywhere, and pkg-config finds the rest from the .pc.
pc="$CROOT/lib/pkgconfig/cashi.pc"
sed -e 's|^prefix=.*|prefix=${pcfiledir}/../..|' "$pc" >"$pc.new" && mv "$pc.new" "$pc"
case "$TARGET" in
    *-apple-darwin)
        # cargo-c records the install path (/lib/libcashi.<major.minor>.dylib) as the
        # library's name; programs then look for it there. @rpath/<that file> lets them find
        # it beside themselves or on their rpath, as rustls-ffi's release does. Changing the
        # name voids the ad-hoc signature arm64 requires: sign it again.
        for dylib in "$CROOT"/lib/*.dylib; do
            [ -L "$dylib" ] && continue
            install_name_tool -id "@rpath/$(basename "$(otool -D "$dylib" | tail -n1)")" "$dylib"
            codesign --force --sign - "$dylib"
            otool -D "$dylib" | tail -n1
        done
        LIBRARY="$CROOT/lib/libcashi.dylib" ;;
    *-windows-msvc) LIBRARY="$CROOT/bin/cashi.dll" ;;
    *) LIBRARY="$CROOT/lib/libcashi.so" ;;
esac
cp LICENSE-MIT LICENSE-APACHE bindings-c/README.md "$CROOT/"
cp "$NOTICES/libcashi.txt" "$CROOT/THIRD-PARTY-NOTICES.txt"
archive "$DIST/c/libcashi-$VERSION-$TARGET.tar.gz" "$WORK/c" "$(basename "$CROOT")"

step "PHP: the Composer package with this libcashi ($PHP)"
# package.py reads the file a symbolic link (libcashi.so -> libcashi.so.0.1.0) points to.
"$PYTHON" bindings-php/package.py --version "$VERSION" --out "$DIST/php/cashi-php-$VERSION.zip" \
    --notices "$NOTICES/libcashi.txt"     "$PHP=$LIBRARY" >/dev/null

step "CLI: the cashi command${ZIG_TARGET:+ (cargo-zigbuild, $ZIG_TARGET)}"
if [ "$HOST_OS" = linux ]; then
    timed "cashi" cargo zigbuild --quiet --profile dist -p cashi-cli --target "$TARGET${GLIBC:+.$GLIBC}"
else
    timed "cashi" cargo build --quiet --profile dist -p cashi-cli --target "$TARGET"
fi
CLI="$WORK/cli/cashi-$VERSION-$TARGET"
mkdir -p "$CLI"
cp "$BUILT/cashi$EXE" LICENSE-MIT LICENSE-APACHE "$CLI/"
cp "$NOTICES/cli.txt" "$CLI/THIRD-PARTY-NOTICES.txt"
archive "$DIST/cli/cashi-$VERSION-$TARGET.tar.gz" "$WORK/cli" "$(basename "$CLI")"

(cd "$DIST" && sha256 python/* npm/* c/* php/* cli/* >SHA256SUMS)
step "dist/ ($DIST)"
(cd "$DIST" && find . -type f | sort | while read -r f; do printf '%9s  %s\n' "$(wc -c <"$f" | tr -d ' ')" "$f"; done)

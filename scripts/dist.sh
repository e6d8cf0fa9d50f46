#!/usr/bin/env bash
# Builds every release artifact this host (Linux x86_64) can build, as merchants get them,
# into dist/ (or $CASHI_DIST_DIR), with the workspace's version:
#
#   python/cashi-<v>-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, cashi-<v>.tar.gz
#   npm/cashi-<v>.tgz, npm/cashi-linux-x64-gnu-<v>.tgz
#   c/libcashi-<v>-x86_64-unknown-linux-gnu.tar.gz
#   php/cashi-php-<v>.zip
#   cli/cashi-<v>-x86_64-unknown-linux-gnu.tar.gz
#   SHA256SUMS
#
# Every native file is linked by zig against glibc 2.17 (manylinux2014), so it loads on any
# Linux from CentOS 7 on, and built with the `dist` profile (fat LTO, one codegen unit,
# stripped). Every artifact carries LICENSE-MIT and LICENSE-APACHE, and each native one
# THIRD-PARTY-NOTICES.txt: the licences of the crates linked into it (scripts/licenses.py).
# Installs its own tools (maturin, zig, cargo-zigbuild into a venv, cargo-c with cargo)
# under target/dist-tools/; running it again rebuilds only what changed.
# tests/install/run.sh installs what it writes, as a merchant would.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/version.sh
VERSION=$CASHI_VERSION
TARGET=x86_64-unknown-linux-gnu
GLIBC=2.17
DIST="${CASHI_DIST_DIR:-$ROOT/dist}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BUILT="$TARGET_DIR/$TARGET/dist"
TOOLS="$TARGET_DIR/dist-tools"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cashi-dist.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> %s\n' "$*"; }
timed() { # name, command...: runs it and says how long it took
    local name=$1 start=$SECONDS
    shift
    "$@"
    echo "    $name: $((SECONDS - start)) s"
}

step "tools in $TOOLS"
[ -x "$TOOLS/venv/bin/python" ] || python3 -m venv "$TOOLS/venv"
"$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check \
    maturin==1.16.0 ziglang==0.17.1 cargo-zigbuild==0.24.0
if ! "$TOOLS/bin/cargo-cinstall" --version 2>/dev/null | grep -q '0\.10\.24'; then
    timed "cargo install cargo-c" cargo install --quiet --locked cargo-c --version 0.10.24 --root "$TOOLS"
fi
# zig, from the venv's ziglang, as `zig` for napi and as `python3 -m ziglang` for the others.
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$TOOLS/venv/bin/python3" >"$WORK/bin/zig"
chmod +x "$WORK/bin/zig"
export PATH="$WORK/bin:$TOOLS/venv/bin:$TOOLS/bin:$PATH"
# cargo-c has no zig mode: the linker and C compiler it uses are cargo-zigbuild's zig cc,
# for the same glibc.
cat >"$WORK/zigcc" <<EOF
#!/bin/sh
exec cargo-zigbuild zig cc -- -g -fno-sanitize=all -target x86_64-linux-gnu.$GLIBC "\$@"
EOF
chmod +x "$WORK/zigcc"

rm -rf "$DIST"
mkdir -p "$DIST"/{python,npm,c,php,cli}

step "third-party notices: the crates linked into each native artifact"
NOTICES="$WORK/notices"
python3 scripts/licenses.py --target "$TARGET" "cashi-python=$NOTICES/python.txt" "cashi-node=$NOTICES/node.txt" \
    "cashi-ffi=$NOTICES/libcashi.txt" "cashi-cli=$NOTICES/cli.txt"

step "Python: the abi3 wheel (maturin, zig, manylinux2014) and the sdist"
# In the package folder, the wheel installs it as site-packages/cashi/THIRD-PARTY-NOTICES.txt
# (the sdist carries it too); not in git.
cp "$NOTICES/python.txt" bindings-python/python/cashi/THIRD-PARTY-NOTICES.txt
(cd bindings-python && timed "wheel" maturin build --quiet --profile dist --zig --compatibility manylinux2014 \
    --target "$TARGET" --interpreter python3 --out "$WORK/wheel")
# maturin names the tags manylinux2014 first; the file is named as auditwheel and pip's
# own tools write it, legacy alias last (the tags are a set: the name changes nothing else).
for wheel in "$WORK"/wheel/*.whl; do
    name="$(basename "$wheel")"
    name="${name/manylinux2014_x86_64.manylinux_2_17_x86_64/manylinux_2_17_x86_64.manylinux2014_x86_64}"
    cp "$wheel" "$DIST/python/$name"
done
(cd bindings-python && maturin sdist --out "$DIST/python" >/dev/null)

step "Node: the native module (napi, cargo-zigbuild, glibc $GLIBC) and the npm packages"
(cd bindings-node && { [ -d node_modules/@napi-rs/cli ] || npm ci --no-audit --no-fund --loglevel=error; })
(cd bindings-node && timed "native module" npx napi build --platform --profile dist --cross-compile \
    --target "$TARGET.$GLIBC" --output-dir "$WORK/node" --no-js --dts native.d.ts >/dev/null)
bindings-node/pack.sh --notices "$NOTICES/node.txt" "$DIST/npm" \
    "linux-x64-gnu=$WORK/node/cashi.linux-x64-gnu.node" >/dev/null

step "C: libcashi (cargo cinstall: soname, static library, header, pkg-config)"
CROOT="$WORK/c/libcashi-$VERSION-$TARGET"
CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER="$WORK/zigcc" CC_x86_64_unknown_linux_gnu="$WORK/zigcc" \
    timed "libcashi" cargo cinstall --profile dist -p cashi-ffi --target "$TARGET" \
    --prefix / --libdir lib --includedir include --destdir "$CROOT"
# Relocatable: the archive unpacks anywhere, and pkg-config finds the rest from the .pc.
sed -i -e 's|^prefix=.*|prefix=${pcfiledir}/../..|' "$CROOT/lib/pkgconfig/cashi.pc"
cp LICENSE-MIT LICENSE-APACHE bindings-c/README.md "$CROOT/"
cp "$NOTICES/libcashi.txt" "$CROOT/THIRD-PARTY-NOTICES.txt"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$WORK/c" -cf - "$(basename "$CROOT")" \
    | gzip -9n >"$DIST/c/libcashi-$VERSION-$TARGET.tar.gz"

step "PHP: the Composer package with this libcashi"
python3 bindings-php/package.py --version "$VERSION" --out "$DIST/php/cashi-php-$VERSION.zip" \
    --notices "$NOTICES/libcashi.txt" "linux-x86_64-gnu=$(realpath "$CROOT/lib/libcashi.so")" >/dev/null

step "CLI: the cashi command (cargo-zigbuild, glibc $GLIBC)"
timed "cashi" cargo zigbuild --quiet --profile dist -p cashi-cli --target "$TARGET.$GLIBC"
CLI="$WORK/cli/cashi-$VERSION-$TARGET"
mkdir -p "$CLI"
cp "$BUILT/cashi" LICENSE-MIT LICENSE-APACHE "$CLI/"
cp "$NOTICES/cli.txt" "$CLI/THIRD-PARTY-NOTICES.txt"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$WORK/cli" -cf - "$(basename "$CLI")" \
    | gzip -9n >"$DIST/cli/cashi-$VERSION-$TARGET.tar.gz"

(cd "$DIST" && sha256sum python/* npm/* c/* php/* cli/* >SHA256SUMS)
step "dist/ ($DIST)"
(cd "$DIST" && find . -type f | sort | while read -r f; do printf '%9s  %s\n' "$(stat -c %s "$f")" "$f"; done)

#!/usr/bin/env bash
# Puts the release together from what scripts/dist.sh built for each target: every wheel,
# npm platform package, libcashi archive and CLI archive; the sdist and the main npm package
# (the same on every target) from the first folder given; and the PHP package assembled
# once, with each target's libcashi (taken from its libcashi archive) under
# lib/<os>-<arch>[-<libc>]/. Fails unless every release target (scripts/lib/target.sh) is
# there. Writes OUT/{python,npm,c,php,cli} and OUT/SHA256SUMS, the layout of a dist/ folder,
# so tests/install/run.sh installs from it on each platform.
#
#   scripts/assemble-release.sh OUT DIST_DIR...
#   scripts/assemble-release.sh release dist-x86_64-unknown-linux-gnu dist-aarch64-apple-darwin ...
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/lib/version.sh"
source "$ROOT/scripts/lib/target.sh"
VERSION=$CASHI_VERSION

fail() { echo "scripts/assemble-release.sh: $*" >&2; exit 1; }
(($# >= 2)) || fail "usage: scripts/assemble-release.sh OUT DIST_DIR... (the dist/ folders of every target)"
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || PYTHON=python
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
OUT=$1
shift
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cashi-assemble.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

rm -rf "$OUT"
mkdir -p "$OUT"/{python,npm,c,php,cli}
first=$1
cp "$first/python/cashi-$VERSION.tar.gz" "$OUT/python/" || fail "$first has no sdist"
cp "$first/npm/cashi-$VERSION.tgz" "$OUT/npm/" || fail "$first has no main npm package"

php_libs=()
for target in "${RELEASE_TARGETS[@]}"; do
    target_facts "$target"
    archive=""
    for dir in "$@"; do
        [ ! -f "$dir/c/libcashi-$VERSION-$target.tar.gz" ] || archive="$dir/c/libcashi-$VERSION-$target.tar.gz"
        [ -z "$archive" ] || break
    done
    [ -n "$archive" ] || fail "no build of $target among: $*"
    dir="$(dirname "$(dirname "$archive")")"
    # shellcheck disable=SC2206 # the macOS tag is a glob
    wheels=("$dir"/python/cashi-"$VERSION"-cp39-abi3-$WHEEL_TAG.whl)
    for f in "${wheels[0]}" "$dir/npm/cashi-$NPM-$VERSION.tgz" "$archive" "$dir/cli/cashi-$VERSION-$target.tar.gz"; do
        [ -f "$f" ] || fail "$target: no $f"
    done
    cp "${wheels[0]}" "$OUT/python/"
    cp "$dir/npm/cashi-$NPM-$VERSION.tgz" "$OUT/npm/"
    cp "$archive" "$OUT/c/"
    cp "$dir/cli/cashi-$VERSION-$target.tar.gz" "$OUT/cli/"
    mkdir -p "$WORK/$target"
    tar -xzf "$archive" -C "$WORK/$target"
    case "$OS" in
        darwin) lib="lib/libcashi.dylib" ;;
        windows) lib="bin/cashi.dll" ;;
        *) lib="lib/libcashi.so" ;;
    esac
    lib="$WORK/$target/libcashi-$VERSION-$target/$lib"
    [ -e "$lib" ] || fail "$target: the libcashi archive has no ${lib#"$WORK/$target/"}"
    php_libs+=("$PHP=$lib")
    echo "    $target: wheel, npm/cashi-$NPM, libcashi, cli; PHP lib/$PHP/"
done
# One notices file for the package: the crates linked into any of its libraries.
notice_targets=()
for target in "${RELEASE_TARGETS[@]}"; do notice_targets+=(--target "$target"); done
"$PYTHON" "$ROOT/scripts/licenses.py" "${notice_targets[@]}" "cashi-ffi=$WORK/php-notices.txt"
"$PYTHON" "$ROOT/bindings-php/package.py" --version "$VERSION" --out "$OUT/php/cashi-php-$VERSION.zip" \
    --notices "$WORK/php-notices.txt" "${php_libs[@]}" >/dev/null
(cd "$OUT" && sha256 python/* npm/* c/* php/* cli/* >SHA256SUMS)
echo "$OUT: $(find "$OUT" -type f | wc -l | tr -d ' ') files"

#!/usr/bin/env bash
# Installs every artifact of dist/ (scripts/dist.sh) as a merchant would, and runs the
# README's install lines and snippets with them, against a sandbox from the CLI archive:
#
#   checks   SHA256SUMS; no shipped ELF file needs a glibc symbol above 2.17; auditwheel
#   python   a local PyPI (pypiserver) serving dist/python; `pip install cashi` in a fresh venv
#            must choose the wheel, not the sdist
#   node     a local npm registry (verdaccio) with both npm tarballs published; `npm install
#            cashi` must pull cashi-linux-x64-gnu through optionalDependencies; the snippet
#            runs with require and with import
#   php      `composer require cashi/cashi` from an artifact repository holding the zip, no
#            CASHI_FFI_LIBRARY; the snippet through Composer's autoloader
#   c        the archive unpacked into a prefix, a program built with pkg-config (shared) and
#            against libcashi.a (static), and run
#   docs     every code block of the Markdown files marked `<!-- snippet: run LANG -->` or
#            `serve LANG`, as pasted, with the packages installed above (tests/docs/run.sh)
#
# Each installed artifact must carry LICENSE-MIT and LICENSE-APACHE, and each native one
# THIRD-PARTY-NOTICES.txt (scripts/licenses.py) listing the crates linked into it.
#
# The registries and their tools are set up first; everything a merchant runs then runs
# with no cargo, rustc or rustup on PATH and a fresh HOME.
#
#   tests/install/run.sh [DIST_DIR]      (default: $CASHI_DIST_DIR, else dist/)
#
# It tests the artifacts of this machine's target (scripts/lib/target.sh), the ones
# `scripts/dist.sh` builds here; .github/workflows/release.yml runs it on each platform of
# the release with that platform's artifacts. What does not apply somewhere is skipped
# with the reason, and only there:
#   - the glibc 2.17 check on musl, macOS and Windows (no glibc there);
#   - auditwheel on macOS and Windows (it reads Linux wheels only);
#   - on macOS the C programs are linked with an rpath to the unpacked lib/ (libcashi's
#     install name is @rpath/...), and its install name is checked instead of an ELF SONAME;
#   - on Windows the C step: linking needs MSVC's developer environment, which Git Bash
#     does not have (the archive's cashi.dll is still loaded, by PHP's FFI).
# Missing tools are installed with apt-get on Debian and Ubuntu; elsewhere the script names
# them and stops (the release workflow installs them first).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="$(cd "${1:-${CASHI_DIST_DIR:-$ROOT/dist}}" && pwd)"
source "$ROOT/scripts/lib/version.sh"
source "$ROOT/scripts/lib/sandbox.sh"
source "$ROOT/scripts/lib/target.sh"
VERSION=$CASHI_VERSION
TARGET="$(host_triple)"
target_facts "$TARGET"
if [ "$OS" = windows ]; then
    PYTHON="${PYTHON:-python}" VENV_BIN=Scripts EXE=.exe
    native_path() { cygpath -m "$1"; } # for paths written into files native programs read
else
    PYTHON="${PYTHON:-python3}" VENV_BIN=bin EXE=""
    native_path() { echo "$1"; }
fi
API_KEY="CASHI-INSTALL0001"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cashi-install.XXXXXX")"
PIDS=()
cleanup() {
    stop_sandbox
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
skip() { echo "    SKIPPED on $TARGET: $*"; }
snippet() { "$PYTHON" "$HERE/snippet.py" "$1" "$ROOT/README.md"; }
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sha256_check() { if command -v sha256sum >/dev/null; then sha256sum --check --quiet "$@"; else shasum -a 256 --check --quiet "$@"; fi; }
licences() { # what, directory, files...: present, not empty; a notices file lists rustls
    local what=$1 dir=$2
    shift 2
    for f in "$@"; do
        [ -s "$dir/$f" ] || fail "$what: no $f in $dir"
    done
    if [[ " $* " == *" THIRD-PARTY-NOTICES.txt "* ]]; then
        grep -Eq '^rustls +[0-9]' "$dir/THIRD-PARTY-NOTICES.txt" || fail "$what: THIRD-PARTY-NOTICES.txt does not list rustls"
    fi
    echo "    $what: $*"
}
NATIVE_LICENCES=(LICENSE-MIT LICENSE-APACHE THIRD-PARTY-NOTICES.txt)
wait_http() { # url, what
    for _ in $(seq 1 300); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    fail "$2 did not answer at $1 within 30 s"
}

need_apt=()
tools=(curl:curl php:php-cli composer:composer)
case "$OS" in
    linux) tools+=(objdump:binutils pkg-config:pkg-config cc:gcc) ;;
    darwin) tools+=(pkg-config:pkg-config cc:clang) ;;
esac
for tool in "${tools[@]}"; do
    command -v "${tool%%:*}" >/dev/null || need_apt+=("${tool#*:}")
done
if command -v php >/dev/null; then
    # Debian ships FFI in php8.x-common (with php-cli); Composer's artifact repository needs zip.
    php -r "exit(extension_loaded('ffi') ? 0 : 1);" || need_apt+=(php-cli)
    php -r "exit(extension_loaded('zip') ? 0 : 1);" || need_apt+=(php-zip)
else
    need_apt+=(php-zip)
fi
if ((${#need_apt[@]})) && ! command -v apt-get >/dev/null; then
    fail "missing here: ${need_apt[*]} (Debian's package names; PHP needs its ffi and zip extensions): install them first"
fi
if ((${#need_apt[@]})); then
    step "installing ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

step "dist/: checksums and the files expected"
(cd "$DIST" && sha256_check SHA256SUMS) || fail "SHA256SUMS does not match dist/"
# shellcheck disable=SC2206 # the macOS tag is a glob (it carries the minimum macOS version)
wheels=("$DIST"/python/cashi-"$VERSION"-cp39-abi3-$WHEEL_TAG.whl)
[ ${#wheels[@]} = 1 ] || fail "dist/python has ${#wheels[@]} wheels for $WHEEL_TAG: ${wheels[*]}"
WHEEL="${wheels[0]}"
for f in "$WHEEL" "$DIST/python/cashi-$VERSION.tar.gz" "$DIST/npm/cashi-$VERSION.tgz" \
    "$DIST/npm/cashi-$NPM-$VERSION.tgz" "$DIST/c/libcashi-$VERSION-$TARGET.tar.gz" \
    "$DIST/php/cashi-php-$VERSION.zip" "$DIST/cli/cashi-$VERSION-$TARGET.tar.gz"; do
    [ -f "$f" ] || fail "dist/ has no ${f#"$DIST"/}"
    echo "    ${f#"$DIST"/}"
done

step "tools: pypiserver and auditwheel (PyPI), verdaccio 6.8 (npm)"
"$PYTHON" -m venv "$WORK/tools"
tools_pip=(pypiserver==2.4.2)
[ "$OS" != linux ] || tools_pip+=(auditwheel==6.8.2)
"$WORK/tools/$VENV_BIN/python$EXE" -m pip install --quiet --disable-pip-version-check "${tools_pip[@]}"
mkdir -p "$WORK/verdaccio"
(cd "$WORK/verdaccio" && npm install --silent --no-audit --no-fund --prefix . verdaccio@6.8.0 >/dev/null)

step "every shipped ELF file needs glibc 2.17 at most; auditwheel agrees for the wheel"
if [ "$LIBC" = gnu ]; then
    "$PYTHON" "$HERE/check_glibc.py" 2.17 "$DIST"
else
    skip "the glibc check: these files are for ${LIBC:-$OS}, which has no glibc"
fi
if [ "$OS" = linux ]; then
    policy="${WHEEL_TAG%%.*}" # manylinux_2_17_x86_64, musllinux_1_2_aarch64
    "$WORK/tools/bin/auditwheel" show "$WHEEL" | tee "$WORK/auditwheel.txt"
    grep -q "\"$policy\"" "$WORK/auditwheel.txt" || fail "auditwheel does not call the wheel $policy"
else
    skip "auditwheel, which reads Linux wheels only"
fi

step "the sandbox, from the CLI archive"
mkdir -p "$WORK/cli"
tar -xzf "$DIST/cli/cashi-$VERSION-$TARGET.tar.gz" -C "$WORK/cli"
CASHI="$WORK/cli/cashi-$VERSION-$TARGET/cashi$EXE"
printf '#!/bin/sh\nexec "%s" sandbox "$@"\n' "$CASHI" >"$WORK/cli/sandbox"
chmod +x "$WORK/cli/sandbox"
[ "$("$CASHI" --version)" = "cashi $VERSION" ] || fail "cashi --version says $("$CASHI" --version), not cashi $VERSION"
echo "    $("$CASHI" --version)"
licences "CLI archive" "$(dirname "$CASHI")" "${NATIVE_LICENCES[@]}"

# From here on, as a merchant's server: no Rust toolchain, a fresh HOME.
clean_path=""
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
    [ -x "$dir/cargo$EXE" ] || [ -x "$dir/rustc$EXE" ] || [ -x "$dir/rustup$EXE" ] ||
        clean_path="$clean_path${clean_path:+:}$dir"
done
export PATH="$clean_path" HOME="$WORK/home"
# Nothing of this machine's package manager settings: only the registries started here.
PIP_CONFIG_FILE="$("$PYTHON" -c 'import os; print(os.devnull)')"
NPM_CONFIG_USERCONFIG="$(native_path "$HOME")/.npmrc"
export PIP_CONFIG_FILE NPM_CONFIG_USERCONFIG
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL
mkdir -p "$HOME"
for tool in cargo rustc rustup; do
    ! command -v "$tool" >/dev/null || fail "$tool is still on PATH"
done
echo "PATH has no cargo, rustc or rustup; HOME=$HOME"

sandbox() { # a fresh sandbox for one language; sets CASHI_BASE_URL
    stop_sandbox
    mkdir -p "$WORK/sandbox-$1"
    start_sandbox "$WORK/cli/sandbox" "$API_KEY" "$WORK/sandbox-$1"
    export CASHI_API_KEY="$API_KEY" CASHI_BASE_URL="$SANDBOX_ORIGIN/api"
}
expect_output() { # file, language: the snippet's order and webhook lines
    grep -Eq '^pay 150[0-9]{2} at https?://' "$1" || fail "$2: no 'pay <amount> at <checkout url>' line"
    grep -Eq '^webhook INV-9921 [0-9]+ settled$' "$1" || fail "$2: the webhook was not verified as settled"
    echo "    $2: order created and webhook verified"
}

step "Python: pip install cashi from a local PyPI"
PYPI_PORT="$(free_port)"
"$WORK/tools/$VENV_BIN/pypi-server$EXE" run -i 127.0.0.1 -p "$PYPI_PORT" "$DIST/python" >"$WORK/pypi.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PYPI_PORT/simple/" "pypiserver"
"$PYTHON" -m venv "$WORK/py"
install_line="$(snippet python-install)"
[ "$install_line" = "pip install cashi" ] || fail "the README's Python install line changed: $install_line"
# shellcheck source=/dev/null # the venv's activate script
(source "$WORK/py/$VENV_BIN/activate" &&
    PIP_INDEX_URL="http://127.0.0.1:$PYPI_PORT/simple/" PIP_DISABLE_PIP_VERSION_CHECK=1 \
        $install_line | tee "$WORK/pip.log")
grep -q "$(basename "$WHEEL")" "$WORK/pip.log" ||
    fail "pip did not install the wheel"
! grep -q "cashi-$VERSION.tar.gz" "$WORK/pip.log" || fail "pip chose the sdist"
# The wheel's files as installed: the licences in its .dist-info, the notices in the package.
mkdir -p "$WORK/py-licences"
"$WORK/py/$VENV_BIN/python$EXE" - "$WORK/py-licences" <<'PY'
import importlib.metadata, shutil, sys
for f in importlib.metadata.files("cashi") or []:
    if f.name in ("LICENSE-MIT", "LICENSE-APACHE", "THIRD-PARTY-NOTICES.txt"):
        shutil.copy(f.locate(), sys.argv[1])
PY
licences "Python wheel (installed)" "$WORK/py-licences" "${NATIVE_LICENCES[@]}"
sandbox python
snippet python >"$WORK/snippet.py"
(cd "$WORK" && "$WORK/py/$VENV_BIN/python$EXE" snippet.py | tee "$WORK/python.out")
expect_output "$WORK/python.out" python

step "Node: npm install cashi from a local registry (verdaccio)"
NPM_PORT="$(free_port)"
cat >"$WORK/verdaccio/config.yaml" <<EOF
storage: $(native_path "$WORK/verdaccio/storage")
auth:
  htpasswd:
    file: $(native_path "$WORK/verdaccio/htpasswd")
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
EOF
"$WORK/verdaccio/node_modules/.bin/verdaccio" --config "$WORK/verdaccio/config.yaml" \
    --listen "127.0.0.1:$NPM_PORT" >"$WORK/verdaccio.log" 2>&1 &
PIDS+=($!)
REGISTRY="http://127.0.0.1:$NPM_PORT/"
wait_http "${REGISTRY}-/ping" "verdaccio"
token="$(curl -fs -X PUT -H 'content-type: application/json' \
    -d '{"name":"release","password":"release-password"}' \
    "${REGISTRY}-/user/org.couchdb.user:release" | node -p 'JSON.parse(require("fs").readFileSync(0)).token')"
printf '//127.0.0.1:%s/:_authToken=%s\n' "$NPM_PORT" "$token" >"$HOME/.npmrc"
for tarball in "$DIST/npm/cashi-$NPM-$VERSION.tgz" "$DIST/npm/cashi-$VERSION.tgz"; do
    npm publish --silent --registry "$REGISTRY" "$tarball"
    echo "    published $(basename "$tarball")"
done
mkdir -p "$WORK/node"
install_line="$(snippet node-install)"
[ "$install_line" = "npm install cashi" ] || fail "the README's Node install line changed: $install_line"
(cd "$WORK/node" && echo '{"name":"shop","version":"1.0.0","private":true}' >package.json &&
    $install_line --registry "$REGISTRY" --no-audit --no-fund)
[ -f "$WORK/node/node_modules/cashi-$NPM/cashi.$NPM.node" ] ||
    fail "npm did not install cashi-$NPM through optionalDependencies"
[ -z "$(find "$WORK/node/node_modules/cashi" -name '*.node')" ] || fail "the main package carries a .node file"
echo "    cashi and cashi-$NPM installed"
licences "npm cashi" "$WORK/node/node_modules/cashi" LICENSE-MIT LICENSE-APACHE
licences "npm cashi-$NPM" "$WORK/node/node_modules/cashi-$NPM" "${NATIVE_LICENCES[@]}"
sandbox node
snippet node >"$WORK/node/shop.cjs"
(cd "$WORK/node" && node shop.cjs | tee "$WORK/node-require.out")
expect_output "$WORK/node-require.out" "node (require)"
import_line="$(sed -n "s|.*// ES modules: \(import .* from 'cashi'\)$|\1|p" "$WORK/node/shop.cjs")"
[ -n "$import_line" ] || fail "the Node snippet no longer shows its ES module import"
{ echo "$import_line"; tail -n +2 "$WORK/node/shop.cjs"; } >"$WORK/node/shop.mjs"
sandbox node-import
(cd "$WORK/node" && node shop.mjs | tee "$WORK/node-import.out")
expect_output "$WORK/node-import.out" "node (import)"

step "PHP: composer require cashi/cashi from an artifact repository"
mkdir -p "$WORK/php/artifacts"
cp "$DIST/php/cashi-php-$VERSION.zip" "$WORK/php/artifacts/"
cat >"$WORK/php/composer.json" <<EOF
{
    "name": "merchant/shop",
    "type": "project",
    "repositories": [{"type": "artifact", "url": "$(native_path "$WORK/php/artifacts")"}, {"packagist.org": false}]
}
EOF
install_line="$(snippet php-install)"
[ "$install_line" = "composer require cashi/cashi" ] || fail "the README's PHP install line changed: $install_line"
unset CASHI_FFI_LIBRARY
(cd "$WORK/php" && COMPOSER_ALLOW_SUPERUSER=1 $install_line --no-interaction --no-progress)
licences "Composer cashi/cashi" "$WORK/php/vendor/cashi/cashi" "${NATIVE_LICENCES[@]}"
sandbox php
snippet php >"$WORK/php/shop.php"
(cd "$WORK/php" && php shop.php | tee "$WORK/php.out")
expect_output "$WORK/php.out" php

step "C: the archive unpacked, built with pkg-config (shared) and against libcashi.a (static)"
mkdir -p "$WORK/c"
tar -xzf "$DIST/c/libcashi-$VERSION-$TARGET.tar.gz" -C "$WORK/c"
PREFIX="$WORK/c/libcashi-$VERSION-$TARGET"
ls -l "$PREFIX/lib"
licences "libcashi archive" "$PREFIX" "${NATIVE_LICENCES[@]}"
snippet c >"$WORK/c/shop.c"
pc="$PREFIX/lib/pkgconfig"
case "$OS" in
linux)
    soname="$(objdump -p "$PREFIX/lib/libcashi.so" | sed -n 's/^ *SONAME *//p')"
    [ -n "$soname" ] && [ -e "$PREFIX/lib/$soname" ] || fail "libcashi.so has no SONAME, or no file of that name"
    echo "    SONAME $soname"
    build="$(snippet c-build)"
    (cd "$WORK/c" && eval "$build")
    # shellcheck disable=SC2046 # pkg-config's flags are words
    (cd "$WORK/c" && cc shop.c $(PKG_CONFIG_PATH="$pc" pkg-config --cflags cashi) -o shop-static \
        "$PREFIX/lib/libcashi.a" $(PKG_CONFIG_PATH="$pc" pkg-config --static --libs-only-l cashi | sed 's/-lcashi//'))
    ! objdump -p "$WORK/c/shop-static" | grep -q 'NEEDED.*libcashi' || fail "the static build needs libcashi.so"
    ;;
darwin)
    name="$(otool -D "$PREFIX/lib/libcashi.dylib" | tail -n1)"
    [[ "$name" == @rpath/libcashi* ]] && [ -e "$PREFIX/lib/${name#@rpath/}" ] ||
        fail "libcashi.dylib's install name is $name, not @rpath/<a file beside it>"
    echo "    install name $name"
    # The README's build line, for this archive, plus the rpath the @rpath name needs.
    # shellcheck disable=SC2046 # pkg-config's flags are words
    (cd "$WORK/c" && cc shop.c $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs cashi) \
        -Wl,-rpath,"$PREFIX/lib" -o shop)
    # Static: libcashi.a in place of -lcashi, with the frameworks and libraries it needs.
    # shellcheck disable=SC2046 # pkg-config's flags are words
    (cd "$WORK/c" && cc shop.c $(PKG_CONFIG_PATH="$pc" pkg-config --cflags cashi) -o shop-static \
        "$PREFIX/lib/libcashi.a" $(PKG_CONFIG_PATH="$pc" pkg-config --static --libs cashi | sed -e 's/-lcashi//' -e 's/-L[^ ]*//g'))
    ! otool -L "$WORK/c/shop-static" | grep -q 'libcashi' || fail "the static build needs libcashi.dylib"
    ;;
esac
if [ "$OS" = windows ]; then
    skip "building C programs: linking against cashi.dll.lib or cashi.lib needs MSVC's developer \
environment, which Git Bash does not have (PHP's FFI loaded the archive's cashi.dll above)"
else
    sandbox c
    (cd "$WORK/c" && LD_LIBRARY_PATH="$PREFIX/lib" ./shop | tee "$WORK/c-shared.out")
    expect_output "$WORK/c-shared.out" "c (shared)"
    sandbox c-static
    (cd "$WORK/c" && ./shop-static | tee "$WORK/c-static.out")
    expect_output "$WORK/c-static.out" "c (static)"
fi

step "docs: every code block of the Markdown files marked run or serve, as pasted (tests/docs/run.sh)"
# What a merchant has downloaded from the release, and their project: `sh` blocks run in a copy.
DOWNLOADS="$WORK/downloads"
mkdir -p "$DOWNLOADS"
cp "$DIST/php/cashi-php-$VERSION.zip" "$DOWNLOADS/"
tar -xzf "$DIST/c/libcashi-$VERSION-$TARGET.tar.gz" -C "$DOWNLOADS"
cp "$WORK/c/shop.c" "$DOWNLOADS/"
# Composer's own registry is not reached from here: the project turns Packagist off.
echo '{"name": "merchant/shop", "type": "project", "repositories": [{"packagist.org": false}]}' \
    >"$DOWNLOADS/composer.json"
if [ "$OS" = windows ]; then
    skip "the docs test: its C blocks need MSVC's developer environment, and its servers a POSIX shell's job control"
else
    COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1 \
        DOCS_SANDBOX="$WORK/cli/sandbox" DOCS_PYTHON="$WORK/py/$VENV_BIN/python$EXE" \
        DOCS_NODE_DIR="$WORK/node" DOCS_PHP_DIR="$WORK/php" DOCS_C_PREFIX="$PREFIX" \
        DOCS_DOWNLOADS="$DOWNLOADS" DOCS_TARGET="$TARGET" PYTHON="$PYTHON" "$ROOT/tests/docs/run.sh" "$WORK/docs"
fi

step "every artifact installed and worked"

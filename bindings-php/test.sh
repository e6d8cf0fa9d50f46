#!/usr/bin/env bash
# The cashi/cashi PHP package's tests, run on the package as a merchant installs it: the
# package's zip (dist/php/cashi-php-<version>.zip when CASHI_DIST_DIR names a dist/ folder
# made by scripts/dist.sh, else one assembled here around a debug build of libcashi) is
# installed with `composer require` from a Composer `artifact` repository into a scratch
# project, whose autoloader PHPUnit then uses against a sandbox on a free port. Installs
# PHP, PHPUnit and Composer from Debian's packages if missing. Exits non-zero on any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

need_apt=()
command -v php >/dev/null || need_apt+=(php-cli)
command -v phpunit >/dev/null || need_apt+=(phpunit)
command -v composer >/dev/null || need_apt+=(composer)
command -v php >/dev/null || need_apt+=(php-zip)
[ -z "${CASHI_PHP_VALGRIND:-}" ] || command -v valgrind >/dev/null || need_apt+=(valgrind)
has_ext() { php -r "exit(extension_loaded('$1') ? 0 : 1);"; }
if command -v php >/dev/null; then
    # FFI is part of Debian's php8.x-common, pcntl and posix of php8.x-cli.
    for ext in ffi pcntl posix json; do has_ext "$ext" || need_apt+=(php-cli); done
    has_ext zip || need_apt+=(php-zip) # Composer's artifact repository reads the package's zip
fi
if ((${#need_apt[@]})); then
    echo "== installing ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi
for ext in ffi pcntl posix; do
    has_ext "$ext" || { echo "PHP's $ext extension is missing (Debian: php8.x-common ships ffi, php8.x-cli pcntl and posix)"; exit 1; }
done

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
source "$ROOT/scripts/lib/version.sh"
WORK="$(mktemp -d)"
ARTIFACTS="$WORK/artifacts"
mkdir -p "$ARTIFACTS"
if [ -n "${CASHI_DIST_DIR:-}" ]; then
    ZIP="$CASHI_DIST_DIR/php/cashi-php-$CASHI_VERSION.zip"
    [ -f "$ZIP" ] || { echo "no $ZIP: run scripts/dist.sh first" >&2; exit 1; }
    cp "$ZIP" "$ARTIFACTS/"
else
    echo "== building libcashi (cargo build -p cashi-ffi) and the package around it"
    cargo build -q -p cashi-ffi
    python3 "$ROOT/scripts/licenses.py" "cashi-ffi=$WORK/THIRD-PARTY-NOTICES.txt" >/dev/null
    python3 "$HERE/package.py" --version "$CASHI_VERSION" --out "$ARTIFACTS/cashi-php-$CASHI_VERSION.zip" \
        --notices "$WORK/THIRD-PARTY-NOTICES.txt" "linux-x86_64-gnu=$TARGET_DIR/debug/libcashi.so" >/dev/null
fi
if [ -z "${CASHI_SANDBOX_BIN:-}" ]; then
    echo "== building the sandbox (cargo build -p cashi-sandbox)"
    cargo build -q -p cashi-sandbox
    CASHI_SANDBOX_BIN="$TARGET_DIR/debug/cashi-sandbox"
fi

echo "== composer require cashi/cashi:$CASHI_VERSION into a scratch project (artifact repository, offline)"
PROJECT="$WORK/project"
mkdir -p "$PROJECT"
cat >"$PROJECT/composer.json" <<JSON
{
    "name": "merchant/shop",
    "type": "project",
    "repositories": [
        {"type": "artifact", "url": "$ARTIFACTS"},
        {"packagist.org": false}
    ]
}
JSON
export COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME="$WORK/composer-home" COMPOSER_CACHE_DIR="$WORK/composer-cache"
(cd "$PROJECT" && composer require --no-interaction --no-progress --quiet "cashi/cashi:$CASHI_VERSION")
cp -r "$HERE/examples" "$PROJECT/examples"
export CASHI_PHP_AUTOLOAD="$PROJECT/vendor/autoload.php"

source "$ROOT/scripts/lib/sandbox.sh"
cleanup() {
    stop_sandbox
    rm -rf "$WORK"
}
trap cleanup EXIT

API_KEY="CASHI-PHPTEST001"
# SecretsTest provokes every error with the recognisable key of tests/vectors/secrets.json.
SECRET_KEY="$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["api_key"];' "$ROOT/tests/vectors/secrets.json")"
# TlsTest: a sandbox over HTTPS and its CA's certificate; the environment names no other
# bundle, so that without the option the certificate is refused.
unset CASHI_CA_BUNDLE SSL_CERT_FILE
mkdir "$WORK/tls"
start_sandbox "$CASHI_SANDBOX_BIN" "$API_KEY" "$WORK/tls" --tls --tls-ca-out "$WORK/tls/ca.pem"
export CASHI_TLS_BASE_URL="$SANDBOX_ORIGIN/api" CASHI_TLS_CA="$WORK/tls/ca.pem"
start_sandbox "$CASHI_SANDBOX_BIN" "$API_KEY" "$WORK" --webhook-retry-schedule 1,1,2 --api-key "$SECRET_KEY"
ORIGIN="$SANDBOX_ORIGIN"
echo "== sandbox at $ORIGIN/api"

unset CASHI_FFI_LIBRARY
cd "$HERE"
# CASHI_PHP_VALGRIND=1 runs the whole suite under valgrind (a section of the test command,
# and scripts/robustness.sh), without the conformance scenarios (they do not run under
# valgrind, and the plain run has them): PHP's own
# allocator off so every allocation is checked, no definite or indirect leak, no invalid access.
# PCRE's JIT is off (its code reads past buffers on purpose, a known valgrind false alarm);
# forked children are not checked (they exit without tearing down what the parent owns);
# the memory group measures RSS, which valgrind's own bookkeeping swamps; see
# tests/valgrind-php.supp for the one interpreter leak suppressed, and
# bindings-c/tests/valgrind-tls.supp for what memcheck cannot follow in TLS (TlsTest).
RUN_PHP=()
EXTRA=()
if [ -n "${CASHI_PHP_VALGRIND:-}" ]; then
    export USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1
    RUN_PHP=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect
        --show-leak-kinds=definite,indirect --child-silent-after-fork=yes --error-exitcode=99
        --suppressions="$HERE/tests/valgrind-php.supp"
        --suppressions="$ROOT/bindings-c/tests/valgrind-tls.supp" php -d pcre.jit=0)
    EXTRA=(--exclude-group memory)
fi
CASHI_BASE_URL="$ORIGIN/api" CASHI_API_KEY="$API_KEY" "${RUN_PHP[@]}" "$(command -v phpunit)" \
    --configuration phpunit.xml.dist "${EXTRA[@]}" "$@"

if [ -n "${CASHI_PHP_VALGRIND:-}" ]; then
    echo "PHP tests passed under valgrind"
    exit 0
fi
echo "== parity: the installed package exposes every field and predicate of the core's schemas (tests/parity)"
python3 "$ROOT/tests/parity/run.py" php -- php "$ROOT/tests/parity/probe.php"
echo "== cross-language conformance scenarios through the installed package"
python3 "$ROOT/tests/conformance/run.py" \
    --sandbox "$CASHI_SANDBOX_BIN" --runner "php=php $ROOT/tests/conformance/runners/runner.php" | tail -n 3
echo "PHP tests passed"

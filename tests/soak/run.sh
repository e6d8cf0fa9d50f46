#!/usr/bin/env bash
# Soak, fork and concurrency checks of the Python, Node and PHP packages as users install
# them (release builds), against one release sandbox. Called by scripts/robustness.sh;
# prints `soak:`, `fork:`, `threads:` and `concurrency:` lines.
#   tests/soak/run.sh [CALLS]     (default 20000 per language; at least 10000, which Node's
#                                 memory check needs: V8's heap grows for thousands of calls)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CALLS=${1:-20000}
if ! [[ "$CALLS" =~ ^[0-9]+$ ]] || ((CALLS < 10000)); then
    echo "tests/soak/run.sh: CALLS must be a whole number of at least 10000, got $CALLS" >&2
    exit 2
fi
WORK="$ROOT/target/soak"
mkdir -p "$WORK"
source "$ROOT/scripts/lib/sandbox.sh"
trap stop_sandbox EXIT

cd "$ROOT"
# Apart, so libcashi does not get the sandbox's tokio features (process, signal).
cargo build --release -p cashi-ffi
cargo build --release -p cashi-sandbox

echo "== Python: release wheel into a fresh venv"
rm -rf "$WORK/venv"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check maturin
(cd bindings-python && "$WORK/venv/bin/maturin" build --release --interpreter "$WORK/venv/bin/python" --out "$WORK/wheels")
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall "$WORK"/wheels/cashi-*.whl

echo "== Node: release module, packed and installed into a scratch project"
(cd bindings-node && npm ci --no-audit --no-fund --silent && npx napi build --platform --release --js native.js --dts native.d.ts)
rm -rf "$WORK/node" && mkdir -p "$WORK/node"
(cd bindings-node && npm pack --silent --pack-destination "$WORK/node" >/dev/null)
(cd "$WORK/node" && echo '{"name":"soak","version":"1.0.0","private":true}' > package.json && npm install --silent --no-audit --no-fund ./cashi-*.tgz)

echo "== PHP: the package with the release libcashi"
command -v php >/dev/null || { apt-get update -qq && apt-get install -y -qq php-cli composer >/dev/null; }
mkdir -p bindings-php/lib && cp target/release/libcashi.so bindings-php/lib/
(cd bindings-php && COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload --no-interaction --quiet)

start_sandbox target/release/cashi-sandbox CASHI-SOAK0000001 "$WORK"
export CASHI_BASE_URL="$SANDBOX_ORIGIN/api" CASHI_API_KEY=CASHI-SOAK0000001

"$WORK/venv/bin/python" tests/soak/soak.py "$CALLS"
(cd "$WORK/node" && node --expose-gc "$ROOT/tests/soak/soak.mjs" "$CALLS")
CASHI_PHP_AUTOLOAD="$ROOT/bindings-php/vendor/autoload.php" php tests/soak/soak.php "$CALLS"

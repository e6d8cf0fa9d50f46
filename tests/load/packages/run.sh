#!/usr/bin/env bash
# Soak, fork and concurrency checks of the Python, Node and PHP packages as users install
# them (the release artifacts of CASHI_DIST_DIR, or of dist/ after scripts/dist.sh), against
# one release sandbox. Called by scripts/robustness.sh and the test command;
# prints `soak:`, `fork:`, `threads:` and `concurrency:` lines.
#   tests/load/packages/run.sh [CALLS]   (default and least 20000 per language, which Node's
#                                        memory check needs: V8's heap grows for thousands
#                                        of calls)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
CALLS=${1:-20000}
if ! [[ "$CALLS" =~ ^[0-9]+$ ]] || ((CALLS < 20000)); then
    echo "tests/load/packages/run.sh: CALLS must be a whole number of at least 20000, got $CALLS" >&2
    exit 2
fi
WORK="$ROOT/target/soak"
mkdir -p "$WORK"
source "$ROOT/scripts/lib/sandbox.sh"
trap stop_sandbox EXIT

cd "$ROOT"
# The packages as released (scripts/dist.sh), installed as merchants install them.
DIST="${CASHI_DIST_DIR:-$ROOT/dist}"
[ -n "${CASHI_DIST_DIR:-}" ] || scripts/dist.sh
source scripts/lib/version.sh
TARGET=x86_64-unknown-linux-gnu

echo "== Python: the release wheel into a fresh venv"
rm -rf "$WORK/venv"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check --no-index --find-links "$DIST/python" \
    --only-binary cashi cashi

echo "== Node: the release tarballs installed into a scratch project"
rm -rf "$WORK/node" && mkdir -p "$WORK/node"
(cd "$WORK/node" && echo '{"name":"soak","version":"1.0.0","private":true}' > package.json && npm install --silent \
    --no-audit --no-fund "$DIST/npm/cashi-$CASHI_VERSION.tgz" "$DIST/npm/cashi-linux-x64-gnu-$CASHI_VERSION.tgz")

echo "== PHP: the release package through Composer"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
command -v php >/dev/null || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq php-cli php-zip composer >/dev/null; }
rm -rf "$WORK/php" && mkdir -p "$WORK/php/artifacts"
cp "$DIST/php/cashi-php-$CASHI_VERSION.zip" "$WORK/php/artifacts/"
echo '{"name":"soak/php","repositories":[{"type":"artifact","url":"artifacts"},{"packagist.org":false}]}' >"$WORK/php/composer.json"
(cd "$WORK/php" && COMPOSER_ALLOW_SUPERUSER=1 composer require --quiet --no-interaction "cashi/cashi:$CASHI_VERSION")

echo "== the sandbox, from the CLI archive"
tar -xzf "$DIST/cli/cashi-$CASHI_VERSION-$TARGET.tar.gz" -C "$WORK"
printf '#!/bin/sh\nexec "%s" sandbox "$@"\n' "$WORK/cashi-$CASHI_VERSION-$TARGET/cashi" >"$WORK/sandbox"
chmod +x "$WORK/sandbox"

start_sandbox "$WORK/sandbox" CASHI-SOAK0000001 "$WORK"
export CASHI_BASE_URL="$SANDBOX_ORIGIN/api" CASHI_API_KEY=CASHI-SOAK0000001

"$WORK/venv/bin/python" tests/load/packages/soak.py "$CALLS"
(cd "$WORK/node" && node --expose-gc "$ROOT/tests/load/packages/soak.mjs" "$CALLS")
CASHI_PHP_AUTOLOAD="$WORK/php/vendor/autoload.php" php tests/load/packages/soak.php "$CALLS"

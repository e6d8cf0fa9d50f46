#!/usr/bin/env bash
# Browser test of the sandbox checkout page. Installs what it needs (Debian's chromium,
# the npm package playwright-core from the committed lock file), builds the sandbox
# binary unless CASHI_SANDBOX_BIN is set, runs the test. Non-zero exit on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
    echo "chromium not found at $CHROMIUM and not installable: install it, or set CHROMIUM to a Chrome or Chromium binary" >&2
    exit 1
  fi
fi

if [ -z "${CASHI_SANDBOX_BIN:-}" ]; then
  (cd "$root" && cargo build -q -p cashi-sandbox --bin cashi-sandbox)
  CASHI_SANDBOX_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/cashi-sandbox"
fi
export CASHI_SANDBOX_BIN

cd "$here"
npm ci --no-audit --no-fund --silent
node checkout.test.js

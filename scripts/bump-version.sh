#!/usr/bin/env bash
# Sets the SDK's version everywhere it is stated, in lockstep: the workspace's Cargo.toml
# (which every crate inherits: libcashi's cashi_version(), `cashi --version`, the Python
# wheel's and the Node module's version), Cargo.lock and the bench's and fuzz's lock files,
# bindings-node/package.json, its lock file, napi's loader (native.js) and every
# npm/*/package.json, Cashi\Client::VERSION and the libcashi version the PHP package
# expects, the README's C install lines, and the CHANGELOG: a `## [X.Y.Z] - <today>`
# heading under `## [Unreleased]` (what was unreleased is now in it) and its links.
# The places are listed in scripts/lib/versions.py; scripts/check-versions.py checks them
# afterwards, as the test command does.
#
#   scripts/bump-version.sh X.Y.Z [YYYY-MM-DD]     (default date: today, UTC)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: scripts/bump-version.sh X.Y.Z [YYYY-MM-DD]" >&2
    exit 2
fi
python3 scripts/lib/versions.py bump "$1" "${2:-$(date -u +%F)}"
python3 scripts/check-versions.py >/dev/null
echo "every place states $1: review with git diff, then commit and tag v$1"

#!/usr/bin/env bash
# cargo deny check licenses bans sources (deny.toml) on the root workspace, bench/rust and
# fuzz, without network: the crates come from cargo's cache (`cargo fetch --locked` first,
# which downloads only what the cache lacks) and cargo-deny runs --offline. The advisories
# check needs the RustSec database from the network: the CI and release workflows run it.
# Installs cargo-deny, pinned, under target/dist-tools/ as scripts/dist.sh does its tools.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${CARGO_TARGET_DIR:-$PWD/target}/dist-tools"
DENY_VERSION=0.20.2

if ! "$TOOLS/bin/cargo-deny" --version 2>/dev/null | grep -qx "cargo-deny $DENY_VERSION"; then
    start=$SECONDS
    cargo install --quiet --locked cargo-deny --version "$DENY_VERSION" --root "$TOOLS"
    echo "cargo install cargo-deny $DENY_VERSION: $((SECONDS - start)) s"
fi

failed=0
for manifest in Cargo.toml bench/rust/Cargo.toml fuzz/Cargo.toml; do
    echo "== $manifest"
    cargo fetch --quiet --locked --manifest-path "$manifest"
    "$TOOLS/bin/cargo-deny" --offline --locked --manifest-path "$manifest" --config deny.toml \
        --log-level error check licenses bans sources || failed=1
done
exit "$failed"

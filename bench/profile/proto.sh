#!/usr/bin/env bash
# Measures FINDINGS.md fixes 1+2 before anyone applies them: copies core/ and bindings-c/
# into bench/.work/proto, applies fix1-current-thread-runtime.patch there (the SDK's own
# files are not touched), builds that libcashi into target-bench-proto/, and runs the PHP
# sequential figure with today's libcashi and the patched one, alternately, against a
# static server at BENCH_BASE_URL (e.g. the nginx of a running bench/run.sh).
# With PROTO_PYTHON=1 it does the same for the Python wheel (core patch plus
# fix1-python-run-blocking.patch, installed into bench/.work/venv-proto) and compares it
# with the bench venv's wheel through py_sync.py.
#
#   BENCH_BASE_URL=http://127.0.0.1:PORT/api bench/profile/proto.sh
#   PROTO_PYTHON=1 BENCH_BASE_URL=http://127.0.0.1:PORT/api bench/profile/proto.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
P="$BENCH/.work/proto"
: "${BENCH_BASE_URL:?set BENCH_BASE_URL to a static server, e.g. http://127.0.0.1:PORT/api}"

rm -rf "$P" && mkdir -p "$P"
cp -r "$ROOT/core" "$ROOT/bindings-c" "$ROOT/Cargo.lock" "$P/"
rm -rf "$P/core/tests" "$P/bindings-c/tests"
cat >"$P/Cargo.toml" <<'TOML'
[workspace]
resolver = "2"
members = ["core", "bindings-c"]

[workspace.package]
version = "0.1.0"
edition = "2021"
license = "MIT OR Apache-2.0"
repository = "https://github.com/cashi-sdk/cashi"
rust-version = "1.80"

[workspace.dependencies]
cashi = { path = "core", version = "0.1.0" }
tokio = { version = "1", features = ["rt-multi-thread", "macros", "time", "sync", "net"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[profile.release]
lto = "thin"
codegen-units = 4
TOML
(cd "$P" && patch -p1 <"$HERE/fix1-current-thread-runtime.patch")
if [ -n "${PROTO_PYTHON:-}" ]; then
    cp -r "$ROOT/bindings-python" "$P/" && rm -rf "$P/bindings-python/tests"
    sed -i 's/members = \["core", "bindings-c"\]/members = ["core", "bindings-c", "bindings-python"]/' "$P/Cargo.toml"
    (cd "$P" && patch -p1 <"$HERE/fix1-python-run-blocking.patch")
    rm -rf "$P/wheels"
    (cd "$P/bindings-python" && CARGO_TARGET_DIR="$ROOT/target-bench-proto" \
        "$BENCH/.work/venv/bin/maturin" build --release --quiet --interpreter "$BENCH/.work/venv/bin/python" --out "$P/wheels")
    [ -x "$BENCH/.work/venv-proto/bin/python" ] || python3 -m venv "$BENCH/.work/venv-proto"
    "$BENCH/.work/venv-proto/bin/pip" install -q --force-reinstall --no-deps "$P"/wheels/cashi-*.whl
    for round in 1 2; do
        for venv in venv venv-proto; do
            echo "== round $round: Python, $venv"
            "$BENCH/.work/$venv/bin/python" "$HERE/py_sync.py"
        done
    done
    exit 0
fi
(cd "$P" && CARGO_TARGET_DIR="$ROOT/target-bench-proto" cargo build -q --release -p cashi-ffi)
(cd "$ROOT" && CARGO_TARGET_DIR="$ROOT/target-bench" cargo build -q --release -p cashi-ffi)

for round in 1 2; do
    for lib in target-bench target-bench-proto; do
        echo "== round $round: $lib"
        CASHI_FFI_LIBRARY="$ROOT/$lib/release/libcashi.so" BENCH_FIGURES=seq BENCH_SECONDS="${BENCH_SECONDS:-1.2}" \
            php "$BENCH/php/bench.php" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print("%-11s %-7s %9.0f calls/s  p50 %7.1f us  errors %d" % (r["client"], r["op"], r["rate"], r["p50_us"], r["errors"]))'
    done
done

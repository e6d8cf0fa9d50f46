#!/usr/bin/env bash
# Every test of the project, on a fresh machine: formatting and lints, the Rust crates
# (core, sandbox, CLI, C library), the release artifacts (scripts/dist.sh, built once) and
# their installation as merchants install them (tests/install/run.sh, no Rust on PATH),
# then each binding's tests on those same release packages, a short run of every fuzz
# target (fuzz/ci.sh), the benchmarks (their lints, and a short run that fails if any
# client's call failed or any figure is missing; it asserts no time), and the sandbox's
# checkout page in headless Chromium. Installs what it needs (apt, pip, npm).
# Exits non-zero if anything fails, after running everything it can.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0

declare -a RESULTS=()
FAILED=0
section() { echo; echo "=== $1 ==="; }
record() { # name, exit code
  if [ "$2" -eq 0 ]; then RESULTS+=("PASS  $1"); else RESULTS+=("FAIL  $1"); FAILED=$((FAILED + 1)); fi
}
run() { # name, command...
  local name=$1; shift
  section "$name"
  local start=$SECONDS
  "$@"
  local rc=$?
  echo "--- $name: exit $rc in $((SECONDS - start)) s"
  record "$name" "$rc"
}

run "cargo fmt" cargo fmt --all --check
run "docs: every relative link of every Markdown file resolves" python3 scripts/check-links.py
run "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
run "rust tests (core, sandbox, cli, C library)" cargo test
# Built once here; every binding's tests start this sandbox binary.
cargo build -p cashi-sandbox -p cashi-cli
export CASHI_SANDBOX_BIN="$ROOT/target/debug/cashi-sandbox"
# Each language's test script runs the conformance scenarios through its installed package
# and leaves its column here; the matrix at the end puts them side by side.
export CASHI_CONFORMANCE_DIR="$ROOT/target/conformance"
rm -rf "$CASHI_CONFORMANCE_DIR"
cargo build -p cashi --example conformance_runner

# The release artifacts, built once: the install test and every binding's tests use them.
export CASHI_DIST_DIR="$ROOT/dist"
run "dist: every release artifact (scripts/dist.sh)" scripts/dist.sh
run "install: every artifact as a merchant installs it (tests/install/run.sh)" tests/install/run.sh

run "conformance: rust" python3 tests/conformance/run.py --runner "rust=$ROOT/target/debug/examples/conformance_runner"

for binding in bindings-c bindings-python bindings-node bindings-php; do
  if [ -x "$binding/test.sh" ]; then
    run "$binding" "$binding/test.sh"
  fi
done
# Every fuzz target: its seeds and past crashes replayed, then 20 s of fuzzing each
# (FUZZ_SECONDS), with cargo-fuzz built once into target/dist-tools/.
run "fuzz: every target's corpus and regressions, then ${FUZZ_SECONDS:-20} s each (fuzz/ci.sh)" fuzz/ci.sh
run "bench: formatting, lints and the report's test" bench/lint.sh
run "bench: every client of every figure, a short run (bench/run.sh --quick)" bench/run.sh --quick
run "conformance matrix: scenario x language" python3 tests/conformance/run.py --matrix "$CASHI_CONFORMANCE_DIR"

if [ -x sandbox/tests/browser/run.sh ]; then
  run "checkout page in headless Chromium" sandbox/tests/browser/run.sh
fi

echo
echo "=== summary ==="
printf '%s\n' "${RESULTS[@]}"
passed=$(( ${#RESULTS[@]} - FAILED ))
echo "$passed passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

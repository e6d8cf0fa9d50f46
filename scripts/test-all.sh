#!/usr/bin/env bash
# Every test of the project, on a fresh machine: formatting and lints, the versions in
# lockstep (scripts/check-versions.py), the Rust crates (core, sandbox, CLI, C library),
# the dependencies' licences and sources (scripts/deny.sh) and each native artifact's
# third-party notices, the release artifacts (scripts/dist.sh, built once) and their
# installation as merchants install them (tests/install/run.sh, no Rust on PATH), then each
# binding's tests on those same release packages, the installed packages' soak (Python's
# threads at a small size) and the PHP suite under valgrind, a short run of every fuzz
# target (fuzz/ci.sh), the benchmarks (their lints, and a short run that fails if any
# client's call failed or any figure is missing; it asserts no time), and the sandbox's
# checkout page in headless Chromium. Installs what it needs (apt, pip, npm).
# Exits non-zero if anything fails, after running everything it can; the summary ends with
# the last lines of each failed section and the free disk, since a CI log is often read
# from its end only.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0
# Line tables are what a panic's backtrace and valgrind's reports need; full debug info
# would more than double the test builds' size, and a CI machine's disk may be small.
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
# A registry may drop a connection now and then: cargo, pip and npm try again, longer.
export CARGO_NET_RETRY=10 PIP_RETRIES=10
export npm_config_fetch_retries=5 npm_config_fetch_retry_maxtimeout=120000

# Each section's output is also kept in target/test-logs/<n>.log, for the summary.
LOGS="$ROOT/target/test-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"
free_disk() { df -Ph "$ROOT" | awk 'NR == 2 { print $4 " free of " $2 }'; }
DISK_AT_START=$(free_disk)
echo "disk: $DISK_AT_START"

declare -a RESULTS=() FAILED_LOGS=()
FAILED=0
section() { echo; echo "=== $1 ==="; }
record() { # name, exit code, log
  if [ "$2" -eq 0 ]; then
    RESULTS+=("PASS  $1")
  else
    RESULTS+=("FAIL  $1"); FAILED=$((FAILED + 1)); FAILED_LOGS+=("$1"$'\t'"$3")
  fi
}
run() { # name, command...
  local name=$1; shift
  local log="$LOGS/$(( ${#RESULTS[@]} + 1 )).log"
  section "$name"
  local start=$SECONDS
  # Into the log and shown from there, not through a pipe: a server a section leaves
  # running would hold a pipe open and hang the run.
  : > "$log"
  "$@" >> "$log" 2>&1 &
  local pid=$!
  tail -n +1 -s 0.2 -f --pid="$pid" "$log"
  wait "$pid"
  local rc=$?
  echo "--- $name: exit $rc in $((SECONDS - start)) s"
  record "$name" "$rc" "$log"
}

run "cargo fmt" cargo fmt --all --check
run "docs: every relative link of every Markdown file resolves" python3 scripts/check-links.py
run "docs: every code block of every Markdown file is run or says why not" python3 tests/docs/snippets.py check
run "scripts: every tracked script keeps its run bit" python3 scripts/check-executables.py
run "workflows: actionlint with shellcheck, every action pinned to a commit" scripts/check-workflows.sh
run "versions: every place states the workspace's version (scripts/check-versions.py)" python3 scripts/check-versions.py
run "versions: bump-version.sh and the lockstep check, on a copy (scripts/test-versions.py)" python3 scripts/test-versions.py
run "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
run "generated: each binding's record types match the core's schemas (tools/codegen)" cargo run -q -p cashi-codegen -- check
run "rust tests (core, sandbox, cli, C library)" cargo test
run "the core crate packages for crates.io (cargo publish --dry-run)" cargo publish --dry-run --allow-dirty --quiet -p cashi
run "supply chain: cargo deny check licenses bans sources (scripts/deny.sh)" scripts/deny.sh
run "supply chain: each native artifact's third-party notices (scripts/test-licenses.py)" python3 scripts/test-licenses.py
# Built once here; every binding's tests start this sandbox binary.
cargo build -p cashi-sandbox -p cashi-cli
export CASHI_SANDBOX_BIN="$ROOT/target/debug/cashi-sandbox"
# Each language's test script runs the conformance scenarios through its installed package
# and leaves its column here; the matrix at the end puts them side by side.
export CASHI_CONFORMANCE_DIR="$ROOT/target/conformance"
rm -rf "$CASHI_CONFORMANCE_DIR"
cargo build -p cashi-conformance-runner

# The release artifacts, built once: the install test and every binding's tests use them.
export CASHI_DIST_DIR="$ROOT/dist"
run "dist: every release artifact (scripts/dist.sh)" scripts/dist.sh
run "install: every artifact as a merchant installs it (tests/install/run.sh)" tests/install/run.sh

run "conformance: rust" python3 tests/conformance/run.py --runner "rust=$ROOT/target/debug/cashi-conformance-runner"

for binding in bindings-c bindings-python bindings-node bindings-php; do
  run "$binding" "$binding/test.sh"
done
# scripts/robustness.sh's checks of the installed packages at small sizes (cargo test runs
# the Rust ones; bindings-c/test.sh runs the C suite under valgrind): the soak at the 20,000
# calls Node's memory check needs (8 threads x 100 calls for Python's thread check), and the
# PHPUnit suite under valgrind.
run "soak: the installed Python, Node and PHP packages, 20,000 calls each (tests/load/packages/run.sh)" \
  env CASHI_THREAD_CALLS=100 tests/load/packages/run.sh 20000
# Under valgrind PHP loads the debug libcashi, not dist's stripped one: valgrind's reports
# then name functions, and its suppressions (bindings-c/tests/valgrind-tls.supp) match them.
run "bindings-php: the PHPUnit suite under valgrind" env -u CASHI_DIST_DIR CASHI_PHP_VALGRIND=1 bindings-php/test.sh
# Every fuzz target: its seeds and past crashes replayed, then 20 s of fuzzing each
# (FUZZ_SECONDS), with cargo-fuzz built once into target/dist-tools/.
run "fuzz: every target's corpus and regressions, then ${FUZZ_SECONDS:-20} s each (fuzz/ci.sh)" fuzz/ci.sh
run "bench: formatting, lints and the report's test" bench/lint.sh
run "bench: every client of every figure, a short run (bench/run.sh --quick)" bench/run.sh --quick
run "conformance matrix: scenario x language" python3 tests/conformance/run.py --matrix "$CASHI_CONFORMANCE_DIR"

run "checkout page in headless Chromium" sandbox/tests/browser/run.sh

echo
echo "=== summary ==="
printf '%s\n' "${RESULTS[@]}"
for failed in "${FAILED_LOGS[@]}"; do
  echo "--- ${failed%%$'\t'*}, its last lines:"
  grep -v '^[[:space:]]*$' "${failed#*$'\t'}" | tail -n 5 | cut -c 1-200 | sed 's/^/  | /'
done
echo "disk: $DISK_AT_START at the start, $(free_disk) at the end"
passed=$(( ${#RESULTS[@]} - FAILED ))
echo "$passed passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

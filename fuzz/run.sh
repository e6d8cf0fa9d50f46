#!/usr/bin/env bash
# Fuzzes every target (or those named), one at a time on one core: replays its seed corpus
# (fuzz/corpus/<target>/) and past crashes (fuzz/regressions/<target>/), then fuzzes it for a
# bounded time or number of executions. Fails, after all targets, if any found anything.
#   fuzz/run.sh                          every target, 60 s each
#   fuzz/run.sh 20                       every target, 20 s each (fuzz/ci.sh, the test command)
#   fuzz/run.sh 600 amount c_abi         those two, 10 minutes each
#   FUZZ_RUNS=10000000 fuzz/run.sh       every target until 10 million executions
# A finding leaves its input in fuzz/artifacts/<target>/ (the log in fuzz/work/<target>.log):
# fix the bug, then copy the input to fuzz/regressions/<target>/ so that
# `cargo test -p cashi --test fuzz_regressions` (core's targets) or
# `cargo test -p cashi-ffi --lib fuzz_regressions` (libcashi's) replays it from then on.
# Builds with optimisations and debug assertions (so an integer overflow is a finding), with
# RUSTC_BOOTSTRAP=1 on the stable toolchain. Uses cargo-fuzz $CARGO_FUZZ_VERSION from
# target/dist-tools/ (where scripts/dist.sh keeps its tools), installing it there
# (`cargo install --locked`) the first time.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
shift || true
CARGO_FUZZ_VERSION=0.13.2
TOOLS="$PWD/../target/dist-tools"
export PATH="$TOOLS/bin:$PATH"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  start=$SECONDS
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root "$TOOLS" || exit 1
  echo "== cargo-fuzz $CARGO_FUZZ_VERSION installed in $((SECONDS - start)) s"
fi
if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  mapfile -t TARGETS < <(cargo fuzz list)
fi
start=$SECONDS
cargo fuzz build -O -a || exit 1
echo "== ${#TARGETS[@]} targets built in $((SECONDS - start)) s"

if [ -n "${FUZZ_RUNS:-}" ]; then
  LIMIT=(-runs="$FUZZ_RUNS")
  BOUND="$FUZZ_RUNS executions"
else
  LIMIT=(-max_total_time="$SECONDS_EACH")
  BOUND="${SECONDS_EACH} s"
fi
FAILED=()
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target" "regressions/$target" "work/$target" "artifacts/$target"
  log="work/$target.log"
  start=$SECONDS
  # Replay first: a seed or a past crash that fails is a regression, reported as such.
  if ! cargo fuzz run -O -a "$target" "corpus/$target" "regressions/$target" -- \
      -runs=0 -rss_limit_mb=2048 > "$log" 2>&1; then
    echo "== $target: FAILED replaying its corpus and regressions"
    tail -n 40 "$log"
    FAILED+=("$target")
    continue
  fi
  replayed=$(find "corpus/$target" "regressions/$target" -type f ! -name '.*' | wc -l)
  # New inputs go to work/<target> (not committed); the seeds are read, never written.
  if cargo fuzz run -O -a "$target" "work/$target" "corpus/$target" "regressions/$target" -- \
      "${LIMIT[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >> "$log" 2>&1; then
    runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -n 1)
    added=$(grep -oE "stat::new_units_added: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -n 1)
    echo "== $target: ${replayed} seeds and regressions replayed; ${runs:-?} executions in $((SECONDS - start)) s (${BOUND}), ${added:-?} new inputs, no finding"
  else
    echo "== $target: FINDING (log: fuzz/$log)"
    grep -E "panicked at|^==[0-9]+==ERROR|SUMMARY|Test unit written|Failing input|Output of|ALARM|out-of-memory|leak" "$log" | head -n 20
    grep -A 12 "panicked at" "$log" | head -n 14
    FAILED+=("$target")
  fi
done
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "fuzz: ${#FAILED[@]} of ${#TARGETS[@]} targets failed: ${FAILED[*]}"
  exit 1
fi
echo "fuzz: ${#TARGETS[@]} targets, no finding"

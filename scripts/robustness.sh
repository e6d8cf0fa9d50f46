#!/usr/bin/env bash
# The long robustness checks, separate from the test command because they take
# tens of minutes: fuzzing each target, full-size concurrency / soak / sandbox load, the C
# library and PHP package under valgrind. Writes its figures to tests/RESULTS.md.
#   FUZZ_SECONDS=60 ./scripts/robustness.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOG=$(mktemp -d)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
declare -a ROWS=()
FAILED=0
step() { # name, command...
  local name=$1; shift
  echo "=== $name"
  local start=$SECONDS
  if "$@" > "$LOG/step.log" 2>&1; then
    ROWS+=("| $name | pass | $((SECONDS - start)) s |")
  else
    ROWS+=("| $name | **FAIL** | $((SECONDS - start)) s |"); FAILED=$((FAILED + 1))
  fi
  cat "$LOG/step.log" >> "$LOG/all.log"
  tail -n 25 "$LOG/step.log"
}

step "fuzz: every target x ${FUZZ_SECONDS}s" fuzz/run.sh "$FUZZ_SECONDS"
FUZZ_STATS=$(grep -E "^== |^fuzz: " "$LOG/step.log" || true)

step "Rust: 8 threads x 500 calls, 20k-call soak, 5,000 paid orders with a flaky receiver and a restart" \
  env CASHI_THREAD_CALLS=500 CASHI_SOAK_CALLS=20000 CASHI_LOAD_ORDERS=5000 \
  cargo test --release -p cashi-load -- --nocapture --test-threads=1
RUST_FIGURES=$(grep -oE "(soak: .*|[0-9]+ orders, .*)" "$LOG/step.log" | sed 's/^/rust /' || true)

step "Python, Node, PHP: 20,000-call soak each, 20 forked children (Python, PHP), 8 threads x 500 (Python), 1,000 concurrent calls (Node)" \
  tests/load/packages/run.sh 20000
step "C: every C test, then again under valgrind; 8 threads x 500 calls" env CASHI_THREAD_ROUNDS=250 bindings-c/test.sh
step "PHP: the whole PHPUnit suite under valgrind" env CASHI_PHP_VALGRIND=1 bindings-php/test.sh

# The long fuzz runs' section (fuzz/run.sh, recorded by hand) is kept as it is.
LONG_FUZZ=$(sed -n '/^## Long fuzz runs/,$p' tests/RESULTS.md 2>/dev/null || true)
{
  echo "# Robustness results"
  echo
  echo "Written by \`scripts/robustness.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB."
  echo
  echo "| check | result | time |"
  echo "| --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "## Figures"
  echo
  echo "<!-- snippet: not-run the output of a run -->"
  echo '```'
  echo "$FUZZ_STATS"
  echo "$RUST_FIGURES"
  grep -hE "^(soak|fork|threads|concurrency):" "$LOG/all.log" | sort -u || true
  echo '```'
  if [ -n "$LONG_FUZZ" ]; then
    echo
    echo "$LONG_FUZZ"
  fi
} > tests/RESULTS.md
cat tests/RESULTS.md
[ "$FAILED" -eq 0 ]

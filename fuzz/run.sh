#!/usr/bin/env bash
# Fuzzes each target for a bounded time (default 60 s each) from the committed seed corpus.
# A crash leaves its input in fuzz/artifacts/<target>/; copy it to
# fuzz/regressions/<target>/ so `cargo test -p cashi --test fuzz_regressions` replays it.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets it use the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for target in webhook_verify response_decode data_uri; do
  mkdir -p "corpus/$target" "work/$target"
  echo "== fuzzing $target for ${SECONDS_EACH}s"
  cargo fuzz run "$target" "work/$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -print_final_stats=1 2>&1 | grep -E "^(#|==|stat::number_of_executed_units|stat::new_units_added|SUMMARY|INFO: Running with)" | tail -n 5
done

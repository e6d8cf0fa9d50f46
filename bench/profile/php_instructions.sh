#!/usr/bin/env bash
# User-space instructions per call, counted by valgrind's callgrind: the PHP package
# against persistent curl, create-order and check-status, against a static server. Unlike
# a time, the count does not move with the machine's load, so it can compare two builds
# of libcashi on a noisy 2-CPU VM (bench/FINDINGS.md §10). It is not a time: a call's
# time also depends on how well its instructions run (caches, system calls).
#   CASHI_FFI_LIBRARY=target-bench/release/libcashi.so BENCH_BASE_URL=http://127.0.0.1:PORT/api \
#     bench/profile/php_instructions.sh [N]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-2000}"
count() { # instructions of a whole run
    valgrind --tool=callgrind --callgrind-out-file=/dev/null php "$HERE/php_calls.php" "$@" 2>&1 |
        awk '/Collected/ { print $4 }'
}
for op in create status; do
    for client in sdk curl; do
        # The difference between N calls and none leaves out start-up and warm-up.
        with=$(count "$client" "$op" "$N")
        without=$(count "$client" "$op" 0)
        printf '%-7s %-5s %8d instructions per call\n' "$op" "$client" $(((with - without) / N))
    done
done

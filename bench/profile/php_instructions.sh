#!/usr/bin/env bash
# User-space instructions and simulated L1 cache misses per call, counted by valgrind's
# callgrind (--cache-sim=yes): the PHP package against persistent curl, create-order and
# check-status, against a static server; and a webhook's verify against PHP's own
# hash_hmac + hash_equals + json_decode ("curl" in that row). Unlike a time, the counts do not move with the
# machine's load, so they can compare two builds of libcashi on a noisy 2-CPU VM
# (bench/FINDINGS.md §9, §12). They are not a time: a call's time also depends on what
# the misses cost on the real CPU, and on system calls, which callgrind does not see.
#   CASHI_FFI_LIBRARY=target-bench/release/libcashi.so BENCH_BASE_URL=http://127.0.0.1:PORT/api \
#     bench/profile/php_instructions.sh [N]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-2000}"
counts() { # the whole run's totals: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
    local out
    out="$(mktemp)"
    valgrind --tool=callgrind --cache-sim=yes --callgrind-out-file="$out" \
        php "$HERE/php_calls.php" "$@" >/dev/null 2>&1
    awk '/^summary:/ { $1 = ""; print }' "$out"
    rm -f "$out"
}
printf '%-7s %-5s %13s %13s %13s %13s\n' op client instructions "L1i misses" "L1d rd miss" "L1d wr miss"
for op in create status verify; do
    for client in sdk curl; do
        # The difference between N calls and none leaves out start-up and warm-up.
        read -r -a with <<<"$(counts "$client" "$op" "$N")"
        read -r -a without <<<"$(counts "$client" "$op" 0)"
        printf '%-7s %-5s' "$op" "$client"
        for i in 0 3 4 5; do
            printf ' %13.1f' "$(((with[i] - without[i]) * 10 / N))e-1"
        done
        echo
    done
done

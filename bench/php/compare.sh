#!/usr/bin/env bash
# The PHP package before and after a change, side by side in one run: bench.php's figures
# against nginx's static answers (bench/nginx.conf), for two builds of the package and
# libcashi, alternated process by process so that both see the same machine.
#
#   bench/php/compare.sh BEFORE_REV [ROUNDS]
#
# BEFORE_REV (a commit) is exported with `git archive` and its libcashi built (release) in
# bench/.work/compare/before/; "after" is this working tree, its libcashi built as
# bench/run.sh builds it (CARGO_TARGET_DIR, default target-bench). Each of ROUNDS (3) runs
# bench.php once for each side (BENCH_ROUNDS=1, figures BENCH_FIGURES, default
# seq,conc,webhook,ffi), in turns; the table gives each client's median calls/s (µs for the
# FFI figure) per side and after/before, and each side's SDK/peer ratio, the figures
# bench/RESULTS.md's targets are read on. Then, as times on a loaded machine move more than
# most changes, each side's user-space instructions per call (bench/profile/
# php_instructions.sh, callgrind: a count the load does not move), INSTRUCTION_CALLS
# (1000) calls each. The raw records stay in bench/.work/compare/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
BEFORE_REV="${1:?usage: bench/php/compare.sh BEFORE_REV [ROUNDS]}"
ROUNDS="${2:-3}"
WORK="$BENCH/.work/compare"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target-bench}"
export BENCH_SECONDS="${BENCH_SECONDS:-2}" BENCH_CONC="${BENCH_CONC:-64}" BENCH_ROUNDS=1
export BENCH_WARMUP="${BENCH_WARMUP:-0.3}" BENCH_FIGURES="${BENCH_FIGURES:-seq,conc,webhook,ffi}"
export BENCH_API_KEY="CASHI-SANDBOX01" BENCH_TARGET=static BENCH_WORK="$WORK"
step() { printf '\n==> %s\n' "$*" >&2; }

step "before: $BEFORE_REV exported and its libcashi built (release)"
rm -rf "$WORK/before/src"
mkdir -p "$WORK/before/src"
git -C "$ROOT" archive "$BEFORE_REV" | tar -x -C "$WORK/before/src"
(cd "$WORK/before/src" && CARGO_TARGET_DIR="$WORK/before/target" nice -n 10 cargo build -q --release -p cashi-ffi)
step "after: this working tree's libcashi (release)"
(cd "$ROOT" && nice -n 10 cargo build -q --release -p cashi-ffi)
SIDES=(before after)
declare -A PACKAGE=([before]="$WORK/before/src/bindings-php" [after]="$ROOT/bindings-php")
declare -A LIBRARY=([before]="$WORK/before/target/release/libcashi.so" [after]="$CARGO_TARGET_DIR/release/libcashi.so")

NGINX_DIR="$WORK/nginx"
cleanup() {
    if [ -f "$NGINX_DIR/nginx.pid" ]; then
        nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -s quit 2>/dev/null || true
    fi
}
trap cleanup EXIT
rm -rf "$NGINX_DIR" && mkdir -p "$NGINX_DIR/tmp"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
sed -e "s/__PORT__/$PORT/" -e "s#__STATIC__#$BENCH/static#" "$BENCH/nginx.conf" >"$NGINX_DIR/nginx.conf"
nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf"
export BENCH_BASE_URL="http://127.0.0.1:$PORT/api"
for _ in $(seq 1 50); do curl -fs -o /dev/null "$BENCH_BASE_URL/check-status/x" && break; sleep 0.1; done

RUN="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN"
for round in $(seq 1 "$ROUNDS"); do
    for side in "${SIDES[@]}"; do
        step "round $round of $ROUNDS: $side"
        BENCH_CASHI_PHP="${PACKAGE[$side]}" CASHI_FFI_LIBRARY="${LIBRARY[$side]}" \
            php "$HERE/bench.php" >"$RUN/$side-$round.jsonl" 2>"$RUN/$side-$round.err" || {
            cat "$RUN/$side-$round.err" >&2
            exit 1
        }
    done
done
step "raw records: $RUN"
python3 - "$RUN" "$BEFORE_REV" "$(git -C "$ROOT" rev-parse --short HEAD)" <<'PY'
import collections, glob, json, os, statistics, sys

run, before_rev, after_rev = sys.argv[1:]
# (figure, client, op) -> side -> [value per round]; per round, SDK/peer ratios.
values = collections.defaultdict(lambda: collections.defaultdict(list))
for path in sorted(glob.glob(os.path.join(run, "*.jsonl"))):
    side = os.path.basename(path).split("-")[0]
    for line in open(path):
        r = json.loads(line)
        if r.get("errors"):
            sys.exit(f"{path}: {r['figure']} {r['client']} {r['op']}: {r['errors']} failed calls")
        value = r.get("rate") if r["figure"] != "ffi" else r.get("load_and_client_us")
        if value is None:
            continue
        values[(r["figure"], r["client"], r["op"])][side].append(value)
def unit(figure):
    return "µs" if figure == "ffi" else "calls/s"


rounds = len(next(iter(values.values()))["before"])
print(f"before = {before_rev}, after = {after_rev}; the median of {rounds} rounds, alternated\n")
print("| figure | client | op | before | after | after / before |")
print("|---|---|---|---|---|---|")
for (figure, client, op), sides in sorted(values.items()):
    b, a = statistics.median(sides["before"]), statistics.median(sides["after"])
    print(f"| {figure} | {client} | {op} | {b:,.1f} {unit(figure)} | {a:,.1f} {unit(figure)} | {a / b:.2f}× |")
# The SDK against its peer in the same figure, per side: what RESULTS.md's targets read.
peers = {"seq": ("sdk", "curl"), "conc": ("sdk_batch", "curl_multi"), "webhook": ("sdk", "native")}
print("\n| figure | op | SDK / peer, before | SDK / peer, after |")
print("|---|---|---|---|")
for figure, (sdk, peer) in peers.items():
    for op in sorted({k[2] for k in values if k[0] == figure}):
        if (figure, sdk, op) in values and (figure, peer, op) in values:
            ratio = lambda side: statistics.median(values[(figure, sdk, op)][side]) / statistics.median(values[(figure, peer, op)][side])
            print(f"| {figure} | {op} | {ratio('before'):.2f}× | {ratio('after'):.2f}× |")
PY

for side in "${SIDES[@]}"; do
    step "$side: user-space instructions per call (callgrind)"
    BENCH_CASHI_PHP="${PACKAGE[$side]}" CASHI_FFI_LIBRARY="${LIBRARY[$side]}" \
        "$BENCH/profile/php_instructions.sh" "${INSTRUCTION_CALLS:-1000}" | tee "$RUN/$side-instructions.txt"
done

#!/usr/bin/env bash
# The Cashi SDK benchmarks: every language's SDK against the code merchants write without
# it, side by side, against nginx (a static answer) and the sandbox; writes bench/RESULTS.md.
#
#   bench/run.sh                  # install, build (release), measure, report (~10 min)
#   bench/run.sh --quick          # checks the harness, times nothing (see below);
#                                 # like every run, fails if a call failed or a figure is missing
#   BENCH_LANGS="python node" bench/run.sh     # some languages only
#   BENCH_SKIP_INSTALL=1 BENCH_SKIP_BUILD=1 bench/run.sh   # reuse what is installed/built
#   CASHI_DIST_DIR=dist bench/run.sh   # the SDKs and the sandbox as released (scripts/dist.sh)
#
# Settings (environment): BENCH_SECONDS (2, per measurement), BENCH_ROUNDS (5: each
# measurement in round-robin slices), BENCH_WARMUP (0.3 s before a client's first slice),
# BENCH_CONC (64),
# BENCH_COLD_RUNS (10), BENCH_MEM_CALLS (10000), BENCH_OUT (bench/RESULTS.md),
# CARGO_TARGET_DIR (target-bench). Everything it starts (nginx, the sandbox) is stopped
# on exit; its scratch files are in bench/.work/ (git-ignored).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$HERE/.work"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target-bench}"
REL="$CARGO_TARGET_DIR/release"

# --quick checks that every client of every figure works (each measured call succeeds,
# each figure is produced, the report is written) and asserts no time, so it measures as
# little as that takes: one round of 0.2 s slices with no warm-up, one cold start, 200
# calls for memory; the Rust bench in a debug build; and it runs the languages (and wrk)
# against a target at the same time, the static target next to the sandbox.
QUICK=""
if [ "${1:-}" = "--quick" ]; then
    QUICK=1
    : "${BENCH_SECONDS:=0.2}" "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=0}"
    : "${BENCH_COLD_RUNS:=1}" "${BENCH_MEM_CALLS:=200}"
    : "${BENCH_OUT:=$WORK/RESULTS-quick.md}"
fi
export BENCH_SECONDS="${BENCH_SECONDS:-2}" BENCH_CONC="${BENCH_CONC:-64}" BENCH_ROUNDS="${BENCH_ROUNDS:-5}"
export BENCH_WARMUP="${BENCH_WARMUP:-0.3}"
export BENCH_COLD_RUNS="${BENCH_COLD_RUNS:-10}" BENCH_MEM_CALLS="${BENCH_MEM_CALLS:-10000}"
# The Rust bench: a release build, but a debug one for --quick.
RUST_BENCH_BUILD=(cargo build -q --release) RUST_BENCH_PROFILE=release
if [ -n "$QUICK" ]; then
    RUST_BENCH_BUILD=(cargo build -q) RUST_BENCH_PROFILE=debug
fi
RUST_BENCH="$CARGO_TARGET_DIR/$RUST_BENCH_PROFILE/cashi-bench"
BENCH_OUT="${BENCH_OUT:-$HERE/RESULTS.md}"
LANGS="${BENCH_LANGS:-rust python node php}"
API_KEY="CASHI-SANDBOX01"
export BENCH_API_KEY="$API_KEY" BENCH_WORK="$WORK"

step() { printf '\n==> %s\n' "$*" >&2; }
mkdir -p "$WORK"
RUN="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN"

# ------------------------------------------------------------------------------ install
VENV="$WORK/venv"
if [ -z "${BENCH_SKIP_INSTALL:-}" ]; then
    step "install: nginx, wrk, php-cli, php-curl (apt), Python and npm packages"
    need=()
    command -v nginx >/dev/null || need+=(nginx)
    command -v wrk >/dev/null || need+=(wrk)
    command -v php >/dev/null || need+=(php-cli)
    { command -v php >/dev/null && php -m | grep -qi '^curl$'; } || need+=(php-curl)
    command -v python3 >/dev/null || need+=(python3 python3-venv)
    command -v node >/dev/null || need+=(nodejs npm)
    if ((${#need[@]})); then
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    # maturin builds the wheel; a dist/ folder has it built.
    "$VENV/bin/pip" install -q --disable-pip-version-check -r <(
        if [ -n "${CASHI_DIST_DIR:-}" ]; then grep -v '^maturin' "$HERE/python/requirements.txt"
        else cat "$HERE/python/requirements.txt"; fi)
    (cd "$HERE/node" && npm ci --no-audit --no-fund --loglevel=error)
fi
PY="$VENV/bin/python"

# ------------------------------------------------------------------------------ build
NODE_SDK="$WORK/node-sdk/cashi"
SANDBOX_BIN="$REL/cashi-sandbox"
if [ -n "${CASHI_DIST_DIR:-}" ]; then
    # The release artifacts of scripts/dist.sh, exactly as they ship, unpacked in
    # $WORK/dist (BENCH_SKIP_BUILD: as a previous run left them): only the Rust bench is
    # built here.
    source "$ROOT/scripts/lib/version.sh"
    target=x86_64-unknown-linux-gnu
    LIBCASHI="$WORK/dist/libcashi-$CASHI_VERSION-$target/lib/libcashi.so"
    SANDBOX_BIN="$WORK/dist/cashi-sandbox"
fi
if [ -n "${CASHI_DIST_DIR:-}" ] && [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    step "build: the Rust bench ($RUST_BENCH_PROFILE); the SDKs and the sandbox from $CASHI_DIST_DIR"
    (cd "$HERE/rust" && "${RUST_BENCH_BUILD[@]}")
    rm -rf "$WORK/dist" && mkdir -p "$WORK/dist"
    "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps --no-index \
        --find-links "$CASHI_DIST_DIR/python" --only-binary cashi cashi
    tar -xzf "$CASHI_DIST_DIR/c/libcashi-$CASHI_VERSION-$target.tar.gz" -C "$WORK/dist"
    tar -xzf "$CASHI_DIST_DIR/cli/cashi-$CASHI_VERSION-$target.tar.gz" -C "$WORK/dist"
    # The npm package as npm installs it: the main package with its platform package's module.
    rm -rf "$NODE_SDK" && mkdir -p "$NODE_SDK" "$WORK/dist/npm"
    tar -xzf "$CASHI_DIST_DIR/npm/cashi-$CASHI_VERSION.tgz" -C "$NODE_SDK" --strip-components=1
    tar -xzf "$CASHI_DIST_DIR/npm/cashi-linux-x64-gnu-$CASHI_VERSION.tgz" -C "$WORK/dist/npm"
    cp "$WORK/dist/npm/package/cashi.linux-x64-gnu.node" "$NODE_SDK/"
    printf '#!/bin/sh\nexec "%s" sandbox "$@"\n' "$WORK/dist/cashi-$CASHI_VERSION-$target/cashi" >"$SANDBOX_BIN"
    chmod +x "$SANDBOX_BIN"
elif [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    step "build (release): the sandbox, libcashi, the Node module, the Python wheel; the Rust bench ($RUST_BENCH_PROFILE)"
    # libcashi and the Node module are built apart from the sandbox, whose tokio features
    # (process, signal) would otherwise be unified into theirs: measured as they ship.
    (cd "$ROOT" && cargo build -q --release -p cashi-ffi -p cashi-node)
    (cd "$ROOT" && cargo build -q --release -p cashi-sandbox)
    (cd "$HERE/rust" && "${RUST_BENCH_BUILD[@]}")
    rm -rf "$WORK/wheels"
    (cd "$ROOT/bindings-python" && "$VENV/bin/maturin" build --release --quiet \
        --interpreter "$PY" --out "$WORK/wheels" >/dev/null)
    "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$WORK"/wheels/cashi-*.whl
    # The npm package as `npm pack` would ship it (package.json "files"), with the release
    # build of the native module in place of whatever bindings-node/ holds.
    rm -rf "$NODE_SDK" && mkdir -p "$NODE_SDK"
    files="$(cd "$ROOT/bindings-node" && node -p "require('./package.json').files.filter((f) => !f.startsWith('LICENSE')).join('\n')")"
    for f in $files package.json; do
        cp "$ROOT/bindings-node/$f" "$NODE_SDK/"
    done
    cp "$REL/libcashi_node.so" "$NODE_SDK/cashi.linux-x64-gnu.node"
fi
export BENCH_CASHI_NODE="$NODE_SDK" CASHI_FFI_LIBRARY="${LIBCASHI:-$REL/libcashi.so}"
export BENCH_CASHI_PHP="$ROOT/bindings-php"

# ------------------------------------------------------------------------------ servers
NGINX_DIR="$WORK/nginx"
source "$ROOT/scripts/lib/sandbox.sh"
cleanup() {
    if [ -f "$NGINX_DIR/nginx.pid" ]; then
        nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -s quit 2>/dev/null || true
    fi
    stop_sandbox
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

step "start nginx (static answers) and the sandbox (release), on loopback"
rm -rf "$NGINX_DIR" && mkdir -p "$NGINX_DIR/tmp"
NGINX_PORT="$(free_port)"
sed -e "s/__PORT__/$NGINX_PORT/" -e "s#__STATIC__#$HERE/static#" "$HERE/nginx.conf" >"$NGINX_DIR/nginx.conf"
nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf"
wait_http "http://127.0.0.1:$NGINX_PORT/api/check-status/x"

start_sandbox "$SANDBOX_BIN" "$API_KEY" "$WORK"
echo "nginx at http://127.0.0.1:$NGINX_PORT, sandbox at $SANDBOX_ORIGIN" >&2

reset_sandbox() {
    curl -fs -o /dev/null -X POST -H "x-api-key: $API_KEY" "$SANDBOX_ORIGIN/api/sandbox/reset"
}

# ------------------------------------------------------------------------------ machine
step "machine and versions"
"$PY" "$HERE/machine.py" "$RUN/meta.json" "$ROOT" \
    --dirty core bindings-c bindings-python bindings-node bindings-php \
    --version rustc="rustc --version" \
    --version Python="'$PY' --version" \
    --version "Python packages=$PY -m pip list --format=freeze 2>/dev/null | grep -iE '^(requests|httpx|aiohttp|cashi)=' | tr '\n' ' '" \
    --version Node.js="node --version" \
    --version "npm packages=cd '$HERE/node' && node -p \"['axios','undici'].map(p => p + '@' + require(p + '/package.json').version).join(' ')\"" \
    --version PHP="php -r 'echo PHP_VERSION, \" curl \", curl_version()[\"version\"];'" \
    --version nginx="nginx -v 2>&1 | cut -d/ -f2" \
    --version wrk="wrk -v 2>&1 | head -1 | cut -d' ' -f2" \
    --setting seconds="$BENCH_SECONDS" --setting conc="$BENCH_CONC" --setting rounds="$BENCH_ROUNDS" \
    --setting warmup="$BENCH_WARMUP" --setting cold_runs="$BENCH_COLD_RUNS" --setting mem_calls="$BENCH_MEM_CALLS"

# ------------------------------------------------------------------------------ measure
# wrk: the floor. One connection (one thread), then 64 connections (2 threads).
run_wrk() {
    local target="$1" base="$2" order="$3"
    local secs
    secs="$(python3 -c "print(max(1, round(float('$BENCH_SECONDS'))))")" # wrk takes whole seconds
    for op in status create; do
        for conns in 1 "$BENCH_CONC"; do
            local threads=1 figure=seq
            [ "$conns" = 1 ] || { threads=2; figure=conc; }
            WRK_OP="$op" WRK_API_KEY="$API_KEY" WRK_ORDER_ID="$order" WRK_NONCE="$RANDOM$RANDOM" \
                wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$HERE/wrk/cashi.lua" "$base/" \
                | tail -n1 | "$PY" -c "
import json, sys
r = json.loads(sys.stdin.read())
r.update(lang='wrk', target='$target', figure='$figure', client='wrk', op='$op')
print(json.dumps(r))" >>"$RUN/$target-wrk.jsonl"
        done
    done
}

run_lang() {
    local lang="$1" target="$2"
    local out="$RUN/$target-$lang.jsonl" err="$RUN/$target-$lang.err"
    local start=$SECONDS
    case "$lang" in
        rust) "$RUST_BENCH" >"$out" 2>"$err" ;;
        python) "$PY" "$HERE/python/bench.py" >"$out" 2>"$err" ;;
        node) node "$HERE/node/bench.mjs" >"$out" 2>"$err" ;;
        php) php "$HERE/php/bench.php" >"$out" 2>"$err" ;;
    esac || { echo "$lang on $target failed:" >&2; tail -n 20 "$err" >&2; echo "$lang on $target" >>"$RUN/failed"; }
    echo "   $lang on $target: $(wc -l <"$out") records in $((SECONDS - start)) s" >&2
    [ -s "$err" ] && sed 's/^/   ! /' "$err" | head -n 5 >&2 || true
}

# Runs a command in the background under --quick (wait_all collects it), else in the
# foreground.
PIDS=()
maybe_parallel() {
    if [ -n "$QUICK" ]; then
        "$@" &
        PIDS+=($!)
    else
        "$@"
    fi
}
wait_all() {
    local pid
    for pid in "${PIDS[@]}"; do
        wait "$pid" || echo "a background job (pid $pid) failed" >>"$RUN/failed"
    done
    PIDS=()
}

measure_target() {
    local target="$1" base order
    if [ "$target" = static ]; then
        base="http://127.0.0.1:$NGINX_PORT/api"
        export BENCH_FIGURES="seq,conc,webhook,cold,mem,ffi"
        order="INV-20261125-0042"
    else
        base="$SANDBOX_ORIGIN/api"
        # Against the sandbox only what the server takes part in; webhooks, memory and
        # the FFI figures do not depend on the server and are measured once, above.
        export BENCH_FIGURES="seq,conc,cold"
        reset_sandbox
        order="B-wrk-status"
        curl -fs -o /dev/null -X POST -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
            -d "{\"amount\":15000,\"order_id\":\"$order\"}" "$base/create-order"
    fi
    export BENCH_TARGET="$target" BENCH_BASE_URL="$base"
    step "measure against $target ($base)"
    maybe_parallel run_wrk "$target" "$base" "$order"
    for lang in $LANGS; do
        # The sandbox starts each language empty (its unique codes all free), except under
        # --quick, whose few orders all fit at once.
        [ "$target" = sandbox ] && [ -z "$QUICK" ] && reset_sandbox
        maybe_parallel run_lang "$lang" "$target"
    done
}

: >"$RUN/failed"
if [ -n "$QUICK" ]; then
    # Both targets at once, each in a subshell of its own (its own BENCH_* settings), which
    # waits for its jobs even when it stops on an error.
    (trap wait EXIT; measure_target static; wait_all) &
    static_pid=$!
    (trap wait EXIT; measure_target sandbox; wait_all) &
    sandbox_pid=$!
    wait "$static_pid" || echo "the static target's jobs" >>"$RUN/failed"
    wait "$sandbox_pid" || echo "the sandbox target's jobs" >>"$RUN/failed"
else
    measure_target static
    measure_target sandbox
fi

# ------------------------------------------------------------------------------ report
step "report"
echo "raw records: $RUN" >&2
# report.py fails, after writing the report, when a call failed or a figure is missing.
"$PY" "$HERE/report.py" "$RUN" "$BENCH_OUT"
if [ -s "$RUN/failed" ]; then
    sed 's/^/failed: /' "$RUN/failed" >&2
    exit 1
fi

# Starting a cashi-sandbox for a test script: `source` this file, then
#
#   start_sandbox BINARY API_KEY DIR [more sandbox arguments...]
#
# starts BINARY on a free loopback port, its output in DIR/sandbox.out and DIR/sandbox.err,
# waits (up to 30 s) for its first line `listening on http://127.0.0.1:PORT` (`https://`
# with --tls), and sets SANDBOX_PID and SANDBOX_ORIGIN (http://127.0.0.1:PORT; the API is at
# $SANDBOX_ORIGIN/api). If the sandbox exits or never says where it listens, it prints why
# and returns 1. Several may run at once (the variables are the last one's). `stop_sandbox`
# stops every one started (safe to call twice, or when none was started: call it from the
# script's EXIT trap).

SANDBOX_PID=""
SANDBOX_ORIGIN=""
SANDBOX_PIDS=()

start_sandbox() {
    local bin="$1" key="$2" dir="$3"
    shift 3
    "$bin" --port 0 --api-key "$key" --quiet "$@" >"$dir/sandbox.out" 2>"$dir/sandbox.err" &
    SANDBOX_PID=$!
    SANDBOX_PIDS+=("$SANDBOX_PID")
    local first=""
    for _ in $(seq 1 300); do
        first="$(head -n1 "$dir/sandbox.out" 2>/dev/null || true)"
        [[ "$first" == "listening on http://"* || "$first" == "listening on https://"* ]] && break
        if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
            cat "$dir/sandbox.err" >&2
            echo "the sandbox ($bin) exited before listening" >&2
            unset 'SANDBOX_PIDS[-1]'
            SANDBOX_PID=""
            return 1
        fi
        sleep 0.1
    done
    SANDBOX_ORIGIN="$(sed -n 's/^listening on \(https\{0,1\}:\/\/[^ ]*\).*/\1/p' <<<"$first")"
    if [ -z "$SANDBOX_ORIGIN" ]; then
        echo "no 'listening on' line from the sandbox within 30 s" >&2
        return 1
    fi
}

stop_sandbox() {
    local pid
    for pid in ${SANDBOX_PIDS[@]+"${SANDBOX_PIDS[@]}"}; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SANDBOX_PIDS=()
    SANDBOX_PID=""
}

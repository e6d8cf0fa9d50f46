# Starting a cashi-sandbox for a test script: `source` this file, then
#
#   start_sandbox BINARY API_KEY DIR [more sandbox arguments...]
#
# starts BINARY on a free loopback port, its output in DIR/sandbox.out and DIR/sandbox.err,
# waits (up to 30 s) for its first line `listening on http://127.0.0.1:PORT`, and sets
# SANDBOX_PID and SANDBOX_ORIGIN (http://127.0.0.1:PORT; the API is at $SANDBOX_ORIGIN/api).
# If the sandbox exits or never says where it listens, it prints why and returns 1.
# `stop_sandbox` stops it (safe to call twice, or when none was started: call it from the
# script's EXIT trap).

SANDBOX_PID=""
SANDBOX_ORIGIN=""

start_sandbox() {
    local bin="$1" key="$2" dir="$3"
    shift 3
    "$bin" --port 0 --api-key "$key" --quiet "$@" >"$dir/sandbox.out" 2>"$dir/sandbox.err" &
    SANDBOX_PID=$!
    local first=""
    for _ in $(seq 1 300); do
        first="$(head -n1 "$dir/sandbox.out" 2>/dev/null || true)"
        [[ "$first" == "listening on http://"* ]] && break
        if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
            cat "$dir/sandbox.err" >&2
            echo "the sandbox ($bin) exited before listening" >&2
            SANDBOX_PID=""
            return 1
        fi
        sleep 0.1
    done
    SANDBOX_ORIGIN="$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' <<<"$first")"
    if [ -z "$SANDBOX_ORIGIN" ]; then
        echo "no 'listening on' line from the sandbox within 30 s" >&2
        return 1
    fi
}

stop_sandbox() {
    if [ -n "$SANDBOX_PID" ]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
        SANDBOX_PID=""
    fi
}

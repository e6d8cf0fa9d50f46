#!/usr/bin/env bash
# Runs every code block of the Markdown files marked `<!-- snippet: run LANG -->` or
# `<!-- snippet: serve LANG -->` (tests/docs/snippets.py lists and checks the markers), as
# pasted, with the installed packages, each against a sandbox of its own:
#
#   run LANG    the block runs to completion (exit 0, within 60 s). Order INV-9921 is paid
#               on the sandbox as soon as it exists, as a customer would.
#   serve LANG  a webhook endpoint, started on $PORT (PHP: `php -d ffi.enable=1 -S`): GET /
#               must create order INV-9921 and answer "pay <amount> at <url>"; the order is
#               then paid, the sandbox delivers the signed webhook to $PORT/webhook, and
#               delivers it once more: both must get a 200, and the block must print
#               "fulfilled INV-9921" exactly once.
#
# tests/install/run.sh calls it once the packages are installed, as a merchant has them:
#
#   DOCS_SANDBOX     a command that starts a sandbox (takes the sandbox's flags)
#   DOCS_PYTHON      the Python of a venv with the wheel installed
#   DOCS_NODE_DIR    an npm project with cashi installed (its node_modules beside each block;
#                    a block runs as main.js, or main.mjs when it imports)
#   DOCS_PHP_DIR     a Composer project with cashi/cashi installed (its vendor beside each block)
#   DOCS_C_PREFIX    the unpacked libcashi archive (pkg-config, the shared library)
#   DOCS_DOWNLOADS   what a merchant downloads from a release: `sh` blocks run in a copy of it
#   DOCS_TARGET      the target of those downloads: a `sh` block naming another target's
#                    archive (x86_64-unknown-linux-gnu) is skipped, saying so
#
#   tests/docs/run.sh WORK_DIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/lib/sandbox.sh"
WORK="$1"
PYTHON="${PYTHON:-python3}"
API_KEY="CASHI-DOCS00001"
SECRET="sk_0d0c5000000000000000000000000001"
mkdir -p "$WORK"
PIDS=()
cleanup() {
    stop_sandbox
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

fail() { echo "FAILED: $*" >&2; exit 1; }
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
control() { # METHOD PATH: the sandbox's control API, JSON on stdout
    curl -sS -X "$1" -H "x-api-key: $API_KEY" -H 'content-type: application/json' "$CASHI_BASE_URL/sandbox/$2"
}
pay_when_created() { # pays INV-9921 as soon as it exists (the customer), up to 60 s
    for _ in $(seq 1 600); do
        code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "x-api-key: $API_KEY" \
            "$CASHI_BASE_URL/sandbox/orders/INV-9921/pay" || true)"
        [ "$code" = 404 ] || [ "$code" = 000 ] || return 0
        sleep 0.1
    done
    return 1
}
json() { # EXPRESSION over `d`, the JSON of stdin
    "$PYTHON" -c "import json, sys; d = json.load(sys.stdin); print($1)"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Sets DIR, a fresh directory for block FILE of LANG (with the project's node_modules or
# vendor beside it), and CMD, the command that runs it there.
prepare() { # action lang file n
    local action="$1" lang="$2" file="$3" n="$4"
    dir="$WORK/$n"
    mkdir -p "$dir"
    case "$lang" in
    python) cp "$file" "$dir/main.py"; cmd=("$DOCS_PYTHON" main.py) ;;
    node)
        ln -s "$DOCS_NODE_DIR/node_modules" "$dir/node_modules"
        ext=js
        ! grep -Eq '^import ' "$file" || ext=mjs
        cp "$file" "$dir/main.$ext"
        cmd=(node "main.$ext")
        ;;
    php)
        ln -s "$DOCS_PHP_DIR/vendor" "$dir/vendor"
        cp "$file" "$dir/main.php"
        if [ "$action" = serve ]; then
            cmd=(php -d ffi.enable=1 -S "127.0.0.1:$PORT" main.php)
        else
            cmd=(php main.php)
        fi
        ;;
    c)
        rpath=() # macOS: libcashi's install name is @rpath/..., as the README says
        [ "$(uname -s)" != Darwin ] || rpath=("-Wl,-rpath,$DOCS_C_PREFIX/lib")
        # shellcheck disable=SC2046 # pkg-config's flags are words
        cc "$file" $(PKG_CONFIG_PATH="$DOCS_C_PREFIX/lib/pkgconfig" pkg-config --cflags --libs cashi) \
            "${rpath[@]}" -o "$dir/main" || fail "$origin does not compile"
        cmd=(env "LD_LIBRARY_PATH=$DOCS_C_PREFIX/lib" ./main)
        ;;
    sh)
        cp -R "$DOCS_DOWNLOADS/." "$dir/"
        cmd=(bash -euo pipefail "$file")
        ;;
    esac
}

blocks="$("$PYTHON" "$HERE/snippets.py" extract "$WORK/blocks")"
count=0
start=$SECONDS
while IFS=$'\t' read -r action lang file origin; do
    count=$((count + 1))
    n="$(printf '%02d' "$count")"
    other="$(grep -Eo 'libcashi-[0-9.]+-[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+' "$file" | grep -v -- "-$DOCS_TARGET\$" | head -n1 || true)"
    if [ "$lang" = sh ] && [ -n "$other" ]; then
        echo "    SKIPPED on $DOCS_TARGET: $origin, which names $other"
        continue
    fi
    PORT="$(free_port)"
    mkdir -p "$WORK/sandbox-$n"
    start_sandbox "$DOCS_SANDBOX" "$API_KEY" "$WORK/sandbox-$n" \
        --webhook-url "http://127.0.0.1:$PORT/webhook" --webhook-secret "$SECRET"
    export CASHI_API_KEY="$API_KEY" CASHI_BASE_URL="$SANDBOX_ORIGIN/api" \
        CASHI_WEBHOOK_SECRET="$SECRET" PORT
    prepare "$action" "$lang" "$file" "$n"
    out="$WORK/$n.out"
    t=$SECONDS
    if [ "$action" = run ]; then
        pay_when_created &
        payer=$!
        PIDS+=("$payer")
        (cd "$dir" && exec "${cmd[@]}") >"$out" 2>&1 &
        block=$!
        for _ in $(seq 1 600); do # a watchdog: 60 s at most
            kill -0 "$block" 2>/dev/null || exit 0
            sleep 0.1
        done >/dev/null 2>&1 && kill "$block" 2>/dev/null &
        watchdog=$!
        rc=0
        wait "$block" || rc=$?
        stop "$watchdog"
        stop "$payer"
        [ "$rc" != 143 ] || { cat "$out"; fail "$origin ($lang) was still running after 60 s"; }
        [ "$rc" = 0 ] || { cat "$out"; fail "$origin ($lang) exited with $rc"; }
    else
        (cd "$dir" && exec "${cmd[@]}") >"$out" 2>&1 &
        server=$!
        PIDS+=("$server")
        for _ in $(seq 1 300); do
            (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
            kill -0 "$server" 2>/dev/null || { cat "$out"; fail "$origin ($lang) exited"; }
            sleep 0.1
        done
        page="$(curl -sS "http://127.0.0.1:$PORT/")"
        grep -Eq '^pay 150[0-9]{2} at https?://' <<<"$page" ||
            { cat "$out"; fail "$origin ($lang): GET / answered '$page', not 'pay <amount> at <url>'"; }
        pay_when_created || fail "$origin ($lang): order INV-9921 was never created"
        first=""
        for _ in $(seq 1 300); do
            first="$(control GET 'webhooks?order_id=INV-9921' |
                json '(d["deliveries"] or [{"attempts": []}])[0]["attempts"][:1]')"
            [ "$first" = "[]" ] || break
            sleep 0.1
        done
        [[ "$first" == *"'http_status': 200"* ]] ||
            { cat "$out"; fail "$origin ($lang): the webhook's first delivery was not answered 200: $first"; }
        id="$(control GET 'webhooks?order_id=INV-9921' | json 'd["deliveries"][0]["id"]')"
        again="$(control POST "webhooks/$id/redeliver" | json 'd["delivery"]["attempts"][-1].get("http_status")')"
        [ "$again" = 200 ] || { cat "$out"; fail "$origin ($lang): the repeated webhook got $again, not 200"; }
        stop "$server"
        fulfilled="$(grep -c 'fulfilled INV-9921$' "$out" || true)"
        [ "$fulfilled" = 1 ] ||
            { cat "$out"; fail "$origin ($lang): fulfilled $fulfilled times for two deliveries of one payment, not once"; }
    fi
    stop_sandbox
    printf '    %-6s %-7s %-34s %3d s\n' "$action" "$lang" "$origin" $((SECONDS - t))
done <<<"$blocks"
[ "$count" -gt 0 ] || fail "no code block marked run or serve"
echo "    $count code blocks ran as pasted, in $((SECONDS - start)) s"

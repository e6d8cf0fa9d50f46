#!/usr/bin/env bash
# libcashi's C tests: builds the library (and the sandbox unless CASHI_SANDBOX_BIN is set),
# checks that it exposes every field of the core's schemas (tests/parity), starts a sandbox
# on a free port (and one with --tls for test_tls), compiles tests/*.c with -Wall -Wextra -Werror against
# the shared and the static library, runs them, then runs them again under valgrind
# (no definite or indirect leaks, no invalid reads or writes). Exits non-zero on any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

need_apt=()
command -v gcc >/dev/null || need_apt+=(gcc libc6-dev)
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3)
if ((${#need_apt[@]})); then
    echo "== installing ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
echo "== building libcashi (cargo build -p cashi-ffi)"
cargo build -q -p cashi-ffi
LIB_DIR="$TARGET_DIR/debug"
if [ -z "${CASHI_SANDBOX_BIN:-}" ]; then
    echo "== building the sandbox (cargo build -p cashi-sandbox)"
    cargo build -q -p cashi-sandbox
    CASHI_SANDBOX_BIN="$TARGET_DIR/debug/cashi-sandbox"
fi

WORK="$(mktemp -d)"
source "$ROOT/scripts/lib/sandbox.sh"
cleanup() {
    stop_sandbox
    rm -rf "$WORK"
}
trap cleanup EXIT

API_KEY="CASHI-CTEST00001"
# test_secrets provokes every error with a recognisable key and secret (tests/vectors/secrets.json),
# flattened to `kind<TAB>text` lines for C; the sandbox accepts that key too.
SECRETS_JSON="$ROOT/tests/vectors/secrets.json"
export CASHI_SECRETS_VECTORS="$WORK/secrets.tsv"
python3 - "$SECRETS_JSON" >"$CASHI_SECRETS_VECTORS" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
print(f"api_key\t{v['api_key']}\nwebhook_secret\t{v['webhook_secret']}")
for kind, texts in [("echo", v["echoes"]), ("any_case", v["leaks"]["any_case"]), ("exact", v["leaks"]["exact"])]:
    for text in texts:
        print(f"{kind}\t{text}")
PY
SECRET_KEY="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api_key"])' "$SECRETS_JSON")"
# test_tls: a sandbox over HTTPS and its CA's certificate; the environment names no other
# bundle, so that without the option the certificate is refused.
unset CASHI_CA_BUNDLE SSL_CERT_FILE
mkdir "$WORK/tls"
start_sandbox "$CASHI_SANDBOX_BIN" "$API_KEY" "$WORK/tls" --tls --tls-ca-out "$WORK/tls/ca.pem"
export CASHI_TLS_BASE_URL="$SANDBOX_ORIGIN/api" CASHI_TLS_CA="$WORK/tls/ca.pem"
start_sandbox "$CASHI_SANDBOX_BIN" "$API_KEY" "$WORK" --api-key "$SECRET_KEY"
export CASHI_BASE_URL="$SANDBOX_ORIGIN/api" CASHI_API_KEY="$API_KEY"
# test_api checks cashi_version() against the workspace's version.
source "$ROOT/scripts/lib/version.sh"
export CASHI_EXPECTED_VERSION="$CASHI_VERSION"
echo "== sandbox at $CASHI_BASE_URL"

echo "== parity: the library exposes every field and predicate of the core's schemas (tests/parity)"
python3 "$ROOT/tests/parity/run.py" c -- python3 "$ROOT/tests/parity/probe_c.py" "$LIB_DIR/libcashi.so" "$HERE/include/cashi.h"

CFLAGS=(-std=gnu11 -g -O1 -Wall -Wextra -Werror -I"$HERE/include" -I"$HERE/tests")
TESTS=(test_webhook test_api test_batch test_threads test_fork test_secrets test_tls test_events)
for t in "${TESTS[@]}"; do
    gcc "${CFLAGS[@]}" "$HERE/tests/common.c" "$HERE/tests/$t.c" -o "$WORK/$t" \
        -L"$LIB_DIR" -lcashi -Wl,-rpath,"$LIB_DIR" -lpthread
done
# The static library too (a C program linking libcashi.a needs pthread, dl and libm).
gcc "${CFLAGS[@]}" "$HERE/tests/common.c" "$HERE/tests/test_webhook.c" -o "$WORK/test_webhook_static" \
    "$LIB_DIR/libcashi.a" -lpthread -ldl -lm
if ldd "$WORK/test_webhook_static" | grep libcashi >/dev/null; then echo "static build links libcashi.so"; exit 1; fi

failed=0
run() {
    local name="$1"; shift
    if "$@"; then echo "   ok: $name"; else echo "FAILED: $name"; failed=1; fi
}
echo "== running"
for t in "${TESTS[@]}" test_webhook_static; do run "$t" "$WORK/$t"; done

echo "== running under valgrind"
# Deep stacks (--num-callers): a fork-child suppression matches a frame such as
# cashi::runtime::get, which can lie more than valgrind's default 12 frames down.
VALGRIND=(valgrind -q --num-callers=50 --leak-check=full --errors-for-leak-kinds=definite,indirect
          --show-leak-kinds=definite,indirect --error-exitcode=97
          --suppressions="$HERE/tests/valgrind.supp")
for t in "${TESTS[@]}" test_webhook_static; do
    extra=()
    # Only the fork test: what a forked child must leak on purpose (see the file).
    [ "$t" = test_fork ] && extra=(--suppressions="$HERE/tests/valgrind-fork-child.supp")
    # Only the TLS test: what memcheck cannot follow through ring's AES-GCM assembly.
    [ "$t" = test_tls ] && extra=(--suppressions="$HERE/tests/valgrind-tls.supp")
    run "valgrind $t" "${VALGRIND[@]}" "${extra[@]}" "$WORK/$t"
done

if [ "$failed" != 0 ]; then echo "C tests FAILED"; exit 1; fi
echo "C tests passed"

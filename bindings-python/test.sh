#!/usr/bin/env bash
# The Python SDK's tests, run the way a user gets the package: the wheel (the release wheel
# of CASHI_DIST_DIR/python when that names a dist/ folder made by scripts/dist.sh, else one
# built here with maturin) pip-installed into a fresh virtual environment, and pytest run
# from a directory where the source tree is not importable, against a real cashi-sandbox.
#
#   bindings-python/test.sh                       # everything (builds the sandbox too)
#   CASHI_DIST_DIR=dist bindings-python/test.sh   # the release wheel of dist/python
#   CASHI_SANDBOX_BIN=path/to/cashi-sandbox bindings-python/test.sh
#   PYTHON=python3.9 bindings-python/test.sh      # another interpreter (3.9 and newer)
#   bindings-python/test.sh -k webhook            # extra arguments go to pytest
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cashi-python-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
VENV="$WORK/venv"
PY="$VENV/bin/python"

step() { printf '\n==> %s\n' "$*"; }

step "fresh virtual environment: $("$PYTHON" --version 2>&1)"
"$PYTHON" -m venv "$VENV" || {
    echo "could not create a virtual environment with $PYTHON (on Debian: apt-get install python3-venv)" >&2
    exit 1
}
"$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements-test.txt"

step "lint: ruff, cargo fmt"
(cd "$HERE" && "$VENV/bin/ruff" check python tests examples && "$VENV/bin/ruff" format --check python tests examples)
(cd "$ROOT" && cargo fmt -p cashi-python --check)

if [ -z "${CASHI_SANDBOX_BIN:-}" ]; then
    step "build the sandbox"
    (cd "$ROOT" && cargo build -p cashi-sandbox)
    CASHI_SANDBOX_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cashi-sandbox"
fi
export CASHI_SANDBOX_BIN
test -x "$CASHI_SANDBOX_BIN" || { echo "no sandbox binary at $CASHI_SANDBOX_BIN" >&2; exit 1; }

if [ -n "${CASHI_DIST_DIR:-}" ]; then
    step "install the release wheel from $CASHI_DIST_DIR/python"
    "$PY" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$CASHI_DIST_DIR/python" \
        --only-binary cashi cashi
else
    step "build the wheel (maturin, debug) and install it"
    # The third-party notices, as scripts/dist.sh puts them in the wheel.
    python3 "$ROOT/scripts/licenses.py" "cashi-python=$HERE/python/cashi/THIRD-PARTY-NOTICES.txt" >/dev/null
    (cd "$HERE" && "$VENV/bin/maturin" build --interpreter "$PY" --out "$WORK/wheels" ${MATURIN_ARGS:-})
    "$PY" -m pip install --quiet --disable-pip-version-check "$WORK"/wheels/cashi-*.whl
fi

# From here on the current directory is $WORK: only the installed wheel is importable.
cd "$WORK"

step "types: mypy --strict on the examples and a typed usage file; stubtest on the native stub"
"$PY" -m mypy --strict --cache-dir "$WORK/.mypy_cache" "$HERE/examples" "$HERE/tests/typed_usage.py"
"$PY" -m mypy.stubtest cashi._cashi  # the native module against its hand-written stub

step "cross-language conformance scenarios through the installed package"
"$PY" "$ROOT/tests/conformance/run.py" --sandbox "$CASHI_SANDBOX_BIN" \
    --runner python="$PY $ROOT/tests/conformance/runners/runner.py" | tail -n 3

step "parity: the installed package exposes every field and predicate of the core's schemas"
"$PY" "$ROOT/tests/parity/run.py" python -- "$PY" "$ROOT/tests/parity/probe.py"

step "pytest"
"$PY" -m pytest "$HERE/tests" -p no:cacheprovider "$@"

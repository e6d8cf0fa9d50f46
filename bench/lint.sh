#!/usr/bin/env bash
# The bench's own code held to the SDK's linters and formatters: cargo fmt and clippy for
# bench/rust and bench/realistic/delay-proxy, ruff (bindings-python's rules, through
# bench/ruff.toml) for the Python scripts, prettier (the repository's .prettierrc.json) for
# the Node ones, bash -n for bench/realistic/run.sh; and both report.py's tests. Run by
# scripts/test-all.sh; installs ruff and prettier in throwaway places.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cashi-bench-lint.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n==> %s\n' "$*"; }

step "bench/rust, bench/realistic/delay-proxy: cargo fmt, cargo clippy"
for crate in rust realistic/delay-proxy; do
    (cd "$HERE/$crate" && cargo fmt --check &&
        cargo clippy --quiet --all-targets --target-dir "$ROOT/target/bench-lint" -- -D warnings)
done

step "bench Python: ruff check, ruff format --check"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check \
    "$(grep -i '^ruff' "$ROOT/bindings-python/requirements-test.txt")"
(cd "$HERE" && "$WORK/venv/bin/ruff" check python profile realistic machine.py report.py test_report.py &&
    "$WORK/venv/bin/ruff" format --check python profile realistic machine.py report.py test_report.py)

step "bench/report.py, bench/realistic/report.py: their tests (a failed call or a missing figure fails the run)"
python3 "$HERE/test_report.py"
python3 "$HERE/realistic/test_report.py"

step "bench/realistic/run.sh: bash -n"
bash -n "$HERE/realistic/run.sh"

step "bench Node: prettier --check"
# The version bindings-node locks, so both agree on the style.
prettier="$(node -p "require('$ROOT/bindings-node/package-lock.json').packages['node_modules/prettier'].version")"
(cd "$HERE" && npm exec --yes --prefix "$WORK" "prettier@$prettier" -- --check node/bench.mjs profile/*.mjs realistic/node/server.mjs)

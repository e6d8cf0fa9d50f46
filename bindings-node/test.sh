#!/usr/bin/env bash
# Tests the `cashi` npm package as a user gets it:
#   npm ci here (napi CLI, TypeScript, Express, Fastify, Prettier from package-lock.json; .npmrc's
#   engine-strict fails it on EBADENGINE: a locked package that does not support this Node),
#   the two npm tarballs (the main package and cashi-linux-x64-gnu with the native module):
#   the release ones of CASHI_DIST_DIR/npm when that names a dist/ folder made by
#   scripts/dist.sh, else packed here by pack.sh around a debug build, both `npm install`ed
#   into a scratch project in a temp dir, `tsc --strict` over the examples and a typed usage
#   file there, then `node --test` from that project against a real sandbox, the parity
#   probe (tests/parity: every field of the core's schemas, nothing else) and the
#   cross-language conformance scenarios (tests/conformance) through the installed package.
#
# Environment:
#   CASHI_DIST_DIR     test the release tarballs of this dist/ folder
#   CASHI_SANDBOX_BIN  a built cashi-sandbox (otherwise `cargo build -p cashi-sandbox`)
#   CARGO_TARGET_DIR   honoured (default: the workspace's target/)
#   KEEP_SCRATCH=1     keep the scratch project (its path is printed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

step() { printf '\n==> %s\n' "$*"; }

command -v node >/dev/null || { echo "node (>= 18) is required" >&2; exit 1; }
command -v cargo >/dev/null || { echo "cargo is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is required (the conformance orchestrator)" >&2; exit 1; }

cd "$here"

step "npm ci (bindings-node)"
npm ci --no-audit --no-fund

if [[ -z "${CASHI_SANDBOX_BIN:-}" ]]; then
  step "cargo build -p cashi-sandbox"
  (cd "$root" && cargo build -p cashi-sandbox)
  export CASHI_SANDBOX_BIN="$target_dir/debug/cashi-sandbox"
fi
[[ -x "$CASHI_SANDBOX_BIN" ]] || { echo "no sandbox binary at $CASHI_SANDBOX_BIN" >&2; exit 1; }

if [[ -z "${CASHI_DIST_DIR:-}" ]]; then
  step "napi build (debug)"
  npx napi build --platform --js native.js --dts native.d.ts
fi

if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
  git -C "$root" ls-files --error-unmatch bindings-node/native.d.ts >/dev/null 2>&1; then
  step "generated native.d.ts / native.js match the committed ones"
  if ! git -C "$root" diff --exit-code -- bindings-node/native.d.ts bindings-node/native.js; then
    echo "the generated files changed: commit them with the Rust change that caused it" >&2
    [[ -z "${CI:-}" ]] || exit 1 # a failure in CI, a reminder on a developer's machine
  fi
fi

step "prettier --check"
npx prettier --check .

scratch="$(mktemp -d "${TMPDIR:-/tmp}/cashi-node-test.XXXXXX")"
if [[ -z "${KEEP_SCRATCH:-}" ]]; then
  trap 'rm -rf "$scratch"' EXIT
else
  echo "scratch project: $scratch"
fi

if [[ -n "${CASHI_DIST_DIR:-}" ]]; then
  step "the release tarballs of $CASHI_DIST_DIR/npm"
  version="$(node -p "require('./package.json').version")"
  tarballs=("$CASHI_DIST_DIR/npm/cashi-$version.tgz" "$CASHI_DIST_DIR/npm/cashi-linux-x64-gnu-$version.tgz")
else
  step "pack.sh: the main package and cashi-linux-x64-gnu around the debug build"
  python3 "$here/../scripts/licenses.py" "cashi-node=$scratch/THIRD-PARTY-NOTICES.txt" >/dev/null
  mapfile -t tarballs < <("$here/pack.sh" --notices "$scratch/THIRD-PARTY-NOTICES.txt" "$scratch" \
    "linux-x64-gnu=$here/cashi.linux-x64-gnu.node")
fi
printf '%s\n' "${tarballs[@]}"

step "npm install the tarballs into a scratch project"
project="$scratch/project"
mkdir -p "$project"
# The dev tools at exactly the versions this package's lock file pins (light-my-request, Fastify's
# inject, as package.json's overrides pin it: its newer releases need a newer Node than the README's).
version_of() { node -p "require('$here/node_modules/$1/package.json').version"; }
cat >"$project/package.json" <<EOF
{ "name": "cashi-scratch", "version": "1.0.0", "private": true }
EOF
(cd "$project" && npm install --no-audit --no-fund --prefer-offline \
  "${tarballs[@]}" \
  "express@$(version_of express)" \
  "fastify@$(version_of fastify)" \
  "light-my-request@$(version_of light-my-request)" \
  "typescript@$(version_of typescript)" \
  "@types/node@$(version_of @types/node)" \
  "@types/express@$(version_of @types/express)")
cp "$here"/tests/*.js "$here"/tests/*.mjs "$project/"
cp -r "$here/examples" "$project/examples"
cp "$here/tsconfig.json" "$project/"
cp -r "$root/tests/vectors" "$project/vectors"

step "tsc --strict against the shipped declarations"
(cd "$project" && npx tsc -p tsconfig.json)

step "node --test"
cd "$project"
CASHI_VECTORS_DIR="$project/vectors" CASHI_EXAMPLES_DIR="$project/examples" \
  CASHI_EXPECTED_VERSION="$(source "$root/scripts/lib/version.sh" && echo "$CASHI_VERSION")" \
  node --test --test-timeout=180000 --test-concurrency=2 ./*.test.js ./*.test.mjs

step "parity: the package exposes every field and predicate of the core's schemas (tests/parity)"
cp "$root/tests/parity/probe.js" "$project/parity-probe.js"
python3 "$root/tests/parity/run.py" node -- node "$project/parity-probe.js" "$CASHI_SANDBOX_BIN"

step "cross-language conformance scenarios through the installed package"
cp "$root/tests/conformance/runners/runner.js" "$project/conformance-runner.js"
python3 "$root/tests/conformance/run.py" --sandbox "$CASHI_SANDBOX_BIN" \
  --runner node="node $project/conformance-runner.js" | tail -n 3

#!/usr/bin/env bash
# Packs the npm packages as napi-rs packages ship: the main package `cashi` (JavaScript,
# types, README, licences; no native file) and one platform package per native module
# given, from its folder under npm/ (os, cpu and libc set, the .node inside, with the
# licences and THIRD-PARTY-NOTICES.txt: the crates linked into it, from scripts/licenses.py),
# which the main package names in its optionalDependencies so that npm installs only the
# one that fits.
#
#   bindings-node/pack.sh [--notices THIRD-PARTY-NOTICES.txt] OUT_DIR [PLATFORM=MODULE.node ...]
#   bindings-node/pack.sh --notices notices.txt dist/npm linux-x64-gnu=target/.../libcashi_node.so
#
# --notices is required with a platform package.
#
# Writes OUT_DIR/cashi-<version>.tgz and OUT_DIR/cashi-<platform>-<version>.tgz and prints
# their paths.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
notices=""
if [[ "${1:-}" == --notices ]]; then
  notices="$2"
  shift 2
  [[ -f "$notices" ]] || { echo "--notices: no file at $notices" >&2; exit 1; }
fi
out="$1"
shift
if (($#)) && [[ -z "$notices" ]]; then
  echo "a platform package needs --notices THIRD-PARTY-NOTICES.txt (scripts/licenses.py cashi-node=...)" >&2
  exit 1
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d "${TMPDIR:-/tmp}/cashi-npm-pack.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

pack() { # folder: npm pack it into $out, print the tarball's path
  local tarball
  tarball="$(cd "$1" && npm pack --silent --pack-destination "$out")"
  echo "$out/$(basename "$tarball")"
}

# The main package: exactly its package.json "files", the licences from the root, and, as
# `napi pre-publish` writes them at release, optionalDependencies on every platform package
# of napi.targets (one folder each under npm/, made by `napi create-npm-dirs`) at this version.
mkdir -p "$stage/cashi"
(cd "$here" && node -e '
  const fs = require("fs");
  const [to] = process.argv.slice(1);
  const manifest = require("./package.json");
  for (const f of manifest.files) if (!f.startsWith("LICENSE")) fs.copyFileSync(f, `${to}/${f}`);
  manifest.optionalDependencies = {};
  for (const platform of fs.readdirSync("npm").sort()) {
    const name = require(`./npm/${platform}/package.json`).name;
    manifest.optionalDependencies[name] = manifest.version;
  }
  fs.writeFileSync(`${to}/package.json`, JSON.stringify(manifest, null, 2) + "\n");
' "$stage/cashi")
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/cashi/"
pack "$stage/cashi"

for item in "$@"; do
  platform="${item%%=*}"
  module="${item#*=}"
  [[ -d "$here/npm/$platform" ]] || { echo "no npm/$platform: not one of package.json's napi.targets" >&2; exit 1; }
  [[ -f "$module" ]] || { echo "$platform: no native module at $module" >&2; exit 1; }
  cp -r "$here/npm/$platform" "$stage/$platform"
  # The path as an argument of its own: Git Bash on Windows converts those for node.
  cp "$module" "$stage/$platform/$(node -p 'require(process.argv[1]).main' "$here/npm/$platform/package.json")"
  cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/$platform/"
  cp "$notices" "$stage/$platform/THIRD-PARTY-NOTICES.txt"
  pack "$stage/$platform"
done

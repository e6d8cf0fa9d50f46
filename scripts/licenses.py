#!/usr/bin/env python3
"""Writes THIRD-PARTY-NOTICES.txt for a native artifact: every crate compiled into it other
than the SDK's own, with its version, licence expression and licence texts.

    scripts/licenses.py [--target TRIPLE ...] PACKAGE=OUT [PACKAGE=OUT ...]
    scripts/licenses.py cashi-ffi=target/notices/libcashi.txt cashi-cli=target/notices/cli.txt

PACKAGE is a workspace crate (cashi-ffi, cashi-python, cashi-node, cashi-cli). The crates
are its dependency tree for TRIPLE (default x86_64-unknown-linux-gnu; several --target
give the union) as `cargo tree -e
normal,no-proc-macro` resolves it: normal dependencies only (build and dev dependencies,
and proc-macro crates with what they use, run at build time and are not in the artifact);
`cargo metadata --filter-platform TRIPLE` gives each crate's licence and sources.
The texts are the crate's own licence files (LICENSE*, LICENCE*, COPYING*, NOTICE*,
UNLICENSE, COPYRIGHT*, and Cargo.toml's license-file) from cargo's registry sources;
identical texts are written once, with the list of crates they belong to. A crate that
ships no licence file is named on stderr and gets, under MIT, the MIT terms with its
authors as the copyright holders (else a pointer to the SPDX text). Fails if the metadata
names no such package, or a crate states no licence.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LICENSE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|UNLICENSE|COPYRIGHT)", re.IGNORECASE)
RULE = "=" * 80
MIT_TERMS = (ROOT / "LICENSE-MIT").read_text(encoding="utf-8").split("\n\n", 2)[2]


def metadata(targets: list[str]) -> dict:
    platforms = [arg for target in targets for arg in ("--filter-platform", target)]
    return json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked", *platforms],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )


def closure(meta: dict, package: str, targets: list[str]) -> list[dict]:
    """The third-party packages compiled into the workspace package, sorted by name, version:
    `cargo tree` resolves its features as `cargo build -p PACKAGE` does (maturin and napi
    build it so), where the whole workspace's metadata would unify every member's. Several
    targets give the union (one PHP package carries every platform's libcashi)."""
    packages = {p["id"]: p for p in meta["packages"]}
    members = set(meta["workspace_members"])
    if not any(packages[i]["name"] == package for i in members):
        names = sorted(packages[i]["name"] for i in members)
        raise SystemExit(f"package {package!r}: not a workspace crate (one of {', '.join(names)})")
    platforms = [arg for target in targets for arg in ("--target", target)]
    edges = ["-e", "normal,no-proc-macro", *platforms, "--prefix", "none", "--format", "{p}"]
    tree = subprocess.run(
        ["cargo", "tree", "--locked", "-p", package, *edges],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    linked = {tuple(line.split(" ")[:2]) for line in tree.splitlines() if line.strip()}
    third_party = [
        p for i, p in packages.items() if i not in members and (p["name"], "v" + p["version"]) in linked
    ]
    found = {(p["name"], "v" + p["version"]) for p in third_party}
    ours = {(packages[i]["name"], "v" + packages[i]["version"]) for i in members}
    if missing := linked - found - ours:
        raise SystemExit(f"cargo tree names crates cargo metadata does not: {sorted(missing)}")
    return sorted(third_party, key=lambda p: (p["name"], p["version"]))


def licence_files(package: dict) -> list[Path]:
    folder = Path(package["manifest_path"]).parent
    files = {p for p in folder.iterdir() if p.is_file() and LICENSE_FILE.match(p.name)}
    if package.get("license_file"):
        files.add((folder / package["license_file"]).resolve())
    return sorted(files, key=lambda p: p.name)


def notices(package: str, crates: list[dict]) -> tuple[str, list[str]]:
    """The file's text, and the crates that ship no licence file."""
    texts: dict[str, tuple[str, list[str]]] = {}  # digest -> (text, ["crate version (file)"])
    without_file = []
    for crate in crates:
        if not crate["license"] and not crate.get("license_file"):
            raise SystemExit(f"{crate['name']} {crate['version']}: states no licence (Cargo.toml license)")
        files = licence_files(crate)
        if not files:
            without_file.append(f"{crate['name']} {crate['version']}")
        for file in files:
            text = file.read_text(encoding="utf-8", errors="replace").strip() + "\n"
            digest = hashlib.sha256(text.encode()).hexdigest()
            texts.setdefault(digest, (text, []))[1].append(
                f"{crate['name']} {crate['version']} ({file.name})"
            )

    width = max([len(c["name"]) for c in crates] + [5])
    out = [
        f"Third-party software in the Cashi SDK's {package} build",
        "",
        "The Cashi SDK is licensed under MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE). This",
        f"artifact also contains the {len(crates)} Rust crates below, compiled into it, under",
        "their own licences: the list, then each licence text with the crates it belongs to.",
        "",
        f"{'crate':<{width}}  {'version':<10}  licence",
    ]
    for crate in crates:
        licence = crate["license"] or f"see {crate['license_file']}"
        out.append(f"{crate['name']:<{width}}  {crate['version']:<10}  {licence}")
    for name in without_file:
        crate = next(c for c in crates if f"{c['name']} {c['version']}" == name)
        authors = ", ".join(crate.get("authors") or []) or f"the authors of {crate['name']}"
        out += [
            "",
            RULE,
            f"{name}: no licence file in the crate's package; its licence is {crate['license']}",
        ]
        if re.search(r"\bMIT\b", crate["license"]):
            out += [RULE, "", "MIT License", "", f"Copyright (c) {authors}", "", MIT_TERMS.rstrip("\n")]
        else:
            out += [f"The text of {crate['license']} is at https://spdx.org/licenses/; copyright {authors}."]
    for text, owners in sorted(texts.values(), key=lambda t: t[1][0]):
        out += ["", RULE, *owners, RULE, "", text.rstrip("\n")]
    return "\n".join(out) + "\n", without_file


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--target",
        action="append",
        help="a target triple; repeat it for the union of several (default x86_64-unknown-linux-gnu)",
    )
    parser.add_argument("outputs", nargs="+", metavar="PACKAGE=OUT")
    args = parser.parse_args()
    targets = args.target or ["x86_64-unknown-linux-gnu"]
    meta = metadata(targets)
    for item in args.outputs:
        package, sep, out = item.partition("=")
        if not sep or not out:
            parser.error(f"{item}: expected PACKAGE=OUT, e.g. cashi-ffi=dist/THIRD-PARTY-NOTICES.txt")
        crates = closure(meta, package, targets)
        text, without_file = notices(package, crates)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        print(f"{out}: {len(crates)} crates in {package} ({', '.join(targets)})")
        for name in without_file:
            print(
                f"    {name}: no licence file in its package (see the top of the file)",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Tests scripts/licenses.py: the THIRD-PARTY-NOTICES.txt of each native artifact lists the
crates linked into it (the TLS stack in libcashi, pyo3 in the wheel only, napi in the Node
module only, clap and axum in the CLI only), none that are not (proc-macros, build tools,
dev-dependencies, the SDK's own crates), and gives every listed crate a licence text."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE = "=" * 80
# package: (crates that must be listed, crates that must not)
EXPECTED = {
    "cashi-ffi": (
        ["rustls", "ring", "webpki-roots", "tokio", "serde_json", "hmac"],
        ["pyo3", "napi", "clap", "axum", "rcgen", "serde_derive", "cbindgen", "cc", "cashi", "cashi-ffi"],
    ),
    "cashi-python": (["pyo3", "rustls", "tokio"], ["napi", "clap", "pyo3-macros", "pyo3-build-config"]),
    "cashi-node": (["napi", "napi-sys", "rustls", "tokio"], ["pyo3", "clap", "napi-derive", "napi-build"]),
    "cashi-cli": (
        ["clap", "axum", "rqrr", "rustls", "tokio"],
        ["pyo3", "napi", "clap_derive", "cashi-sandbox"],
    ),
}
# Crates whose package has no licence file (the notices give them the MIT terms with their
# authors); any other crate without one fails, so that a change is looked at. yasna (MIT OR
# Apache-2.0, rcgen's DER writer) is in the CLI through `cashi sandbox --tls`.
WITHOUT_FILE = {"napi", "napi-sys", "yasna"}
failures: list[str] = []


def check(condition: bool, message: str) -> None:
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def parse(text: str) -> tuple[dict[str, str], set[str], set[str]]:
    """({"crate version": licence} from the table, {"crate version"} that have a licence
    file's text, {"crate version"} that have none)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("crate "))
    table = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        name, version, licence = line.split(None, 2)
        table[f"{name} {version}"] = licence
    with_text, without = set(), set()
    for i, line in enumerate(lines):
        if line == RULE:
            for owner in lines[i + 1 :]:
                if match := re.match(r"^(\S+ \S+) \(", owner):
                    with_text.add(match.group(1))
                elif match := re.match(r"^(\S+ \S+): no licence file", owner):
                    without.add(match.group(1))
                else:
                    break
    return table, with_text, without


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cashi-licenses.") as tmp:
        outputs = [f"{package}={tmp}/{package}.txt" for package in EXPECTED]
        result = subprocess.run(
            [sys.executable, "scripts/licenses.py", *outputs], cwd=ROOT, capture_output=True, text=True
        )
        check(result.returncode == 0, f"licenses.py writes the four files\n{result.stderr}")
        for package, (present, absent) in EXPECTED.items():
            file = Path(tmp) / f"{package}.txt"
            if not file.exists():
                check(False, f"{package}: no file written")
                continue
            table, with_text, without = parse(file.read_text())
            names = {key.split(" ")[0] for key in table}
            check(len(table) > 20, f"{package}: {len(table)} crates listed")
            check(
                not (missing := [c for c in present if c not in names]),
                f"{package}: lists {present} {missing}",
            )
            check(
                not (extra := [c for c in absent if c in names]), f"{package}: does not list {absent} {extra}"
            )
            check(not [n for n in names if n.startswith("cashi")], f"{package}: none of the SDK's own crates")
            check(
                not (bare := sorted(set(table) - with_text - without)),
                f"{package}: every crate has a text {bare}",
            )
            check(
                not (odd := sorted(c for c in without if c.split(" ")[0] not in WITHOUT_FILE)),
                f"{package}: every crate but {sorted(WITHOUT_FILE)} ships a licence file {odd}",
            )
            check(
                all(licence for licence in table.values()), f"{package}: every crate has a licence expression"
            )
        result = subprocess.run(
            [sys.executable, "scripts/licenses.py", f"cashi-nope={tmp}/x.txt"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        check(
            result.returncode != 0 and "cashi-nope" in result.stderr and "cashi-ffi" in result.stderr,
            f"an unknown package fails, naming it and the workspace's: {result.stderr.strip()}",
        )
    print(f"{len(failures)} failed" if failures else "every check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

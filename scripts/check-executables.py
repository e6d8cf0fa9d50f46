#!/usr/bin/env python3
"""Fails when a tracked script has lost its run bit: a file that starts with `#!` must be
committed executable (git mode 100755), or the test command and the README's steps would fail
on a fresh clone with "Permission denied", far from the cause. Run by scripts/test-all.sh."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    listing = subprocess.run(
        ["git", "ls-files", "--stage", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    bad = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode = meta.split()[0]
        if mode not in ("100644", "100755"):
            continue  # symlinks, submodules
        file = ROOT / path
        if not file.is_file():
            continue  # deleted in the work tree, not yet committed
        with file.open("rb") as f:
            head = f.read(3)
        shebang = head.startswith(b"#!") and head != b"#!["  # `#![` opens a Rust attribute
        if shebang and mode != "100755":
            bad.append(path)
    for path in bad:
        print(f"{path}: starts with #! but is not executable: git update-index --chmod=+x {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

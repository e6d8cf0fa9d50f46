#!/usr/bin/env python3
"""Fails when a relative link in a Markdown file of the repository points at nothing.

Checks `[text](target)` links whose target is a path (not a URL or an anchor in the same
file), in every Markdown file git tracks; prints each broken link with its file and line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")


def links(path: Path):
    """(line number, target) of every link outside code blocks and code spans."""
    in_code = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
            yield number, target


def main() -> int:
    files = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    broken = checked = 0
    for name in files:
        path = ROOT / name
        for number, target in links(path):
            if EXTERNAL.match(target):
                continue
            checked += 1
            resolved = (path.parent / target.split("#", 1)[0]).resolve()
            if not resolved.exists():
                broken += 1
                print(f"{name}:{number}: {target} does not exist")
    print(f"{checked} relative links in {len(files)} Markdown files, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fails if any two places that state the SDK's version disagree.

Every place is listed in scripts/lib/versions.py; each must state the version of the root
Cargo.toml's [workspace.package]. Prints each place with the version it states, and for
each one that differs (or no longer states one) the file and what it is.

    scripts/check-versions.py [--tag vX.Y.Z] [ROOT]      (default ROOT: this repository)

With --tag (the release workflow passes the tag it runs for), the tag must be `v` and
that version too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from versions import all_places, found_versions, workspace_version


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tag", help="the release tag, e.g. v1.2.3")
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    root = args.root.resolve()
    expected = workspace_version(root)
    print(f"workspace version (Cargo.toml [workspace.package]): {expected}")
    errors = []
    if args.tag is not None and args.tag != f"v{expected}":
        errors.append(f"--tag {args.tag}: the tag must be v{expected}, the workspace's version")
    for p in all_places(root):
        if not (root / p.path).is_file():
            errors.append(f"{p.path}: missing (it should state {p.what})")
            continue
        found = found_versions(root, p)
        if not found:
            errors.append(f"{p.path}: no {p.what} found (has the file changed? see scripts/lib/versions.py)")
        for version in found:
            if version != expected:
                errors.append(f"{p.path}: {p.what} is {version}, the workspace is {expected}")
        if found:
            print(f"    {p.path}: {p.what}: {', '.join(sorted(set(found)))} ({len(found)}x)")
    for error in errors:
        print(f"MISMATCH {error}", file=sys.stderr)
    if errors:
        print("run scripts/bump-version.sh X.Y.Z to set every place at once", file=sys.stderr)
        return 1
    print(f"every place states {expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

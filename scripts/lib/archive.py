#!/usr/bin/env python3
"""Writes a reproducible .tar.gz of one folder (sorted entries, mtime 0, owner 0, symbolic
links kept), the same on Linux, macOS and Windows, for scripts/dist.sh.

    scripts/lib/archive.py OUT.tar.gz PARENT NAME    # archives PARENT/NAME as NAME/...
"""

from __future__ import annotations

import gzip
import sys
import tarfile
from pathlib import Path


def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if info.isfile():
        info.mode = 0o755 if info.mode & 0o111 else 0o644
    elif info.isdir():
        info.mode = 0o755
    return info


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    out, parent, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    root = parent / name
    if not root.is_dir():
        print(f"archive.py: no folder {root}", file=sys.stderr)
        return 1
    paths = [root, *sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix())]
    with open(out, "wb") as raw:
        gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
        with gz, tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
            for path in paths:
                arcname = (Path(name) / path.relative_to(root)).as_posix()
                tar.add(path, arcname=arcname, recursive=False, filter=normalise)
    return 0


if __name__ == "__main__":
    sys.exit(main())

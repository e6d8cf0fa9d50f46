#!/usr/bin/env python3
"""Fails if any ELF file shipped in dist/ (inside wheels, npm tarballs, archives and zips)
needs a glibc symbol version above the given one: such a file refuses to load on an older
Linux with "version `GLIBC_2.xx' not found".

    tests/install/check_glibc.py 2.17 dist/
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

VERSION = re.compile(rb"GLIBC_([0-9]+(?:\.[0-9]+)*)")


def members(path: Path):
    """(name, bytes) of every file in an artifact, or the artifact itself."""
    if path.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.read(info)
    elif path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as archive:
            for info in archive.getmembers():
                if info.isfile():
                    yield info.name, archive.extractfile(info).read()
    else:
        yield path.name, path.read_bytes()


def needed(data: bytes) -> list[tuple[int, ...]]:
    """The GLIBC_x.y versions an ELF file's dynamic symbols ask for (objdump -T)."""
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        run = subprocess.run(["objdump", "-T", f.name], capture_output=True)
    if run.returncode != 0:
        if b"not a dynamic object" in run.stderr:
            return []  # an object file: it asks the C library for nothing itself
        raise RuntimeError(run.stderr.decode(errors="replace"))
    out = run.stdout
    return sorted({tuple(int(p) for p in m.decode().split(".")) for m in VERSION.findall(out)})


def main() -> int:
    limit = tuple(int(p) for p in sys.argv[1].split("."))
    dist = Path(sys.argv[2])
    checked = failed = 0
    for artifact in sorted(p for p in dist.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        for name, data in members(artifact):
            if not data.startswith(b"\x7fELF"):
                continue
            versions = needed(data)
            newest = ".".join(map(str, versions[-1])) if versions else "none"
            too_new = [v for v in versions if v > limit]
            checked += 1
            verdict = "too new" if too_new else "ok"
            print(f"    {verdict:7}  GLIBC {newest:6}  {artifact.relative_to(dist)}: {name}")
            failed += bool(too_new)
    if checked == 0:
        print("no ELF file found in", dist, file=sys.stderr)
        return 1
    if failed:
        print(f"{failed} of {checked} ELF files need a glibc newer than {sys.argv[1]}", file=sys.stderr)
        return 1
    print(f"{checked} ELF files, none needs a glibc newer than {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

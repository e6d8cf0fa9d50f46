#!/usr/bin/env python3
"""Assembles the cashi/cashi Composer package as a zip, with libcashi for each platform given.

    bindings-php/package.py --version 0.1.0 --out dist/php/cashi-php-0.1.0.zip \\
        --notices THIRD-PARTY-NOTICES.txt \\
        linux-x86_64-gnu=target/.../libcashi.so [darwin-aarch64=.../libcashi.dylib ...]

The zip has composer.json at its root (with the version, which a Composer `artifact`
repository needs, and without the development autoload), src/, bin/, resources/cashi.h,
preload.php, the README, the licences and the changelog, THIRD-PARTY-NOTICES.txt (the
licences of the crates linked into libcashi, from scripts/licenses.py), and each library
under lib/<os>-<arch>[-<libc>]/, the folder the package's loader picks
(src/Internal/Platform.php).
The output is reproducible: fixed timestamps, sorted entries.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PLATFORM = re.compile(r"^(linux-(x86_64|aarch64)-(gnu|musl)|darwin-(x86_64|aarch64)|windows-x86_64-msvc)$")
LIBRARY_FILE = {"linux": "libcashi.so", "darwin": "libcashi.dylib", "windows": "cashi.dll"}
STAMP = (2020, 1, 1, 0, 0, 0)


def package_files() -> list[tuple[str, Path]]:
    """(path in the zip, source) of every file but composer.json and the libraries."""
    files = [("preload.php", HERE / "preload.php"), ("README.md", HERE / "README.md")]
    for name in ("LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"):
        files.append((name, ROOT / name))
    for folder in ("src", "bin", "resources"):
        for path in sorted((HERE / folder).rglob("*")):
            if path.is_file():
                files.append((path.relative_to(HERE).as_posix(), path))
    return files


def composer_json(version: str) -> bytes:
    manifest = json.loads((HERE / "composer.json").read_text())
    manifest.pop("autoload-dev", None)
    manifest.pop("require-dev", None)
    manifest["version"] = version
    return (json.dumps(manifest, indent=4) + "\n").encode()


def add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    archive.writestr(info, data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument(
        "--notices", required=True, type=Path, help="libcashi's THIRD-PARTY-NOTICES.txt (scripts/licenses.py)"
    )
    parser.add_argument("libraries", nargs="+", metavar="PLATFORM=LIBRARY")
    args = parser.parse_args()

    libraries: dict[str, Path] = {}
    for item in args.libraries:
        platform, _, library = item.partition("=")
        if not PLATFORM.match(platform):
            parser.error(f"{platform}: not a platform folder the loader knows (e.g. linux-x86_64-gnu)")
        path = Path(library)
        if not path.is_file():
            parser.error(f"{platform}: no library at {library}")
        libraries[platform] = path
    if not args.notices.is_file():
        parser.error(f"--notices: no file at {args.notices}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        add(archive, "composer.json", composer_json(args.version))
        for name, source in package_files():
            add(archive, name, source.read_bytes(), executable=name.startswith("bin/"))
        add(archive, "THIRD-PARTY-NOTICES.txt", args.notices.read_bytes())
        for platform in sorted(libraries):
            file = LIBRARY_FILE[platform.split("-")[0]]
            add(archive, f"lib/{platform}/{file}", libraries[platform].read_bytes(), executable=True)
    partial.replace(args.out)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

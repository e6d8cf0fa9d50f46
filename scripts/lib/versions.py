"""Every place in the repository that states the SDK's version, for scripts/check-versions.py
(which fails if any two disagree) and scripts/bump-version.sh (which rewrites them all).

The source of truth is `version` under `[workspace.package]` in the root Cargo.toml (what
scripts/lib/version.sh reads and every crate inherits). Each other place is a file and a
regular expression whose groups are (text before, the version, text after); a place may
match several times in its file (each match is checked and rewritten) and must match at
least once, so that a reworded file is an error rather than a place silently skipped.

Kept apart on purpose: examples in doc comments (`e.g. 0.1.0`), recorded figures
(bench/RESULTS.md) and the CHANGELOG's past releases; the CHANGELOG's newest release
heading is checked, and bump-version.sh adds a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
V = r"([0-9A-Za-z.+-]+)"
#: What bump-version.sh accepts: a release, the form every registry spells the same way.
RELEASE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True)
class Place:
    path: str
    what: str
    pattern: re.Pattern[str]


def place(path: str, what: str, pattern: str, flags: int = 0) -> Place:
    return Place(path, what, re.compile(pattern, re.MULTILINE | flags))


def lock_entries(names: list[str]) -> str:
    """A Cargo.lock [[package]] entry of one of these crates (path crates: no source line)."""
    alternatives = "|".join(re.escape(n) for n in names)
    return rf'(\[\[package\]\]\nname = "(?:{alternatives})"\nversion = "){V}("\n(?!source))'


# Workspace members whose version is the workspace's (`version.workspace = true`).
WORKSPACE_CRATES = [
    "cashi",
    "cashi-sandbox",
    "cashi-cli",
    "cashi-ffi",
    "cashi-python",
    "cashi-node",
    "cashi-load",
    "cashi-conformance-runner",
    "cashi-codegen",
]

SOURCE = place("Cargo.toml", "[workspace.package] version", rf'(\[workspace\.package\]\nversion = "){V}(")')

PLACES = [
    SOURCE,
    place(
        "Cargo.toml",
        "[workspace.dependencies] cashi and cashi-sandbox versions",
        rf'(^cashi(?:-sandbox)? = \{{ path = "(?:core|sandbox)", version = "){V}(")',
    ),
    place("Cargo.lock", "the workspace crates' entries", lock_entries(WORKSPACE_CRATES)),
    place("bench/rust/Cargo.lock", "the cashi entry", lock_entries(["cashi"])),
    place("fuzz/Cargo.lock", "the cashi entry", lock_entries(["cashi"])),
    place("bindings-node/package.json", '"version"', rf'(^  "version": "){V}(")'),
    place(
        "bindings-node/package-lock.json",
        "the package's own version",
        rf'(^  "version": "|^  "packages": \{{\n    "": \{{\n      "name": "cashi",\n      "version": "){V}'
        r'(")',
    ),
    place(
        "bindings-node/native.js",
        "napi's loader's expected platform package version",
        rf"((?:bindingPackageVersion !== '|expected )){V}((?:'| but got))",
    ),
    place("bindings-php/src/Client.php", "Cashi\\Client::VERSION", rf"(public const VERSION = '){V}(')"),
    place(
        "bindings-php/src/Internal/Native.php",
        "Native::LIBRARY_VERSION (the libcashi it expects)",
        rf"(public const LIBRARY_VERSION = '){V}(')",
    ),
    place(
        "README.md",
        "the C install lines' archive name",
        rf"(libcashi-){V}(-x86_64-unknown-linux-gnu/lib/pkgconfig)",
    ),
    place(
        "bindings-c/README.md",
        "the build lines' archive name and the version they name",
        rf"(libcashi-|here version ){V}((?:-x86_64-unknown-linux-gnu/lib/pkgconfig)| for)",
    ),
    place(
        "bindings-php/README.md",
        "the install lines' package zip",
        rf"(cashi-php-){V}(\.zip)",
    ),
    place(
        "CHANGELOG.md",
        "the newest release's heading (## [X.Y.Z] - YYYY-MM-DD)",
        rf"(\A(?:(?!^## \[\d).)*?^## \[){V}(\] - \d{{4}}-\d{{2}}-\d{{2}}$)",
        re.DOTALL,
    ),
]


def npm_platform_places(root: Path) -> list[Place]:
    folders = sorted(p.name for p in (root / "bindings-node/npm").iterdir() if p.is_dir())
    return [
        place(f"bindings-node/npm/{f}/package.json", '"version"', rf'(^  "version": "){V}(")')
        for f in folders
    ]


def all_places(root: Path) -> list[Place]:
    return PLACES + npm_platform_places(root)


def workspace_version(root: Path) -> str:
    found = SOURCE.pattern.findall((root / SOURCE.path).read_text(encoding="utf-8"))
    if len(found) != 1:
        raise SystemExit(f"{SOURCE.path}: expected one {SOURCE.what}, found {len(found)}")
    return found[0][1]


def found_versions(root: Path, p: Place) -> list[str]:
    """The version of each match of the place."""
    text = (root / p.path).read_text(encoding="utf-8")
    return [m.group(2) for m in p.pattern.finditer(text)]


def rewrite(root: Path, p: Place, version: str) -> int:
    """Sets every match of the place to version; returns how many it rewrote."""
    if p.path == "CHANGELOG.md":
        raise ValueError("the CHANGELOG gets a new heading, see bump-version.sh")
    file = root / p.path
    text = file.read_text(encoding="utf-8")
    new, count = p.pattern.subn(lambda m: m.group(1) + version + m.group(3), text)
    if count:
        file.write_text(new, encoding="utf-8")
    return count


def add_changelog_release(root: Path, old: str, new: str, date: str) -> None:
    """Adds `## [new] - date` under `## [Unreleased]` (what was unreleased is now in it), or
    above the newest release if there is no Unreleased section, and the links at the end."""
    file = root / "CHANGELOG.md"
    text = file.read_text(encoding="utf-8")
    heading = f"## [{new}] - {date}\n"
    if re.search(rf"^## \[{re.escape(new)}\]", text, re.MULTILINE):
        raise SystemExit(f"CHANGELOG.md: already has a ## [{new}] heading")
    unreleased = re.search(r"^## \[Unreleased\]\n", text, re.MULTILINE)
    if unreleased:
        text = text[: unreleased.end()] + "\n" + heading + text[unreleased.end() :]
    else:
        first = re.search(r"^## \[\d", text, re.MULTILINE)
        if not first:
            raise SystemExit("CHANGELOG.md: no ## [Unreleased] or ## [X.Y.Z] heading to put the release at")
        text = text[: first.start()] + heading + "\n" + text[first.start() :]
    # [Unreleased]: .../compare/vOLD...HEAD  and  [OLD]: ...  (Keep a Changelog's links)
    link = re.search(rf"^\[Unreleased\]: (\S*/compare/)v{re.escape(old)}\.\.\.HEAD$", text, re.MULTILINE)
    if link:
        base = link.group(1)
        text = (
            text[: link.start()]
            + f"[Unreleased]: {base}v{new}...HEAD\n[{new}]: {base}v{old}...v{new}"
            + text[link.end() :]
        )
    file.write_text(text, encoding="utf-8")


def bump(root: Path, new: str, date: str) -> list[str]:
    """Rewrites every place to the new version; returns a line per file changed."""
    if not SEMVER.match(new):
        raise SystemExit(f"version {new!r}: must be semantic versioning MAJOR.MINOR.PATCH, e.g. 1.2.3")
    if not RELEASE.match(new):
        # A pre-release is spelt differently by each registry (PyPI normalises 1.2.3-rc.1 to
        # 1.2.3rc1), so the artifacts' names would not follow the version: not supported yet.
        raise SystemExit(
            f"version {new!r}: only releases MAJOR.MINOR.PATCH are supported, not pre-releases or build metadata"
        )
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise SystemExit(f"date {date!r}: must be YYYY-MM-DD")
    old = workspace_version(root)
    if new == old:
        raise SystemExit(f"version {new}: the workspace is already at {old}")
    changed = []
    for p in all_places(root):
        if p.path == "CHANGELOG.md":
            add_changelog_release(root, old, new, date)
            changed.append(f"{p.path}: ## [{new}] - {date}")
            continue
        count = rewrite(root, p, new)
        if not count:
            raise SystemExit(f"{p.path}: found no {p.what} to rewrite (has the file changed?)")
        changed.append(f"{p.path}: {p.what} ({count}x)")
    return changed


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 4 or sys.argv[1] != "bump":
        raise SystemExit("usage: versions.py bump X.Y.Z YYYY-MM-DD")
    for line in bump(Path(__file__).resolve().parents[2], sys.argv[2], sys.argv[3]):
        print(line)

#!/usr/bin/env python3
"""Tests scripts/bump-version.sh and scripts/check-versions.py on a copy of the repository's
files (git's tracked and untracked-but-not-ignored files, in a temporary folder):

- the checker passes on the copy as it is;
- bump-version.sh refuses a version that is not semver, and the current version, changing
  nothing;
- bump-version.sh 1.2.3 sets every place (the checker passes, Cargo.lock is consistent for
  cargo --locked, version.sh reads 1.2.3, the CHANGELOG has the heading and links);
- after that, changing any one place alone (a version, or a place that no longer states
  one) makes the checker fail, naming that file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
from versions import all_places, workspace_version  # noqa: E402

NEW = "1.2.3"
failures: list[str] = []


def check(condition: bool, message: str) -> None:
    """Prints the message's first line, and the rest (the details) if the check failed."""
    print(
        ("ok    " if condition else "FAIL  ") + (message.strip() if not condition else message.split("\n")[0])
    )
    if not condition:
        failures.append(message)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def copy_repository(to: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)


def main() -> int:
    old = workspace_version(ROOT)
    with tempfile.TemporaryDirectory(prefix="cashi-versions.") as tmp:
        clean = Path(tmp) / "clean"
        copy_repository(clean)

        result = run("python3", "scripts/check-versions.py", cwd=clean)
        check(
            result.returncode == 0, f"the checker passes on the repository as it is ({old})\n{result.stderr}"
        )

        for bad, why in [
            ("1.2", "not semver"),
            ("v1.2.3", "not semver"),
            ("01.2.3", "not semver"),
            ("1.2.3-rc.1", "a pre-release, which PyPI would spell 1.2.3rc1"),
            (old, "the current version"),
        ]:
            result = run("scripts/bump-version.sh", bad, cwd=clean)
            check(
                result.returncode != 0 and bad in result.stderr,
                f"bump-version.sh {bad} fails ({why}): {result.stderr.strip()}",
            )
        check(
            workspace_version(clean) == old
            and (clean / "CHANGELOG.md").read_text() == (ROOT / "CHANGELOG.md").read_text(),
            "a refused bump changes nothing",
        )

        result = run("scripts/bump-version.sh", NEW, "2030-01-02", cwd=clean)
        check(
            result.returncode == 0,
            f"bump-version.sh {NEW} 2030-01-02 succeeds\n{result.stdout}{result.stderr}",
        )
        result = run("python3", "scripts/check-versions.py", cwd=clean)
        check(result.returncode == 0, f"the checker passes after the bump\n{result.stderr}")
        result = run("python3", "scripts/check-versions.py", "--tag", f"v{NEW}", cwd=clean)
        check(result.returncode == 0, f"--tag v{NEW} passes\n{result.stderr}")
        for tag in (f"v{old}", NEW, f"v{NEW}.1"):
            result = run("python3", "scripts/check-versions.py", "--tag", tag, cwd=clean)
            check(result.returncode != 0 and f"--tag {tag}:" in result.stderr, f"--tag {tag} fails")
        result = run("bash", "-c", "source scripts/lib/version.sh && echo $CASHI_VERSION", cwd=clean)
        check(result.stdout.strip() == NEW, f"scripts/lib/version.sh reads {NEW}: {result.stdout.strip()}")
        changelog = (clean / "CHANGELOG.md").read_text()
        check(
            f"## [Unreleased]\n\n## [{NEW}] - 2030-01-02\n" in changelog,
            "the CHANGELOG has the new heading under Unreleased",
        )
        check(f"## [{old}] - " in changelog, "the CHANGELOG keeps the previous release")
        if "[Unreleased]: " in (ROOT / "CHANGELOG.md").read_text():
            check(
                re.search(rf"^\[Unreleased\]: \S+/compare/v{NEW}\.\.\.HEAD$", changelog, re.M) is not None
                and re.search(rf"^\[{re.escape(NEW)}\]: \S+/compare/v{old}\.\.\.v{NEW}$", changelog, re.M)
                is not None,
                "the CHANGELOG's links compare from the new tag",
            )
        result = run("cargo", "metadata", "--locked", "--format-version", "1", cwd=clean)
        versions = {}
        if result.returncode == 0:
            metadata = json.loads(result.stdout)
            versions = {p["name"]: p["version"] for p in metadata["packages"] if p["source"] is None}
        check(
            result.returncode == 0 and set(versions.values()) == {NEW},
            f"cargo --locked accepts the bumped Cargo.lock, every workspace crate at {NEW}: {versions}"
            + ("" if result.returncode == 0 else f"\n{result.stderr[-2000:]}"),
        )
        for package in sorted((clean / "bindings-node").glob("**/package.json")):
            if "node_modules" not in package.parts:
                check(
                    json.loads(package.read_text())["version"] == NEW,
                    f"{package.relative_to(clean)} is {NEW}",
                )
        stale = run("git", "grep", "-n", "--no-index", "-F", f"'{old}'", "--", "bindings-php/src", cwd=clean)
        check(stale.stdout == "", f"no '{old}' left in bindings-php/src\n{stale.stdout}")

        bumped = Path(tmp) / "bumped"
        shutil.copytree(clean, bumped)
        for p in all_places(bumped):
            file = bumped / p.path
            original = file.read_text()
            for corruption, label in [("9.9.9", "a different version"), (None, "no version")]:
                match = next(p.pattern.finditer(original))
                if corruption is None:  # the place reworded: every match gone
                    text = p.pattern.sub("", original)
                else:
                    text = original[: match.start(2)] + corruption + original[match.end(2) :]
                file.write_text(text)
                result = run("python3", "scripts/check-versions.py", cwd=bumped)
                check(
                    result.returncode != 0 and f"{p.path}:" in result.stderr,
                    f"{p.path} ({p.what}) with {label}: the checker fails naming it",
                )
                file.write_text(original)
        result = run("python3", "scripts/check-versions.py", cwd=bumped)
        check(result.returncode == 0, "the checker passes again once each place is restored")

    print(f"{len(failures)} failed" if failures else "every check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every fenced code block of every Markdown file git tracks, and what the tests do with it.

Each block is preceded (on the last non-blank line before its fence) by one marker:

    <!-- snippet: run LANG -->       run to completion against a sandbox (python, node, php, c, sh)
    <!-- snippet: serve LANG -->     a webhook endpoint (python, node, php): started on $PORT,
                                     GET / creates order INV-9921, which the sandbox then pays
                                     and delivers twice; it must be fulfilled exactly once
    <!-- snippet: doctest FILE -->   the same text as a Rust block of FILE, a doctest of `cashi`
    <!-- install-test: NAME -->      run by tests/install/run.sh (`snippet NAME`): README.md's
                                     block of that name, which another file may repeat
    <!-- snippet: not-run REASON --> not run, and why

A block without a marker, with an unknown one, or whose fence language does not fit it is an
error naming the file and line.

    tests/docs/snippets.py check           every block is marked (no packages needed)
    tests/docs/snippets.py extract DIR     writes the run/serve blocks into DIR and prints one
                                           line per block: ACTION LANG FILE ORIGIN (tab-separated)
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Markdown that is not the project's own docs: dependencies and build output.
SKIP = re.compile(r"(^|/)(node_modules|target|target-[^/]*|vendor|third[-_]party|\.work)/")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+,-]*)[^\n]*$")
MARKER = re.compile(r"^\s*<!--\s*(snippet|install-test):\s*(.*?)\s*-->\s*$")
LANGS = {"python": "python", "node": "js", "php": "php", "c": "c", "sh": "sh"}
EXTENSIONS = {"python": "py", "node": "js", "php": "php", "c": "c", "sh": "sh"}
SERVE = ("python", "node", "php")
DOCTESTED = '#[doc = include_str!("../README.md")]'
DOCTEST_INFOS = ("rust", "rust,no_run")  # compiled (and run, without no_run) by rustdoc


@dataclass
class Block:
    file: str
    line: int  # of the opening fence
    lang: str  # the fence's language ("" if none)
    info: str  # its whole info string ("rust,no_run")
    marker: str | None  # "snippet: ..." or "install-test: ..."
    text: str


def markdown_files() -> list[str]:
    names = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [name for name in names if not SKIP.search(name)]


def blocks(name: str) -> list[Block]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, fence, lang = opening.groups()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^\s*{re.escape(fence)}\s*$", lines[j]):
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        if j == len(lines):
            raise SystemExit(f"{name}:{i + 1}: a code block that is never closed")
        before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        marker = MARKER.match(before)
        found.append(
            Block(
                name,
                i + 1,
                lang.split(",")[0],
                lang,
                f"{marker.group(1)}: {marker.group(2)}" if marker else None,
                "\n".join(body) + "\n",
            )
        )
        i = j + 1
    return found


def problem(block: Block) -> str | None:
    """Why the block's marker is wrong, or None."""
    if block.marker is None:
        return "a code block without a <!-- snippet: ... --> marker (see tests/docs/snippets.py)"
    kind, _, rest = block.marker.partition(": ")
    if kind == "install-test":
        script = (ROOT / "tests/install/run.sh").read_text()
        if not re.search(rf"\bsnippet {re.escape(rest)}\b", script):
            return f"install-test {rest}: tests/install/run.sh never runs `snippet {rest}`"
        if block.file != "README.md":  # the install test reads README.md's block of that name
            ours = [b for b in blocks("README.md") if b.marker == block.marker]
            if not ours or ours[0].text != block.text:
                return f"install-test {rest}: not the same text as README.md's block of that name"
        return None
    action, _, argument = rest.partition(" ")
    if action in ("run", "serve"):
        if argument not in LANGS or (action == "serve" and argument not in SERVE):
            allowed = ", ".join(LANGS if action == "run" else SERVE)
            return f"`{action} {argument}`: the language must be one of {allowed}"
        if block.lang != LANGS[argument]:
            return (
                f"`{action} {argument}` on a ```{block.lang} block (expected ```{LANGS[argument]})"
            )
        return None
    if action == "doctest":
        # The core crate's documentation is its README: `cargo test -p cashi` compiles its blocks.
        if argument != "core/README.md" or DOCTESTED not in (ROOT / "core/src/lib.rs").read_text():
            return f"doctest {argument}: only core/README.md is a doctest (core/src/lib.rs: {DOCTESTED})"
        if block.lang != "rust":
            return f"doctest on a ```{block.lang} block"
        if not any(b.info in DOCTEST_INFOS and b.text == block.text for b in blocks(argument)):
            return f"doctest {argument}: no compiled Rust block there has this exact text"
        return None
    if action == "not-run":
        return None if argument else "not-run needs a reason"
    return f"unknown marker `{rest}`"


def main(argv: list[str]) -> int:
    if (
        len(argv) < 2
        or argv[1] not in ("check", "extract")
        or (argv[1] == "extract") != (len(argv) == 3)
    ):
        print(__doc__, file=sys.stderr)
        return 2
    everything = [block for name in markdown_files() for block in blocks(name)]
    problems = [(b, problem(b)) for b in everything]
    problems = [(b, p) for b, p in problems if p]
    for block, why in problems:
        print(f"{block.file}:{block.line}: {why}", file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} of {len(everything)} code blocks are not marked right",
            file=sys.stderr,
        )
        return 1
    if argv[1] == "check":
        counts: dict[str, int] = {}
        for block in everything:
            kind, _, rest = (block.marker or "").partition(": ")
            key = "install-test" if kind == "install-test" else " ".join(rest.split(" ")[:2])
            if key.startswith("not-run"):
                key = "not-run"
            counts[key] = counts.get(key, 0) + 1
        summary = ", ".join(f"{n} {key}" for key, n in sorted(counts.items()))
        print(f"{len(everything)} code blocks: {summary}")
        return 0
    out = Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    number = 0
    for block in everything:
        action, _, lang = (block.marker or "").partition(": ")[2].partition(" ")
        if action not in ("run", "serve"):
            continue
        number += 1
        path = out / f"{number:02d}-{action}.{EXTENSIONS[lang]}"
        path.write_text(block.text)
        print(f"{action}\t{lang}\t{path}\t{block.file}:{block.line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

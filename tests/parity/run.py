#!/usr/bin/env python3
"""Checks that one language exposes every field and predicate of the core's schemas, and
nothing the core lacks.

    python3 tests/parity/run.py <language> -- <probe command...>

The probe (tests/parity/probe.* for each language, run by that binding's test.sh against
its built package) prints one JSON object: for each record type it found, the names it
exposes as fields or predicates, spelled back in snake_case:

    {"Order": ["order_id", "amount", ...], "VirtualAccount": [...], ...}

The schemas come from the core (`cargo run -p cashi-codegen -- schema`), or from the file
named by CASHI_SCHEMA_JSON.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def schemas() -> dict[str, list[str]]:
    path = os.environ.get("CASHI_SCHEMA_JSON")
    if path:
        text = pathlib.Path(path).read_text()
    else:
        text = subprocess.run(
            ["cargo", "run", "-q", "-p", "cashi-codegen", "--", "schema"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return {s["name"]: [f["name"] for f in s["fields"]] for s in json.loads(text)}


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    language, probe = sys.argv[1], sys.argv[3:]
    output = subprocess.run(probe, check=True, capture_output=True, text=True).stdout
    exposed: dict[str, list[str]] = json.loads(output)
    problems = []
    for record, fields in schemas().items():
        found = exposed.pop(record, None)
        if found is None:
            problems.append(f"{record}: not exposed")
            continue
        missing = [f for f in fields if f not in found]
        extra = sorted(set(found) - set(fields))
        if missing:
            problems.append(f"{record}: missing {', '.join(missing)}")
        if extra:
            problems.append(f"{record}: exposes what the core lacks: {', '.join(extra)}")
    for record in exposed:
        problems.append(f"{record}: a record type the core lacks")
    if problems:
        for p in problems:
            print(f"parity ({language}): {p}", file=sys.stderr)
        return 1
    print(f"parity ({language}): every field and predicate of the core, nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main())

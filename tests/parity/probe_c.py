#!/usr/bin/env python3
"""The C probe of the parity test (run.py): what the built libcashi exposes.

    python3 tests/parity/probe_c.py LIBCASHI.so CASHI_H

A record is a handle with `cashi_<record>_get_fields` among the library's exported symbols.
Its fields are its accessors, `cashi_<record>_<field>` (a `has_<field>` flag goes with an
optional number; `free`, `get_fields`, `raw_json`, `to_json` and `qr_png` are not fields),
and they must be exactly the members of its `cashi_<record>_fields` struct in the header
(the one-call read PHP uses): a difference is an error here. The records are reported
under the core's names, which C spells shortly for two of them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

# The C names of the core's records: snake_case, shortened where C always has.
C_NAMES = {
    "order": "Order",
    "virtual_account": "VirtualAccount",
    "retail_code": "RetailCode",
    "status": "PaymentStatus",
    "event": "WebhookEvent",
}
NOT_FIELDS = {"free", "get_fields", "raw_json", "to_json", "qr_png"}


def symbols(library: str) -> list[str]:
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True,
                         text=True).stdout
    return sorted({line.split()[-1] for line in out.splitlines() if line.split()[-1].startswith("cashi_")})


def struct_members(header: str, name: str) -> list[str] | None:
    match = re.search(r"typedef struct " + name + r" \{(.*?)\} " + name + ";", header, re.S)
    if not match:
        return None
    body = "\n".join(line.split("//")[0] for line in match.group(1).splitlines())
    return re.findall(r"(\w+);", body)


def main() -> int:
    library, header_path = sys.argv[1], sys.argv[2]
    exported = symbols(library)
    header = open(header_path, encoding="utf-8").read()
    records = [s[len("cashi_"):-len("_get_fields")] for s in exported if s.endswith("_get_fields")]
    # The longest prefix first, so that a record's name never takes another's functions.
    records.sort(key=len, reverse=True)
    accessors: dict[str, set[str]] = {r: set() for r in records}
    for symbol in exported:
        for record in records:
            if symbol.startswith(f"cashi_{record}_"):
                accessors[record].add(symbol[len(f"cashi_{record}_"):])
                break
    exposed, problems = {}, []
    for record in records:
        names = accessors[record] - NOT_FIELDS
        names -= {n for n in names if n.startswith("has_") and n[len("has_"):] in names}
        members = struct_members(header, f"cashi_{record}_fields")
        if members is None:
            problems.append(f"cashi_{record}_fields: not in the header")
        else:
            fields = set(members)
            fields -= {m for m in members if m.startswith("has_") and m[len("has_"):] in fields}
            if fields != names:
                problems.append(f"cashi_{record}: accessors {sorted(names - fields)} are not in "
                                f"cashi_{record}_fields, members {sorted(fields - names)} have no accessor")
        exposed[C_NAMES.get(record, record)] = sorted(names)
    for problem in problems:
        print(f"probe (c): {problem}", file=sys.stderr)
    print(json.dumps(exposed, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""What a benchmark run records about where it ran: date, commit, machine, versions, settings.

Both benchmarks (bench/run.sh and bench/realistic/run.sh) write their run's meta.json with
it, so that every figure in RESULTS.md says on what it was measured:

    python3 bench/machine.py OUT.json ROOT --dirty PATH... \
        --version NAME='shell command' ... --setting NAME=VALUE ...

`--dirty` names the folders whose uncommitted changes make the commit say so; each
`--version` is a shell command whose output states a version (empty if it fails).
Prints the machine's part as one JSON line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess


def sh(command: str, cwd: str | None = None) -> str:
    """The command's output, its lines joined by commas (it goes in a table); empty if it
    cannot run."""
    try:
        done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=cwd)
    except OSError:
        return ""
    return ", ".join(line.strip() for line in done.stdout.splitlines() if line.strip())


def machine() -> dict[str, str]:
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or sh(
        "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"
    )
    mem_kb = int(sh("awk '/MemTotal/ {print $2}' /proc/meminfo") or 0)
    return {
        "nproc": sh("nproc"),
        "cpu_model": cpu.strip(),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "loadavg": sh("cut -d' ' -f1-3 /proc/loadavg"),
    }


def commit(root: str, dirty: list[str]) -> str:
    head = sh("git rev-parse --short HEAD", cwd=root)
    changed = dirty and sh("git status --porcelain -- " + " ".join(dirty), cwd=root)
    return head + (" + uncommitted changes" if changed else "")


def pairs(items: list[str], option: str) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"{option} {item!r}: expected NAME=VALUE")
        out[name] = value
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out")
    parser.add_argument("root")
    parser.add_argument("--dirty", nargs="*", default=[])
    parser.add_argument("--version", action="append", default=[])
    parser.add_argument("--setting", action="append", default=[])
    args = parser.parse_args()
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(args.root, args.dirty),
        "machine": machine(),
        "versions": {
            name: sh(command) for name, command in pairs(args.version, "--version").items()
        },
        "settings": pairs(args.setting, "--setting"),
    }
    with open(args.out, "w") as out:
        json.dump(meta, out, indent=1)
    print(json.dumps(meta["machine"]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the code block of README.md marked `<!-- install-test: NAME -->`, so that the install
test runs the README's own lines and a snippet can never drift from what is tested.

    tests/install/snippet.py NAME [README]
"""

import re
import sys
from pathlib import Path


def snippet(readme: str, name: str) -> str:
    marker = re.escape(f"<!-- install-test: {name} -->")
    match = re.search(marker + r"\s*\n```[\w-]*\n(.*?)\n```", readme, re.DOTALL)
    if match is None:
        raise SystemExit(f"no code block marked <!-- install-test: {name} --> in the README")
    return match.group(1) + "\n"


if __name__ == "__main__":
    readme = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parents[2] / "README.md")
    sys.stdout.write(snippet(readme.read_text(), sys.argv[1]))

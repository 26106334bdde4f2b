#!/usr/bin/env bash
# Set up (as scripts/setup.sh), check the style (ruff), then run the whole test suite, the
# sandbox tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
python3 -m ruff check .
python3 -m ruff format --check .
# Two files at a time (each file on one worker, so its module fixtures grade each submission
# once): the long exercises train in one-CPU sandboxes, and runtime budgets judge CPU time, so
# the sandboxes sharing the machine changes no score. MLGRADE_TEST_WORKERS=0 runs serially.
# Then, alone, the tests that compare a quiet machine with a loaded one (exit code 5: the
# arguments selected none of them).
python3 -m pytest -n "${MLGRADE_TEST_WORKERS:-2}" --dist loadfile -m "not serial" "$@"
python3 -m pytest -m serial "$@" || [ $? -eq 5 ]

#!/usr/bin/env bash
# Set up (as scripts/setup.sh), check the style (ruff), then run the whole test suite, the
# sandbox tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
python3 -m ruff check .
python3 -m ruff format --check .
exec python3 -m pytest "$@"

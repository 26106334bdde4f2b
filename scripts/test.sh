#!/usr/bin/env bash
# Set up (as scripts/setup.sh) and run the whole test suite, the sandbox tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec python3 -m pytest "$@"

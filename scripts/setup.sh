#!/usr/bin/env bash
# Everything a fresh machine needs to grade: the Python packages, a Docker engine and the
# sandbox image (made without a registry). Safe to run again: each step skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

if scripts/ensure-docker.sh; then
    mlgrade sandbox build >/dev/null
else
    echo "setup: no Docker engine; grading will need --sandbox process (NOT isolated)" >&2
    # In CI the sandbox tests must run, so a missing engine is a failure, not a skip.
    if [ "${CI:-}" = "true" ]; then exit 1; fi
fi

#!/usr/bin/env bash
# The main job, end to end on a fresh machine: set up, then grade exercise 01's reference
# solution and a plausible wrong solution in the Docker sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

sandbox=docker
if ! python3 -c 'import docker; docker.from_env(timeout=5).ping()' >/dev/null 2>&1; then
    sandbox=process
    echo "demo: Docker cannot be had on this machine; grading with --sandbox process instead," >&2
    echo "demo: which runs the submission as a plain process, WITHOUT isolation." >&2
fi

mkdir -p out
echo "== the reference solution of exercise 01 =="
mlgrade grade 01 graders/01-mlp-classifier/reference.py --sandbox "$sandbox"
echo "== a solution whose gradient has the wrong sign =="
mlgrade grade 01 tests/submissions/01-mlp-classifier/wrong_gradient_sign.py --sandbox "$sandbox"
mlgrade grade 01 graders/01-mlp-classifier/reference.py --sandbox "$sandbox" --format junit --output out/01-reference.xml
mlgrade grade 01 graders/01-mlp-classifier/reference.py --sandbox "$sandbox" --format json --output out/01-reference.json

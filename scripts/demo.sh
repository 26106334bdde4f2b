#!/usr/bin/env bash
# The main job, end to end on a fresh machine: set up, then grade exercise 01's reference
# solution and a plausible wrong solution in the Docker sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p out
echo "== the reference solution of exercise 01 =="
mlgrade grade 01 graders/01-mlp-classifier/reference.py
echo "== a solution whose gradient has the wrong sign =="
mlgrade grade 01 tests/submissions/01-mlp-classifier/wrong_gradient_sign.py
mlgrade grade 01 graders/01-mlp-classifier/reference.py --format junit --output out/01-reference.xml
mlgrade grade 01 graders/01-mlp-classifier/reference.py --format json --output out/01-reference.json

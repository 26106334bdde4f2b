"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
train on the hidden training sentences with the defaults, predict the test sentences; one
torch thread, as in the sandbox."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import torch
from reference import predict, train

from data import hidden_split

torch.set_num_threads(1)
torch.manual_seed(0)  # as the sandbox seeds every call
split = hidden_split()
start = time.perf_counter()
classifier = train(split.train.texts, split.train.labels, seed=0)
seconds = time.perf_counter() - start
accuracy = (predict(classifier, split.test.texts) == split.test.labels).mean()
print(f"accuracy {accuracy:.3f}, train {seconds:.1f} s")

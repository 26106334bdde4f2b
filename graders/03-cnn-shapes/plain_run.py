"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
train on the hidden training set with the defaults, predict the test set; one torch thread."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import torch
from reference import build_model, predict, train

from data import hidden_shapes

torch.set_num_threads(1)
torch.manual_seed(0)  # as the sandbox seeds every call
shapes = hidden_shapes()
start = time.perf_counter()
model = train(build_model(4), shapes.X_train, shapes.y_train, seed=0)
seconds = time.perf_counter() - start
print(f"accuracy {(predict(model, shapes.X_test) == shapes.y_test).mean():.3f}, train {seconds:.1f} s")

"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
train on the hidden training split with the defaults, generate the hidden latents, judge them
as the grader does; one torch thread, like the sandbox."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import torch
from reference import generate, train_gan

from data import hidden_digits, hidden_judge, latents

torch.set_num_threads(1)
torch.manual_seed(0)  # as the sandbox seeds every call
digits = hidden_digits()
start = time.process_time()
samples = generate(train_gan(digits.train, seed=0), latents())
seconds = time.process_time() - start
print(f"{hidden_judge(digits).summary(samples)}  train+generate {seconds:.1f} s CPU")

"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
train on the hidden training pairs with the defaults, translate the hidden test sentences; one
torch thread, as in the sandbox."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import torch
from reference import train, translate

from data import hidden_split
from metrics import score

torch.set_num_threads(1)
torch.manual_seed(0)  # as the sandbox seeds every call
split = hidden_split()
start, cpu = time.perf_counter(), time.process_time()
translator = train(split.train.pairs, seed=0)
translations = translate(translator, [s for s, _ in split.test.pairs])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
s = score(translations, [t for _, t in split.test.pairs])
print(f"BLEU {s['bleu']:.2f}, exact {s['exact']:.3f}, train + translate {seconds:.1f} s ({cpu:.1f} s CPU)")

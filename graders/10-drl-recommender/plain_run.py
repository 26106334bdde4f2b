"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
train with the grader's training seed, then play the hidden users as the grader does, one act
per step for all of them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from data import EVAL_USERS, seeds
from play import PUBLIC_DIR, load_recsim, play

sys.path.insert(0, str(PUBLIC_DIR))  # reference.py imports the simulator by name, as in the sandbox

import torch
from reference import act, train_agent

torch.set_num_threads(1)
agent = train_agent(seed=seeds()["training"])
sim = load_recsim()(EVAL_USERS, seeds()["evaluation"])
played = play(sim, sim.reset(), lambda observations, step: act(agent, observations))
print(f"mean clicks {played['clicks'].mean():.2f}")

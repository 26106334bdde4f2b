"""Calibration of 10-drl-recommender's thresholds, in-process on the host (no sandbox).

Trains every variant with several training seeds, one training at a time, with one torch
thread (as in the sandbox), measures the CPU time of train_agent and the first act
(time.process_time: the machine is shared), and plays the agent as the grader does: the
grader's hidden users, one act call per step for all of them.

    python3 graders/10-drl-recommender/calibrate.py [--seeds 0-4] [--variant NAME ...] [--out FILE]

One JSON line per run goes to stdout (and --out); --summary FILE prints the table of a file.
"""

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data import EVAL_USERS, seeds  # noqa: E402
from play import PUBLIC_DIR, checked_items, habits, load_recsim, play  # noqa: E402

# The solutions import the simulator by name, as in the sandbox.
sys.path.insert(0, str(PUBLIC_DIR))

CASES = HERE.parents[1] / "tests" / "submissions" / HERE.name
VARIANTS = {
    "reference": HERE / "reference.py",
    "reinforce_baseline": CASES / "honest_reinforce_baseline.py",
    "hand_rule": CASES / "hand_rule_item_vectors.py",
    "best_fixed_sequence": CASES / "best_fixed_sequence.py",
    "round_robin_estimated": CASES / "round_robin_estimated_click_rate.py",
    "round_robin_popular": CASES / "round_robin_popular.py",
    "random": CASES / "random_items.py",
    "most_popular": CASES / "always_most_popular.py",
}


def load(path):
    spec = importlib.util.spec_from_file_location(f"variant_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(name, seed):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    recsim = load_recsim()
    sim = recsim(EVAL_USERS, seeds()["evaluation"])
    first_observations = sim.reset()
    start = time.process_time()
    module = load(VARIANTS[name])  # the import counts, as in the grader's fresh sandbox
    agent = module.train_agent(seed)
    first = module.act(agent, first_observations)
    cpu = time.process_time() - start

    def policy(observations, step):
        reply = first if step == 0 else module.act(agent, observations)
        return checked_items(reply, sim.n_users, sim.n_items, "act")

    played = play(sim, first_observations, policy)
    repeats, new = habits(played["items"], window=5)
    return {
        "variant": name,
        "seed": seed,
        "clicks": round(float(played["clicks"].mean()), 3),
        "cpu": round(cpu, 2),
        "repeats": round(repeats, 3),
        "new": round(new, 3),
    }


def summary(rows):
    by = {}
    for row in rows:
        by.setdefault(row["variant"], []).append(row)
    for name, runs in by.items():
        runs.sort(key=lambda r: r["seed"])
        clicks = [r["clicks"] for r in runs]
        cpus = [r["cpu"] for r in runs]
        print(
            f"{name:22s} n={len(runs)} clicks min {min(clicks):.2f} median {statistics.median(clicks):.2f} "
            f"max {max(clicks):.2f} | cpu {min(cpus):.1f}-{max(cpus):.1f} s | " + " ".join(f"{c:.2f}" for c in clicks)
        )


def seed_range(text):
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seed_range, default=seed_range("0-4"))
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--out", help="append the JSON lines here")
    parser.add_argument("--summary", help="print the table of a file of JSON lines, and stop")
    args = parser.parse_args()
    if args.summary:
        summary([json.loads(line) for line in Path(args.summary).read_text().splitlines() if line.strip()])
        return
    out = open(args.out, "a") if args.out else None  # noqa: SIM115 - lines are written as runs finish
    for name in args.variant or VARIANTS:
        for seed in args.seeds:
            line = json.dumps(run(name, seed))
            print(line, flush=True)
            if out:
                out.write(line + "\n")
                out.flush()


if __name__ == "__main__":
    main()

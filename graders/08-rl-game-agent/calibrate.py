"""Calibration of 08-rl-game-agent's thresholds, in-process on the host (no sandbox).

Trains every variant on both games with several training seeds, measures the CPU time of
each training (time.process_time: the machine is shared), and scores the table as the grader
does (greedy policy, the grader's hidden evaluation episodes); for FrozenLake it also gives
the exact success probability of the greedy policy (no sampling noise).

    python3 graders/08-rl-game-agent/calibrate.py [--seeds 0-7] [--jobs 2] [--variant NAME ...]

One JSON line per run goes to stdout (and --out); --summary PATH prints the table of a file.
"""

import argparse
import importlib.util
import json
import statistics
import sys
import time
from itertools import combinations
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from data import episode_seeds  # noqa: E402
from play import FROZEN_LAKE, TAXI, exact_success, frozen_lake_success, taxi_mean_return  # noqa: E402

CASES = HERE.parents[1] / "tests" / "submissions" / HERE.name
# name -> (file, share of the episodes argument actually passed)
VARIANTS = {
    "reference": (HERE / "reference.py", 1.0),
    "numpy_exponential": (CASES / "honest_numpy_exponential.py", 1.0),
    "per_visit_alpha": (CASES / "per_visit_alpha_decay_stalls.py", 1.0),
    "linear_alpha": (CASES / "honest_linear_alpha.py", 1.0),
    "first_argmax": (CASES / "honest_first_argmax.py", 1.0),
    "constant_alpha_01": (CASES / "honest_constant_alpha_01.py", 1.0),
    "reference_quarter": (HERE / "reference.py", 0.25),
    "undertrained_tenth": (CASES / "undertrained_tenth.py", 1.0),
    "random_table": (CASES / "random_table.py", 1.0),
}


def load(path):
    spec = importlib.util.spec_from_file_location(f"variant_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(job):
    name, game, seed = job
    path, share = VARIANTS[name]
    spec = TAXI if game == "taxi" else FROZEN_LAKE
    q_learning = load(path).q_learning
    start = time.process_time()
    table = q_learning(spec.env_id, episodes=int(share * spec.episodes), alpha=spec.alpha, seed=seed)
    cpu = time.process_time() - start
    row = {"variant": name, "game": game, "seed": seed, "cpu": round(cpu, 2)}
    if game == "taxi":
        row["return"] = round(taxi_mean_return(table, episode_seeds("taxi")), 3)
    else:
        row["success"] = round(frozen_lake_success(table, episode_seeds("frozen_lake")), 4)
        row["exact"] = round(exact_success(table), 4)
    return row


def medians_of_three(values):
    """The median of every three runs: what the grader's FrozenLake rule would see."""
    return [statistics.median(triple) for triple in combinations(values, 3)]


def summary(rows):
    """Per variant and game: the score of each seed, min / median / max, CPU seconds; for
    FrozenLake also the lowest and highest median of three over every triple of seeds."""
    by = {}
    for row in rows:
        by.setdefault((row["variant"], row["game"]), []).append(row)
    for (name, game), runs in sorted(by.items()):
        runs.sort(key=lambda r: r["seed"])
        key = "return" if game == "taxi" else "success"
        values = [r[key] for r in runs]
        cpus = [r["cpu"] for r in runs]
        line = (
            f"{name:20s} {game:11s} n={len(runs)} min {min(values):.3f} median {statistics.median(values):.3f} "
            f"max {max(values):.3f} | cpu {min(cpus):.1f}-{max(cpus):.1f} s"
        )
        if game == "frozen_lake" and len(values) >= 3:
            triples = medians_of_three(values)
            line += f" | median of 3: {min(triples):.3f}-{max(triples):.3f}"
        print(line + " | " + " ".join(f"{v:.3f}" if game != "taxi" else f"{v:.2f}" for v in values))


def seed_range(text):
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seed_range, default=seed_range("0-7"))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--game", action="append", choices=["taxi", "frozen_lake"])
    parser.add_argument("--out", help="append the JSON lines here")
    parser.add_argument("--summary", help="print the table of a file of JSON lines, and stop")
    args = parser.parse_args()
    if args.summary:
        summary([json.loads(line) for line in Path(args.summary).read_text().splitlines() if line.strip()])
        return
    jobs = [
        (v, g, s) for v in args.variant or VARIANTS for g in args.game or ["taxi", "frozen_lake"] for s in args.seeds
    ]
    out = open(args.out, "a") if args.out else None  # noqa: SIM115 - lines are written as runs finish
    with Pool(args.jobs) as pool:
        for row in pool.imap_unordered(run, jobs):
            line = json.dumps(row)
            print(line, flush=True)
            if out:
                out.write(line + "\n")
                out.flush()


if __name__ == "__main__":
    main()

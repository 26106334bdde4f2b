"""In-process calibration of 07-gan-digits: train solutions on several splits, score samples.

    python3 graders/07-gan-digits/calibrate.py [FILE ...] [--seeds 0 1 2] [--out DIR]

For each solution (default: the reference and tests/submissions/07-gan-digits/honest_*.py)
and each seed s: split the digits with seed s (s = -1: the grader's hidden split), call
train_gan(train split, seed=s) with one torch thread, generate the grader's latent vectors,
and print FD, class coverage, confidence, the near-copy share and the CPU seconds of
training and generation (time.process_time: the machine is shared).
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from data import SEED, hidden_digits, hidden_judge, latents  # noqa: E402

DEFAULTS = [HERE / "reference.py"] + sorted(
    (HERE.parents[1] / "tests" / "submissions" / "07-gan-digits").glob("honest_*.py")
)


def load(path):
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=DEFAULTS)
    parser.add_argument("--seeds", type=int, nargs="*", default=[-1, 1, 2])
    args = parser.parse_args()
    torch.set_num_threads(1)
    for path in args.files:
        module = load(path)
        print(Path(path).name, flush=True)
        for seed in args.seeds:
            digits = hidden_digits(SEED if seed < 0 else seed)
            judge = hidden_judge(digits)
            torch.manual_seed(0)
            np.random.seed(0)
            start = time.process_time()
            generator = module.train_gan(digits.train, seed=max(seed, 0))
            samples = module.generate(generator, latents())
            seconds = time.process_time() - start
            print(f"  seed {seed:>3}: {judge.summary(samples)}  cpu {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()

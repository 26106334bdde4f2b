"""In-process calibration of 05-transformer-translation: scores of solutions on several data seeds.

    python3 graders/05-transformer-translation/calibrate.py [FILE ...] [--seeds N]

Trains each solution (default: the reference and the submissions in
tests/submissions/05-transformer-translation/) on the training pairs of splits made with seeds
0..N-1 and the grader's own seed, with 1 torch thread, translates the test sentences and prints
the corpus BLEU, the exact-match rate and the CPU seconds of train + translate (what the
sandbox's budget judges).
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

from data import SEED, hidden_split  # noqa: E402
from metrics import score  # noqa: E402

DEFAULTS = [HERE / "reference.py"] + sorted(
    (HERE.parents[1] / "tests" / "submissions" / "05-transformer-translation").glob("*.py")
)


def load(path):
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(module, seed):
    split = hidden_split(seed)
    torch.manual_seed(0)  # as the sandbox seeds every call
    np.random.seed(0)
    start = time.process_time()
    translator = module.train(split.train.pairs, seed=0)
    sources = [s for s, _ in split.test.pairs]
    hypotheses = module.translate(translator, sources)
    seconds = time.process_time() - start
    return score(hypotheses, [t for _, t in split.test.pairs]), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=DEFAULTS)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    seeds = list(range(args.seeds)) + [SEED]
    for path in args.files:
        module = load(path)
        print(Path(path).name, flush=True)
        for seed in seeds:
            s, seconds = run(module, seed)
            print(
                f"  seed {seed:>9}: BLEU {s['bleu']:6.2f}  exact {s['exact']:.3f}  CPU {seconds:5.1f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()

"""In-process calibration of 06-lstm-forecast: scores of solutions on several hidden-data seeds.

    python3 graders/06-lstm-forecast/calibrate.py [FILE ...] [--seeds N]

Trains each solution (default: the reference and the baselines in
tests/submissions/06-lstm-forecast/) on the first 80% of series made with seeds 0..N-1 and the
grader's own seed, with 1 torch thread, and prints the RMSE ratio, the directional accuracy and
the training time. Forecasts are batched here (no sandbox, nothing to leak); the grader sends
them one window at a time, which gives the same numbers.
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

from data import SEED, WINDOW, log_prices  # noqa: E402
from metrics import score  # noqa: E402

DEFAULTS = [HERE / "reference.py"] + sorted(
    (HERE.parents[1] / "tests" / "submissions" / "06-lstm-forecast").glob("*.py")
)


def load(path):
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=DEFAULTS)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    seeds = list(range(args.seeds)) + [SEED]
    for path in args.files:
        module = load(path)
        print(Path(path).name, flush=True)
        for seed in seeds:
            series = log_prices(seed)
            torch.manual_seed(0)
            np.random.seed(0)
            start = time.perf_counter()
            forecaster = module.train(series.train, window=WINDOW, seed=0)
            seconds = time.perf_counter() - start
            values = series.values
            windows = np.stack([values[t - WINDOW : t] for t in range(series.n_train, len(values))])
            s = score(module.forecast(forecaster, windows), windows[:, -1], values[series.n_train :])
            print(
                f"  seed {seed:>9}: ratio {s['ratio']:.3f}  direction {s['direction']:.3f}  "
                f"bias {s['bias']:+.4f}  train {seconds:.1f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()

"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
train on the hidden training part with the defaults, forecast the continuation one window at a time."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
import torch
from reference import forecast, train

from data import WINDOW, log_prices
from metrics import score

torch.set_num_threads(1)
series = log_prices()
forecaster = train(series.train, window=WINDOW, seed=0)
values = series.values
forecasts = np.array(
    [forecast(forecaster, values[None, t - WINDOW : t])[0] for t in range(series.n_train, len(values))]
)
s = score(forecasts, values[series.n_train - 1 : -1], values[series.n_train :])
print(f"ratio {s['ratio']:.3f} direction {s['direction']:.3f}")

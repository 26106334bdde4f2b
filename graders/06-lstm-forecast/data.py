"""Hidden data of 06-lstm-forecast. Lives only in the grader process on the host.

One synthetic log-price series of 3000 steps:

    x_t = log(100) + slope * t + a1 sin(2 pi t / p1 + phase1) + a2 sin(2 pi t / p2 + phase2) + e_t
    e_t = phi e_{t-1} + eps_t,   eps_t ~ N(0, 0.01^2)

with slope, periods, amplitudes, phases and phi drawn from the hidden seed. The amplitudes are
tied to the periods (a = d p / (2 pi)) so that each sinusoid moves the series by about the same
amount per step whatever its period, which keeps the difficulty alike from seed to seed.
The submission is trained on the first 80% (2400 steps); the remaining 600 steps are the
hidden continuation it is scored on, one window at a time (see test_hidden.scored).
"""

from dataclasses import dataclass

import numpy as np

SEED = 61_907_254  # hidden: the series, the make_windows cases and the shape-check windows
LENGTH = 3000
TRAIN_FRACTION = 0.8
WINDOW = 30
SIGMA = 0.01
STEP_1, STEP_2 = 0.026, 0.016  # per-step amplitude of each sinusoid, as a multiple of 2 pi a / p


@dataclass(frozen=True)
class Series:
    values: np.ndarray  # (LENGTH,) float64 log-prices
    n_train: int  # the first n_train steps are what `train` gets
    params: dict

    @property
    def train(self):
        return self.values[: self.n_train].copy()


def log_prices(seed=SEED, length=LENGTH):
    rng = np.random.default_rng(seed)
    slope = rng.choice([-1.0, 1.0]) * rng.uniform(0.0008, 0.0014)
    p1, p2 = rng.uniform(14.0, 24.0), rng.uniform(40.0, 70.0)
    a1 = STEP_1 * p1 / (2 * np.pi) * rng.uniform(0.9, 1.1)
    a2 = STEP_2 * p2 / (2 * np.pi) * rng.uniform(0.9, 1.1)
    phase1, phase2 = rng.uniform(0.0, 2 * np.pi, 2)
    phi = rng.uniform(0.3, 0.6)
    eps = rng.normal(0.0, SIGMA, length)
    noise = np.empty(length)
    noise[0] = eps[0] / np.sqrt(1.0 - phi**2)
    for i in range(1, length):
        noise[i] = phi * noise[i - 1] + eps[i]
    t = np.arange(length, dtype=np.float64)
    values = (
        np.log(100.0)
        + slope * t
        + a1 * np.sin(2 * np.pi * t / p1 + phase1)
        + a2 * np.sin(2 * np.pi * t / p2 + phase2)
        + noise
    )
    params = {"slope": slope, "p1": p1, "p2": p2, "a1": a1, "a2": a2, "phi": phi}
    return Series(values, int(round(TRAIN_FRACTION * length)), params)


def window_cases(seed=SEED):
    """(series, window) pairs for the make_windows check: odd lengths, one-row and width-1 cases."""
    rng = np.random.default_rng(seed + 1)
    cases = []
    for length, window in ((200, 30), (47, 7), (31, 30), (12, 1), (90, 45)):
        cases.append((np.log(100.0) + np.cumsum(rng.normal(0.0, 0.02, length)), window))
    return cases


def check_windows(series, first=0, seed=SEED, n=7):
    """n windows from the training part from step ``first`` on (the training part is what
    ``train`` gets: nothing of the hidden continuation leaks). The grader's forecasters for
    this check are trained on the steps before ``first``, so the windows are new to them."""
    rng = np.random.default_rng(seed + 2)
    starts = np.sort(first + rng.choice(series.n_train - WINDOW + 1 - first, n, replace=False))
    return np.stack([series.values[s : s + WINDOW] for s in starts])

"""A cheat: it never learns, but looks for the true next value among the windows it is sent.

Window t+1 ends with the value window t must predict, so a batch of consecutive windows would
hand it the answers; it also remembers every window of earlier calls. Because the grader sends
the hidden windows one at a time in time order, it finds nothing and falls back to persistence:
it must score no more than persistence does (25)."""

import numpy as np
from torch import nn


def make_windows(series, window):
    series = np.asarray(series, dtype=np.float64)
    return np.stack([series[i : i + window] for i in range(len(series) - window)]), series[window:].copy()


class Peeker:
    def __init__(self):
        self.lstm = nn.LSTM(1, 4)
        self.seen = []


def train(series, window=30, seed=0):
    return Peeker()


def forecast(forecaster, windows):
    windows = np.asarray(windows, dtype=np.float64)
    forecaster.seen.extend(windows)
    out = windows[:, -1].copy()
    for i, w in enumerate(windows):
        for other in forecaster.seen:
            if np.array_equal(other[:-1], w[1:]):
                out[i] = other[-1]
                break
    return out

"""The persistence forecast: tomorrow's log-price is today's. It holds an (untrained) nn.LSTM,
which earns nothing (the sandbox's word), and its make_windows is right, so it keeps those
points and the shape check (25); it must get 0 for RMSE (ratio exactly 1.0), for direction
(it predicts none: 0.5) and for training time."""

import numpy as np
from torch import nn


def make_windows(series, window):
    series = np.asarray(series, dtype=np.float64)
    return np.stack([series[i : i + window] for i in range(len(series) - window)]), series[window:].copy()


class Persistence:
    def __init__(self):
        self.lstm = nn.LSTM(1, 8, batch_first=True)  # never used


def train(series, window=30, seed=0):
    return Persistence()


def forecast(forecaster, windows):
    return np.asarray(windows, dtype=np.float64)[:, -1].copy()

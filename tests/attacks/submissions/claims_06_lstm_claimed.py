"""Exercise 06, the variant of the attack on a self-reported fact: no torch at all, and the
harness's `describe` (which runs in the submission's process) replaced to report an LSTM.

It forecasts persistence (each window's last value). The lie passes the LSTM check, which now
earns nothing: 25 (make_windows and the forecast-shape check), like the honest persistence
baseline; the grader that counted the report gave it 35."""

import sys

import numpy as np


def _an_lstm(obj):
    return {"layers": ["LSTM", "Linear"], "parameters": 5_000, "modules": ["LSTM"]}


sys.modules["__main__"].describe = _an_lstm  # the harness is __main__ in the sandbox


def make_windows(series, window):
    series = np.asarray(series, dtype=np.float64)
    return np.stack([series[i : i + window] for i in range(len(series) - window)]), series[window:].copy()


class Persistence:
    pass


def train(series, window=30, seed=0):
    return Persistence()


def forecast(forecaster, windows):
    return np.asarray(windows, dtype=np.float64)[:, -1].copy()

"""Exercise 06: forecast a (synthetic) stock's log-price one step ahead with an LSTM.

Implement the three functions below. Keep the names and signatures: the grader calls them.
Run the public checks with:  mlgrade check 06 solution.py
"""

import numpy as np
import torch  # noqa: F401  (you will need it)
from torch import nn  # noqa: F401


def make_windows(series: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a 1-D series of T values into supervised pairs.

    Returns X of shape (T - window, window) with X[i] = series[i:i+window], and
    y of shape (T - window,) with y[i] = series[i+window] (the value right after X[i]).
    """
    raise NotImplementedError


def train(series: np.ndarray, window: int = 30, seed: int = 0) -> object:
    """Train a forecaster on a 1-D array of log-prices and return it.

    The forecaster must hold an nn.LSTM: be an nn.Module itself, or an object with the
    nn.Module(s) among its attributes. It stays in the sandbox; the grader passes it back to
    `forecast`. The same seed must give the same forecaster.
    """
    raise NotImplementedError


def forecast(forecaster, windows: np.ndarray) -> np.ndarray:
    """(N, window) float array of log-prices -> (N,) float array: each window's next log-price.

    A window's forecast must depend on that window only, not on the rest of the batch.
    """
    raise NotImplementedError

"""Public checks of exercise 06: run them with `mlgrade check 06 solution.py`.

They run your code in the same sandbox as the grader, on a public series made the same way
as the hidden one (`public_series` below; use it to experiment). The hidden grader trains on
another series of this kind, with other periods, amplitudes, trend and noise, and scores the
forecasts of its hidden continuation with the same thresholds as here.
"""

import numpy as np
import pytest

from mlgrade.grading import Remote, as_array

WINDOW = 30
N_TRAIN = 2400


def public_series(seed=2024, length=3000):
    """Log-prices: trend + two sinusoids + AR(1) noise (the hidden series draws its own values)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length, dtype=np.float64)
    eps = rng.normal(0.0, 0.01, length)
    noise = np.empty(length)
    noise[0] = eps[0]
    for i in range(1, length):
        noise[i] = 0.45 * noise[i - 1] + eps[i]
    return (
        np.log(100.0)
        + 0.0011 * t
        + 0.08 * np.sin(2 * np.pi * t / 19.0 + 0.3)
        + 0.12 * np.sin(2 * np.pi * t / 52.0 + 1.7)
        + noise
    )


def scores(forecasts, last, truth):
    rmse = np.sqrt(np.mean((forecasts - truth) ** 2))
    persistence = np.sqrt(np.mean((last - truth) ** 2))
    moved = forecasts - last
    right = np.where(np.abs(moved) <= 1e-6, 0.5, (np.sign(moved) == np.sign(truth - last)).astype(float))
    return float(rmse / persistence), float(right.mean())


@pytest.fixture(scope="session")
def series():
    return public_series()


@pytest.fixture(scope="session")
def forecaster(submission, series):
    return submission.call("train", series[:N_TRAIN], window=WINDOW, seed=0, _timeout=60)


@pytest.mark.points(1)
def test_make_windows(submission):
    """make_windows on a small series"""
    X, y = submission.call("make_windows", np.arange(10.0) / 10, 3)
    X = as_array(X, "make_windows X", shape=(7, 3), kind="f")
    y = as_array(y, "make_windows y", shape=(7,), kind="f")
    assert np.allclose(X[0], [0.0, 0.1, 0.2]) and np.allclose(X[6], [0.6, 0.7, 0.8]), f"X is\n{X}"
    assert np.allclose(y, np.arange(3, 10) / 10), f"y is {y}, expected [0.3, 0.4, ..., 0.9]"


@pytest.mark.points(0)
def test_forecaster_holds_an_lstm(submission, forecaster):
    """for information, 0 points: the trained forecaster holds an nn.LSTM"""
    # Reported by the submission's own process, so, as in the hidden grader, worth no points.
    parts = forecaster if isinstance(forecaster, (tuple, list)) else [forecaster]
    layers = set()
    for part in parts:
        if isinstance(part, Remote):
            layers |= set(submission.describe(part)["layers"])
    assert "LSTM" in layers, f"no nn.LSTM in the forecaster; its torch layers: {sorted(layers) or 'none'}"


@pytest.mark.points(1)
def test_forecast_shape(submission, forecaster, series):
    """forecast returns one float per window"""
    windows = np.stack([series[s : s + WINDOW] for s in (0, 500, 1000, 1500, 2000)])
    as_array(submission.call("forecast", forecaster, windows), "forecast on 5 windows", shape=(5,), kind="f")
    as_array(submission.call("forecast", forecaster, windows[:1]), "forecast on 1 window", shape=(1,), kind="f")


@pytest.mark.points(1)
def test_beats_persistence(submission, forecaster, series, credit):
    """RMSE and direction on the public continuation, one window at a time as the grader does"""
    forecasts = np.array(
        [
            as_array(
                submission.call("forecast", forecaster, series[None, t - WINDOW : t]), "forecast", shape=(1,), kind="f"
            )[0]
            for t in range(N_TRAIN, len(series))
        ]
    )
    ratio, direction = scores(forecasts, series[N_TRAIN - 1 : -1], series[N_TRAIN:])
    credit.measure("RMSE / persistence RMSE on the public continuation", ratio, full_at=0.75, zero_at=1.0)
    credit.measure("directional accuracy on the public continuation", direction, full_at=0.70, zero_at=0.55)

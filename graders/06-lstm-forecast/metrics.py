"""The scores of 06-lstm-forecast, computed on the host from raw forecasts and the true values."""

import numpy as np

# A forecast this close to the window's last value predicts no direction: it counts as half
# right (a coin flip). Larger than float32 rounding of log-prices (<= 5e-7 below e^9).
TIE = 1e-6


def score(forecasts, last, truth):
    """RMSE, the persistence forecast's RMSE, their ratio, directional accuracy and bias.

    ``last`` is each window's last value; persistence forecasts it as the next value.
    Direction: sign(forecast - last) against sign(truth - last).
    """
    forecasts, last, truth = (np.asarray(a, dtype=np.float64) for a in (forecasts, last, truth))
    error = forecasts - truth
    rmse = float(np.sqrt(np.mean(error**2)))
    persistence = float(np.sqrt(np.mean((last - truth) ** 2)))
    predicted, actual = forecasts - last, truth - last
    right = np.where(np.abs(predicted) <= TIE, 0.5, (np.sign(predicted) == np.sign(actual)).astype(np.float64))
    return {
        "rmse": rmse,
        "persistence_rmse": persistence,
        "ratio": rmse / persistence,
        "direction": float(right.mean()),
        "bias": float(error.mean()),
        "n": int(len(truth)),
    }

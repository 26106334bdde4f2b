"""Hidden grader of 06-lstm-forecast. Runs on the host; the submission runs in the sandbox.

The trained forecaster stays in the sandbox; the host sends it windows and scores the
forecasts it returns against the hidden continuation of the series. The windows of the
continuation go one at a time, in time order: a batch of overlapping windows would show the
forecaster the very values it is asked to predict (window t+1 ends with the truth of window t).
"""

import numpy as np
import pytest

from mlgrade.grading import Remote, as_array, speed_counts_only_if

from data import WINDOW, check_windows, log_prices, window_cases
from metrics import TIE, score

TRAIN_TIMEOUT = 60  # reference-machine seconds for the one call of train
RMSE_FULL, RMSE_ZERO = 0.75, 1.0  # RMSE / persistence RMSE: persistence itself is 1.0
DIRECTION_FULL, DIRECTION_ZERO = 0.70, 0.55  # persistence (no direction) gets 0.5
LEARNS = 0.9  # training time only counts for a forecaster at or below this ratio
BATCH_TOLERANCE = 1e-4  # log-price units: a forecast must not depend on the rest of its batch


@pytest.fixture(scope="session")
def series():
    return log_prices()


@pytest.fixture(scope="session")
def trained(submission, series):
    """Train once on the first 80% of the hidden series; every later check uses this forecaster."""
    with submission.stopwatch() as train_time:
        forecaster = submission.call("train", series.train, window=WINDOW, seed=0, _timeout=TRAIN_TIMEOUT)
    return {"forecaster": forecaster, "seconds": train_time.seconds}


@pytest.fixture(scope="session")
def scored(submission, trained, series):
    """Forecasts of the 600 hidden steps, one window per call, in time order, and their scores."""
    values = series.values
    targets = range(series.n_train, len(values))
    forecasts = np.empty(len(targets))
    for i, t in enumerate(targets):
        window = np.ascontiguousarray(values[None, t - WINDOW : t])
        out = submission.call("forecast", trained["forecaster"], window)
        forecasts[i] = as_array(out, "forecast on one window", shape=(1,), kind="f")[0]
    truth = values[series.n_train :]
    last = values[series.n_train - 1 : -1]
    return score(forecasts, last, truth)


def _remotes(value):
    """The sandbox objects in what train returned (a tuple or dict of them works for forecast too)."""
    if isinstance(value, Remote):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _remotes(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _remotes(item)


@pytest.mark.points(15)
def test_make_windows(submission):
    """make_windows builds X[i] = series[i:i+window] and y[i] = series[i+window]"""
    for values, window in window_cases():
        n = len(values) - window
        what = f"make_windows(a series of {len(values)} steps, window={window})"
        result = submission.call("make_windows", values, window)
        assert isinstance(result, (tuple, list)) and len(result) == 2, (
            f"{what} must return a pair (X, y); it returned {type(result).__name__}"
        )
        X = as_array(result[0], f"{what}, X,", shape=(n, window), kind="f")
        y = as_array(result[1], f"{what}, y,", shape=(n,), kind="f")
        for i in range(n):
            if not np.allclose(X[i], values[i : i + window], rtol=1e-6, atol=1e-6):
                shifted = [
                    k
                    for k in (-1, 1)
                    if 0 <= i + k <= n and np.allclose(X[i], values[i + k : i + k + window], rtol=1e-6, atol=1e-6)
                ]
                raise AssertionError(
                    f"{what}: X[{i}] is not series[{i}:{i + window}]"
                    + (
                        f"; it is series[{i + shifted[0]}:{i + shifted[0] + window}], shifted by {shifted[0]}"
                        if shifted
                        else ""
                    )
                )
        if not np.allclose(y, values[window:], rtol=1e-6, atol=1e-6):
            i = int(np.flatnonzero(~np.isclose(y, values[window:], rtol=1e-6, atol=1e-6))[0])
            hint = (
                "; y[i] must be the value right after X[i], not its last value"
                if np.allclose(y, values[window - 1 : -1], rtol=1e-6, atol=1e-6)
                else ""
            )
            raise AssertionError(
                f"{what}: y[{i}] is {y[i]:.6f}, but series[{i + window}] is {values[i + window]:.6f}{hint}"
            )


@pytest.mark.points(10)
def test_has_lstm(submission, trained):
    """the trained forecaster holds an nn.LSTM"""
    forecaster = trained["forecaster"]
    remotes = list(_remotes(forecaster))
    assert remotes, f"train returned {forecaster!r}; expected the trained forecaster, an object that holds an nn.LSTM"
    layers, modules = set(), []
    for remote in remotes:
        described = submission.describe(remote)
        layers |= set(described["layers"])
        modules += described["modules"]
    assert "LSTM" in layers, (
        f"no nn.LSTM found in the forecaster train returned ({', '.join(r.type_name for r in remotes)}): "
        + (
            f"its torch modules ({', '.join(modules)}) contain {', '.join(sorted(layers))}"
            if modules
            else "the grader found no torch nn.Module in it"
        )
        + ". The grader looks at the object itself and at the nn.Modules among its attributes."
    )


@pytest.mark.points(10)
def test_forecast_shape(submission, trained, series):
    """forecast returns one float per window, whatever else is in the batch"""
    forecaster = trained["forecaster"]
    windows = check_windows(series)
    batch = as_array(
        submission.call("forecast", forecaster, windows),
        f"forecast on {len(windows)} windows",
        shape=(len(windows),),
        kind="f",
    )
    for i, window in enumerate(windows):
        alone = as_array(
            submission.call("forecast", forecaster, window[None]), "forecast on one window", shape=(1,), kind="f"
        )
        gap = abs(float(alone[0]) - float(batch[i]))
        assert gap <= BATCH_TOLERANCE, (
            f"the forecast of a window depends on the rest of its batch: window {i} alone gives "
            f"{float(alone[0]):.6f}, in a batch of {len(windows)} {float(batch[i]):.6f}. The grader "
            f"sends the hidden windows one at a time, so a forecast must depend on its own window only"
        )


@pytest.mark.points(30)
def test_rmse_vs_persistence(scored, credit):
    """RMSE on the hidden continuation, relative to the persistence forecast"""
    ratio = scored["ratio"]
    credit.measure("RMSE / persistence RMSE on the hidden continuation", ratio, full_at=RMSE_FULL, zero_at=RMSE_ZERO)
    credit.note(
        f"your RMSE is {scored['rmse']:.5f}; repeating each window's last value (persistence) gives "
        f"{scored['persistence_rmse']:.5f}, over {scored['n']} one-step forecasts"
    )
    if ratio > RMSE_FULL and abs(scored["bias"]) > 0.5 * scored["rmse"]:
        credit.note(
            f"your forecasts are {'too high' if scored['bias'] > 0 else 'too low'} by "
            f"{abs(scored['bias']):.4f} on average: a network fed raw price levels cannot follow "
            f"the trend beyond the levels it was trained on; feed it changes (differences, or "
            f"the window minus its last value) and predict the next change"
        )


@pytest.mark.points(25)
def test_directional_accuracy(scored, credit):
    """directional accuracy on the hidden continuation"""
    credit.measure(
        "directional accuracy on the hidden continuation",
        scored["direction"],
        full_at=DIRECTION_FULL,
        zero_at=DIRECTION_ZERO,
    )
    credit.note(
        f"a forecast is right when forecast - last value of the window has the sign of "
        f"true next value - last value; a forecast within {TIE:g} of the last value counts as half right"
    )


@pytest.mark.points(10)
def test_training_time(trained, scored, credit, exercise):
    """train runs within the time budget"""
    speed_counts_only_if(
        scored["ratio"] <= LEARNS,
        f"a forecaster that beats persistence clearly (RMSE at most {LEARNS} times the persistence forecast's)",
        f"{scored['ratio']:.3f} times the persistence forecast's RMSE",
    )
    credit.runtime("train on the 2400-step training series", trained["seconds"], exercise.budgets["train"])

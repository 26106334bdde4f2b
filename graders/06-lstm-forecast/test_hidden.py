"""Hidden grader of 06-lstm-forecast. Runs on the host; the submission runs in the sandbox.

The trained forecaster stays in the sandbox; the host sends it windows and scores the
forecasts it returns against the hidden continuation of the series. The windows of the
continuation go one at a time, in time order: a batch of overlapping windows would show the
forecaster the very values it is asked to predict (window t+1 ends with the truth of window t).

Whether the forecaster holds an nn.LSTM is only what the sandbox says about it (the submission
controls that: an unused nn.LSTM attribute is enough), so it is reported for information and
worth no points; its points went to the RMSE, the quality the LSTM is there to buy.

The checks on the trained forecaster come first: their fixture starts the first sandbox, so
the import it times costs no extra sandbox. The batch check comes last, as it replaces the
sandbox (twice) and the forecaster of the earlier ones goes stale.
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
# The forecasters of the batch check are trained in fresh sandboxes on the first PROBE_TRAIN
# steps: a third of the cost of the full training.
PROBE_TRAIN = 800


@pytest.fixture(scope="session")
def series():
    return log_prices()


@pytest.fixture(scope="session")
def trained(submission, series):
    """Train on the first 80% of the hidden series and forecast the 600 hidden steps, timed
    together in a fresh sandbox; the forecasts' scores.

    The windows of the continuation go one per call, in time order. Timed is all the work that
    produces the scored forecasts: the import (a fresh sandbox puts it inside the block, so
    training at import time counts), ``train`` and every ``forecast`` call (which a lazy
    ``train`` could leave the training to).
    """
    values = series.values
    targets = range(series.n_train, len(values))
    forecasts = np.empty(len(targets))
    submission.restart()
    with submission.stopwatch() as watch:
        forecaster = submission.call("train", series.train, window=WINDOW, seed=0, _timeout=TRAIN_TIMEOUT)
        for i, t in enumerate(targets):
            window = np.ascontiguousarray(values[None, t - WINDOW : t])
            out = submission.call("forecast", forecaster, window)
            forecasts[i] = as_array(out, "forecast on one window", shape=(1,), kind="f")[0]
    truth = values[series.n_train :]
    last = values[series.n_train - 1 : -1]
    return {"forecaster": forecaster, "seconds": watch.seconds, "scores": score(forecasts, last, truth)}


@pytest.fixture(scope="session")
def scored(trained):
    return trained["scores"]


@pytest.mark.points(40)
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
    credit.runtime(
        "Importing solution.py, train on the 2400-step training series and the 600 forecasts",
        trained["seconds"],
        exercise.budgets["train"],
    )


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


def reported_layers(submission, remotes):
    """Layer names the sandbox reports for ``remotes``, read defensively: it is the sandbox's word."""
    layers = set()
    for remote in remotes:
        described = submission.describe(remote)
        found = described.get("layers") if isinstance(described, dict) else None
        layers |= {str(x)[:40] for x in found[:50]} if isinstance(found, list) else set()
    return layers


@pytest.mark.points(0)
def test_has_lstm(submission, trained, credit):
    """for information, 0 points: the trained forecaster holds an nn.LSTM"""
    forecaster = trained["forecaster"]
    remotes = list(_remotes(forecaster))
    assert remotes, f"train returned {forecaster!r}; expected the trained forecaster, an object that holds an nn.LSTM"
    layers = reported_layers(submission, remotes)
    credit.note(
        "Reported by your own code in the sandbox, which the grader cannot verify: worth no points. "
        f"The forecaster ({', '.join(r.type_name for r in remotes)}) reports the torch layers "
        f"{', '.join(sorted(layers)) or 'none'}; the grader looks at the object itself and at the "
        f"nn.Modules among its attributes."
    )
    assert "LSTM" in layers, "the exercise asks for a forecaster that holds an nn.LSTM"


def fresh_forecaster(submission, series):
    """A forecaster trained in a fresh sandbox on the first PROBE_TRAIN steps of the series.

    Every call is seeded, so each fresh sandbox trains the same forecaster; and it remembers
    nothing of any earlier call (windows it was sent, forecasts it gave, a count of calls).
    """
    submission.restart()
    return submission.call("train", series.values[:PROBE_TRAIN], window=WINDOW, seed=0, _timeout=TRAIN_TIMEOUT)


@pytest.mark.points(10)
def test_forecast_shape(submission, series):
    """forecast returns one float per window, whatever else is in the batch"""
    # Alone and in the batch, each window is shown to a sandbox that has never seen it: the
    # windows alone in one fresh sandbox, the batch in another, with the same forecaster; the
    # windows come from after the steps it was trained on. Within one sandbox no order of the
    # calls would do: a forecaster that remembers the first forecast it gave each window passes
    # any comparison of a second answer with the first.
    windows = check_windows(series, first=PROBE_TRAIN)
    forecaster = fresh_forecaster(submission, series)
    alone = [
        float(
            as_array(
                submission.call("forecast", forecaster, window[None]), "forecast on one window", shape=(1,), kind="f"
            )[0]
        )
        for window in windows
    ]
    forecaster = fresh_forecaster(submission, series)
    batch = as_array(
        submission.call("forecast", forecaster, windows),
        f"forecast on {len(windows)} windows",
        shape=(len(windows),),
        kind="f",
    )
    gaps = np.abs(np.array(alone) - batch.astype(np.float64))
    worst = int(gaps.argmax())
    assert gaps[worst] <= BATCH_TOLERANCE, (
        f"the forecast of a window depends on the rest of its batch: {int((gaps > BATCH_TOLERANCE).sum())} "
        f"of {len(windows)} windows get another forecast in a batch of {len(windows)} than alone (window "
        f"{worst}: {alone[worst]:.6f} alone, {float(batch[worst]):.6f} in the batch). The grader sends the "
        f"hidden windows one at a time, so a forecast must depend on its own window only. (The grader "
        f"trains the forecaster for each way of asking in a fresh sandbox: train must give the same "
        f"forecaster each time; every call is seeded.)"
    )

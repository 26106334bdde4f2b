# ruff: noqa: F821  (a fragment: the file it is appended to defines np, the reference's names)
# Appended to the reference of exercise 06 by tests/attacks/test_grader_claims.py.
#
# The attack: forecasts that depend on the rest of the batch (a share of the batch's spread is
# added to each), hidden by a memory of every window the forecaster was sent: a window seen
# before gets the forecast it got the first time. The grader that compared a window alone with
# the same window in a batch, in one sandbox, got the remembered forecast back and gave the
# check's 10 points (100); now each way of asking goes to a fresh sandbox: 90. The hidden
# windows are scored one at a time, where there is no batch: full marks there.

_reference_forecast = forecast
_SEEN = {}


def forecast(forecaster, windows):
    windows = np.asarray(windows, dtype=np.float64)
    out = np.asarray(_reference_forecast(forecaster, windows), dtype=np.float64)
    if len(windows) > 1:
        out = out + 0.05 * (windows[:, -1].mean() - windows[:, -1])
    return np.array([_SEEN.setdefault(w.tobytes(), f) for w, f in zip(windows, out)])

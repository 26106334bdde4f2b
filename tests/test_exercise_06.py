"""Exercise 06 graded end to end in the Docker sandbox: reference, stub, an honest solution in
another style, and the baselines the thresholds must stop.

Rubric, in the order the checks run: RMSE / persistence 40 (full at <= 0.75, none at 1.0),
directional accuracy 25 (full at >= 0.70, none at 0.55), training time 10, make_windows 15,
holds an LSTM as the sandbox reports it 0 (for information; its 10 points moved to the RMSE,
30 -> 40), forecast shape 10.

The baselines that earn nothing on the hidden continuation (persistence, an LSTM fed raw levels,
a peeker) keep make_windows 15 and forecast shape 10: 25 (35 before, with the 10 of the LSTM
they hold or say they hold).
"""

import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CASES = SUBMISSIONS / "06-lstm-forecast"
REFERENCE = ROOT / "graders" / "06-lstm-forecast" / "reference.py"
STUB = ROOT / "exercises" / "06-lstm-forecast" / "solution.py"
WINDOWS, LSTM, SHAPE, RMSE, DIRECTION, RUNTIME = (
    "make_windows",
    "for information, 0 points",
    "forecast returns",
    "RMSE on the hidden",
    "directional accuracy",
    "train runs",
)


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("06", root=ROOT)


def graded(exercise, source):
    return grade_submission(exercise, source, sandbox="docker")


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, (WINDOWS, LSTM, SHAPE, RMSE, DIRECTION, RUNTIME))


@pytest.fixture(scope="module")
def reference_report(exercise, docker_client):
    return graded(exercise, REFERENCE)


def test_reference_gets_full_marks(reference_report):
    report = reference_report
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 6
    lstm = check(report, LSTM)
    assert (lstm.max_score, lstm.status) == (0, "passed") and "LSTM" in lstm.output
    ratio = check(report, RMSE).measured["value"]
    direction = check(report, DIRECTION).measured["value"]
    assert 0.4 < ratio < 0.65 and 0.78 < direction < 0.9, (ratio, direction)
    assert "persistence" in check(report, RMSE).output
    runtime = check(report, RUNTIME).measured
    assert runtime["value"] < runtime["full_at"] and runtime["speed_factor"] > 0
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True
    assert report.versions["torch"].startswith("2.")


def test_grading_twice_gives_the_same_scores_and_forecasts(exercise, reference_report, docker_client):
    again = graded(exercise, REFERENCE)
    assert [(t.name, t.score) for t in again.tests] == [(t.name, t.score) for t in reference_report.tests]
    for start in (RMSE, DIRECTION):  # the same forecaster: the very same numbers, not just the points
        assert check(again, start).measured["value"] == check(reference_report, start).measured["value"]


def test_untouched_stub_gets_zero_and_says_what_is_missing(exercise, docker_client):
    report = graded(exercise, STUB)
    assert (report.score, report.max_score) == (0, 100)
    assert "`make_windows` is not implemented yet" in check(report, WINDOWS).output
    for start in (LSTM, SHAPE, RMSE, DIRECTION, RUNTIME):
        assert "`train` is not implemented yet" in check(report, start).output


def test_an_honest_solution_in_another_style_gets_full_marks(exercise, docker_client):
    """Windows standardised by their own mean and std, GRU into LSTM, AdamW, Huber loss."""
    report = graded(exercise, CASES / "honest_gru_lstm_window_standardised.py")
    assert report.score == 100, report.to_json()


def test_lstm_fed_raw_levels_fails_the_rmse_check(exercise, docker_client):
    report = graded(exercise, CASES / "raw_levels_lstm.py")
    rmse = check(report, RMSE)
    assert rmse.score == 0 and rmse.measured["value"] > 1.2, rmse.measured
    assert "too low by" in rmse.output and "raw price levels" in rmse.output
    assert "not scored" in check(report, RUNTIME).output
    assert lost(report) == {RMSE, DIRECTION, RUNTIME} and report.score == 25, report.to_json()


def test_persistence_scores_zero_on_both_metrics(exercise, docker_client):
    report = graded(exercise, CASES / "persistence.py")
    rmse, direction = check(report, RMSE), check(report, DIRECTION)
    assert rmse.score == 0 and rmse.measured["value"] == pytest.approx(1.0)
    assert direction.score == 0 and direction.measured["value"] == 0.5
    assert lost(report) == {RMSE, DIRECTION, RUNTIME} and report.score == 25, report.to_json()


def test_a_forecaster_that_peeks_at_other_windows_finds_nothing(exercise, docker_client):
    """Sent in one batch, window t+1 would give away the truth of window t; one at a time it cannot."""
    report = graded(exercise, CASES / "peeks_at_later_windows.py")
    assert check(report, RMSE).measured["value"] == pytest.approx(1.0)
    assert report.score == 25, report.to_json()

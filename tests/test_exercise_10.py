"""Exercise 10 graded end to end in the Docker sandbox: reference, stub, an honest solution in
another style, the baselines the clicks threshold must stop (no learning, no personalisation),
and a hand-written rule that shows what the clicks measure. Each submission is graded once, in
a module-scoped fixture; the checks below read its report.

Rubric: act returns item ids 10, act is deterministic 10, mean clicks 60 (full at >= 12.0, none
at 10.0), training time 20 (counts from 11.0 clicks), holds a torch nn.Module 0 (for
information).
"""

import re

import numpy as np
import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, load_module

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SLUG = "10-drl-recommender"
CASES = SUBMISSIONS / SLUG
GRADER = ROOT / "graders" / SLUG
REFERENCE = GRADER / "reference.py"
STUB = ROOT / "exercises" / SLUG / "solution.py"
IDS, DETERMINISTIC, CLICKS, TIME, MODULE = (
    "act returns one item id",
    "act is deterministic",
    "mean clicks",
    "train_agent runs",
    "for information, 0 points",
)
# train_agent once, act 20 times (one per step, all hidden users at once), act once more for the
# determinism check, one inspection of the agent, and the import of solution.py.
SANDBOX_CALLS = 24


play = load_module(GRADER / "play.py", "exercise10_play")
data = load_module(GRADER / "data.py", "exercise10_data")


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("10", root=ROOT)


def graded(exercise, source):
    return grade_submission(exercise, source, sandbox="docker")


def lost(report):
    """The checks that failed (fell short of full points, or the 0-point note), by the start of their names."""
    starts = (IDS, DETERMINISTIC, CLICKS, TIME, MODULE)
    return {next(s for s in starts if t.name.startswith(s)) for t in report.tests if t.status == "failed"}


@pytest.fixture(scope="module")
def reference_report(exercise, docker_client):
    return graded(exercise, REFERENCE)


@pytest.fixture(scope="module")
def reinforce_report(exercise, docker_client):
    return graded(exercise, CASES / "honest_reinforce_baseline.py")


# -- end to end, in the sandbox ---------------------------------------------------------------


def test_reference_gets_full_marks(reference_report):
    report = reference_report
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 5
    clicks = check(report, CLICKS)
    assert clicks.measured["value"] > 13.5, clicks.measured
    assert "2000 hidden users" in clicks.output and "for the first time" in clicks.output
    runtime = check(report, TIME).measured
    assert runtime["value"] < runtime["full_at"] and runtime["speed_factor"] > 0
    module = check(report, MODULE)
    assert (module.max_score, module.status) == (0, "passed") and "Linear" in module.output
    # The host plays the policy: one act call per step for all the hidden users, not one per user.
    assert report.sandbox["calls"]["count"] == SANDBOX_CALLS, report.sandbox["calls"]
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True
    assert report.versions["torch"].startswith("2.")


def test_an_honest_solution_in_another_style_gets_full_marks(reinforce_report):
    """REINFORCE with a learned baseline: on-policy, about 1.5-2 times the reference's training."""
    report = reinforce_report
    assert report.score == 100, report.to_json()
    assert check(report, CLICKS).measured["value"] > 13.0


def test_untouched_stub_gets_zero_and_says_what_is_missing(exercise, docker_client):
    report = graded(exercise, STUB)
    assert (report.score, report.max_score) == (0, 100)
    assert all("`train_agent` is not implemented yet" in t.output for t in report.tests), report.to_json()


@pytest.mark.parametrize(
    ("case", "at_most"),
    [
        ("random_items.py", 7.0),
        ("always_most_popular.py", 1.5),
        ("round_robin_popular.py", 8.5),
        ("best_fixed_sequence.py", 9.6),
    ],
)
def test_recommending_without_personalisation_gets_no_clicks_points(exercise, docker_client, case, at_most):
    # Random items, the most popular one, the six most popular in turn, and the best sequence
    # of 20 items that is the same for every user: each keeps the 20 points of well-formed,
    # deterministic answers and earns nothing for clicks or time.
    report = graded(exercise, CASES / case)
    clicks = check(report, CLICKS)
    assert clicks.score == 0 and clicks.measured["value"] < at_most, clicks.measured
    assert "Full credit needs recommendations that follow each user's clicks" in clicks.output
    assert "speed only counts for an agent that learns" in check(report, TIME).output
    assert lost(report) == {CLICKS, TIME, MODULE} and report.score == 20, report.to_json()


def test_an_act_that_remembers_earlier_calls_is_not_deterministic(exercise, docker_client):
    report = graded(exercise, CASES / "stateful_call_counter.py")
    assert "second time, in another order" in check(report, DETERMINISTIC).output
    assert lost(report) == {DETERMINISTIC, CLICKS, TIME, MODULE} and report.score == 10, report.to_json()


def test_a_hand_written_rule_gets_the_clicks_points_but_no_module(exercise, docker_client):
    """The clicks measure recommendation quality, not that RL was used (README): a rule on the
    public item vectors passes; that it holds no nn.Module is a note worth nothing."""
    report = graded(exercise, CASES / "hand_rule_item_vectors.py")
    assert report.score == 100 and lost(report) == {MODULE}, report.to_json()
    assert "plain data" in check(report, MODULE).output


def test_importing_gymnasium_costs_the_exercise(exercise, docker_client):
    report = graded(exercise, CASES / "uses_gymnasium.py")
    assert report.score == 0 and len(report.tests) == 5, report.to_json()
    assert "imports gymnasium (line 4)" in report.output


# -- the host's evaluation, in-process --------------------------------------------------------


def test_hidden_users_are_not_the_public_ones():
    seeds = data.seeds()
    assert seeds["evaluation"] != 2024 and data.EVAL_USERS == 2000
    assert data.seeds(seed=1) != seeds
    pairs = data.replay_probe()
    steps = {step for step, _ in pairs}
    assert len(steps) == 2 and min(steps) >= 10 and max(steps) < 20
    assert len(pairs) == len(set(pairs)) == 1000 and all(0 <= user < 2000 for _, user in pairs)


def test_the_host_checks_every_reply_before_playing_it():
    ok = play.checked_items(np.array([0, 49, 3]), 3, 50, "act")
    assert ok.dtype == np.int64
    for reply, message in [
        (np.array([0, 50, 3]), "outside [0, 50)"),
        (np.array([0, -1, 3]), "outside [0, 50)"),
        (np.array([0.0, 1.0, 3.0]), "dtype float64"),
        (np.array([0, 1]), "shape (2,)"),
        ([0, 1, 2], "returned a list"),
    ]:
        with pytest.raises(AssertionError, match=re.escape(message)):
            play.checked_items(reply, 3, 50, "act")


def test_the_simulator_is_deterministic_and_refuses_bad_items():
    recsim = play.load_recsim()
    runs = []
    for _ in range(2):
        sim = recsim(50, seed=7)
        observations = sim.reset()
        played = play.play(sim, observations, lambda obs, step: np.full(50, step % 7, dtype=np.int64))
        runs.append(played["clicks"])
    assert np.array_equal(runs[0], runs[1]) and runs[0].max() <= 20
    assert observations.shape == (50, 151) and observations.dtype == np.float32
    sim = recsim(3, seed=0)
    sim.reset()
    for items in (np.array([0, 1]), np.array([0, 1, 50]), np.array([0.0, 1.0, 2.0])):
        with pytest.raises(ValueError):
            sim.step(items)

"""Exercise 08 graded end to end in the Docker sandbox: reference, stub, an honest solution in
another style, and the tables the thresholds must stop (no learning, under-training). Each
submission is graded once, in a module-scoped fixture; the checks below read its report.

Rubric: table shapes 10, Taxi mean return 30 (full at >= 7.0, none at 0), FrozenLake median
success of three trainings 40 (full at >= 0.60, none at 0.40), Taxi training time 10,
FrozenLake training time 10.
"""

import gymnasium as gym
import numpy as np
import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, load_module, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SLUG = "08-rl-game-agent"
CASES = SUBMISSIONS / SLUG
GRADER = ROOT / "graders" / SLUG
REFERENCE = GRADER / "reference.py"
STUB = ROOT / "exercises" / SLUG / "solution.py"
SHAPE, TAXI, LAKE, TAXI_TIME, LAKE_TIME = (
    "the Q-tables",
    "Taxi-v4: mean return",
    "FrozenLake8x8-v1: success rate",
    "Taxi-v4: training time",
    "FrozenLake8x8-v1: training time",
)


data = load_module(GRADER / "data.py", "exercise08_data")
play = load_module(GRADER / "play.py", "exercise08_play")


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("08", root=ROOT)


def graded(exercise, source):
    return grade_submission(exercise, source, sandbox="docker")


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, (SHAPE, TAXI, LAKE, TAXI_TIME, LAKE_TIME))


@pytest.fixture(scope="module")
def reference_report(exercise, docker_client):
    return graded(exercise, REFERENCE)


@pytest.fixture(scope="module")
def honest_report(exercise, docker_client):
    return graded(exercise, CASES / "honest_numpy_exponential.py")


@pytest.fixture(scope="module")
def random_report(exercise, docker_client):
    return graded(exercise, CASES / "random_table.py")


@pytest.fixture(scope="module")
def undertrained_report(exercise, docker_client):
    return graded(exercise, CASES / "undertrained_tenth.py")


# -- end to end, in the sandbox ---------------------------------------------------------------


def test_reference_gets_full_marks(reference_report):
    report = reference_report
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 5
    assert check(report, TAXI).measured["value"] > 7.9  # the optimum on the hidden episodes is 7.95
    assert check(report, LAKE).measured["value"] >= 0.75
    assert "success rate over 2000 hidden episodes of each of the three tables" in check(report, LAKE).output
    for start in (TAXI_TIME, LAKE_TIME):
        runtime = check(report, start).measured
        assert runtime["value"] < runtime["full_at"] and runtime["speed_factor"] > 0
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True


def test_an_honest_solution_in_another_style_gets_full_marks(honest_report):
    assert honest_report.score == 100, honest_report.to_json()


def test_untouched_stub_gets_zero_and_says_what_is_missing(exercise, docker_client):
    report = graded(exercise, STUB)
    assert (report.score, report.max_score) == (0, 100)
    assert all("`q_learning` is not implemented yet" in t.output for t in report.tests)


def test_a_random_table_gets_only_the_shape_points(random_report):
    report = random_report
    assert report.score == 10, report.to_json()
    assert lost(report) == {TAXI, LAKE, TAXI_TIME, LAKE_TIME}
    assert check(report, TAXI).measured["value"] < -200 and check(report, LAKE).measured["value"] < 0.01
    assert "speed only counts for a table that learns" in check(report, TAXI_TIME).output


def test_an_undertrained_table_gets_only_the_shape_points(undertrained_report):
    report = undertrained_report
    # A tenth of the episodes: Taxi -188.9 (26 of 500 deliveries), FrozenLake 0.036, 0.203, 0.055.
    assert report.score == 10, report.to_json()
    assert lost(report) == {TAXI, LAKE, TAXI_TIME, LAKE_TIME}
    assert check(report, TAXI).measured["value"] < -150 and check(report, LAKE).measured["value"] < 0.3
    assert "speed only counts for tables that learn" in check(report, LAKE_TIME).output


def test_importing_torch_costs_the_exercise(exercise, docker_client):
    # The sandbox refuses the forbidden modules; gymnasium itself probes none of them (the
    # reference, graded under the same refusals, gets full marks).
    report = graded(exercise, CASES / "uses_torch.py")
    assert report.score == 0 and len(report.tests) == 5, report.to_json()
    assert "imports torch (line 6)" in report.output


# -- the host's evaluation, in-process --------------------------------------------------------


def optimal_taxi_table():
    """Q* of Taxi-v4 by value iteration on the game's own transition table."""
    env = gym.make("Taxi-v4").unwrapped
    q = np.zeros((500, 6))
    for _ in range(200):
        v = q.max(axis=1)
        for s in range(500):
            for a in range(6):
                q[s, a] = sum(p * (r + (0.0 if done else 0.99 * v[s2])) for p, s2, r, done in env.P[s][a])
    return q


def test_hidden_seeds_are_what_the_readme_says():
    taxi, lake = data.episode_seeds("taxi"), data.episode_seeds("frozen_lake")
    assert len(taxi) == 500 and len(lake) == 2000 and len(set(lake)) == 2000
    seeds = data.training_seeds()
    assert len(set((seeds["taxi"],) + seeds["frozen_lake"])) == 4
    assert data.episode_seeds("taxi", seed=1) != taxi


def test_the_host_scores_known_policies_as_expected():
    assert play.taxi_mean_return(np.zeros((500, 6)), data.episode_seeds("taxi")[:50]) == -200.0
    assert play.frozen_lake_success(np.zeros((64, 4)), data.episode_seeds("frozen_lake")[:200]) == 0.0
    assert play.taxi_mean_return(optimal_taxi_table(), data.episode_seeds("taxi")) == pytest.approx(7.948, abs=1e-3)
    assert play.optimal_success() == pytest.approx(0.913, abs=1e-3)

"""Hidden grader of 08-rl-game-agent. Runs on the host; the submission runs in the sandbox.

The submission trains inside the sandbox and returns its Q-table; that table is the only thing
that comes out. The host checks it (shape, finite values), turns it into a greedy policy and
plays that policy in its own gymnasium environments, on hidden episode seeds: the environment
steps on the host, and nothing the submission says about its own returns is used. The table
comes back whole, so the evaluation needs no further sandbox calls: a grading makes four
calls (one Taxi training, three FrozenLake trainings), each in a fresh sandbox.

FrozenLake8x8 is slippery, and honest Q-learning with the grader's settings lands anywhere from
0.65 to 0.88 success from one training seed to the next, while a tenth of the episodes once
reached 0.59 (README, "Calibration"): one run cannot tell an unlucky honest table from an
under-trained one with a margin, the median of three runs with different seeds can (lowest
honest median 0.75, highest under-trained one 0.22).
"""

import statistics

import numpy as np
import pytest

from mlgrade.grading import as_array, speed_counts_only_if

from data import episode_seeds, training_seeds
from play import FROZEN_LAKE, TAXI, frozen_lake_success, taxi_scores

TAXI_TIMEOUT = 60  # reference-machine seconds for one Taxi training (the reference: 2 s)
FROZEN_LAKE_TIMEOUT = 150  # and for one FrozenLake training (the reference: 12 s)
TAXI_FULL, TAXI_ZERO = 7.0, -50.0  # mean return; optimum 7.95 on the hidden episodes, all-zero table -200
SUCCESS_FULL, SUCCESS_ZERO = 0.60, 0.40  # median success of the three FrozenLake runs
TAXI_LEARNS = 0.0  # the Taxi training time counts only from this mean return
SUCCESS_LEARNS = 0.40  # the FrozenLake training time counts only from this median success


def train(submission, game, seed, timeout):
    """One training in a fresh sandbox: the raw table and the CPU seconds it took.

    The fresh sandbox puts the import of solution.py inside the timed block (training at
    import time counts), and a table kept from an earlier call cannot be handed back: every
    training pays for its own work.
    """
    submission.restart()
    with submission.stopwatch() as watch:
        table = submission.call(
            "q_learning", game.env_id, episodes=game.episodes, alpha=game.alpha, seed=seed, _timeout=timeout
        )
    return {"table": table, "seconds": watch.seconds, "seed": seed}


def checked_table(run, game):
    """The returned table as float64, or an AssertionError saying what came back instead."""
    what = f'q_learning("{game.env_id}", episodes={game.episodes}, alpha={game.alpha}, seed={run["seed"]})'
    table = as_array(run["table"], what, shape=(game.n_states, game.n_actions), kind="f")
    return table.astype(np.float64)


@pytest.fixture(scope="session")
def taxi(submission):
    return train(submission, TAXI, training_seeds()["taxi"], TAXI_TIMEOUT)


@pytest.fixture(scope="session")
def frozen_lake(submission):
    """Three trainings with different seeds (each in its own fresh sandbox)."""
    return [train(submission, FROZEN_LAKE, seed, FROZEN_LAKE_TIMEOUT) for seed in training_seeds()["frozen_lake"]]


@pytest.fixture(scope="session")
def taxi_return(taxi):
    """Mean return over the hidden Taxi episodes, and in how many the passenger was delivered."""
    return taxi_scores(checked_table(taxi, TAXI), episode_seeds("taxi"))


@pytest.fixture(scope="session")
def frozen_lake_successes(frozen_lake):
    seeds = episode_seeds("frozen_lake")
    return [frozen_lake_success(checked_table(run, FROZEN_LAKE), seeds) for run in frozen_lake]


@pytest.mark.points(10)
def test_tables_have_the_games_shape(taxi, frozen_lake, credit):
    """the Q-tables have one row per state and one column per action, finite floats"""
    checked_table(taxi, TAXI)
    tables = [checked_table(run, FROZEN_LAKE) for run in frozen_lake]
    if all(np.array_equal(tables[0], t) for t in tables[1:]):
        credit.note(
            "The three FrozenLake tables, trained with different seeds, are identical: does "
            "q_learning use its seed (and the environment's randomness) at all?"
        )


@pytest.mark.points(30)
def test_taxi_return(taxi_return, credit):
    """Taxi-v4: mean return of the greedy policy on hidden episodes"""
    mean, delivered = taxi_return
    episodes = len(episode_seeds("taxi"))
    credit.note(f"the greedy policy delivered the passenger in {delivered} of {episodes} hidden episodes")
    credit.measure(
        f"mean return of your table's greedy policy over {episodes} hidden Taxi episodes",
        mean,
        full_at=TAXI_FULL,
        zero_at=TAXI_ZERO,
        fmt="{:.2f}",
    )
    if delivered < episodes:
        credit.note(
            "An episode without a delivery ran into the 200-step limit: from its starting position "
            "the greedy policy walks in circles, and each such episode costs the mean dearly."
        )


@pytest.mark.points(40)
def test_frozen_lake_success(frozen_lake_successes, credit):
    """FrozenLake8x8-v1: success rate of the greedy policy on hidden episodes, median of three trainings"""
    episodes = len(episode_seeds("frozen_lake"))
    credit.note(
        f"success rate over {episodes} hidden episodes of each of the three tables (trained with "
        f"different seeds): {', '.join(f'{s:.3f}' for s in frozen_lake_successes)}"
    )
    credit.measure(
        "median success rate of the three tables",
        statistics.median(frozen_lake_successes),
        full_at=SUCCESS_FULL,
        zero_at=SUCCESS_ZERO,
    )


@pytest.mark.points(10)
def test_taxi_training_time(taxi, taxi_return, credit, exercise):
    """Taxi-v4: training time within the budget"""
    mean = taxi_return[0]
    speed_counts_only_if(
        mean >= TAXI_LEARNS, f"a table that learns (mean return {TAXI_LEARNS:g} or more)", f"{mean:.2f}"
    )
    credit.runtime(f"q_learning on Taxi-v4 ({TAXI.episodes} episodes)", taxi["seconds"], exercise.budgets["taxi_train"])


@pytest.mark.points(10)
def test_frozen_lake_training_time(frozen_lake, frozen_lake_successes, credit, exercise):
    """FrozenLake8x8-v1: training time within the budget (mean of the three trainings)"""
    median = statistics.median(frozen_lake_successes)
    speed_counts_only_if(
        median >= SUCCESS_LEARNS,
        f"tables that learn (median success {SUCCESS_LEARNS:.2f} or more)",
        f"median success {median:.3f}",
    )
    credit.runtime(
        f"q_learning on FrozenLake8x8-v1 ({FROZEN_LAKE.episodes} episodes), mean of three trainings",
        statistics.mean(run["seconds"] for run in frozen_lake),
        exercise.budgets["frozen_lake_train"],
    )

"""Public checks of exercise 08: run them with `mlgrade check 08 solution.py`.

They run your code in the same sandbox as the grader, with the grader's arguments and
thresholds, and play your table's greedy policy here, outside the sandbox, as the grader does.
The differences: public episode seeds, and one FrozenLake training instead of the grader's
three (the grader scores the median of three trainings with different seeds, see README).
"""

import gymnasium as gym
import numpy as np
import pytest

from mlgrade.grading import as_array

TAXI, TAXI_SHAPE = "Taxi-v4", (500, 6)
LAKE, LAKE_SHAPE = "FrozenLake8x8-v1", (64, 4)
TAXI_FULL, TAXI_ZERO = 7.0, -50.0
SUCCESS_FULL, SUCCESS_ZERO = 0.60, 0.40


def play(env_id, table, seeds):
    """Returns of the greedy policy of ``table`` (argmax, ties to the first action), one episode per seed."""
    env = gym.make(env_id)
    policy = np.asarray(table).argmax(axis=1)
    returns = []
    for seed in seeds:
        state, _ = env.reset(seed=seed)
        total, done = 0.0, False
        while not done:
            state, reward, terminated, truncated, _ = env.step(int(policy[state]))
            total += reward
            done = terminated or truncated
        returns.append(total)
    return np.array(returns)


@pytest.fixture(scope="session")
def taxi_table(submission):
    table = submission.call("q_learning", TAXI, episodes=5000, alpha=0.1, seed=0, _timeout=60)
    return as_array(table, f'q_learning("{TAXI}", episodes=5000, alpha=0.1)', shape=TAXI_SHAPE, kind="f")


@pytest.fixture(scope="session")
def lake_table(submission):
    table = submission.call("q_learning", LAKE, episodes=30000, alpha=0.05, seed=0, _timeout=150)
    return as_array(table, f'q_learning("{LAKE}", episodes=30000, alpha=0.05)', shape=LAKE_SHAPE, kind="f")


@pytest.mark.points(1)
def test_tables_have_the_games_shape(taxi_table, lake_table):
    """the Q-tables have one row per state and one column per action, finite floats"""


@pytest.mark.points(1)
def test_taxi_return(taxi_table, credit):
    """Taxi-v4: mean return of the greedy policy on 200 public episodes"""
    mean = float(play(TAXI, taxi_table, range(200)).mean())
    credit.measure("mean return", mean, full_at=TAXI_FULL, zero_at=TAXI_ZERO, fmt="{:.2f}")


@pytest.mark.points(1)
def test_frozen_lake_success(lake_table, credit):
    """FrozenLake8x8-v1: success rate of the greedy policy on 1000 public episodes (one training)"""
    success = float((play(LAKE, lake_table, range(1000)) > 0).mean())
    credit.measure("success rate", success, full_at=SUCCESS_FULL, zero_at=SUCCESS_ZERO)

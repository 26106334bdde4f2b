"""Public checks of exercise 10: run them with `mlgrade check 10 solution.py`.

They run your code in the same sandbox as the grader, with the grader's thresholds, and play
your agent here, outside the sandbox, in the public simulator, as the grader does: one `act`
call per step for all the users at once. The differences: public users (500 of them, drawn by
`RecSim(500, seed=2024)`) and training seed 0; the grader plays 2000 hidden users.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from mlgrade.grading import as_array

USERS, SEED = 500, 2024
CLICKS_FULL, CLICKS_ZERO = 12.0, 10.0


@pytest.fixture(scope="session")
def recsim(exercise):
    """The simulator of the exercise's recsim.py (the file your solution imports)."""
    spec = importlib.util.spec_from_file_location("public_recsim", Path(exercise.public_dir) / "recsim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RecSim


def item_ids(reply, n, what):
    items = as_array(reply, what, shape=(n,), kind="iu")
    assert items.min() >= 0 and items.max() < 50, f"{what} returned item ids from {items.min()} to {items.max()}"
    return items.astype(np.int64)


@pytest.fixture(scope="session")
def agent(submission):
    return submission.call("train_agent", seed=0, _timeout=300)


@pytest.fixture(scope="session")
def episode(submission, agent, recsim):
    """One episode of the public users; the observations and items of every step, the clicks."""
    sim = recsim(USERS, SEED)
    observations, clicks, done = sim.reset(), np.zeros(USERS), False
    seen, chosen = [], []
    while not done:
        items = item_ids(submission.call("act", agent, observations), USERS, f"act on {USERS} observations")
        seen.append(observations)
        chosen.append(items)
        observations, click, done = sim.step(items)
        clicks += click
    return {"observations": seen, "items": chosen, "mean": float(clicks.mean())}


@pytest.mark.points(1)
def test_act_returns_item_ids(submission, agent, episode):
    """act returns one item id per user, integers in [0, 50), for a batch and for one user"""
    item_ids(submission.call("act", agent, episode["observations"][5][:1]), 1, "act on one observation")


@pytest.mark.points(1)
def test_act_is_deterministic(submission, agent, episode):
    """act gives the same items to the same observations, in another order"""
    again = item_ids(
        submission.call("act", agent, episode["observations"][12][::-1].copy()), USERS, "act on the same observations"
    )
    differ = int((again != episode["items"][12][::-1]).sum())
    assert differ == 0, f"act chose other items for {differ} of {USERS} observations sent a second time"


@pytest.mark.points(1)
def test_mean_clicks(episode, credit):
    """mean clicks per 20-step episode of 500 public users"""
    credit.measure("mean clicks per user", episode["mean"], full_at=CLICKS_FULL, zero_at=CLICKS_ZERO, fmt="{:.2f}")

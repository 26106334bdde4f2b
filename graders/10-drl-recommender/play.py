"""Host-side evaluation of 10-drl-recommender: the host runs the simulator, the policy only answers.

The host builds the public RecSim itself (the very recsim.py the sandbox gets) with hidden
users and a hidden seed, and at each of the 20 steps asks the policy for the items of all the
users at once. The policy never sees a click, a seed or the simulator's state, only the
observations the simulator gives; the clicks are counted here. Every reply is checked before
it is played.
"""

import importlib.util
from pathlib import Path

import numpy as np

from mlgrade.grading import as_array

PUBLIC_DIR = Path(__file__).resolve().parents[2] / "exercises" / Path(__file__).resolve().parent.name


def load_recsim(public_dir=PUBLIC_DIR):
    """The RecSim class of the exercise's public recsim.py, loaded from its file (not imported
    by name: nothing else called `recsim` on the host's path can stand in for it)."""
    spec = importlib.util.spec_from_file_location("exercise10_recsim", Path(public_dir) / "recsim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RecSim


def checked_items(reply, n_users, n_items, what):
    """The reply of `act` as int64 item ids, or an AssertionError saying what came back."""
    items = as_array(reply, what, shape=(n_users,), kind="iu")
    if items.size and (int(items.min()) < 0 or int(items.max()) >= n_items):
        bad = int(((items < 0) | (items >= n_items)).sum())
        raise AssertionError(
            f"{what} returned {bad} item id(s) outside [0, {n_items}) (from {int(items.min())} to "
            f"{int(items.max())}); an item id is an integer from 0 to {n_items - 1}"
        )
    return items.astype(np.int64)


def play(sim, observations, policy):
    """One episode of ``policy`` in ``sim``, just reset: ``observations`` are what reset returned.

    ``policy(observations, step)`` returns the checked items of one step (see checked_items).
    Returns the clicks of each user over the episode, and the observations and items of every
    step (for the determinism check and the feedback).
    """
    clicks = np.zeros(sim.n_users, dtype=np.int64)
    seen, chosen = [], []
    done = False
    while not done:
        items = policy(observations, len(seen))
        seen.append(observations)
        chosen.append(items)
        observations, click, done = sim.step(items)
        clicks += click
    return {"clicks": clicks, "observations": seen, "items": chosen}


def habits(items, window):
    """Shares of the recommendations that repeat an item shown to the same user within the last
    ``window`` steps (it tires the user), and that show the user an item for the first time."""
    items = np.stack(items, axis=1)  # (users, steps)
    repeats = new = 0
    for t in range(items.shape[1]):
        now = items[:, t : t + 1]
        repeats += int((items[:, max(0, t - window) : t] == now).any(axis=1).sum())
        new += int((~(items[:, :t] == now).any(axis=1)).sum())
    return repeats / items.size, new / items.size

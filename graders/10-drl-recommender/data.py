"""Hidden seeds of 10-drl-recommender. Live only in the grader process on the host.

The simulator and its item catalogue are public (exercises/10-drl-recommender/recsim.py, the
same file the submission trains on). What is hidden is who the host recommends to: the seed of
the simulator it plays the submission's `act` in (it draws the users' preference vectors and
their clicks), the training seed passed to `train_agent`, and which observations of the
episode the determinism check sends back, in which order.
"""

from functools import lru_cache

import numpy as np

SEED = 37_250_941  # hidden
EVAL_USERS = 2000  # standard error of the mean clicks: about 2.6 / sqrt(2000) = 0.06


@lru_cache(maxsize=4)
def seeds(seed=SEED):
    """The seed of the host's simulator of hidden users, and the one passed to train_agent."""
    evaluation, training = np.random.default_rng([seed, 1]).integers(0, 2**31 - 1, 2)
    return {"evaluation": int(evaluation), "training": int(training % 10_000)}


def replay_probe(n_users=EVAL_USERS, horizon=20, seed=SEED):
    """For the determinism check: which observations of the episode the host sends again, as
    (step, user) pairs in a shuffled order. Two steps from the middle of the episode on (the
    histories differ from user to user by then), a quarter of the users at each, mixed in one
    batch: an act that ignores its observations cannot give both steps their items."""
    rng = np.random.default_rng([seed, 2])
    steps = rng.choice(np.arange(horizon // 2, horizon), 2, replace=False)
    pairs = [(int(step), int(user)) for step in steps for user in rng.choice(n_users, n_users // 4, replace=False)]
    return [pairs[i] for i in rng.permutation(len(pairs))]

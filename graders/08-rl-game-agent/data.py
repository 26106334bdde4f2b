"""Hidden seeds of 08-rl-game-agent. Live only in the grader process on the host.

The games are public (gymnasium's Taxi-v4 and FrozenLake8x8-v1); what is hidden is which
episodes the host plays: the seed of every evaluation episode (Taxi: where the taxi, the
passenger and the destination start; FrozenLake: where the slippery ice sends the agent), and
the training seeds the grader passes to q_learning.
"""

from functools import lru_cache

import numpy as np

SEED = 80_512_377  # hidden
TAXI_EVAL_EPISODES = 500  # Taxi has 300 starting states; 500 seeds cover most of them
FROZEN_LAKE_EVAL_EPISODES = 2000  # standard error of a success rate near 0.8: 0.009
FROZEN_LAKE_RUNS = 3  # FrozenLake is trained three times, with different seeds (the median counts)


@lru_cache(maxsize=8)
def episode_seeds(game, seed=SEED):
    """The seeds of the host's evaluation episodes of ``game`` ("taxi" or "frozen_lake")."""
    count = {"taxi": TAXI_EVAL_EPISODES, "frozen_lake": FROZEN_LAKE_EVAL_EPISODES}[game]
    stream = {"taxi": 1, "frozen_lake": 2}[game]
    return tuple(int(s) for s in np.random.default_rng([seed, stream]).integers(0, 2**31 - 1, count))


@lru_cache(maxsize=8)
def training_seeds(seed=SEED):
    """The seeds passed to q_learning: one for Taxi, FROZEN_LAKE_RUNS distinct ones for FrozenLake."""
    seeds = np.random.default_rng([seed, 3]).choice(10_000, 1 + FROZEN_LAKE_RUNS, replace=False)
    return {"taxi": int(seeds[0]), "frozen_lake": tuple(int(s) for s in seeds[1:])}

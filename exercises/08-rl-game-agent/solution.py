"""Exercise 08: a game agent trained with tabular Q-learning (numpy, gymnasium).

Implement the function below. Keep the name and the signature: the grader calls it.
Run the public checks with:  mlgrade check 08 solution.py
"""

import gymnasium as gym  # noqa: F401 - you will need it
import numpy as np


def q_learning(
    env_id: str,
    episodes: int,
    alpha: float = 0.1,
    gamma: float = 0.99,
    epsilon_start: float = 1.0,
    epsilon_end: float = 0.05,
    seed: int = 0,
) -> np.ndarray:
    """Train a tabular Q-learning agent on gymnasium.make(env_id) for `episodes` episodes.

    Behave epsilon-greedily: epsilon decays linearly from epsilon_start to epsilon_end over
    the first 60% of the episodes and then stays at epsilon_end (a better schedule is welcome).
    After each step, move Q[s, a] towards r + gamma * max_a' Q[s', a'] by the step size alpha
    (towards r alone when the episode terminated in s'). The same seed must give the same table.

    Returns the Q-table, a (n_states, n_actions) float64 array: the grader plays its greedy
    policy (argmax of each row) in its own copy of the game.
    """
    raise NotImplementedError

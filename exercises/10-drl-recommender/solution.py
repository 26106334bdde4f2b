"""Exercise 10: a recommender agent trained with deep reinforcement learning (torch).

Implement the two functions below. Keep the names and signatures: the grader calls them.
The simulator is in recsim.py, beside this file (read its docstring first).
Run the public checks with:  mlgrade check 10 solution.py
"""

import numpy as np
import torch  # noqa: F401  (you will need it)
from torch import nn  # noqa: F401

from recsim import RecSim  # noqa: F401  (the simulator you train on)


def train_agent(seed: int = 0) -> object:
    """Train an agent on RecSim and return it.

    Make your own simulators (`RecSim(n_users, seed)`, as many users and episodes as you like)
    and learn which item to recommend from a user's observation, to get as many clicks as
    possible over the 20 steps of an episode. The agent must hold a torch nn.Module: be an
    nn.Module itself, or an object with the nn.Module(s) among its attributes. It stays in the
    sandbox; the grader passes it back to `act`. The same seed must give the same agent.
    """
    raise NotImplementedError


def act(agent, observations: np.ndarray) -> np.ndarray:
    """(N, 151) float32 observations of N users -> (N,) int64 item ids in [0, 50), greedy.

    The same observation must always get the same item, whatever else is in the batch and
    whatever was asked before: no sampling and no memory of earlier calls.
    """
    raise NotImplementedError

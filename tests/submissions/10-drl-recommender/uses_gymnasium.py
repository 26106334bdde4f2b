"""The hand-written rule, with the simulator wrapped as a gymnasium space: gymnasium is forbidden
in this exercise, so the submission gets 0 whatever its clicks."""

import gymnasium
import numpy as np

from recsim import FATIGUE, NOVELTY, RecSim

N = RecSim.n_items
SPACE = gymnasium.spaces.Discrete(N)


def train_agent(seed: int = 0) -> object:
    return None


def act(agent, observations: np.ndarray) -> np.ndarray:
    obs = np.asarray(observations, dtype=np.float64)
    recent, clicks, shows = obs[:, :N], obs[:, N : 2 * N], obs[:, 2 * N : 3 * N]
    taste = 1.5 * (clicks - 0.4 * shows) @ RecSim.item_vectors
    score = RecSim.item_bias + taste @ RecSim.item_vectors.T + NOVELTY * (shows == 0) - FATIGUE * recent
    return score.argmax(axis=1).astype(np.int64)

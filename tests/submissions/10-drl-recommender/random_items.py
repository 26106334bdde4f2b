"""No learning: a random item for each user, drawn from the observation itself (so the same
observation always gets the same item, and the check of determinism passes)."""

import hashlib

import numpy as np


def train_agent(seed: int = 0) -> object:
    return None


def act(agent, observations: np.ndarray) -> np.ndarray:
    rows = np.ascontiguousarray(observations)
    return np.array([int.from_bytes(hashlib.sha256(row.tobytes()).digest()[:8], "little") % 50 for row in rows])

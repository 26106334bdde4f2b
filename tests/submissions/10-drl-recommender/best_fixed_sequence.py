"""No personalisation: one sequence of 20 items for every user, whatever they click, chosen by
simulation (at each step the item with the highest click probability on average over many
simulated users who all got the sequence so far). Reads the simulator's hidden state, which
only a training run can: the most a fixed sequence can do."""

import numpy as np

from recsim import DRIFT, FATIGUE, NOVELTY, PREFERENCE_NORM, RecSim  # noqa: F401


def train_agent(seed: int = 0) -> object:
    sim = RecSim(5000, seed)
    sim.reset()
    sequence = []
    for _ in range(RecSim.horizon):
        logits = (
            RecSim.item_bias
            + sim._preferences @ RecSim.item_vectors.T
            + NOVELTY * (sim._shows == 0)
            - FATIGUE * sim._recent
        )
        item = int(np.argmax((1 / (1 + np.exp(-logits))).mean(axis=0)))
        sequence.append(item)
        sim.step(np.full(sim.n_users, item))
    return np.array(sequence)


def act(agent, observations: np.ndarray) -> np.ndarray:
    step = np.rint(observations[:, -1] * RecSim.horizon).astype(np.int64)
    return np.asarray(agent)[np.minimum(step, RecSim.horizon - 1)].astype(np.int64)

"""Honest Q-learning that ignores the alpha it is given and always steps 0.1 (the value the
grader passes for Taxi, twice the one it passes for FrozenLake). Otherwise as the README says:
epsilon linear over the first 60% of the episodes, ties broken at random."""

import gymnasium as gym
import numpy as np

ALPHA = 0.1


def q_learning(
    env_id: str,
    episodes: int,
    alpha: float = 0.1,
    gamma: float = 0.99,
    epsilon_start: float = 1.0,
    epsilon_end: float = 0.05,
    seed: int = 0,
) -> np.ndarray:
    env = gym.make(env_id)
    q = np.zeros((env.observation_space.n, env.action_space.n))
    rng = np.random.default_rng(seed)
    env.reset(seed=seed)
    for episode in range(episodes):
        epsilon = max(epsilon_end, epsilon_start - (epsilon_start - epsilon_end) * episode / (0.6 * episodes))
        state, _ = env.reset()
        done = False
        while not done:
            if rng.random() < epsilon:
                action = int(rng.integers(q.shape[1]))
            else:
                action = int(rng.choice(np.flatnonzero(q[state] == q[state].max())))
            nxt, reward, terminated, truncated, _ = env.step(action)
            target = reward + (0.0 if terminated else gamma * q[nxt].max())
            q[state, action] += ALPHA * (target - q[state, action])
            state, done = nxt, terminated or truncated
    return q

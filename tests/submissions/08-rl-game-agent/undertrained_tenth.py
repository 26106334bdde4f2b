"""Honest-looking Q-learning that trains on a tenth of the episodes it is asked for (whatever
the argument): fast, and under-trained. The thresholds must stop it."""

import gymnasium as gym
import numpy as np

SHARE = 0.1


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
    episodes = max(1, int(SHARE * episodes))
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
            q[state, action] += alpha * (target - q[state, action])
            state, done = nxt, terminated or truncated
    return q

"""An honest solution in another style than the reference: numpy all the way (the table, the
random numbers, argmax over the tied best actions), and an epsilon that decays exponentially,
reaching epsilon_end after 60% of the episodes."""

import gymnasium as gym
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
    env = gym.make(env_id)
    q = np.zeros((env.observation_space.n, env.action_space.n))
    rng = np.random.default_rng(seed)
    decay = (epsilon_end / epsilon_start) ** (1.0 / max(1, int(0.6 * episodes)))
    epsilon = epsilon_start
    for episode in range(episodes):
        state, _ = env.reset(seed=seed if episode == 0 else None)
        done = False
        while not done:
            if rng.random() < epsilon:
                action = int(rng.integers(q.shape[1]))
            else:
                best = np.flatnonzero(q[state] == q[state].max())
                action = int(best[0] if len(best) == 1 else rng.choice(best))
            nxt, reward, terminated, truncated, _ = env.step(action)
            target = reward + (0.0 if terminated else gamma * q[nxt].max())
            q[state, action] += alpha * (target - q[state, action])
            state, done = nxt, terminated or truncated
        epsilon = max(epsilon_end, epsilon * decay)
    return q

"""Honest Q-learning with both schedules linear: epsilon from epsilon_start to epsilon_end over
the first 60% of the episodes, and the step size from alpha down to alpha / 10 over all of
them (big steps while the values are far off, small ones to settle them). Python lists for
the table; ties broken at random."""

import random

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
    n_actions = env.action_space.n
    q = [[0.0] * n_actions for _ in range(env.observation_space.n)]
    rng = random.Random(seed)
    env.reset(seed=seed)
    for episode in range(episodes):
        progress = episode / episodes
        epsilon = max(epsilon_end, epsilon_start + (epsilon_end - epsilon_start) * progress / 0.6)
        step = alpha * (1.0 - 0.9 * progress)
        state, _ = env.reset()
        done = False
        while not done:
            row = q[state]
            if rng.random() < epsilon:
                action = rng.randrange(n_actions)
            else:
                best = max(row)
                action = rng.choice([a for a in range(n_actions) if row[a] == best])
            state, reward, terminated, truncated, _ = env.step(action)
            target = reward if terminated else reward + gamma * max(q[state])
            row[action] += step * (target - row[action])
            done = terminated or truncated
    return np.array(q)

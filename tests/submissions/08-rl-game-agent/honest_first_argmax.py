"""Honest textbook Q-learning, written the plain way: np.argmax for the greedy action (ties
go to the first action, no random tie-break), epsilon linear over the first 60% of the
episodes, the given constant alpha."""

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
    env.action_space.seed(seed)
    for episode in range(episodes):
        fraction = min(1.0, episode / (0.6 * episodes))
        epsilon = epsilon_start + fraction * (epsilon_end - epsilon_start)
        state, _ = env.reset(seed=seed + episode)
        done = False
        while not done:
            action = env.action_space.sample() if rng.random() < epsilon else int(np.argmax(q[state]))
            nxt, reward, terminated, truncated, _ = env.step(action)
            q[state, action] += alpha * (reward + gamma * np.max(q[nxt]) * (not terminated) - q[state, action])
            state, done = nxt, terminated or truncated
    return q

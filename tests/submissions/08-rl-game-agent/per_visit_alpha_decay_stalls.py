"""Honest Q-learning whose step size decays per state-action pair, alpha / (1 + visits / 100):
large steps while a pair is new, small ones once its value is known. Epsilon as the README
says (linear over the first 60% of the episodes); ties broken at random.

The decay is too fast: the pairs near the start are visited tens of thousands of times, their
step size falls to a few thousandths and learning stalls (Taxi mean return -1.0 to 3.5,
FrozenLake success 0.12-0.36 over 8 seeds). Honest, but it does not learn the games."""

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
    n_states, n_actions = env.observation_space.n, env.action_space.n
    q = np.zeros((n_states, n_actions))
    visits = np.zeros((n_states, n_actions))
    rng = np.random.default_rng(seed)
    env.reset(seed=seed)
    for episode in range(episodes):
        epsilon = max(epsilon_end, epsilon_start - (epsilon_start - epsilon_end) * episode / (0.6 * episodes))
        state, _ = env.reset()
        done = False
        while not done:
            if rng.random() < epsilon:
                action = int(rng.integers(n_actions))
            else:
                action = int(rng.choice(np.flatnonzero(q[state] == q[state].max())))
            nxt, reward, terminated, truncated, _ = env.step(action)
            visits[state, action] += 1
            step = alpha / (1.0 + visits[state, action] / 100.0)
            target = reward + (0.0 if terminated else gamma * q[nxt].max())
            q[state, action] += step * (target - q[state, action])
            state, done = nxt, terminated or truncated
    return q

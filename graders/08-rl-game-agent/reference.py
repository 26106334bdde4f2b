"""Reference solution of 08-rl-game-agent (hidden: never shipped to students).

Tabular Q-learning with an epsilon-greedy behaviour policy: epsilon decays linearly from
epsilon_start to epsilon_end over the first 60% of the episodes, then stays. Greedy actions
break ties at random: with a table of zeros, "the first best action" would always walk left
on FrozenLake and the agent would hardly ever see the goal. A truncated episode (the time
limit) still bootstraps from the next state; only a terminal state has no future.
"""

import random

import gymnasium as gym
import numpy as np

EXPLORE_SHARE = 0.6  # epsilon reaches epsilon_end after this share of the episodes


def epsilon_at(episode, episodes, start, end):
    progress = min(1.0, episode / max(1.0, EXPLORE_SHARE * episodes))
    return start + (end - start) * progress


def greedy(row, rng):
    """An action of highest value, ties broken at random."""
    best = max(row)
    options = [a for a, value in enumerate(row) if value == best]
    return options[0] if len(options) == 1 else rng.choice(options)


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
    n_actions = int(env.action_space.n)
    # Python lists, not numpy rows: one step touches a handful of scalars, where numpy's
    # per-call overhead would cost more than the arithmetic.
    q = [[0.0] * n_actions for _ in range(int(env.observation_space.n))]
    rng = random.Random(seed)
    state, _ = env.reset(seed=seed)
    for episode in range(episodes):
        if episode:
            state, _ = env.reset()
        epsilon = epsilon_at(episode, episodes, epsilon_start, epsilon_end)
        done = False
        while not done:
            row = q[state]
            action = rng.randrange(n_actions) if rng.random() < epsilon else greedy(row, rng)
            state, reward, terminated, truncated, _ = env.step(action)
            target = reward if terminated else reward + gamma * max(q[state])
            row[action] += alpha * (target - row[action])
            done = terminated or truncated
    env.close()
    return np.array(q, dtype=np.float64)

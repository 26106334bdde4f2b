"""Host-side evaluation of 08-rl-game-agent: the host plays the greedy policy of a Q-table in
its own gymnasium environment. Nothing the submission says about its returns is used; the
table is the only thing that comes out of the sandbox, and it is checked before it is played.
"""

from dataclasses import dataclass

import gymnasium as gym
import numpy as np


@dataclass(frozen=True)
class Game:
    env_id: str
    episodes: int  # the `episodes` argument the grader passes to q_learning
    alpha: float  # the `alpha` argument the grader passes
    n_states: int
    n_actions: int


TAXI = Game("Taxi-v4", 5000, 0.1, 500, 6)
FROZEN_LAKE = Game("FrozenLake8x8-v1", 30000, 0.05, 64, 4)


def greedy_policy(table):
    """The action the table rates highest in each state; ties go to the lowest-numbered action
    (numpy's argmax), so a table of zeros always plays action 0."""
    return np.asarray(table, dtype=np.float64).argmax(axis=1)


def play(env_id, policy, episode_seeds):
    """Each episode of ``policy`` (one action per state), one episode per seed: its return, and
    whether it ended before the time limit (on Taxi: the passenger was delivered).

    The environment is gymnasium's own, time limit included (200 steps for both games): a
    policy that walks in circles ends its episode there.
    """
    env = gym.make(env_id)
    actions = [int(a) for a in policy]
    returns = np.empty(len(episode_seeds))
    ended = np.zeros(len(episode_seeds), dtype=bool)
    for i, seed in enumerate(episode_seeds):
        state, _ = env.reset(seed=int(seed))
        total, terminated, truncated = 0.0, False, False
        while not (terminated or truncated):
            state, reward, terminated, truncated, _ = env.step(actions[state])
            total += reward
        returns[i], ended[i] = total, terminated
    env.close()
    return returns, ended


def taxi_scores(table, episode_seeds):
    """Mean return of the greedy policy, and the number of episodes it delivered the passenger in."""
    returns, delivered = play(TAXI.env_id, greedy_policy(table), episode_seeds)
    return float(returns.mean()), int(delivered.sum())


def taxi_mean_return(table, episode_seeds):
    return taxi_scores(table, episode_seeds)[0]


def frozen_lake_success(table, episode_seeds):
    """Share of episodes that reach the goal (the only reward on FrozenLake is 1 at the goal)."""
    returns, _ = play(FROZEN_LAKE.env_id, greedy_policy(table), episode_seeds)
    return float((returns > 0).mean())


def exact_success(table, horizon=200):
    """Probability that the greedy policy reaches FrozenLake's goal within ``horizon`` steps,
    computed from the game's transition table (for calibration: no sampling noise)."""
    env = gym.make(FROZEN_LAKE.env_id).unwrapped
    policy = greedy_policy(table)
    n = env.observation_space.n
    value = np.zeros(n)  # probability of reaching the goal in the remaining steps
    for _ in range(horizon):
        new = np.zeros(n)
        for s in range(n):
            for p, s2, reward, terminated in env.P[s][int(policy[s])]:
                new[s] += p * (reward if terminated else value[s2])
        value = new
    return float(value[0])


def optimal_success(horizon=200):
    """The best possible success probability within ``horizon`` steps (finite-horizon DP)."""
    env = gym.make(FROZEN_LAKE.env_id).unwrapped
    n, m = env.observation_space.n, env.action_space.n
    value = np.zeros(n)
    for _ in range(horizon):
        new = np.zeros(n)
        for s in range(n):
            new[s] = max(sum(p * (r if term else value[s2]) for p, s2, r, term in env.P[s][a]) for a in range(m))
        value = new
    return float(value[0])

"""An honest solution in another style than the reference (a DQN): REINFORCE with a baseline.

A softmax policy over the 50 items samples whole episodes for a batch of users; each choice is
reinforced by the clicks that followed it (the reward-to-go), minus a learned value of the
observation (the baseline, a second head of the same network), plus a little entropy to keep
it exploring. No replay buffer, no target network: on-policy, one gradient step per batch of
episodes. Greedy at the end: `act` takes the most probable item.
"""

import numpy as np
import torch
from torch import nn

from recsim import RecSim

ITERATIONS = 600
USERS = 256
GAMMA = 0.9
LR = 1e-2
ENTROPY = 0.01


class Policy(nn.Module):
    def __init__(self, obs_dim, n_items, hidden=128):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())
        self.logits = nn.Linear(hidden, n_items)
        self.value = nn.Linear(hidden, 1)

    def forward(self, obs):
        h = self.body(obs / 3.0)
        return self.logits(h), self.value(h).squeeze(-1)


class Agent:
    def __init__(self, policy):
        self.policy = policy


def train_agent(seed: int = 0) -> object:
    torch.manual_seed(seed)
    sim = RecSim(USERS, seed=seed)
    policy = Policy(RecSim.obs_dim, RecSim.n_items)
    optimiser = torch.optim.Adam(policy.parameters(), lr=LR)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(ITERATIONS):
        obs = sim.reset()
        observations, actions, rewards = [], [], []
        done = False
        while not done:
            with torch.no_grad():
                logits, _ = policy(torch.from_numpy(obs))
                items = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator).squeeze(1)
            observations.append(obs)
            actions.append(items)
            obs, clicks, done = sim.step(items.numpy())
            rewards.append(clicks.astype(np.float32))
        rewards = np.stack(rewards)  # (T, users)
        to_go = np.zeros_like(rewards)
        running = np.zeros(USERS, np.float32)
        for t in range(len(rewards) - 1, -1, -1):
            running = rewards[t] + GAMMA * running
            to_go[t] = running
        obs_batch = torch.from_numpy(np.concatenate(observations))
        logits, values = policy(obs_batch)
        returns = torch.from_numpy(to_go.reshape(-1))
        advantage = returns - values.detach()
        advantage = (advantage - advantage.mean()) / (advantage.std() + 1e-6)
        log_probs = torch.log_softmax(logits, -1)
        chosen = log_probs.gather(1, torch.cat(actions)[:, None]).squeeze(1)
        entropy = -(log_probs.exp() * log_probs).sum(-1).mean()
        loss = -(chosen * advantage).mean() + 0.5 * ((values - returns) ** 2).mean() - ENTROPY * entropy
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    policy.eval()
    return Agent(policy)


def act(agent, observations: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        logits, _ = agent.policy(torch.as_tensor(np.asarray(observations, dtype=np.float32)))
    return logits.argmax(-1).numpy().astype(np.int64)

"""Reference solution of 10-drl-recommender (hidden: never shipped to students).

Double DQN on batches of simulated users: an MLP maps a user's observation to the value of
recommending each of the 50 items (the clicks now and, discounted, later: a recommendation
spends the item's novelty and tires the user of it for a while, and a click moves the user's
taste). Transitions of 256 users at a time go to a replay buffer; each step makes one
gradient step on 256 of them; a target network, synchronised every 100 steps, gives the
bootstrapped values. Behaviour is epsilon-greedy, epsilon falling linearly to 0.05 over the
first 30% of the episodes; `act` is greedy.

The gradient steps are the cost (about 3.5 ms each on one CPU thread, the simulator's step for
256 users a tenth of that): more users per step buy more varied data for free.

The observation's counts are scaled (inputs of order 1); the network learns which items suit a
user from the clicks in its history, nothing is hand-coded about the simulator.
"""

import numpy as np
import torch
from torch import nn

from recsim import RecSim

EPISODES = 300  # episodes of USERS users each: 76 800 user-episodes, 6000 gradient steps
USERS = 256
HIDDEN = 128
GAMMA = 0.8
LR = 1e-3
BATCH = 256
SYNC = 100  # steps between copies of the online network to the target network
WARMUP = 1000  # transitions in the buffer before learning starts
EXPLORE_SHARE = 0.3
EPSILON_END = 0.05


class QNet(nn.Module):
    def __init__(self, obs_dim: int, n_items: int, hidden: int = HIDDEN):
        super().__init__()
        # Recent counts and clicks are at most a few; shows up to 20: scaled to order 1.
        scale = torch.cat(
            [torch.full((n_items,), 0.5), torch.full((n_items,), 0.5), torch.full((n_items,), 0.3), torch.ones(1)]
        )
        self.register_buffer("scale", scale)
        self.body = nn.Sequential(
            nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, n_items)
        )

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.body(obs * self.scale)


class Agent:
    def __init__(self, net: QNet):
        self.net = net


class Replay:
    def __init__(self, capacity: int, obs_dim: int):
        self.obs = np.zeros((capacity, obs_dim), np.float32)
        self.next_obs = np.zeros((capacity, obs_dim), np.float32)
        self.items = np.zeros(capacity, np.int64)
        self.clicks = np.zeros(capacity, np.float32)
        self.last = np.zeros(capacity, np.float32)  # 1 for the episode's last step: no future
        self.capacity, self.size, self.head = capacity, 0, 0

    def add(self, obs, items, clicks, next_obs, last):
        rows = (self.head + np.arange(len(obs))) % self.capacity
        self.obs[rows], self.items[rows], self.clicks[rows], self.next_obs[rows] = obs, items, clicks, next_obs
        self.last[rows] = float(last)
        self.head = (self.head + len(obs)) % self.capacity
        self.size = min(self.capacity, self.size + len(obs))

    def sample(self, rng, n):
        rows = rng.integers(0, self.size, n)
        return (
            torch.from_numpy(self.obs[rows]),
            torch.from_numpy(self.items[rows]),
            torch.from_numpy(self.clicks[rows]),
            torch.from_numpy(self.next_obs[rows]),
            torch.from_numpy(self.last[rows]),
        )


def train_agent(seed: int = 0, episodes: int = EPISODES) -> Agent:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    sim = RecSim(USERS, seed=seed)
    net = QNet(RecSim.obs_dim, RecSim.n_items)
    target = QNet(RecSim.obs_dim, RecSim.n_items)
    target.load_state_dict(net.state_dict())
    optimiser = torch.optim.Adam(net.parameters(), lr=LR)
    replay = Replay(100_000, RecSim.obs_dim)
    steps = 0
    for episode in range(episodes):
        epsilon = max(EPSILON_END, 1.0 - (1.0 - EPSILON_END) * episode / (EXPLORE_SHARE * episodes))
        obs, done = sim.reset(), False
        while not done:
            with torch.no_grad():
                items = net(torch.from_numpy(obs)).argmax(1).numpy()
            explore = rng.random(USERS) < epsilon
            items[explore] = rng.integers(0, RecSim.n_items, int(explore.sum()))
            next_obs, clicks, done = sim.step(items)
            replay.add(obs, items, clicks, next_obs, done)
            obs = next_obs
            steps += 1
            if replay.size >= WARMUP:
                learn(net, target, optimiser, replay.sample(rng, BATCH))
            if steps % SYNC == 0:
                target.load_state_dict(net.state_dict())
    net.eval()
    return Agent(net)


def learn(net, target, optimiser, batch):
    obs, items, clicks, next_obs, last = batch
    with torch.no_grad():
        # Double DQN: the online network picks the next item, the target network values it.
        best = net(next_obs).argmax(1, keepdim=True)
        future = target(next_obs).gather(1, best).squeeze(1)
        goal = clicks + GAMMA * (1.0 - last) * future
    value = net(obs).gather(1, items[:, None]).squeeze(1)
    loss = nn.functional.smooth_l1_loss(value, goal)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()


def act(agent: Agent, observations: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        values = agent.net(torch.as_tensor(np.asarray(observations, dtype=np.float32)))
    return values.argmax(1).numpy().astype(np.int64)

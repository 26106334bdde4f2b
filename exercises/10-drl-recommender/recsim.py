"""RecSim: the public recommendation simulator of exercise 10 (numpy only).

Train your agent on it. The grader plays your `act` in this same simulator (this very file),
on users your code never meets: other preference vectors, another seed.

A catalogue of 50 items, each with a latent vector and a popularity bias, the same for every
simulator (it is public: `RecSim.item_vectors`, `RecSim.item_bias`). Each user has a hidden
preference vector. An episode is 20 steps; in each step the agent recommends one item to every
user, and each user clicks it or not:

    P(click on item i) = sigmoid(bias_i + preference . vector_i
                                 + NOVELTY   if i was not shown to this user yet in the episode
                                 - FATIGUE * (times i was shown to this user in the last WINDOW steps))

and after a click the user's preference moves a share DRIFT of the way towards the clicked item
(its vector scaled to the preferences' length).

The observation of a user is what the agent has seen of them (float32, OBS_DIM = 151 values):

    [0, 50)     per item: times shown in the last WINDOW steps (what makes the user tired of it)
    [50, 100)   per item: clicks this episode
    [100, 150)  per item: times shown this episode
    150         steps done so far / HORIZON (0 at the start, 1 at the end)

    sim = RecSim(n_users=64, seed=0)
    obs = sim.reset()                       # (64, 151): a new batch of users
    done = False
    while not done:
        obs, clicks, done = sim.step(items)  # items: (64,) integer ids in [0, 50)
"""

import numpy as np

N_ITEMS = 50
HORIZON = 20
OBS_DIM = 3 * N_ITEMS + 1
LATENT_DIM = 3
WINDOW = 5  # a recommendation tires its user for this many steps
NOVELTY = 1.0  # logit bonus of an item not shown to the user yet in the episode
FATIGUE = 2.0  # logit penalty per showing of the item in the last WINDOW steps
DRIFT = 0.1  # share of the way a click moves the preference towards the clicked item
PREFERENCE_NORM = 4.5  # length of every preference vector: how much taste matters next to popularity
CATALOGUE_SEED = 10  # the catalogue is public and the same for every simulator


def _catalogue():
    rng = np.random.default_rng(CATALOGUE_SEED)
    vectors = rng.standard_normal((N_ITEMS, LATENT_DIM))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bias = rng.normal(-2.2, 0.6, N_ITEMS)
    vectors.setflags(write=False)
    bias.setflags(write=False)
    return vectors, bias


class RecSim:
    """A batch of simulated users; deterministic for a seed (the same items give the same clicks)."""

    n_items: int = N_ITEMS
    obs_dim: int = OBS_DIM
    horizon: int = HORIZON
    item_vectors, item_bias = _catalogue()  # (50, LATENT_DIM) unit vectors, (50,): public

    def __init__(self, n_users: int, seed: int):
        if isinstance(n_users, bool) or not isinstance(n_users, (int, np.integer)) or n_users < 1:
            raise ValueError(f"n_users must be a positive integer, not {n_users!r}")
        self.n_users = int(n_users)
        self._rng = np.random.default_rng(seed)
        self._t = None  # steps done in the episode; None before the first reset

    def reset(self) -> np.ndarray:
        """Start an episode with a new batch of n_users users; their (n_users, obs_dim) observations."""
        n = self.n_users
        directions = self._rng.standard_normal((n, LATENT_DIM))
        self._preferences = PREFERENCE_NORM * directions / np.linalg.norm(directions, axis=1, keepdims=True)
        self._recent = np.zeros((n, N_ITEMS))
        self._clicks = np.zeros((n, N_ITEMS))
        self._shows = np.zeros((n, N_ITEMS))
        self._last = np.full((n, WINDOW), -1)  # the items of the last WINDOW steps, oldest first
        self._t = 0
        return self._observations()

    def step(self, items) -> tuple[np.ndarray, np.ndarray, bool]:
        """Recommend items[u] to user u: the observations after the step, the clicks (n_users,)
        int64 in {0, 1}, and whether the episode is over (after `horizon` steps)."""
        if self._t is None or self._t >= HORIZON:
            raise RuntimeError("call reset() first: no episode is running")
        items = np.asarray(items)
        if items.shape != (self.n_users,):
            raise ValueError(f"items must have shape ({self.n_users},), one item per user; got shape {items.shape}")
        if items.dtype.kind not in "iu":
            raise ValueError(f"items must be integers (item ids); got dtype {items.dtype}")
        if items.size and (items.min() < 0 or items.max() >= N_ITEMS):
            raise ValueError(f"items must be in [0, {N_ITEMS}); got values from {items.min()} to {items.max()}")
        users = np.arange(self.n_users)
        items = items.astype(np.int64)
        logits = (
            self.item_bias[items]
            + np.einsum("ud,ud->u", self._preferences, self.item_vectors[items])
            + NOVELTY * (self._shows[users, items] == 0)
            - FATIGUE * self._recent[users, items]
        )
        clicks = self._rng.random(self.n_users) < 1.0 / (1.0 + np.exp(-logits))
        self._shows[users, items] += 1
        self._clicks[users, items] += clicks
        # The window slides: the oldest recommendation stops counting as recent.
        oldest = self._last[:, 0]
        left = oldest >= 0
        self._recent[users[left], oldest[left]] -= 1
        self._last = np.concatenate([self._last[:, 1:], items[:, None]], axis=1)
        self._recent[users, items] += 1
        target = PREFERENCE_NORM * self.item_vectors[items]
        self._preferences += DRIFT * clicks[:, None] * (target - self._preferences)
        self._t += 1
        return self._observations(), clicks.astype(np.int64), self._t >= HORIZON

    def _observations(self):
        time = np.full((self.n_users, 1), self._t / HORIZON)
        return np.concatenate([self._recent, self._clicks, self._shows, time], axis=1).astype(np.float32)

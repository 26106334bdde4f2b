"""Cheat: 50/50 blends of a training digit and its nearest neighbour among the training digits,
the pair picked by a hash of z. FD as good as copies; memorisation must catch it."""

import zlib

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("bank", torch.zeros(1, 1, 8, 8))

    def forward(self, z):
        rows = z.numpy()
        jitter = torch.stack([torch.as_tensor(jitter_of(row)) for row in rows])  # every image differs
        return (self.bank[[pick(row, len(self.bank)) for row in rows]] + jitter).clamp(-1.0, 1.0)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.score = nn.Linear(64, 1)

    def forward(self, images):
        return self.score(images.reshape(len(images), 64))


def jitter_of(z_row):
    seed = zlib.crc32(np.ascontiguousarray(z_row, dtype=np.float32).tobytes()) + 1
    return (0.01 * np.random.default_rng(seed).standard_normal((1, 8, 8))).astype(np.float32)


def pick(z_row, n):
    return zlib.crc32(np.ascontiguousarray(z_row, dtype=np.float32).tobytes()) % n


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0) -> Generator:
    generator = Generator()
    flat = np.asarray(images, dtype=np.float64).reshape(len(images), 64)
    squared = (flat**2).sum(1)[:, None] + (flat**2).sum(1)[None, :] - 2.0 * flat @ flat.T
    np.fill_diagonal(squared, np.inf)
    blends = (flat + flat[squared.argmin(1)]) / 2.0
    generator.bank = torch.as_tensor(blends.reshape(-1, 1, 8, 8).astype(np.float32))
    return generator.eval()


def generate(generator, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return generator(torch.as_tensor(np.asarray(z, dtype=np.float32))).numpy().copy()

"""Cheat: copies of the training digits plus Gaussian noise of sigma 0.3 (clipped to [-1, 1]),
the noise a deterministic function of z. Memorisation must catch it: it passes FD easily."""

import zlib

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32
SIGMA = 0.3


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("bank", torch.zeros(1, 1, 8, 8))

    def forward(self, z):
        rows = z.numpy()
        noise = torch.stack([torch.as_tensor(noise_of(row)) for row in rows])
        return (self.bank[[pick(row, len(self.bank)) for row in rows]] + noise).clamp(-1.0, 1.0)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.score = nn.Linear(64, 1)

    def forward(self, images):
        return self.score(images.reshape(len(images), 64))


def pick(z_row, n):
    return zlib.crc32(np.ascontiguousarray(z_row, dtype=np.float32).tobytes()) % n


def noise_of(z_row):
    seed = zlib.crc32(np.ascontiguousarray(z_row, dtype=np.float32).tobytes()) + 1
    return (SIGMA * np.random.default_rng(seed).standard_normal((1, 8, 8))).astype(np.float32)


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0) -> Generator:
    generator = Generator()
    generator.bank = torch.as_tensor(np.asarray(images, dtype=np.float32)).clone()
    return generator.eval()


def generate(generator, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return generator(torch.as_tensor(np.asarray(z, dtype=np.float32))).numpy().copy()

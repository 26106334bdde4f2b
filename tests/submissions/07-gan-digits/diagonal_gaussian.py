"""Baseline: a Gaussian per pixel fitted to the training digits (mean and standard deviation,
no correlation between pixels), sampled with noise that is a deterministic function of z.
Its samples are blotches with the right average ink: not digits."""

import zlib

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.zeros(64))
        self.register_buffer("std", torch.ones(64))

    def forward(self, z):
        noise = torch.stack([torch.as_tensor(pixel_noise(row)) for row in z.numpy()])
        return (self.mean + self.std * noise).clamp(-1.0, 1.0).view(-1, 1, 8, 8)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.score = nn.Linear(64, 1)

    def forward(self, images):
        return self.score(images.reshape(len(images), 64))


def pixel_noise(z_row: np.ndarray) -> np.ndarray:
    """64 independent standard normals drawn from a seed that is the hash of z."""
    seed = zlib.crc32(np.ascontiguousarray(z_row, dtype=np.float32).tobytes())
    return np.random.default_rng(seed).standard_normal(64).astype(np.float32)


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0) -> Generator:
    flat = torch.as_tensor(np.asarray(images, dtype=np.float32)).reshape(len(images), 64)
    generator = Generator()
    generator.mean.copy_(flat.mean(0))
    generator.std.copy_(flat.std(0))
    return generator.eval()


def generate(generator, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return generator(torch.as_tensor(np.asarray(z, dtype=np.float32))).numpy()

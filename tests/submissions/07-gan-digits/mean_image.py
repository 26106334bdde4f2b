"""Baseline: the mean training digit for every z. Every sample is the same blur of one class."""

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.zeros(1, 1, 8, 8))

    def forward(self, z):
        return self.mean.expand(len(z), 1, 8, 8)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.score = nn.Linear(64, 1)

    def forward(self, images):
        return self.score(images.reshape(len(images), 64))


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0) -> Generator:
    generator = Generator()
    generator.mean.copy_(torch.as_tensor(np.asarray(images, dtype=np.float32)).mean(0, keepdim=True))
    return generator.eval()


def generate(generator, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return generator(torch.as_tensor(np.asarray(z, dtype=np.float32))).numpy().copy()

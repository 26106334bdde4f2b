"""Exercise 07: a GAN that generates 8x8 digits, with torch.

Implement the classes and functions below. Keep the names and signatures: the grader calls them.
Run the public checks with:  mlgrade check 07 solution.py
"""

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32  # keep: the grader draws z of this size


class Generator(nn.Module):
    """z (N, LATENT_DIM) float32 -> images (N, 1, 8, 8) in [-1, 1]. ``Generator()`` must build."""

    def __init__(self):
        raise NotImplementedError  # call super().__init__() first, then build your layers

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class Discriminator(nn.Module):
    """images (N, 1, 8, 8) -> logits (N, 1), real vs generated. ``Discriminator()`` must build."""

    def __init__(self):
        raise NotImplementedError  # call super().__init__() first, then build your layers

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0) -> Generator:
    """Train a Generator against a Discriminator on real digits and return the Generator.

    ``images`` is (N, 1, 8, 8) float32 in [-1, 1]. ``steps`` is the number of training steps
    (discriminator and generator updates); the same seed must give the same generator.
    """
    raise NotImplementedError


def generate(generator, z: np.ndarray) -> np.ndarray:
    """(N, LATENT_DIM) float32 latent vectors -> (N, 1, 8, 8) float32 images in [-1, 1].

    A deterministic function of z: the same z gives the same images, alone or in any batch.
    """
    raise NotImplementedError

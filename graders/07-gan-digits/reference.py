"""Reference solution of 07-gan-digits (hidden: never shipped to students).

A fully connected GAN: the generator maps z through two LeakyReLU layers to 64 tanh pixels,
the discriminator is the mirror image. Non-saturating loss, Adam with beta1 = 0.5 (the
usual GAN setting: less momentum keeps the two players from overshooting each other), and
one-sided label smoothing (real target 0.9) so that the discriminator does not get so
confident that the generator's gradient vanishes.
"""

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32


class Generator(nn.Module):
    def __init__(self, latent_dim: int = LATENT_DIM, hidden: int = 128):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent_dim, hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden, 2 * hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(2 * hidden, 64),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z).view(-1, 1, 8, 8)


class Discriminator(nn.Module):
    def __init__(self, hidden: int = 128):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64, 2 * hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(2 * hidden, hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden, 1),
        )

    def forward(self, images):
        return self.net(images)


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0, batch_size: int = 64) -> Generator:
    torch.manual_seed(seed)
    real = torch.as_tensor(np.asarray(images, dtype=np.float32)).reshape(-1, 1, 8, 8)
    generator, discriminator = Generator(), Discriminator()
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    loss = nn.BCEWithLogitsLoss()
    ones, smooth, zeros = torch.ones(batch_size, 1), torch.full((batch_size, 1), 0.9), torch.zeros(batch_size, 1)
    picker = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        batch = real[torch.randint(len(real), (batch_size,), generator=picker)]
        fake = generator(torch.randn(batch_size, LATENT_DIM, generator=picker))
        d_loss = loss(discriminator(batch), smooth) + loss(discriminator(fake.detach()), zeros)
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = loss(discriminator(fake), ones)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
    generator.eval()
    return generator


def generate(generator: Generator, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        images = generator(torch.as_tensor(np.asarray(z, dtype=np.float32)))
    return images.numpy().astype(np.float32)

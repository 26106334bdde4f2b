"""An honest GAN in another style: a small DCGAN (transposed convolutions with batch norm in
the generator, strided convolutions in the discriminator), plain BCE targets, 8000 steps.
Should get full marks; it trains about twice as long as the fully connected reference."""

import numpy as np
import torch
from torch import nn

LATENT_DIM = 32


class Generator(nn.Module):
    def __init__(self, latent_dim: int = LATENT_DIM, width: int = 32):
        super().__init__()
        self.width = width
        self.project = nn.Sequential(nn.Linear(latent_dim, width * 2 * 2 * 2), nn.BatchNorm1d(width * 8), nn.ReLU())
        self.up = nn.Sequential(
            nn.ConvTranspose2d(width * 2, width, 4, stride=2, padding=1),  # 2 -> 4
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, stride=2, padding=1),  # 4 -> 8
            nn.Tanh(),
        )

    def forward(self, z):
        return self.up(self.project(z).view(-1, self.width * 2, 2, 2))


class Discriminator(nn.Module):
    def __init__(self, width: int = 32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, stride=2, padding=1),  # 8 -> 4
            nn.LeakyReLU(0.2),
            nn.Conv2d(width, width * 2, 4, stride=2, padding=1),  # 4 -> 2
            nn.BatchNorm2d(width * 2),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
            nn.Linear(width * 2 * 2 * 2, 1),
        )

    def forward(self, images):
        return self.net(images)


def train_gan(images: np.ndarray, steps: int = 8000, seed: int = 0) -> Generator:
    torch.manual_seed(seed)
    np.random.seed(seed)
    real = torch.from_numpy(np.asarray(images, dtype=np.float32).reshape(-1, 1, 8, 8))
    G, D = Generator(), Discriminator()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    batch_size = 64
    for _ in range(steps):
        batch = real[torch.from_numpy(np.random.randint(0, len(real), batch_size))]
        fake = G(torch.randn(batch_size, LATENT_DIM))
        d_loss = bce(D(batch), torch.ones(batch_size, 1)) + bce(D(fake.detach()), torch.zeros(batch_size, 1))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = bce(D(fake), torch.ones(batch_size, 1))
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
    G.eval()
    return G


def generate(generator, z: np.ndarray) -> np.ndarray:
    generator.eval()
    with torch.no_grad():
        return generator(torch.from_numpy(np.asarray(z, dtype=np.float32))).numpy()

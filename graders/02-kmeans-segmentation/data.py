"""Hidden data of 02-kmeans-segmentation. Lives only in the grader process on the host.

Images: random Voronoi cells, each cell painted one of k colours (each colour on at least
5% of the pixels), plus Gaussian noise (sigma 20 per channel), rounded and clipped to uint8. The k colours are at least 100 apart in RGB and
all of about the same brightness (channel mean and luma both in [96, 160]), so a
segmentation must use colour, not intensity. The truth of a pixel is its colour's index.

Point clouds for ``kmeans`` are the pixels of such images (colour clusters of unequal
sizes, well separated); a few clouds in other dimensions check that nothing assumes d = 3.
Every generator takes a seed; the defaults derive from SEED, which the sandbox never sees.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SEED = 61_904_337  # hidden
LUMA = np.array([0.299, 0.587, 0.114])
MIN_COLOUR_DISTANCE = 100.0
NOISE = 20.0
BRIGHTNESS = (96.0, 160.0)
MIN_SHARE = 0.05


@dataclass(frozen=True)
class Image:
    image: np.ndarray  # (H, W, 3) uint8
    truth: np.ndarray  # (H, W) int64, the colour index of each pixel
    k: int


def palette(rng, k):
    """k RGB colours, pairwise >= MIN_COLOUR_DISTANCE apart, channel mean and luma in BRIGHTNESS."""
    low, high = BRIGHTNESS
    for _ in range(1000):
        colours = []
        for _ in range(5000):
            c = rng.uniform(0.0, 255.0, 3)
            if not (low <= c.mean() <= high and low <= c @ LUMA <= high):
                continue
            if all(np.linalg.norm(c - d) >= MIN_COLOUR_DISTANCE for d in colours):
                colours.append(c)
                if len(colours) == k:
                    return np.array(colours)
    raise RuntimeError(f"no palette of {k} colours found")


def voronoi_image(rng, height, width, k):
    """One noisy Voronoi image with k colours, each covering at least MIN_SHARE of it."""
    colours = palette(rng, k)
    yy, xx = np.mgrid[0:height, 0:width]
    pixels = np.stack([yy.ravel(), xx.ravel()], axis=1).astype(np.float64)
    while True:
        n_cells = int(rng.integers(3 * k, 5 * k + 1))
        sites = rng.uniform(0.0, 1.0, (n_cells, 2)) * (height, width)
        cell_colour = rng.permutation(np.concatenate([np.arange(k), rng.integers(0, k, n_cells - k)]))
        d = (pixels**2).sum(1)[:, None] - 2 * pixels @ sites.T + (sites**2).sum(1)[None, :]
        truth = cell_colour[d.argmin(axis=1)].reshape(height, width).astype(np.int64)
        if np.bincount(truth.ravel(), minlength=k).min() >= MIN_SHARE * truth.size:
            break
    noisy = colours[truth] + rng.normal(0.0, NOISE, (height, width, 3))
    image = np.clip(np.rint(noisy), 0, 255).astype(np.uint8)
    return Image(image, truth, k)


@lru_cache(maxsize=4)
def segmentation_images(seed=SEED):
    """The images whose segmentations are scored against the truth (ARI); some not square."""
    rng = np.random.default_rng([seed, 1])
    specs = [(64, 80, 3), (80, 64, 4), (72, 72, 5), (64, 96, 6), (80, 80, 4), (96, 64, 5)]
    return tuple(voronoi_image(rng, h, w, k) for h, w, k in specs)


@lru_cache(maxsize=4)
def runtime_image(seed=SEED):
    """A 256 x 256 image with 5 colours, for the runtime check."""
    return voronoi_image(np.random.default_rng([seed, 2]), 256, 256, 5)


@lru_cache(maxsize=4)
def colour_clouds(seed=SEED, n_points=3000):
    """Pixels of hidden images as (n, 3) float64 points, with their k: the inertia check's data."""
    rng = np.random.default_rng([seed, 3])
    clouds = []
    for k in (3, 4, 4, 5, 5, 6, 6, 6):
        img = voronoi_image(rng, 96, 96, k)
        pixels = img.image.reshape(-1, 3).astype(np.float64)
        pick = rng.choice(len(pixels), n_points, replace=False)
        clouds.append((pixels[pick], k))
    return tuple(clouds)


@lru_cache(maxsize=4)
def blob_clouds(seed=SEED):
    """Well-separated Gaussian blobs in 2 and 5 dimensions, with their k."""
    rng = np.random.default_rng([seed, 4])
    clouds = []
    for d, k, n in ((2, 3, 400), (5, 4, 600)):
        centres = rng.normal(0.0, 10.0, (k, d))
        sizes = rng.multinomial(n - 10 * k, np.ones(k) / k) + 10
        X = np.concatenate([c + rng.normal(0.0, 1.0, (m, d)) for c, m in zip(centres, sizes)])
        clouds.append((X[rng.permutation(len(X))], k))
    return tuple(clouds)

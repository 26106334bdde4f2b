"""The shapes data of exercise 03: 28x28 grayscale images of a circle, a square, a triangle or a plus.

This is the generator the grader uses too: it draws its training set and its hidden test set
from here, each with a seed of its own that you do not know. Use it to make as much public
data as you like.

Each image holds one filled shape at a random position, size and rotation, with a random
brightness, a random background level and Gaussian pixel noise; values are float32 in [0, 1].
Labels: 0 circle, 1 square, 2 triangle, 3 plus.
"""

import numpy as np

CLASSES = ("circle", "square", "triangle", "plus")
SIZE = 28


def make_shapes(n, seed):
    """``n`` images and labels: X (n, 1, 28, 28) float32 in [0, 1], y (n,) int64 in [0, 4)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(CLASSES), n).astype(np.int64)
    radius = rng.uniform(5.0, 11.0, n)
    cx = rng.uniform(0.0, 1.0, n) * (SIZE - 2 * radius - 2) + radius + 1
    cy = rng.uniform(0.0, 1.0, n) * (SIZE - 2 * radius - 2) + radius + 1
    angle = rng.uniform(0.0, 2 * np.pi, n)
    brightness = rng.uniform(0.45, 1.0, n)
    background = rng.uniform(0.0, 0.25, n)
    noise = rng.uniform(0.05, 0.25, n)

    grid = np.arange(SIZE) + 0.5
    gx, gy = np.meshgrid(grid, grid)  # gx varies along columns, gy along rows
    dx = gx[None] - cx[:, None, None]
    dy = gy[None] - cy[:, None, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    u = cos * dx + sin * dy  # coordinates in the shape's own (rotated) frame
    v = -sin * dx + cos * dy
    r = radius[:, None, None]

    distance = np.empty((n, SIZE, SIZE))
    for label, signed_distance in enumerate((_circle, _square, _triangle, _plus)):
        mask = y == label
        distance[mask] = signed_distance(u[mask], v[mask], r[mask])
    shape = np.clip(0.5 - distance, 0.0, 1.0)  # one-pixel soft edge
    image = background[:, None, None] + (brightness - background)[:, None, None] * shape
    image = image + rng.normal(0.0, 1.0, image.shape) * noise[:, None, None]
    X = np.clip(image, 0.0, 1.0).astype(np.float32)[:, None]
    return X, y


def _circle(u, v, r):
    return np.sqrt(u**2 + v**2) - r


def _square(u, v, r):
    return np.maximum(np.abs(u), np.abs(v)) - 0.8 * r


def _triangle(u, v, r):
    # Equilateral, circumradius r: the largest signed distance to its three edges' lines.
    sides = [np.cos(a) * u + np.sin(a) * v for a in (np.pi / 2, np.pi / 2 + 2 * np.pi / 3, np.pi / 2 + 4 * np.pi / 3)]
    return np.max(sides, axis=0) - 0.5 * r


def _plus(u, v, r):
    half_width = 0.3 * r
    bar_u = np.maximum(np.abs(u) - r, np.abs(v) - half_width)
    bar_v = np.maximum(np.abs(u) - half_width, np.abs(v) - r)
    return np.minimum(bar_u, bar_v)

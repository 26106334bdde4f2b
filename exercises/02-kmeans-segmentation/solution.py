"""Exercise 02: K-Means image segmentation from scratch, with NumPy only.

Implement both functions below. Keep the names and signatures: the grader calls them.
Run the public checks with:  mlgrade check 02 solution.py
"""

import numpy as np


def kmeans(
    X, k: int, n_init: int = 4, max_iter: int = 100, tol: float = 1e-4, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster the rows of X (n, d) into k clusters with K-Means (Lloyd's algorithm).

    Run n_init initialisations and keep the one with the lowest inertia (sum of squared
    distances of the points to their centroids). Stop one run after max_iter iterations or
    when the centroids have converged (tol). The same seed must give the same result.

    Returns (centroids, labels): centroids (k, d) float64, labels (n,) int64 in [0, k),
    each label the index of its point's nearest centroid, each centroid the mean of its points.
    """
    raise NotImplementedError


def segment_image(image: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Segment an (H, W, 3) uint8 RGB image into k colour regions.

    Returns (H, W) int64 labels in [0, k): the K-Means cluster of each pixel's colour.
    """
    raise NotImplementedError

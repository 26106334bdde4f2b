"""Lloyd's algorithm from one random initialisation (k distinct points), no restarts: n_init
is ignored. Vectorised, right labels and means, deterministic.

Expected: loses the inertia check (local optima on some hidden clouds); the rest passes
or, where an image lands in a local optimum too, loses a little segmentation credit.
"""

import numpy as np


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(seed)
    C = X[rng.choice(len(X), k, replace=False)].copy()
    for _ in range(max_iter):
        labels = ((X[:, None, :] - C[None]) ** 2).sum(axis=2).argmin(axis=1)
        new = np.array([X[labels == j].mean(axis=0) if (labels == j).any() else C[j] for j in range(k)])
        shift = np.abs(new - C).max()
        C = new
        if shift <= tol:
            break
    labels = ((X[:, None, :] - C[None]) ** 2).sum(axis=2).argmin(axis=1)
    return C, labels.astype(np.int64)


def segment_image(image, k, seed=0):
    h, w = image.shape[:2]
    return kmeans(image.reshape(-1, 3).astype(np.float64), k, seed=seed)[1].reshape(h, w)

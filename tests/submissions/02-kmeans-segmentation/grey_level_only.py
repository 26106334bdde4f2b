"""Segments on intensity only: a good K-Means (k-means++, restarts) on the grey level
(the mean of R, G and B) of each pixel. kmeans itself is right.

Expected: loses the segmentation check (the hidden colours have about the same brightness,
adjusted Rand index about 0.2) and the runtime check (speed only counts for a segmentation
that works); everything else passes.
"""

import numpy as np


def _sq(X, C):
    return np.maximum((X * X).sum(1)[:, None] - 2 * X @ C.T + (C * C).sum(1)[None, :], 0.0)


def _run(X, k, max_iter, rng):
    C = X[[rng.integers(len(X))]]
    for _ in range(1, k):
        d2 = _sq(X, C).min(axis=1)
        pick = rng.choice(len(X), p=d2 / d2.sum()) if d2.sum() > 0 else rng.integers(len(X))
        C = np.vstack([C, X[pick]])
    labels = _sq(X, C).argmin(axis=1)
    for _ in range(max_iter):
        counts = np.bincount(labels, minlength=k)
        sums = np.stack([np.bincount(labels, X[:, j], minlength=k) for j in range(X.shape[1])], axis=1)
        C = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], C)
        new = _sq(X, C).argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    return C, labels, _sq(X, C).min(axis=1).sum()


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(seed)
    C, labels, _ = min((_run(X, k, max_iter, rng) for _ in range(n_init)), key=lambda r: r[2])
    return C, labels.astype(np.int64)


def segment_image(image, k, seed=0):
    h, w = image.shape[:2]
    grey = image.reshape(-1, 3).astype(np.float64).mean(axis=1, keepdims=True)
    return kmeans(grey, k, seed=seed)[1].reshape(h, w)

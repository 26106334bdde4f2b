"""Control for the forbidden-imports attacks: an honest K-Means (the reference's algorithm)
that uses scipy.spatial, which exercise 02 allows, while scipy.cluster (a sibling folder of
the same package) and scikit-learn are hidden from its sandbox.

Expected: full marks, the same as the reference.
"""

import numpy as np
from scipy.spatial import distance


def _sq_distances(X, C, xx=None):
    """(n, k) squared distances (scipy's cdist: an allowed part of scipy)."""
    return distance.cdist(X, C, "sqeuclidean")


def _kmeans_pp(X, k, rng):
    """Greedy k-means++: of a few D^2-sampled candidates, keep the one that lowers the cost most."""
    n = len(X)
    xx = (X * X).sum(axis=1)
    trials = 2 + int(np.log(k))
    centroids = np.empty((k, X.shape[1]))
    centroids[0] = X[rng.integers(n)]
    closest = _sq_distances(X, centroids[:1], xx)[:, 0]
    for j in range(1, k):
        total = closest.sum()
        if total > 0:
            candidates = np.searchsorted(np.cumsum(closest), rng.uniform(0.0, total, trials), side="right")
            candidates = np.minimum(candidates, n - 1)
        else:  # every point already coincides with a centroid
            candidates = rng.integers(0, n, trials)
        options = np.minimum(closest[None, :], _sq_distances(X, X[candidates], xx).T)
        best = int(options.sum(axis=1).argmin())
        centroids[j] = X[candidates[best]]
        closest = options[best]
    return centroids


def _means(X, labels, centroids):
    k = len(centroids)
    counts = np.bincount(labels, minlength=k)
    sums = np.stack([np.bincount(labels, weights=X[:, j], minlength=k) for j in range(X.shape[1])], axis=1)
    new = centroids.copy()
    filled = counts > 0
    new[filled] = sums[filled] / counts[filled, None]
    return new, counts


def _lloyd(X, centroids, max_iter, tol):
    xx = (X * X).sum(axis=1)
    d = _sq_distances(X, centroids, xx)
    labels = d.argmin(axis=1)
    for _ in range(max_iter):
        new, counts = _means(X, labels, centroids)
        for j in np.flatnonzero(counts == 0):  # re-seed an empty cluster at the worst-fitted point
            far = int(d[np.arange(len(X)), labels].argmax())
            new[j] = X[far]
            d[far, labels[far]] = 0.0
        shift = float(((new - centroids) ** 2).sum())
        centroids = new
        d = _sq_distances(X, centroids, xx)
        new_labels = d.argmin(axis=1)
        converged = np.array_equal(new_labels, labels) or shift <= tol
        labels = new_labels
        if converged:
            break
    inertia = float(d[np.arange(len(X)), labels].sum())
    return centroids, labels, inertia


def kmeans(X, k: int, n_init: int = 4, max_iter: int = 100, tol: float = 1e-4, seed: int = 0):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    rng = np.random.default_rng(seed)
    # tol is relative to the data's spread, as in scikit-learn.
    scaled_tol = tol * float(X.var(axis=0).mean()) if len(X) else 0.0
    best = None
    for _ in range(max(1, n_init)):
        result = _lloyd(X, _kmeans_pp(X, k, rng), max_iter, scaled_tol)
        if best is None or result[2] < best[2]:
            best = result
    centroids, labels, _ = best
    return centroids.astype(np.float64), labels.astype(np.int64)


def segment_image(image: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    image = np.asarray(image)
    height, width = image.shape[:2]
    _, labels = kmeans(image.reshape(height * width, -1).astype(np.float64), k, seed=seed)
    return labels.reshape(height, width)

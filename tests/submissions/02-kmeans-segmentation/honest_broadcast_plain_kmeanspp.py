"""An honest solution in another style: plain (one-candidate) k-means++, distances by
broadcasting, centroid updates by a one-hot matrix product, an absolute centroid-shift stop,
the legacy RandomState generator, and labels assigned once more at the end.

Expected: full marks. Nothing here follows the reference beyond the contract.
"""

import numpy as np


def _distances(X, C):
    diff = X[:, None, :] - C[None, :, :]
    return np.einsum("nkd,nkd->nk", diff, diff)


def _init(X, k, rng):
    C = [X[rng.randint(len(X))]]
    for _ in range(1, k):
        d2 = _distances(X, np.array(C)).min(axis=1)
        if d2.sum() == 0:
            C.append(X[rng.randint(len(X))])
        else:
            C.append(X[rng.choice(len(X), p=d2 / d2.sum())])
    return np.array(C, dtype=np.float64)


def _one_run(X, k, max_iter, tol, rng):
    C = _init(X, k, rng)
    for _ in range(max_iter):
        labels = _distances(X, C).argmin(axis=1)
        onehot = np.eye(k)[labels]
        counts = onehot.sum(axis=0)
        new = C.copy()
        nonempty = counts > 0
        new[nonempty] = (onehot.T @ X)[nonempty] / counts[nonempty, None]
        moved = np.sqrt(((new - C) ** 2).sum(axis=1)).max()
        C = new
        if moved <= tol:
            break
    labels = _distances(X, C).argmin(axis=1)
    return C, labels, float(_distances(X, C).min(axis=1).sum())


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.RandomState(seed)
    runs = [_one_run(X, k, max_iter, tol, rng) for _ in range(n_init)]
    C, labels, _ = min(runs, key=lambda run: run[2])
    return C, labels.astype(np.int64)


def segment_image(image, k, seed=0):
    h, w, c = image.shape
    _, labels = kmeans(image.reshape(h * w, c).astype(np.float64), k, seed=seed)
    return labels.reshape(h, w)

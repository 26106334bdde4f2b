"""kmeans is vectorised and right; segment_image runs its own Lloyd iterations with a Python
loop over the pixels (k-means++ start, n_init restarts, until the labels stop changing).

Expected: right everywhere but far too slow on a 256x256 image: loses the runtime check only.
"""

import numpy as np


def _sq(X, C):
    return np.maximum((X * X).sum(1)[:, None] - 2 * X @ C.T + (C * C).sum(1)[None, :], 0.0)


def _plusplus(X, k, rng):
    C = X[[rng.integers(len(X))]]
    for _ in range(1, k):
        d2 = _sq(X, C).min(axis=1)
        pick = rng.choice(len(X), p=d2 / d2.sum()) if d2.sum() > 0 else rng.integers(len(X))
        C = np.vstack([C, X[pick]])
    return C


def _run(X, k, max_iter, rng):
    C = _plusplus(X, k, rng)
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
    C, labels, _ = min((_run(X, k, max_iter, rng) for _ in range(max(1, n_init))), key=lambda r: r[2])
    return C, labels.astype(np.int64)


def segment_image(image, k, seed=0):
    height, width = image.shape[:2]
    pixels = image.astype(np.float64)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(4):
        centroids = _plusplus(pixels.reshape(-1, 3), k, rng)
        labels = np.zeros((height, width), dtype=np.int64)
        for _ in range(100):
            changed = False
            for i in range(height):
                for j in range(width):
                    nearest = int(np.argmin(((centroids - pixels[i, j]) ** 2).sum(axis=1)))
                    if nearest != labels[i, j]:
                        labels[i, j] = nearest
                        changed = True
            for c in range(k):
                members = pixels[labels == c]
                if len(members):
                    centroids[c] = members.mean(axis=0)
            if not changed:
                break
        inertia = ((pixels - centroids[labels]) ** 2).sum()
        if best is None or inertia < best[0]:
            best = (inertia, labels.copy())
    return best[1]

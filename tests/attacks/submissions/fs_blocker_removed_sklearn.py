"""The attack of issue 8: take mlgrade's import blocker out of sys.meta_path, then import
scikit-learn under a name the static scan cannot read, and let its KMeans do the work.

With the blocker as the only defence this got 100/100. Expected: 0 points, because
scikit-learn is not in this exercise's sandbox at all.
"""

import sys

import numpy as np

sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "ImportBlocker"]
KMeans = __import__("sk" + "learn.cluster", fromlist=["KMeans"]).KMeans


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    model = KMeans(n_clusters=k, n_init=n_init, max_iter=max_iter, tol=tol, random_state=seed).fit(X)
    return model.cluster_centers_.astype(np.float64), model.labels_.astype(np.int64)


def segment_image(image, k, seed=0):
    h, w = image.shape[:2]
    return kmeans(image.reshape(-1, 3).astype(np.float64), k, seed=seed)[1].reshape(h, w)

"""Calls scikit-learn's KMeans, which the exercise forbids.

Expected: 0 points, with a report naming the forbidden import.
"""

import numpy as np
from sklearn.cluster import KMeans


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    model = KMeans(n_clusters=k, n_init=n_init, max_iter=max_iter, tol=tol, random_state=seed).fit(X)
    return model.cluster_centers_.astype(np.float64), model.labels_.astype(np.int64)


def segment_image(image, k, seed=0):
    h, w = image.shape[:2]
    return kmeans(image.reshape(-1, 3).astype(np.float64), k, seed=seed)[1].reshape(h, w)

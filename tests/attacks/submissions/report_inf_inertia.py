# Appended to the reference of 02-kmeans-segmentation. With the grader's 10 restarts, kmeans
# returns centroids that are huge but finite: the host's squared distances overflow to inf,
# so the measured inertia ratio is inf, which JSON cannot write.
import numpy as np

_reference_kmeans = globals()["kmeans"]


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    centroids, labels = _reference_kmeans(X, k, n_init=n_init, max_iter=max_iter, tol=tol, seed=seed)
    if n_init == 10:
        centroids = np.full_like(centroids, 1e200)
    return centroids, labels

"""Other ways to a forbidden K-Means once the import blocker is gone: scikit-learn loaded
straight from its files (``spec_from_file_location`` on its __init__.py), and scipy.cluster
(forbidden; scipy itself is allowed) reached by ``getattr`` on lazily loading scipy.

Expected: 0 points; every route fails and kmeans says how.
"""

import importlib.util
import os
import sys

import numpy as np

sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "ImportBlocker"]
FAILURES = []


def _sklearn_from_its_files():
    for folder in [p for p in sys.path if p and os.path.isdir(p)]:
        init = os.path.join(folder, "sk" + "learn", "__init__.py")
        if os.path.isdir(os.path.dirname(init)):
            spec = importlib.util.spec_from_file_location(
                "sk" + "learn", init, submodule_search_locations=[os.path.dirname(init)]
            )
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
            cluster = __import__(spec.name + ".cluster", fromlist=["KMeans"])
            return lambda X, k, seed: cluster.KMeans(n_clusters=k, n_init=4, random_state=seed).fit(X).labels_
    raise ImportError("no scikit-learn folder on sys.path")


def _scipy_cluster():
    vq = getattr(__import__("scipy"), "clu" + "ster").vq
    return lambda X, k, seed: vq.kmeans2(X, k, seed=seed, minit="++")[1]


for route in (_sklearn_from_its_files, _scipy_cluster):
    try:
        LABELS = route()
        break
    except Exception as exc:
        FAILURES.append(f"{route.__name__}: {type(exc).__name__}: {exc}")
else:
    LABELS = None


def kmeans(X, k, n_init=4, max_iter=100, tol=1e-4, seed=0):
    if LABELS is None:
        raise RuntimeError("no forbidden route worked: " + " | ".join(FAILURES))
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(LABELS(X, k, seed), dtype=np.int64)
    centroids = np.stack([X[labels == j].mean(axis=0) if (labels == j).any() else X[0] for j in range(k)])
    return centroids, labels


def segment_image(image, k, seed=0):
    h, w = image.shape[:2]
    return kmeans(image.reshape(-1, 3).astype(np.float64), k, seed=seed)[1].reshape(h, w)

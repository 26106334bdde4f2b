"""The reference with one mistake: monetary is the total spent, not the mean per transaction.
Only the two RFM checks fail (the grader hands choose_k and segment its own RFM table)."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score


def rfm_features(customer_id, day, amount, ref_day: int) -> tuple[np.ndarray, np.ndarray]:
    customer_id = np.asarray(customer_id)
    ids, index = np.unique(customer_id, return_inverse=True)
    n = len(ids)
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, index, np.asarray(day, dtype=np.int64))
    frequency = np.bincount(index, minlength=n).astype(np.float64)
    total = np.bincount(index, weights=np.asarray(amount, dtype=np.float64), minlength=n)
    features = np.column_stack([ref_day - last, frequency, total]).astype(np.float64)
    return ids.astype(np.int64), features


def _transform(features):
    features = np.asarray(features, dtype=np.float64)
    logs = np.column_stack(
        [
            np.log1p(np.maximum(features[:, 0], 0.0)),
            np.log(np.maximum(features[:, 1], 1e-12)),
            np.log(np.maximum(features[:, 2], 1e-12)),
        ]
    )
    std = logs.std(axis=0)
    return (logs - logs.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _kmeans(Z, k, seed):
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(Z)


def choose_k(features: np.ndarray, k_min: int = 2, k_max: int = 8, seed: int = 0) -> int:
    Z = _transform(features)
    scores = {k: silhouette_score(Z, _kmeans(Z, k, seed).labels_) for k in range(k_min, k_max + 1)}
    return int(max(scores, key=scores.get))


def segment(features: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    return _kmeans(_transform(features), k, seed).labels_.astype(np.int64)

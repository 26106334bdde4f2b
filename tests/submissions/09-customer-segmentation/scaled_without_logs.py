"""Baseline: correct RFM; choose_k and segment standardise the raw RFM columns, without a log
transform. The heavy right tails of frequency and money still pull the clusters: the ARI
earns part of its points; scaling alone does make the partition currency-free."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def rfm_features(customer_id, day, amount, ref_day):
    ids, index = np.unique(customer_id, return_inverse=True)
    last = np.full(len(ids), np.iinfo(np.int64).min)
    np.maximum.at(last, index, day)
    count = np.bincount(index).astype(np.float64)
    total = np.bincount(index, weights=amount)
    return ids.astype(np.int64), np.column_stack([ref_day - last, count, total / count]).astype(np.float64)


def _kmeans(X, k, seed):
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X).labels_


def choose_k(features, k_min=2, k_max=8, seed=0):
    features = StandardScaler().fit_transform(features)
    scores = {k: silhouette_score(features, _kmeans(features, k, seed)) for k in range(k_min, k_max + 1)}
    return max(scores, key=scores.get)


def segment(features, k, seed=0):
    return _kmeans(StandardScaler().fit_transform(features), k, seed).astype(np.int64)

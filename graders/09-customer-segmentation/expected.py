"""The host's own RFM table: what `rfm_features` must return, and what `choose_k` and
`segment` receive (so that a wrong `rfm_features` costs only its own checks)."""

import numpy as np


def rfm(customer_id, day, amount, ref_day):
    """ids ascending; columns recency (ref_day - last day), frequency (count), monetary (mean amount)."""
    ids, index = np.unique(np.asarray(customer_id), return_inverse=True)
    n = len(ids)
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, index, np.asarray(day, dtype=np.int64))
    count = np.bincount(index, minlength=n).astype(np.float64)
    total = np.bincount(index, weights=np.asarray(amount, dtype=np.float64), minlength=n)
    features = np.column_stack([ref_day - last, count, total / count]).astype(np.float64)
    return ids.astype(np.int64), features

"""Hidden data of 01-mlp-classifier. Lives only in the grader process on the host.

The digits ship inside scikit-learn, so a submission could carry a copy and look test images
up. The sandbox cannot read scikit-learn's data file, and every image here has its 64 pixels
in a hidden order (the same for train and test; a fully connected network does not care).
Neither stops a determined lookup: sorting each image's pixel values undoes any permutation,
and the 1,797 public digits fit in 56 KB of source. So the grader does not score what
`predict` says: it scores the parameters `params` holds after `fit`, by its own forward pass
(test_hidden.trained).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits

SEED = 84_213_577  # hidden: split, pixel order and gradient-check batches


@dataclass(frozen=True)
class Digits:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def hidden_digits(seed=SEED, test_fraction=0.2):
    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float64)
    y = digits.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    X = X[:, rng.permutation(X.shape[1])]
    order = rng.permutation(len(X))
    n_test = int(round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return Digits(X[train], y[train], X[test], y[test])


def gradient_batches(seed=SEED, n_batches=3, n=17):
    """Small random batches (inputs in [0, 1], labels of every class) for the exactness checks."""
    rng = np.random.default_rng(seed + 1)
    batches = []
    for _ in range(n_batches):
        X = rng.uniform(0.0, 1.0, (n, 64))
        y = np.concatenate([np.arange(10), rng.integers(0, 10, n - 10)]).astype(np.int64)
        batches.append((X, y))
    return batches

"""Hidden data of 03-cnn-shapes. Lives only in the grader process on the host.

The generator is public (exercises/03-cnn-shapes/tests/shapes.py: students may make as much
data as they like with it); what is hidden are the seeds. The training set and the test set
are two independent streams. The seeds are 128-bit so that a submission cannot find the test
stream by trying seeds against the images it is asked to label.
"""

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SLUG = "03-cnn-shapes"
TRAIN_SEED = 0x6B3E_91D2_0C47_A85F_13E6_D904_7F2B_C551  # hidden
TEST_SEED = 0x2F80_C4A7_5D19_E6B3_9A02_71FE_48C6_0D3B  # hidden, independent of TRAIN_SEED
N_TRAIN, N_TEST = 3000, 2000


def _public_generator():
    """The public ``shapes`` module, loaded from the exercise folder next to this grader's."""
    path = Path(__file__).resolve().parents[2] / "exercises" / SLUG / "tests" / "shapes.py"
    spec = importlib.util.spec_from_file_location("shapes_public_generator", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_shapes = _public_generator().make_shapes


@dataclass(frozen=True)
class Shapes:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def hidden_shapes(train_seed=TRAIN_SEED, test_seed=TEST_SEED, n_train=N_TRAIN, n_test=N_TEST):
    X_train, y_train = make_shapes(n_train, train_seed)
    X_test, y_test = make_shapes(n_test, test_seed)
    return Shapes(X_train, y_train, X_test, y_test)


def probe_batches(X, y, per_class=3, filler=53):
    """Images to label alone and inside two very different batches.

    Returns two disjoint groups of ``per_class`` test images of each class (their indices) and,
    for each group, a batch that holds it at known positions: the first group among ``filler``
    blank (all-zero) images, the second among ``filler`` images of a single other class. A
    model whose answer for an image depends on the rest of its batch (batch norm left in
    training mode, say) labels them differently. The groups are disjoint so that the grader
    can ask for both batches in one fresh sandbox without showing it any image twice.
    """
    groups = [
        np.concatenate([np.flatnonzero(y == c)[g * per_class : (g + 1) * per_class] for c in range(4)])
        for g in range(2)
    ]
    rest = np.setdiff1d(np.arange(len(X)), np.concatenate(groups))
    one_class = rest[y[rest] == 1][:filler]
    blank = np.zeros((filler,) + X.shape[1:], dtype=X.dtype)
    batches = []
    for group, fill in zip(groups, (blank, X[one_class])):
        batch = np.concatenate([X[group], fill])
        order = np.random.default_rng(len(batches)).permutation(len(batch))
        batch = batch[order]
        positions = np.argsort(order)[: len(group)]  # where each image of the group went
        batches.append((batch, positions))
    return groups, batches

"""Public checks of exercise 02: run them with `mlgrade check 02 solution.py`.

They run your code in the same sandbox as the grader, on public synthetic data made like the
hidden data (public seeds). The hidden grader runs the same kinds of checks on other images
and point clouds, with the thresholds of the README.
"""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from mlgrade.grading import as_array

LUMA = np.array([0.299, 0.587, 0.114])


def palette(rng, k):
    """k colours at least 100 apart in RGB, all of about the same brightness."""
    colours = []
    while len(colours) < k:
        c = rng.uniform(0.0, 255.0, 3)
        if 96 <= c.mean() <= 160 and 96 <= c @ LUMA <= 160 and all(np.linalg.norm(c - d) >= 100 for d in colours):
            colours.append(c)
    return np.array(colours)


def voronoi_image(height, width, k, seed):
    """A noisy Voronoi image: (H, W, 3) uint8 and its true regions (H, W)."""
    rng = np.random.default_rng(seed)
    colours = palette(rng, k)
    n_cells = 4 * k
    sites = rng.uniform(0.0, 1.0, (n_cells, 2)) * (height, width)
    cell_colour = rng.permutation(np.concatenate([np.arange(k), rng.integers(0, k, n_cells - k)]))
    yy, xx = np.mgrid[0:height, 0:width]
    d = (yy[..., None] - sites[:, 0]) ** 2 + (xx[..., None] - sites[:, 1]) ** 2
    truth = cell_colour[d.argmin(axis=2)]
    noisy = colours[truth] + rng.normal(0.0, 20.0, (height, width, 3))
    return np.clip(np.rint(noisy), 0, 255).astype(np.uint8), truth


def blobs(n, d, k, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 10.0, (k, d))
    return centres[rng.integers(0, k, n)] + rng.normal(0.0, 1.0, (n, d))


def unpack(result, X, k, strict=False):
    assert isinstance(result, (tuple, list)) and len(result) == 2, "kmeans must return (centroids, labels)"
    centroids = as_array(
        result[0], "kmeans (centroids)", shape=(k, X.shape[1]), **({"dtype": np.float64} if strict else {"kind": "f"})
    )
    labels = as_array(
        result[1], "kmeans (labels)", shape=(len(X),), **({"dtype": np.int64} if strict else {"kind": "iu"})
    )
    assert ((labels >= 0) & (labels < k)).all(), f"kmeans returned labels outside [0, {k})"
    return centroids.astype(np.float64), labels


@pytest.mark.points(1)
def test_shapes_and_dtypes(submission):
    """kmeans and segment_image return the right shapes and dtypes"""
    X = blobs(200, 4, 3, seed=0)
    unpack(submission.call("kmeans", X, 3), X, 3, strict=True)
    image, _ = voronoi_image(40, 56, 3, seed=1)
    labels = as_array(submission.call("segment_image", image, 3), "segment_image", shape=(40, 56), dtype=np.int64)
    assert ((labels >= 0) & (labels < 3)).all(), "segment_image returned labels outside [0, 3)"


@pytest.mark.points(1)
def test_fixed_point(submission):
    """with tol = 1e-10: labels are the nearest centroids, centroids the means of their points"""
    X = blobs(300, 2, 4, seed=2)
    centroids, labels = unpack(submission.call("kmeans", X, 4, tol=1e-10, max_iter=300), X, 4)
    d = ((X[:, None, :] - centroids[None]) ** 2).sum(axis=2)
    wrong = int((d[np.arange(len(X)), labels] > d.min(axis=1) + 1e-9 * (1 + d.max())).sum())
    assert wrong == 0, f"{wrong} point(s) are not labelled with their nearest centroid"
    for j in range(4):
        if (labels == j).any():
            gap = np.abs(centroids[j] - X[labels == j].mean(axis=0)).max()
            assert gap <= 1e-6 * (1 + np.abs(X).max()), f"centroid {j} is {gap:.3g} away from the mean of its points"


@pytest.mark.points(1)
def test_inertia_close_to_scikit_learn(submission, credit):
    """inertia within 1% of scikit-learn's KMeans(n_init=10) on the pixels of a public image"""
    image, _ = voronoi_image(60, 60, 5, seed=3)
    X = image.reshape(-1, 3).astype(np.float64)
    centroids, _ = unpack(submission.call("kmeans", X, 5, n_init=10, seed=0), X, 5)
    inertia = ((X[:, None, :] - centroids[None]) ** 2).sum(axis=2).min(axis=1).sum()
    with threadpool_limits(1):  # scikit-learn's threads are slow on a busy machine
        best = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X).inertia_
    credit.measure("inertia / scikit-learn's inertia", inertia / best, full_at=1.01, zero_at=1.10)


@pytest.mark.points(1)
def test_segmentation(submission, credit):
    """segmentation of a public image: adjusted Rand index against the true regions"""
    image, truth = voronoi_image(80, 96, 4, seed=4)
    labels = as_array(submission.call("segment_image", image, 4), "segment_image", shape=(80, 96), kind="iu")
    credit.measure(
        "adjusted Rand index", adjusted_rand_score(truth.ravel(), labels.ravel()), full_at=0.95, zero_at=0.80
    )


@pytest.mark.points(1)
def test_same_seed_same_result(submission):
    """the same seed gives the same result"""
    X = blobs(150, 3, 3, seed=5)
    first, again = (unpack(submission.call("kmeans", X, 3, seed=11), X, 3) for _ in range(2))
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1]), (
        "kmeans with seed=11 gave different results on two calls"
    )


@pytest.mark.points(1)
def test_degenerate_inputs(submission):
    """k = 1, duplicate points, empty clusters: no crash, no NaN"""
    X = blobs(50, 2, 2, seed=6)
    centroids, labels = unpack(submission.call("kmeans", X, 1), X, 1)
    assert np.allclose(centroids[0], X.mean(axis=0)) and (labels == 0).all(), "with k = 1 the centroid is the mean"
    same = np.tile([[10.0, 20.0, 30.0]], (8, 1))
    unpack(submission.call("kmeans", same, 3), same, 3)  # 8 copies of one point, 3 clusters


@pytest.mark.points(1)
def test_runtime(submission, credit, exercise):
    """segment_image on a 256x256 image within the time budget"""
    image, truth = voronoi_image(256, 256, 5, seed=7)
    submission.call("segment_image", image[:16, :16], 5)  # warm-up
    with submission.stopwatch() as segment_time:
        labels = submission.call("segment_image", image, 5, _timeout=exercise.budgets["segment_256"].zero_at)
    labels = as_array(labels, "segment_image", shape=(256, 256), kind="iu")
    assert adjusted_rand_score(truth.ravel(), labels.ravel()) >= 0.80, "the 256x256 segmentation does not work yet"
    credit.runtime("segment_image on a 256x256 image", segment_time.seconds, exercise.budgets["segment_256"])

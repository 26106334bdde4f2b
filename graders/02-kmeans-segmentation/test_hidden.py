"""Hidden grader of 02-kmeans-segmentation. Runs on the host; the submission runs in the sandbox.

Every number is computed here from raw outputs: distances, cluster means and inertia from the
returned centroids and labels, scikit-learn's inertia and the adjusted Rand index on the host.
The data (hidden images, their true regions, the point clouds) never enter the sandbox except
as the inputs of the calls; the truth never does.
"""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from mlgrade.grading import CallRaised, CallTimedOut, as_array, speed_counts_only_if

from data import blob_clouds, colour_clouds, runtime_image, segmentation_images

# The exactness checks ask for a fixed point: a tolerance no honest stopping rule reaches early.
FIXED_POINT = {"tol": 1e-10, "max_iter": 300}
INERTIA_RESTARTS = 10  # the same number of restarts as scikit-learn's KMeans(n_init=10)
INERTIA_FULL, INERTIA_ZERO = 1.01, 1.10
ARI_FULL, ARI_ZERO = 0.95, 0.80
RUNTIME_K = 5


def sq_distances(X, C):
    """(n, k) squared distances, computed directly (no cancellation)."""
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)


def checked_kmeans(result, X, k, what="kmeans", strict=False):
    """(centroids, labels) of a kmeans result, shapes checked; dtypes exactly when ``strict``."""
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        f"{what} must return a pair (centroids, labels); it returned {type(result).__name__}"
    )
    n, d = X.shape
    centroids = as_array(
        result[0], f"{what} (centroids)", shape=(k, d), **({"dtype": np.float64} if strict else {"kind": "f"})
    )
    labels = as_array(result[1], f"{what} (labels)", shape=(n,), **({"dtype": np.int64} if strict else {"kind": "iu"}))
    bad = (labels < 0) | (labels >= k)
    assert not bad.any(), f"{what} returned {int(bad.sum())} label(s) outside [0, {k}), e.g. {int(labels[bad][0])}"
    return centroids.astype(np.float64), labels.astype(np.int64)


def checked_segmentation(result, image, k, what="segment_image", strict=False):
    height, width = image.shape[:2]
    labels = as_array(result, what, shape=(height, width), **({"dtype": np.int64} if strict else {"kind": "iu"}))
    bad = (labels < 0) | (labels >= k)
    assert not bad.any(), f"{what} returned {int(bad.sum())} label(s) outside [0, {k})"
    return labels.astype(np.int64)


def sklearn_inertia(X, k, seed):
    """scikit-learn's best inertia of 10 greedy k-means++ starts. One OpenMP thread: on a busy
    machine its default threads spin against the other processes and take 40 times longer."""
    with threadpool_limits(1):
        return float(KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X).inertia_)


@pytest.fixture(scope="session")
def fixed_points(submission):
    """kmeans run to a fixed point on hidden colour clouds and on blobs in 2 and 5 dimensions."""
    clouds = colour_clouds()[:3] + blob_clouds()
    return [(X, k, submission.call("kmeans", X, k, seed=i, **FIXED_POINT)) for i, (X, k) in enumerate(clouds)]


@pytest.fixture(scope="session")
def segmentations(submission):
    """segment_image on every hidden image, with the default seed."""
    return [(img, submission.call("segment_image", img.image, img.k)) for img in segmentation_images()]


@pytest.mark.points(10)
def test_shapes_and_dtypes(fixed_points, segmentations):
    """kmeans and segment_image return arrays of the right shape, dtype and label range"""
    for X, k, result in fixed_points:
        checked_kmeans(
            result, X, k, f"kmeans on {X.shape[0]} points in {X.shape[1]} dimensions with k = {k}", strict=True
        )
    for img, result in segmentations:
        checked_segmentation(
            result,
            img.image,
            img.k,
            f"segment_image on a {img.image.shape[0]}x{img.image.shape[1]} image with k = {img.k}",
            strict=True,
        )


@pytest.mark.points(10)
def test_labels_are_nearest_centroids(fixed_points):
    """every label is its point's nearest centroid"""
    for X, k, result in fixed_points:
        centroids, labels = checked_kmeans(result, X, k)
        d = sq_distances(X, centroids)
        own = d[np.arange(len(X)), labels]
        best = d.min(axis=1)
        slack = 1e-9 * (1.0 + float((X**2).sum(axis=1).max()) + float((centroids**2).sum(axis=1).max()))
        wrong = np.flatnonzero(own > best + slack)
        if len(wrong):
            i = int(wrong[0])
            raise AssertionError(
                f"kmeans on {len(X)} points in {X.shape[1]} dimensions (k = {k}, tol = 1e-10): "
                f"{len(wrong)} point(s) are not labelled with their nearest centroid; e.g. point {i} "
                f"has label {int(labels[i])} at squared distance {own[i]:.4g}, but centroid "
                f"{int(d[i].argmin())} is at {best[i]:.4g}. Assign the labels from the final centroids."
            )


@pytest.mark.points(10)
def test_centroids_are_cluster_means(fixed_points):
    """every centroid is the mean of the points labelled with it"""
    for X, k, result in fixed_points:
        centroids, labels = checked_kmeans(result, X, k)
        tolerance = 1e-6 * (1.0 + float(np.abs(X).max()))
        for j in range(k):
            members = X[labels == j]
            if len(members) == 0:
                continue
            gap = float(np.abs(centroids[j] - members.mean(axis=0)).max())
            assert gap <= tolerance, (
                f"kmeans on {len(X)} points in {X.shape[1]} dimensions (k = {k}, tol = 1e-10): "
                f"centroid {j} is {gap:.3g} away from the mean of its {len(members)} points "
                f"(at most {tolerance:.2g} allowed). With tol = 1e-10 the iterations should stop at a "
                f"fixed point, where the centroids are the means of the returned labels."
            )


@pytest.mark.points(20)
def test_inertia_matches_scikit_learn(submission, credit):
    """inertia within 1% of scikit-learn's KMeans(n_init=10) on hidden colour clusters"""
    ratios = []
    for i, (X, k) in enumerate(colour_clouds()):
        result = submission.call("kmeans", X, k, n_init=INERTIA_RESTARTS, seed=i)
        centroids, _ = checked_kmeans(result, X, k, f"kmeans(X, {k}, n_init={INERTIA_RESTARTS})")
        inertia = float(sq_distances(X, centroids).min(axis=1).sum())
        ratios.append(inertia / sklearn_inertia(X, k, i))
    within = sum(r <= INERTIA_FULL for r in ratios)
    credit.note(
        f"{within} of {len(ratios)} hidden clouds within 1% of scikit-learn; inertia / scikit-learn's "
        f"per cloud: {', '.join(f'{r:.3f}' for r in ratios)}"
    )
    credit.measure("worst inertia / scikit-learn's inertia", max(ratios), full_at=INERTIA_FULL, zero_at=INERTIA_ZERO)
    if within < len(ratios):
        credit.note(
            "A ratio well above 1 means a local optimum: two centres share one colour cluster while "
            "another centre covers two. Better initialisation (k-means++) and restarts avoid it."
        )


@pytest.mark.points(25)
def test_segmentation_matches_true_regions(segmentations, credit):
    """segmentation of hidden images: adjusted Rand index against the true regions"""
    scores = []
    for img, result in segmentations:
        labels = checked_segmentation(
            result, img.image, img.k, f"segment_image on a {img.image.shape[0]}x{img.image.shape[1]} image"
        )
        scores.append(adjusted_rand_score(img.truth.ravel(), labels.ravel()))
    credit.note("adjusted Rand index per image: " + ", ".join(f"{s:.3f}" for s in scores))
    credit.measure(
        "mean adjusted Rand index on the hidden images", float(np.mean(scores)), full_at=ARI_FULL, zero_at=ARI_ZERO
    )


@pytest.mark.points(5)
def test_same_seed_same_result(submission):
    """the same seed gives the same result"""
    X, k = colour_clouds()[4]
    img = segmentation_images()[1]
    crop = np.ascontiguousarray(img.image[:48, :40])
    first = checked_kmeans(submission.call("kmeans", X, k, seed=7), X, k)
    first_labels = checked_segmentation(submission.call("segment_image", crop, img.k, seed=3), crop, img.k)
    # The second calls go to a fresh sandbox: a function that remembered what it returned would
    # pass a comparison within one sandbox with results no seed fixes. (No training here, so a
    # fresh sandbox costs only its start.)
    submission.restart()
    again = checked_kmeans(submission.call("kmeans", X, k, seed=7), X, k)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1]), (
        "kmeans(X, k, seed=7) returned different results in two fresh runs; the seed must fix every random choice"
    )
    again_labels = checked_segmentation(submission.call("segment_image", crop, img.k, seed=3), crop, img.k)
    assert np.array_equal(first_labels, again_labels), (
        "segment_image(image, k, seed=3) returned different labels in two fresh runs; the seed must fix every "
        "random choice"
    )


def degenerate_cases():
    rng = np.random.default_rng(5)
    blobs = blob_clouds()[0][0]
    three = rng.uniform(0.0, 255.0, (3, 3))
    repeated = np.repeat(three, [20, 15, 5], axis=0)[rng.permutation(40)]
    return [
        ("k = 1", blobs, 1),
        ("40 points with only 3 distinct values, k = 3", repeated, 3),
        ("40 points with only 3 distinct values, k = 5 (some clusters must be empty)", repeated, 5),
        ("12 copies of one point, k = 4", np.tile(three[:1], (12, 1)), 4),
        ("as many clusters as points, k = n = 6", rng.normal(0.0, 1.0, (6, 2)), 6),
    ]


@pytest.mark.points(10)
def test_degenerate_inputs(submission):
    """k = 1, duplicate points and empty clusters: no crash, no NaN"""
    for name, X, k in degenerate_cases():
        what = f"kmeans on {name}"
        try:
            result = submission.call("kmeans", X, k, seed=0)
        except CallRaised as exc:
            raise AssertionError(f"{what}: {exc}") from None
        centroids, labels = checked_kmeans(result, X, k, what)
        if k == 1:
            assert (labels == 0).all(), f"{what}: some labels are not 0"
            gap = float(np.abs(centroids[0] - X.mean(axis=0)).max())
            assert gap <= 1e-6 * (1.0 + float(np.abs(X).max())), (
                f"{what}: the centroid is {gap:.3g} away from the mean of all points"
            )
    flat = np.full((24, 32, 3), (90, 160, 40), dtype=np.uint8)
    checked_segmentation(
        submission.call("segment_image", flat, 3, seed=0), flat, 3, "segment_image on an image of one colour with k = 3"
    )


@pytest.mark.points(10)
def test_segmentation_runtime(submission, credit, exercise):
    """segment_image on a 256x256 image runs within the time budget (vectorised)"""
    budget = exercise.budgets["segment_256"]
    img = runtime_image()
    small = segmentation_images()[0]
    # Warm-up, so that nothing is imported or allocated for the first time in the timed call.
    submission.call("segment_image", np.ascontiguousarray(small.image[:16, :16]), small.k)
    try:
        # A call that runs past the zero point cannot earn anything: it is stopped there.
        with submission.stopwatch() as segment_time:
            result = submission.call("segment_image", img.image, RUNTIME_K, _timeout=budget.zero_at)
    except CallTimedOut as exc:
        raise AssertionError(
            f"segment_image on a 256x256 image, k = 5, was stopped at the budget's zero point: {exc}. "
            f"Is there a Python loop over the pixels? Compute all distances with array operations."
        ) from None
    labels = checked_segmentation(result, img.image, RUNTIME_K, "segment_image on a 256x256 image")
    score = adjusted_rand_score(img.truth.ravel(), labels.ravel())
    speed_counts_only_if(
        score >= ARI_ZERO,
        f"a segmentation that works (adjusted Rand index {ARI_ZERO} or more)",
        f"adjusted Rand index {score:.3f} on the 256x256 image",
    )
    credit.runtime("segment_image on a 256x256 image, k = 5,", segment_time.seconds, budget)

"""Hidden grader of 07-gan-digits. Runs on the host; the submission runs in the sandbox.

The trained generator stays in the sandbox. The host draws the latent vectors, gets images
back, and judges only those images: in the feature space of a classifier it trains itself on
digits the sandbox never sees (Frechet distance, class coverage, confidence), and against all
1797 public digits for near-copies. Near-copies earn none of the quality points: copying real
digits (from the training split or carried in the source) would otherwise score best of all.
"""

import numpy as np
import pytest

from mlgrade.grading import artifacts_folder, as_array, speed_counts_only_if

from data import N_SAMPLES, hidden_digits, hidden_judge, judge, latents
from picture import save_grid

TRAIN_TIMEOUT = 300  # reference-machine seconds for train_gan: a watchdog (the reference takes about 16 s)
GENERATE_TIMEOUT = 20
FD_FULL, FD_ZERO = 2.2, 3.2
CLASSES_FULL, CLASSES_ZERO = 8, 5  # classes holding at least judge.MIN_SHARE of the samples
CONFIDENCE_FULL, CONFIDENCE_ZERO = 0.80, 0.70
COPIES_FULL, COPIES_MAX = 0.10, 0.25  # share of near-copies; above COPIES_MAX, no quality points
RANGE_TOLERANCE = 1e-5  # float32 rounding of a tanh output
SAME_TOLERANCE = 1e-4  # the same z must give the same image, alone or in a batch
DISTINCT_MIN = 0.95  # share of the samples unlike every other (max pixel gap 1e-3)
PICTURE = "samples.png"


@pytest.fixture(scope="session")
def digits():
    return hidden_digits()


@pytest.fixture(scope="session")
def trained(submission, digits):
    """Train once on the training split and generate the hidden latents, in one timed block
    (so that no training can hide in the first generate call)."""
    z = latents()
    with submission.stopwatch() as train_time:
        generator = submission.call("train_gan", digits.train, seed=0, _timeout=TRAIN_TIMEOUT)
        images = submission.call("generate", generator, z, _timeout=GENERATE_TIMEOUT)
    return {"generator": generator, "z": z, "images": images, "seconds": train_time.seconds}


@pytest.fixture(scope="session")
def samples(trained):
    """The generated images as (N, 1, 8, 8) floats; saved as a picture when the runner asks."""
    images = as_array(
        trained["images"], f"generate on {N_SAMPLES} latent vectors", shape=(N_SAMPLES, 1, 8, 8), kind="f"
    )
    folder = artifacts_folder()
    if folder:
        save_grid(images, folder, PICTURE)
    return images.astype(np.float64)


@pytest.fixture(scope="session")
def scores(samples, digits):
    """What the host measures on the samples (clipped to [-1, 1]: the range has its own check)."""
    return hidden_judge(digits).score(np.clip(samples, -1.0, 1.0))


def looks_like_digits(scores):
    """The gate of the coverage, memorisation and speed checks: noise is spread over the
    classes and copies nothing, blends of several digits are neither copies nor digits, but
    none of them earns points for that."""
    assert scores.fd < FD_ZERO and scores.confidence > CONFIDENCE_ZERO, (
        f"not scored: this check only counts for samples that look like digits (Frechet distance "
        f"below {FD_ZERO} and mean confidence above {CONFIDENCE_ZERO}); yours reached "
        f"{scores.fd:.2f} and {scores.confidence:.3f}"
    )


def not_copied(scores):
    """The gate of the quality checks: near-copies of real digits earn none of their points."""
    assert scores.copy_share <= COPIES_MAX, (
        f"{scores.copy_share:.0%} of your samples are near-copies of real digits (at most {COPIES_MAX:.0%} "
        f"allowed): the quality checks only count for a generator that makes digits of its own"
    )


@pytest.mark.points(10)
def test_networks_build(submission):
    """Generator() maps (N, 32) latents to (N, 1, 8, 8); Discriminator() maps those to (N, 1)"""
    generator = submission.call("Generator")
    discriminator = submission.call("Discriminator")
    submission.call_method(generator, "eval")  # batch norm cannot use the statistics of one sample
    submission.call_method(discriminator, "eval")
    z = latents(7, stream=1)
    for n in (1, 7):
        as_array(
            submission.call_method(generator, "forward", z[:n], _tensors=True),
            f"Generator().forward on a float32 tensor of shape {z[:n].shape}",
            shape=(n, 1, 8, 8),
            kind="f",
        )
    images = np.random.default_rng(0).uniform(-1.0, 1.0, (7, 1, 8, 8)).astype(np.float32)
    as_array(
        submission.call_method(discriminator, "forward", images, _tensors=True),
        "Discriminator().forward on a float32 tensor of shape (7, 1, 8, 8)",
        shape=(7, 1),
        kind="f",
    )


@pytest.mark.points(10)
def test_generate_shape_and_range(samples, credit):
    """generate returns (N, 1, 8, 8) float images in [-1, 1]"""
    if artifacts_folder():
        credit.note("a picture of the first 100 samples is saved beside the report")
    low, high = float(samples.min()), float(samples.max())
    assert low >= -1.0 - RANGE_TOLERANCE and high <= 1.0 + RANGE_TOLERANCE, (
        f"the generated pixels range from {low:.4f} to {high:.4f}; they must lie in [-1, 1] like the "
        f"training images (a tanh output layer does that)"
    )


@pytest.mark.points(10)
def test_generate_is_a_function_of_z(submission, trained, samples):
    """the same z gives the same images, alone or in a batch; different z give different images"""
    z, generator = trained["z"], trained["generator"]
    again = as_array(submission.call("generate", generator, z), "generate, called again", shape=samples.shape, kind="f")
    gap = float(np.abs(again - samples).max())
    assert gap <= SAME_TOLERANCE, (
        f"generate gave other images for the same z the second time (largest pixel difference {gap:.4f}): "
        f"it must be a deterministic function of z (no random noise inside, the generator in eval mode)"
    )
    picked = np.array([3, 141, 592, 653, 1589])
    alone = np.concatenate(
        [
            as_array(
                submission.call("generate", generator, z[i : i + 1]), "generate on one z", shape=(1, 1, 8, 8), kind="f"
            )
            for i in picked
        ]
    )
    gap = float(np.abs(alone - samples[picked]).max())
    assert gap <= SAME_TOLERANCE, (
        f"the image of a z depends on the other z in the batch (largest pixel difference {gap:.4f} between "
        f"one z alone and inside a batch of {len(z)}): is batch norm still in training mode? Call eval()"
    )
    distinct = len(np.unique(np.round(samples.reshape(len(samples), 64), 3), axis=0)) / len(samples)
    assert distinct >= DISTINCT_MIN, (
        f"only {distinct:.0%} of {len(samples)} images from different z differ from all the others "
        f"(at least {DISTINCT_MIN:.0%} needed): the generator ignores much of z"
    )


@pytest.mark.points(10)
def test_no_memorisation(scores, credit):
    """the samples are not near-copies of real digits"""
    looks_like_digits(scores)
    credit.measure(
        "share of near-copies of the 1797 public digits among the samples",
        scores.copy_share,
        full_at=COPIES_FULL,
        zero_at=COPIES_MAX,
    )
    credit.note(
        f"a sample is a near-copy when its nearest public digit is closer than {judge.NEAR_RATIO} times the "
        f"second nearest, or when it lies on the segment between the two (closer to it than "
        f"{judge.ON_SEGMENT} times the second-nearest distance: a blend of two digits); the median "
        f"nearest / second-nearest ratio of your samples is {scores.median_ratio:.3f}"
    )


@pytest.mark.points(25)
def test_frechet_distance(scores, credit):
    """Frechet distance to held-out real digits in the features of the host's classifier"""
    not_copied(scores)
    credit.measure("Frechet distance to the held-out digits", scores.fd, full_at=FD_FULL, zero_at=FD_ZERO, fmt="{:.2f}")


@pytest.mark.points(15)
def test_class_coverage(scores, credit):
    """the samples cover the ten digit classes"""
    not_copied(scores)
    looks_like_digits(scores)
    credit.measure(
        f"classes that get at least {judge.MIN_SHARE:.0%} of the samples",
        scores.covered,
        full_at=CLASSES_FULL,
        zero_at=CLASSES_ZERO,
        fmt="{:.0f}",
    )
    credit.note("share of the samples per class 0-9: " + " ".join(f"{share:.3f}" for share in scores.shares))


@pytest.mark.points(10)
def test_classifier_confidence(scores, credit):
    """the host's classifier is confident about what digit each sample is"""
    not_copied(scores)
    credit.measure(
        "mean probability of the most likely class",
        scores.confidence,
        full_at=CONFIDENCE_FULL,
        zero_at=CONFIDENCE_ZERO,
    )


@pytest.mark.points(10)
def test_training_time(trained, scores, digits, credit, exercise):
    """train_gan and the first generate run within the time budget"""
    learns = scores.fd < FD_ZERO and scores.confidence > CONFIDENCE_ZERO and scores.copy_share <= COPIES_MAX
    speed_counts_only_if(
        learns,
        f"a generator that learns (Frechet distance below {FD_ZERO}, mean confidence above "
        f"{CONFIDENCE_ZERO}, at most {COPIES_MAX:.0%} near-copies)",
        f"Frechet distance {scores.fd:.2f}, confidence {scores.confidence:.3f}, {scores.copy_share:.0%} near-copies",
    )
    credit.runtime(
        f"train_gan on {len(digits.train)} digits, then generate on {N_SAMPLES} latents",
        trained["seconds"],
        exercise.budgets["train"],
    )

"""Public checks of exercise 07: run them with `mlgrade check 07 solution.py`.

They run your code in the same sandbox as the grader. The data are scikit-learn's 8x8 digits
scaled to [-1, 1], split here with a public seed; the hidden grader splits them with a hidden
one, draws its own latent vectors, and judges with the same code (judge.py) and thresholds.
"""

import numpy as np
import pytest

from mlgrade.grading import as_array

from judge import Judge, public_digits

SPLIT_SEED, Z_SEED = 2024, 7
N_TRAIN, N_SAMPLES, LATENT_DIM = 1200, 2000, 32
FD_FULL, FD_ZERO = 2.2, 3.2
CLASSES_FULL, CLASSES_ZERO = 8, 5
CONFIDENCE_FULL, CONFIDENCE_ZERO = 0.80, 0.70
COPIES_FULL, COPIES_MAX = 0.10, 0.25


@pytest.fixture(scope="session")
def split():
    X, y = public_digits()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(X))
    train, rest = order[:N_TRAIN], order[N_TRAIN:]
    return X[train].reshape(-1, 1, 8, 8).astype(np.float32), X[rest], y[rest], X


@pytest.fixture(scope="session")
def z():
    return np.random.default_rng(Z_SEED).standard_normal((N_SAMPLES, LATENT_DIM)).astype(np.float32)


@pytest.fixture(scope="session")
def samples(submission, split, z):
    generator = submission.call("train_gan", split[0], seed=0, _timeout=300)
    images = submission.call("generate", generator, z)
    return generator, as_array(images, f"generate on {N_SAMPLES} latents", shape=(N_SAMPLES, 1, 8, 8), kind="f")


@pytest.fixture(scope="session")
def scores(split, samples):
    _train, real, labels, public = split
    return Judge(real, labels, public).score(np.clip(samples[1], -1.0, 1.0))


@pytest.mark.points(1)
def test_networks_build(submission, z):
    """Generator() and Discriminator() build and map the shapes of the contract"""
    generator, discriminator = submission.call("Generator"), submission.call("Discriminator")
    submission.call_method(generator, "eval")
    submission.call_method(discriminator, "eval")
    images = as_array(
        submission.call_method(generator, "forward", z[:5], _tensors=True), "Generator().forward", shape=(5, 1, 8, 8)
    )
    as_array(
        submission.call_method(discriminator, "forward", images.astype(np.float32), _tensors=True),
        "Discriminator().forward",
        shape=(5, 1),
    )


@pytest.mark.points(1)
def test_generate(submission, samples, z):
    """generate: images in [-1, 1], the same z gives the same image alone or in a batch"""
    generator, images = samples
    assert images.min() >= -1.0 - 1e-5 and images.max() <= 1.0 + 1e-5, "pixels must lie in [-1, 1]"
    alone = as_array(submission.call("generate", generator, z[:1]), "generate on one z", shape=(1, 1, 8, 8))
    assert np.abs(alone - images[:1]).max() <= 1e-4, "the same z gave another image alone than in the batch"


@pytest.mark.points(1)
def test_quality(scores, credit):
    """near-copies, Frechet distance, class coverage and confidence on the public split"""
    credit.note(
        f"FD {scores.fd:.2f}, classes {scores.covered}, confidence {scores.confidence:.3f}, "
        f"near-copies {scores.copy_share:.1%} (shares per class: {np.round(scores.shares, 3).tolist()})"
    )
    assert scores.copy_share <= COPIES_MAX, f"{scores.copy_share:.0%} near-copies of real digits: no quality points"
    credit.measure("share of near-copies", scores.copy_share, full_at=COPIES_FULL, zero_at=COPIES_MAX)
    credit.measure("Frechet distance", scores.fd, full_at=FD_FULL, zero_at=FD_ZERO, fmt="{:.2f}")
    credit.measure("classes with 3% of the samples", scores.covered, full_at=CLASSES_FULL, zero_at=CLASSES_ZERO)
    credit.measure("mean confidence", scores.confidence, full_at=CONFIDENCE_FULL, zero_at=CONFIDENCE_ZERO)

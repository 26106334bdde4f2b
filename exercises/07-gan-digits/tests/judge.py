"""The judge of generated digits, the same in the grader and in the public checks.

The grader (on the host, never in the sandbox) trains a small classifier on digits the
sandbox never sees and measures generated samples in its feature space: the Frechet distance
to real digits, the share of each class, the mean confidence. It also finds near-copies of
the public digits. Plain numpy, so that the same numbers come out on every host.

A sample is a *near-copy* of the public digits when either
- its nearest public digit is much closer than the second nearest (distance ratio below
  NEAR_RATIO): an exact copy has ratio 0, a copy plus Gaussian noise of sigma 0.3 about 0.78,
  an honest GAN sample about 0.95; or
- it lies close to the segment between its two nearest public digits (segment distance /
  second-nearest distance below ON_SEGMENT): a blend of two digits has 0 there, while the
  plain ratio of a 50/50 blend is 1 (both digits are equally far).
Honest samples are sometimes near-copies by chance: what counts is their share.

The classifier (64 -> 64 tanh -> 10 softmax) is trained by full-batch Adam from a fixed
start: deterministic, and about a second of work, so it is trained anew for each grading.
"""

from dataclasses import dataclass

import numpy as np

NEAR_RATIO = 0.80
ON_SEGMENT = 0.30
PAIR_NEIGHBOURS = 10  # blends of any two of a sample's 10 nearest public digits count
MIN_SHARE = 0.03  # a class counts as covered from this share of the samples


def public_digits() -> tuple[np.ndarray, np.ndarray]:
    """Every public digit (scikit-learn's 1797) as (N, 64) float64 in [-1, 1], and its label."""
    from sklearn.datasets import load_digits  # on the host only: the sandbox cannot read it

    digits = load_digits()
    return digits.data / 8.0 - 1.0, digits.target.astype(np.int64)


HIDDEN = 64
STEPS = 300
LR = 0.02
WEIGHT_DECAY = 1e-3
CLASSIFIER_SEED = 7


@dataclass(frozen=True)
class Classifier:
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def features(self, X: np.ndarray) -> np.ndarray:
        """(N, 64) images in [-1, 1] -> (N, HIDDEN) hidden-layer activations."""
        return np.tanh(X @ self.W1 + self.b1)

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return _softmax(self.features(X) @ self.W2 + self.b2)


def _softmax(logits):
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def train_classifier(X: np.ndarray, y: np.ndarray) -> Classifier:
    """Full-batch Adam on cross-entropy plus a little weight decay; deterministic."""
    rng = np.random.default_rng(CLASSIFIER_SEED)
    params = [
        rng.normal(0.0, 1.0 / np.sqrt(X.shape[1]), (X.shape[1], HIDDEN)),
        np.zeros(HIDDEN),
        rng.normal(0.0, 1.0 / np.sqrt(HIDDEN), (HIDDEN, 10)),
        np.zeros(10),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    onehot = np.eye(10)[y]
    for step in range(1, STEPS + 1):
        W1, b1, W2, b2 = params
        hidden = np.tanh(X @ W1 + b1)
        delta = (_softmax(hidden @ W2 + b2) - onehot) / len(X)
        back = (delta @ W2.T) * (1.0 - hidden**2)
        grads = [X.T @ back + WEIGHT_DECAY * W1, back.sum(0), hidden.T @ delta + WEIGHT_DECAY * W2, delta.sum(0)]
        for p, g, (m, v) in zip(params, grads, moments):
            m[...] = 0.9 * m + 0.1 * g
            v[...] = 0.999 * v + 0.001 * g**2
            p -= LR * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return Classifier(*params)


def _sqrtm_psd(matrix):
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Frechet distance between Gaussians fitted to two feature sets (rows are samples)."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root_a = _sqrtm_psd(cov_a)
    cross = _sqrtm_psd(root_a @ cov_b @ root_a)
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2.0 * np.trace(cross))


def quality(classifier: Classifier, samples: np.ndarray, real: np.ndarray) -> dict:
    """FD to the real digits, class shares and mean confidence of (N, 64) generated samples."""
    probabilities = classifier.probabilities(samples)
    shares = np.bincount(probabilities.argmax(1), minlength=10) / len(samples)
    return {
        "fd": frechet_distance(classifier.features(samples), classifier.features(real)),
        "shares": shares,
        "confidence": float(probabilities.max(1).mean()),
    }


def copy_scores(samples: np.ndarray, public: np.ndarray, k: int = PAIR_NEIGHBOURS, chunk: int = 250) -> np.ndarray:
    """Per sample: distance to the nearest segment between two of its ``k`` nearest public
    digits, divided by the distance to the second-nearest public digit.

    0 for an exact copy and for any blend of two of those digits (a plain nearest /
    second-nearest distance ratio is 1 for a 50/50 blend of the two nearest: both are equally
    far); near the noise's share of the distance for a noisy copy; 0.6-0.9 for an honest sample.
    """
    public_sq = (public**2).sum(1)
    pairs = np.array([(i, j) for i in range(k) for j in range(i + 1, k)])
    scores = np.empty(len(samples))
    for start in range(0, len(samples), chunk):
        x = samples[start : start + chunk]
        squared = np.maximum((x**2).sum(1)[:, None] + public_sq[None, :] - 2.0 * x @ public.T, 0.0)
        nearest = np.argsort(squared, axis=1)[:, :k]
        second = np.sqrt(np.take_along_axis(squared, nearest[:, 1:2], 1)[:, 0])
        a, b = public[nearest[:, pairs[:, 0]]], public[nearest[:, pairs[:, 1]]]  # (n, pairs, 64)
        direction = b - a
        offset = x[:, None, :] - a
        t = np.clip((offset * direction).sum(2) / np.maximum((direction**2).sum(2), 1e-12), 0.0, 1.0)
        to_segment = np.linalg.norm(offset - t[:, :, None] * direction, axis=2).min(1)
        scores[start : start + chunk] = to_segment / np.maximum(second, 1e-12)
    return scores


def nearest_ratios(samples: np.ndarray, public: np.ndarray) -> np.ndarray:
    """Per sample: distance to the nearest public digit / distance to the second nearest."""
    squared = (samples**2).sum(1)[:, None] + (public**2).sum(1)[None, :] - 2.0 * samples @ public.T
    two = np.sqrt(np.maximum(np.sort(np.partition(squared, 1, axis=1)[:, :2], axis=1), 0.0))
    return two[:, 0] / np.maximum(two[:, 1], 1e-12)


@dataclass
class Scores:
    fd: float
    shares: np.ndarray  # (10,) share of the samples the classifier puts in each class
    confidence: float
    copy_share: float  # share of near-copies among the samples
    median_ratio: float  # median nearest / second-nearest distance ratio

    @property
    def covered(self) -> int:
        return int((self.shares >= MIN_SHARE).sum())


class Judge:
    """A classifier trained on ``real`` digits (N, 64) with labels, and the public digits."""

    def __init__(self, real: np.ndarray, labels: np.ndarray, public: np.ndarray):
        self.real = np.asarray(real, dtype=np.float64).reshape(len(real), 64)
        self.public = public
        self.classifier = train_classifier(self.real, labels)

    def score(self, images: np.ndarray) -> Scores:
        samples = np.asarray(images, dtype=np.float64).reshape(len(images), 64)
        ratios = nearest_ratios(samples, self.public)
        near = (ratios < NEAR_RATIO) | (copy_scores(samples, self.public) < ON_SEGMENT)
        q = quality(self.classifier, samples, self.real)
        return Scores(q["fd"], q["shares"], q["confidence"], float(near.mean()), float(np.median(ratios)))

    def summary(self, images: np.ndarray) -> str:
        s = self.score(images)
        return (
            f"FD {s.fd:6.2f}  classes {s.covered:2d} (min share {s.shares.min():.3f})  "
            f"confidence {s.confidence:.3f}  near-copies {s.copy_share:.3f}  NN ratio {s.median_ratio:.3f}"
        )

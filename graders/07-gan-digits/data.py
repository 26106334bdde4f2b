"""Hidden data of 07-gan-digits. Lives only in the grader process on the host.

scikit-learn's 8x8 digits (1797 images), scaled from 0..16 to [-1, 1], split with a hidden
seed: the training split is sent to the sandbox (``train_gan`` needs it; the sandbox cannot
read scikit-learn's data file), the held-out split stays here, where the host trains its
feature classifier on it and compares the generated images with it. The latent vectors the
host sends to ``generate`` are drawn from another hidden seed.
"""

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEED = 0x5A1C_07D3_88E2_4B19  # hidden: the split
Z_SEED = 0x3E6B_F019_2C7A_D845  # hidden: the latent vectors the host sends
LATENT_DIM = 32
N_TRAIN = 1200  # sent to the sandbox; the other 597 are held out
N_SAMPLES = 2000  # images the host asks generate for
SLUG = "07-gan-digits"


def _public_judge():
    """The public ``judge`` module, loaded from the exercise folder next to this grader's."""
    path = Path(__file__).resolve().parents[2] / "exercises" / SLUG / "tests" / "judge.py"
    spec = importlib.util.spec_from_file_location("gan_digits_public_judge", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


judge = _public_judge()
public_digits = judge.public_digits


@dataclass(frozen=True)
class Digits:
    train: np.ndarray  # (N_TRAIN, 1, 8, 8) float32 in [-1, 1]
    held_out: np.ndarray  # (rest, 1, 8, 8) float32 in [-1, 1]
    held_out_labels: np.ndarray  # (rest,) int64
    public: np.ndarray  # all 1797 public digits (N, 64) float64, for the memorisation check


def hidden_digits(seed=SEED, n_train=N_TRAIN) -> Digits:
    X, y = public_digits()
    order = np.random.default_rng(seed).permutation(len(X))
    train, rest = order[:n_train], order[n_train:]
    images = X.reshape(-1, 1, 8, 8).astype(np.float32)
    return Digits(images[train], images[rest], y[rest], X)


def latents(n=N_SAMPLES, seed=Z_SEED, stream=0) -> np.ndarray:
    """Standard normal latent vectors (n, LATENT_DIM) float32; ``stream`` gives independent sets."""
    rng = np.random.default_rng([seed, stream])
    return rng.standard_normal((n, LATENT_DIM)).astype(np.float32)


def hidden_judge(digits: Digits):
    """The host's judge: a classifier trained on the held-out split, and all public digits."""
    return judge.Judge(digits.held_out, digits.held_out_labels, digits.public)

"""Exercise 03, an attack on a self-reported fact: `describe` replaced inside the sandbox.

The model is a plain MLP of about 1.5 million parameters (no convolution, three times the
allowed size); at import the submission replaces the harness's `describe` (the sandbox runs it
in the same process) with one that reports a small CNN. The grader that counted what the
sandbox said gave it the Conv2d and the size points (40 in all); now what it says is shown for
information and earns nothing: 25, the same as the honest MLP (output shapes and batch
independence)."""

import sys

import numpy as np
import torch
from torch import nn


def _small_cnn(obj):
    return {
        "layers": ["Conv2d", "Flatten", "Linear", "ReLU", "Sequential"],
        "parameters": 24_000,
        "modules": ["Sequential"],
    }


sys.modules["__main__"].describe = _small_cnn  # the harness is __main__ in the sandbox


def build_model(num_classes: int = 4) -> torch.nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 1900), nn.ReLU(), nn.Linear(1900, num_classes))


def train(model, X: np.ndarray, y: np.ndarray, epochs: int = 15, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    X = torch.from_numpy(np.asarray(X, dtype=np.float32))
    y = torch.from_numpy(np.asarray(y, dtype=np.int64))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(3):  # a few epochs: it fails the accuracy anyway, and the test is quicker
        for batch in torch.randperm(len(X)).split(64):
            loss = nn.functional.cross_entropy(model(X[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def predict(model, X: np.ndarray) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(np.asarray(X, dtype=np.float32))).argmax(1).numpy().astype(np.int64)

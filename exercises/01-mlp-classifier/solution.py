"""Exercise 01: a neural network from scratch, with NumPy only.

Implement every method below. Keep the names and signatures: the grader calls them.
Run the public checks with:  mlgrade check 01 solution.py
"""

import numpy as np


class MLP:
    """A one-hidden-layer network: ReLU hidden layer, softmax output."""

    def __init__(self, n_inputs: int, n_hidden: int, n_classes: int, seed: int = 0):
        """Initialise self.params, a dict of float arrays:
        "W1" (n_inputs, n_hidden), "b1" (n_hidden,), "W2" (n_hidden, n_classes), "b2" (n_classes,).
        The same seed must give the same parameters."""
        raise NotImplementedError

    def forward(self, X) -> np.ndarray:
        """(n, n_inputs) -> (n, n_classes) softmax probabilities."""
        raise NotImplementedError

    def loss_and_grads(self, X, y) -> tuple[float, dict]:
        """Mean cross-entropy of forward(X) against integer labels y (no regularisation),
        and its gradients with respect to each parameter, keyed like self.params."""
        raise NotImplementedError

    def fit(self, X, y, epochs: int = 40, lr: float = 0.1, batch_size: int = 32) -> "MLP":
        """Mini-batch gradient descent on (X, y). Returns self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """(n, n_inputs) -> (n,) int64 predicted classes."""
        raise NotImplementedError

"""Reference solution of 01-mlp-classifier (hidden: never shipped to students)."""

import numpy as np


class MLP:
    def __init__(self, n_inputs: int, n_hidden: int, n_classes: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": rng.normal(0.0, np.sqrt(2.0 / n_inputs), (n_inputs, n_hidden)),
            "b1": np.zeros(n_hidden),
            "W2": rng.normal(0.0, np.sqrt(1.0 / n_hidden), (n_hidden, n_classes)),
            "b2": np.zeros(n_classes),
        }
        self.seed = seed

    def _forward(self, X):
        p = self.params
        z1 = X @ p["W1"] + p["b1"]
        h = np.maximum(z1, 0.0)
        logits = h @ p["W2"] + p["b2"]
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return z1, h, e / e.sum(axis=1, keepdims=True)

    def forward(self, X):
        return self._forward(np.asarray(X, dtype=np.float64))[2]

    def loss_and_grads(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.int64)
        n = X.shape[0]
        z1, h, probs = self._forward(X)
        loss = float(-np.log(np.clip(probs[np.arange(n), y], 1e-300, None)).mean())
        d_logits = probs.copy()
        d_logits[np.arange(n), y] -= 1.0
        d_logits /= n
        d_h = d_logits @ self.params["W2"].T
        d_z1 = d_h * (z1 > 0)
        grads = {
            "W1": X.T @ d_z1,
            "b1": d_z1.sum(axis=0),
            "W2": h.T @ d_logits,
            "b2": d_logits.sum(axis=0),
        }
        return loss, grads

    def fit(self, X, y, epochs: int = 40, lr: float = 0.1, batch_size: int = 32):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.int64)
        rng = np.random.default_rng(self.seed)
        for _ in range(epochs):
            order = rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                batch = order[start : start + batch_size]
                _, grads = self.loss_and_grads(X[batch], y[batch])
                for name, grad in grads.items():
                    self.params[name] -= lr * grad
        return self

    def predict(self, X):
        return self.forward(X).argmax(axis=1).astype(np.int64)

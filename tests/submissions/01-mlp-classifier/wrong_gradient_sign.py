"""A plausible mistake: every gradient has the wrong sign (fit climbs the loss).

Expected: loses the gradient check and the three checks on the trained model (fit climbs
until params overflow to NaN); keeps the parameter shapes, forward and predict checks: 30 / 100.
"""

import numpy as np


def _log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


class MLP:
    def __init__(self, n_inputs, n_hidden, n_classes, seed=0):
        rng = np.random.RandomState(seed)
        limit1 = np.sqrt(6.0 / (n_inputs + n_hidden))
        limit2 = np.sqrt(6.0 / (n_hidden + n_classes))
        self.params = {
            "W1": rng.uniform(-limit1, limit1, (n_inputs, n_hidden)).astype(np.float32),
            "b1": np.zeros(n_hidden, dtype=np.float32),
            "W2": rng.uniform(-limit2, limit2, (n_hidden, n_classes)).astype(np.float32),
            "b2": np.zeros(n_classes, dtype=np.float32),
        }
        self._rng = rng

    def _hidden(self, X):
        pre = X.astype(np.float32) @ self.params["W1"] + self.params["b1"]
        return pre, np.where(pre > 0, pre, 0).astype(np.float32)

    def forward(self, X):
        _, h = self._hidden(X)
        return np.exp(_log_softmax(h @ self.params["W2"] + self.params["b2"]))

    def loss_and_grads(self, X, y):
        y = np.asarray(y)
        pre, h = self._hidden(X)
        log_p = _log_softmax(h @ self.params["W2"] + self.params["b2"])
        n = len(y)
        loss = -log_p[np.arange(n), y].sum() / n
        delta = -np.exp(log_p)
        delta[np.arange(n), y] += 1
        delta /= n
        back = (delta @ self.params["W2"].T) * (pre > 0)
        grads = {
            "W2": h.T @ delta,
            "b2": delta.sum(axis=0),
            "W1": X.astype(np.float32).T @ back,
            "b1": back.sum(axis=0),
        }
        return float(loss), grads

    def fit(self, X, y, epochs=40, lr=0.1, batch_size=32):
        for epoch in range(epochs):
            idx = self._rng.permutation(len(X))
            for i in range(0, len(X), batch_size):
                b = idx[i : i + batch_size]
                _, grads = self.loss_and_grads(X[b], y[b])
                for key in self.params:
                    self.params[key] = self.params[key] - lr * grads[key].astype(np.float32)
        return self

    def predict(self, X):
        return np.argmax(self.forward(X), axis=1).astype(np.int64)

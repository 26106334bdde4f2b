"""Public checks of exercise 01: run them with `mlgrade check 01 solution.py`.

They run your code in the same sandbox as the grader, on public synthetic data. The hidden
grader runs the same kinds of checks on the real (hidden) digits data.
"""

import numpy as np
import pytest

from mlgrade.grading import as_array, as_number, relative_error

SHAPES = {"W1": (64, 16), "b1": (16,), "W2": (16, 10), "b2": (10,)}


def blobs(n, seed=0):
    """10 classes of 64-feature points in [0, 1], easy to separate."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0.2, 0.8, (10, 64))
    y = rng.integers(0, 10, n)
    X = np.clip(centres[y] + rng.normal(0, 0.1, (n, 64)), 0, 1)
    return X, y.astype(np.int64)


def softmax_net(params, X):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    z = h @ params["W2"] + params["b2"]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def params_of(submission, model):
    params = submission.get_attr(model, "params")
    assert isinstance(params, dict), "MLP.params must be a dict"
    return {k: as_array(params.get(k), f"MLP.params[{k!r}]", shape=s, kind="f") for k, s in SHAPES.items()}


@pytest.mark.points(1)
def test_parameter_shapes(submission):
    """MLP(64, 16, 10) has W1, b1, W2, b2 of the right shapes"""
    params_of(submission, submission.call("MLP", 64, 16, 10, seed=0))


@pytest.mark.points(1)
def test_forward_is_softmax_of_relu_net(submission):
    """forward is softmax(relu(X W1 + b1) W2 + b2)"""
    model = submission.call("MLP", 64, 16, 10, seed=0)
    X, _ = blobs(8)
    got = as_array(submission.call_method(model, "forward", X), "MLP.forward", shape=(8, 10), kind="f")
    error = relative_error(got, softmax_net(params_of(submission, model), X))
    assert error < 1e-6, f"MLP.forward differs from the formula by {error:.2e}"


@pytest.mark.points(1)
def test_gradients_match_finite_differences(submission):
    """loss_and_grads: the gradient of b2 matches finite differences of the loss"""
    model = submission.call("MLP", 64, 16, 10, seed=0)
    X, y = blobs(12, seed=1)
    params = params_of(submission, model)
    loss, grads = submission.call_method(model, "loss_and_grads", X, y)
    as_number(loss, "the loss")

    def ce(p):
        return -np.log(softmax_net(p, X)[np.arange(len(y)), y]).mean()

    numeric = np.zeros(10)
    for j in range(10):
        up = {k: v.astype(np.float64).copy() for k, v in params.items()}
        down = {k: v.astype(np.float64).copy() for k, v in params.items()}
        up["b2"][j] += 1e-5
        down["b2"][j] -= 1e-5
        numeric[j] = (ce(up) - ce(down)) / 2e-5
    got = as_array(grads.get("b2"), "the gradient 'b2'", shape=(10,), kind="f")
    assert relative_error(got, numeric) < 1e-4, f"grad b2 {np.round(got, 5)} != numeric {np.round(numeric, 5)}"


@pytest.mark.points(1)
def test_learns_blobs(submission, credit):
    """fit returns self and leaves params that classify easy blobs; predict uses them"""
    X, y = blobs(600, seed=2)
    model = submission.call("MLP", 64, 16, 10, seed=0)
    returned = submission.call_method(model, "fit", X[:500], y[:500], epochs=10)
    assert getattr(returned, "handle", None) is not None and returned.handle.id == model.handle.id, (
        "fit must return self"
    )
    # As in the hidden grader: the accuracy is that of the parameters fit leaves in params, run
    # here; predict only has to agree with them (near-ties may go either way).
    probs = softmax_net(params_of(submission, model), X[500:])
    pred = as_array(submission.call_method(model, "predict", X[500:]), "MLP.predict", shape=(100,), dtype=np.int64)
    accuracy = float((probs.argmax(axis=1) == y[500:]).mean())
    credit.measure("accuracy of your params on the public blobs", accuracy, full_at=0.9, zero_at=0.5)
    valid = (pred >= 0) & (pred < 10)
    chosen = probs[np.arange(100), np.where(valid, pred, 0)]
    assert (valid & (chosen >= probs.max(axis=1) - 1e-5)).all(), (
        "after fit, predict is not the argmax of the network in params"
    )

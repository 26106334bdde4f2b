"""Hidden grader of 01-mlp-classifier. Runs on the host; the submission runs in the sandbox.

Every number is computed here from raw outputs: the forward pass and the gradients are
recomputed from the parameters the submission returns, accuracy from its predictions.
"""

import numpy as np
import pytest

from mlgrade.grading import (
    as_array,
    as_number,
    relative_error,
    returns_self,
    speed_counts_only_if,
)

import expected
from data import gradient_batches, hidden_digits

N_INPUTS, N_HIDDEN, N_CLASSES = 64, 64, 10
SHAPES = {"W1": (N_INPUTS, N_HIDDEN), "b1": (N_HIDDEN,), "W2": (N_HIDDEN, N_CLASSES), "b2": (N_CLASSES,)}
GRAD_TOLERANCE = 1e-4
FORWARD_TOLERANCE = 1e-6


@pytest.fixture(scope="session")
def digits():
    return hidden_digits()


def fresh_params(submission, seed=0):
    """An untrained model and its parameters, checked against the contract's shapes."""
    model = submission.call("MLP", N_INPUTS, N_HIDDEN, N_CLASSES, seed=seed)
    params = submission.get_attr(model, "params")
    assert isinstance(params, dict), f"MLP.params is a {type(params).__name__}; expected a dict of arrays"
    missing = [k for k in SHAPES if k not in params]
    assert not missing, f"MLP.params has no {', '.join(missing)}; expected keys W1, b1, W2, b2"
    checked = {
        k: as_array(params[k], f"MLP.params[{k!r}]", shape=SHAPES[k], kind="f").astype(np.float64) for k in SHAPES
    }
    return model, checked


@pytest.fixture(scope="session")
def trained(submission, digits, exercise):
    """Fit once on the hidden training split; both the accuracy and runtime checks use it."""
    model = submission.call("MLP", N_INPUTS, N_HIDDEN, N_CLASSES, seed=0)
    with submission.stopwatch() as fit_time:
        returned = submission.call_method(model, "fit", digits.X_train, digits.y_train)
    predictions = submission.call_method(model, "predict", digits.X_test)
    predictions = as_array(predictions, "MLP.predict", shape=(len(digits.X_test),), kind="iu")
    accuracy = float((predictions == digits.y_test).mean())
    return {"model": model, "returned": returned, "seconds": fit_time.seconds, "accuracy": accuracy}


@pytest.mark.points(10)
def test_parameter_shapes(submission):
    """MLP.params has W1, b1, W2, b2 of the right shapes"""
    _, first = fresh_params(submission, seed=0)
    _, again = fresh_params(submission, seed=0)
    assert all(np.array_equal(first[k], again[k]) for k in SHAPES), (
        "MLP(..., seed=0) gave different parameters on two calls; the seed must fix the initialisation"
    )


@pytest.mark.points(15)
def test_forward_matches_parameters(submission):
    """forward returns the softmax of the ReLU network the parameters define"""
    model, params = fresh_params(submission, seed=3)
    for X, _ in gradient_batches():
        got = as_array(submission.call_method(model, "forward", X), "MLP.forward", shape=(len(X), N_CLASSES), kind="f")
        want = expected.forward(params, X)[2]
        error = relative_error(got, want)
        assert error <= FORWARD_TOLERANCE, (
            f"MLP.forward differs from softmax(relu(X @ W1 + b1) @ W2 + b2) computed from your own "
            f"params: relative error {error:.2e} (at most {FORWARD_TOLERANCE:g} allowed)"
            + (
                "; its rows do not sum to 1, is the softmax missing?"
                if not np.allclose(got.sum(axis=1), 1.0, atol=1e-6)
                else ""
            )
        )


@pytest.mark.points(25)
def test_loss_and_gradients(submission):
    """loss_and_grads returns the mean cross-entropy and its exact gradients"""
    model, params = fresh_params(submission, seed=4)
    for X, y in gradient_batches():
        result = submission.call_method(model, "loss_and_grads", X, y)
        assert isinstance(result, (tuple, list)) and len(result) == 2, (
            "MLP.loss_and_grads must return a pair (loss, grads)"
        )
        loss = as_number(result[0], "MLP.loss_and_grads (the loss)")
        grads = result[1]
        assert isinstance(grads, dict), "the gradients must be a dict keyed like params"
        want_loss, want_grads = expected.loss_and_grads(params, X, y)
        loss_error = abs(loss - want_loss) / max(abs(want_loss), 1e-12)
        assert loss_error <= GRAD_TOLERANCE, (
            f"the loss is {loss:.6f}; the mean cross-entropy of your forward pass is {want_loss:.6f} "
            f"(relative error {loss_error:.2e}, at most {GRAD_TOLERANCE:g} allowed)"
        )
        for name, shape in SHAPES.items():
            assert name in grads, f"the gradients have no {name!r}"
            got = as_array(grads[name], f"the gradient {name!r}", shape=shape, kind="f")
            error = relative_error(got, want_grads[name])
            hint = (
                " (it points the wrong way: check the sign)"
                if relative_error(-got, want_grads[name]) < GRAD_TOLERANCE
                else ""
            )
            assert error <= GRAD_TOLERANCE, (
                f"the gradient {name!r} differs from the analytic gradient of the loss: relative "
                f"error {error:.2e} (at most {GRAD_TOLERANCE:g} allowed){hint}"
            )


@pytest.mark.points(5)
def test_predict_contract(submission, digits):
    """predict returns one int64 class per row, the argmax of forward"""
    model, _ = fresh_params(submission, seed=5)
    X = digits.X_test[:23]
    predictions = as_array(submission.call_method(model, "predict", X), "MLP.predict", shape=(len(X),), dtype=np.int64)
    probs = as_array(submission.call_method(model, "forward", X), "MLP.forward", shape=(len(X), N_CLASSES), kind="f")
    assert np.array_equal(predictions, probs.argmax(axis=1)), "MLP.predict is not the argmax of MLP.forward"


@pytest.mark.points(35)
def test_hidden_accuracy(trained, credit):
    """accuracy on the hidden test set after fit"""
    credit.measure("accuracy on the hidden test set", trained["accuracy"], full_at=0.95, zero_at=0.85)


@pytest.mark.points(10)
def test_fit_runtime(trained, credit, exercise):
    """fit returns self and runs within the time budget"""
    returns_self(trained["returned"], trained["model"], "MLP.fit")
    speed_counts_only_if(
        trained["accuracy"] >= 0.85, "a fit that learns (accuracy 0.85 or more)", f"accuracy {trained['accuracy']:.3f}"
    )
    credit.runtime("MLP.fit on the training split", trained["seconds"], exercise.budgets["fit"])

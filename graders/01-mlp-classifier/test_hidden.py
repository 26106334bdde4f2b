"""Hidden grader of 01-mlp-classifier. Runs on the host; the submission runs in the sandbox.

Every number is computed here from raw outputs: the forward pass and the gradients are
recomputed from the parameters the submission returns, and the accuracy is that of the host's
own forward pass of the parameters ``params`` holds after ``fit`` (not what ``predict`` says).

The checks on the trained model come first: their fixture starts the first sandbox, so the
import it times costs no extra sandbox.
"""

import numpy as np
import pytest

from mlgrade.grading import (
    SubmissionError,
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
ACCURACY_FULL, ACCURACY_ZERO = 0.95, 0.85
# predict may pick either of two classes whose probabilities (by the host's float64 forward
# pass) are this close: a float32 forward pass rounds such near-ties either way.
TIE = 1e-5


@pytest.fixture(scope="session")
def digits():
    return hidden_digits()


def checked_params(params, when):
    """``MLP.params`` as float64 arrays of the contract's shapes, or an AssertionError."""
    assert isinstance(params, dict), f"MLP.params ({when}) is a {type(params).__name__}; expected a dict of arrays"
    missing = [k for k in SHAPES if k not in params]
    assert not missing, f"MLP.params ({when}) has no {', '.join(missing)}; expected keys W1, b1, W2, b2"
    return {
        k: as_array(params[k], f"MLP.params[{k!r}] ({when})", shape=SHAPES[k], kind="f").astype(np.float64)
        for k in SHAPES
    }


def fresh_params(submission, seed=0):
    """An untrained model and its parameters, checked against the contract's shapes."""
    model = submission.call("MLP", N_INPUTS, N_HIDDEN, N_CLASSES, seed=seed)
    return model, checked_params(submission.get_attr(model, "params"), "untrained")


@pytest.fixture(scope="session")
def trained(submission, digits):
    """Build, fit, fetch ``params`` and predict, timed together in a fresh sandbox.

    Scored is what the model IS: the accuracy comes from the host's own forward pass of the
    parameters ``params`` holds after ``fit``. The digits are public, so a ``predict`` that
    looks test images up in a copy carried inside the submission would otherwise score 1.0
    with no training at all. ``predict`` is only checked to agree with those parameters.

    Timed is all the work that produces the scored model: the import (a fresh sandbox, so the
    import runs inside the block: training done at import time is fit's work too), ``MLP``,
    ``fit``, reading ``params`` (a property that trains on first access is timed) and the
    first ``predict``.
    """
    submission.restart()
    with submission.stopwatch() as watch:
        model = submission.call("MLP", N_INPUTS, N_HIDDEN, N_CLASSES, seed=0)
        returned = submission.call_method(model, "fit", digits.X_train, digits.y_train)
        params = checked_params(submission.get_attr(model, "params"), "after fit")
        predicted = predictions_or_failure(submission, model, digits.X_test)
    probs = expected.forward(params, digits.X_test)[2]
    return {
        "model": model,
        "returned": returned,
        "seconds": watch.seconds,
        "probs": probs,
        "accuracy": float((probs.argmax(axis=1) == digits.y_test).mean()),
        "predicted": predicted,
    }


def predictions_or_failure(submission, model, X):
    """``predict`` on X, or the message of why it failed: a broken predict costs only the
    check that it agrees with the parameters, not the accuracy of those parameters."""
    try:
        return as_array(submission.call_method(model, "predict", X), "MLP.predict", shape=(len(X),), kind="iu")
    except (SubmissionError, AssertionError) as exc:
        return str(exc)


@pytest.mark.points(30)
def test_hidden_accuracy(trained, credit):
    """accuracy on the hidden test set of the parameters fit leaves in params"""
    credit.measure("accuracy on the hidden test set", trained["accuracy"], full_at=ACCURACY_FULL, zero_at=ACCURACY_ZERO)
    credit.note(
        "measured by the grader's own forward pass of the parameters in params after fit; predict is checked separately"
    )


@pytest.mark.points(5)
def test_predict_agrees_with_params(trained):
    """after fit, predict is the argmax of the network in params"""
    predicted, probs = trained["predicted"], trained["probs"]
    assert not isinstance(predicted, str), f"after fit, predict on the hidden test set failed: {predicted}"
    n = len(probs)
    valid = (predicted >= 0) & (predicted < N_CLASSES)
    chosen = probs[np.arange(n), np.where(valid, predicted, 0)]
    wrong = int((~valid | (chosen < probs.max(axis=1) - TIE)).sum())
    assert wrong == 0, (
        f"after fit, MLP.predict disagrees on {wrong} of {n} hidden test images with the argmax of "
        f"softmax(relu(X @ W1 + b1) @ W2 + b2) computed from your own params: predict must use the "
        f"parameters that params holds (the grader scores those parameters, not predict)"
    )


@pytest.mark.points(10)
def test_fit_runtime(trained, credit, exercise):
    """fit returns self and runs within the time budget"""
    returns_self(trained["returned"], trained["model"], "MLP.fit")
    speed_counts_only_if(
        trained["accuracy"] >= ACCURACY_ZERO,
        f"a fit that learns (accuracy {ACCURACY_ZERO} or more)",
        f"accuracy {trained['accuracy']:.3f}",
    )
    credit.runtime(
        "Importing solution.py, MLP(64, 64, 10), fit on the training split, reading params and the first predict",
        trained["seconds"],
        exercise.budgets["fit"],
    )


@pytest.mark.points(10)
def test_parameter_shapes(submission):
    """MLP.params has W1, b1, W2, b2 of the right shapes"""
    _, first = fresh_params(submission, seed=0)
    # The second model is built in a fresh sandbox: a class that remembers the parameters it
    # handed out would pass a comparison within one sandbox with an initialisation no seed fixes.
    submission.restart()
    _, again = fresh_params(submission, seed=0)
    assert all(np.array_equal(first[k], again[k]) for k in SHAPES), (
        "MLP(..., seed=0) gave different parameters in two fresh runs; the seed must fix the initialisation"
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

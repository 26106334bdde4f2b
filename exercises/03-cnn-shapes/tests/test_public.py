"""Public checks of exercise 03: run them with `mlgrade check 03 solution.py`.

They run your code in the same sandbox as the grader, on public data from shapes.py (the same
generator the grader uses, with public seeds). The hidden grader runs the same kinds of
checks with its own seeds; see README.md for its rubric.
"""

import numpy as np
import pytest

from mlgrade.grading import as_array

from shapes import make_shapes

TRAIN_SEED, TEST_SEED = 2024, 7


@pytest.fixture(scope="session")
def public_data():
    X_train, y_train = make_shapes(3000, TRAIN_SEED)
    X_test, y_test = make_shapes(1000, TEST_SEED)
    return X_train, y_train, X_test, y_test


@pytest.fixture(scope="session")
def trained(submission, public_data):
    X_train, y_train, _X_test, _y_test = public_data
    untrained = submission.call("build_model", 4)
    with submission.stopwatch() as train_time:
        model = submission.call("train", untrained, X_train, y_train, seed=0)
    assert getattr(model, "handle", None) is not None, f"train must return the trained model; it returned {model!r}"
    return model, train_time.seconds


@pytest.mark.points(1)
def test_output_shapes(submission, public_data):
    """build_model(4) maps (N, 1, 28, 28) to (N, 4) logits; predict gives (N,) int64"""
    X = public_data[2]
    model = submission.call("build_model", 4)
    submission.call_method(model, "eval")
    for n in (1, 7):
        as_array(
            submission.call_method(model, "forward", X[:n], _tensors=True),
            f"forward on a tensor of shape {X[:n].shape}",
            shape=(n, 4),
            kind="f",
        )
    as_array(submission.call("predict", model, X[:7]), "predict on 7 images", shape=(7,), dtype=np.int64)


@pytest.mark.points(0)
def test_structure(submission):
    """for information, 0 points: the model has a Conv2d and at most 500,000 parameters"""
    # Reported by the submission's own process, so, as in the hidden grader, worth no points.
    described = submission.describe(submission.call("build_model", 4))
    assert "Conv2d" in described["layers"], f"no torch.nn.Conv2d among the layers: {described['layers']}"
    assert 0 < described["parameters"] <= 500_000, f"{described['parameters']:,} parameters; at most 500,000 allowed"


@pytest.mark.points(1)
def test_label_does_not_depend_on_the_batch(submission, trained, public_data):
    """an image gets the same label alone and inside a batch of blank images"""
    model, _ = trained
    X = public_data[2][:8]
    alone = np.array(
        [
            as_array(submission.call("predict", model, X[i : i + 1]), "predict", shape=(1,), kind="iu")[0]
            for i in range(len(X))
        ]
    )
    batch = np.concatenate([X, np.zeros((56, 1, 28, 28), dtype=np.float32)])
    together = as_array(submission.call("predict", model, batch), "predict", shape=(64,), kind="iu")[:8]
    assert np.array_equal(alone, together), (
        f"labels alone {alone.tolist()} but {together.tolist()} inside a batch: is the model still in "
        f"training mode? Call model.eval() before predicting."
    )


@pytest.mark.points(1)
def test_public_accuracy(submission, trained, public_data, credit):
    """accuracy on public test images after train (the hidden check: full at 0.90)"""
    model, seconds = trained
    X_test, y_test = public_data[2], public_data[3]
    predictions = as_array(submission.call("predict", model, X_test), "predict", shape=(len(X_test),), kind="iu")
    credit.note(f"train took {seconds:.1f} s")
    credit.measure(
        "accuracy on the public test images", float((predictions == y_test).mean()), full_at=0.90, zero_at=0.70
    )

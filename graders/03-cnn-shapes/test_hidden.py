"""Hidden grader of 03-cnn-shapes. Runs on the host; the submission runs in the sandbox.

The trained model stays in the sandbox and is used by handle: the host sends images, gets
labels back, and computes accuracy itself. Structure (a Conv2d, the parameter count) is what
the sandbox reports about the model; it only decides the structure checks, never a score
that a student could raise by lying about it.
"""

import numpy as np
import pytest

from mlgrade.grading import as_array, speed_counts_only_if

from data import hidden_shapes, probe_batches

NUM_CLASSES = 4
MAX_PARAMETERS = 500_000
ACCURACY_FULL, ACCURACY_ZERO = 0.90, 0.70


@pytest.fixture(scope="session")
def shapes():
    return hidden_shapes()


@pytest.fixture(scope="session")
def untrained(submission):
    """``build_model(4)`` as it comes, and what the sandbox reports about its layers."""
    model = submission.call("build_model", NUM_CLASSES)
    return model, submission.describe(model)


@pytest.fixture(scope="session")
def trained(submission, shapes):
    """Train once on the hidden training set; the accuracy, batch and runtime checks share it."""
    model = submission.call("build_model", NUM_CLASSES)
    with submission.stopwatch() as train_time:
        returned = submission.call("train", model, shapes.X_train, shapes.y_train, seed=0)
    assert getattr(returned, "handle", None) is not None, (
        f"train must return the trained model (a torch.nn.Module); it returned {returned!r}"
    )
    predictions = as_array(
        submission.call("predict", returned, shapes.X_test), "predict", shape=(len(shapes.X_test),), kind="iu"
    )
    accuracy = float((predictions == shapes.y_test).mean())
    return {"model": returned, "seconds": train_time.seconds, "accuracy": accuracy}


@pytest.mark.points(10)
def test_output_shapes(submission, untrained, shapes):
    """build_model(4) maps (N, 1, 28, 28) to (N, 4) logits; predict gives (N,) int64"""
    model, _ = untrained
    submission.call_method(model, "eval")
    for n in (1, 7):
        X = shapes.X_test[:n]
        as_array(
            submission.call_method(model, "forward", X, _tensors=True),
            f"the model's forward on a float32 tensor of shape {X.shape}",
            shape=(n, NUM_CLASSES),
            kind="f",
        )
    labels = as_array(
        submission.call("predict", model, shapes.X_test[:7]), "predict on 7 images", shape=(7,), dtype=np.int64
    )
    assert ((labels >= 0) & (labels < NUM_CLASSES)).all(), (
        f"predict returned labels {sorted(set(labels.tolist()))}; they must be in 0..{NUM_CLASSES - 1}"
    )


@pytest.mark.points(10)
def test_has_a_convolution(untrained):
    """the model contains a Conv2d"""
    _, described = untrained
    assert "Conv2d" in described["layers"], (
        f"build_model(4) has no torch.nn.Conv2d; its layers are: {', '.join(described['layers']) or 'none'}"
    )


@pytest.mark.points(5)
def test_parameter_count(untrained):
    """the model has at most 500,000 parameters"""
    model, described = untrained
    count = described["parameters"]
    assert described["modules"], f"build_model(4) returned a {model.type_name}, not a torch.nn.Module"
    assert 0 < count <= MAX_PARAMETERS, (
        f"build_model(4) has {count:,} parameters; at most {MAX_PARAMETERS:,} are allowed"
    )


@pytest.mark.points(15)
def test_label_does_not_depend_on_the_batch(submission, trained, shapes):
    """an image gets the same label alone and inside any batch"""
    model = trained["model"]
    picked, batches = probe_batches(shapes.X_test, shapes.y_test)
    alone = np.array(
        [
            as_array(
                submission.call("predict", model, shapes.X_test[i : i + 1]),
                "predict on one image",
                shape=(1,),
                kind="iu",
            )[0]
            for i in picked
        ]
    )
    changed = []
    for (batch, positions), company in zip(batches, ("blank images", "squares")):
        labels = as_array(
            submission.call("predict", model, batch), f"predict on {len(batch)} images", shape=(len(batch),), kind="iu"
        )
        changed.append((int((labels[positions] != alone).sum()), len(batch), company))
    worst = max(c[0] for c in changed)
    assert worst == 0, (
        f"the label predict gives an image depends on the other images in the batch: of {len(picked)} "
        f"images predicted one at a time, "
        + " and ".join(f"{k} got another label inside a batch of {size} with {company}" for k, size, company in changed)
        + ". Is the model still in training mode (batch norm uses the batch's own statistics, dropout "
        "is random)? Call model.eval() before predicting."
    )


@pytest.mark.points(50)
def test_hidden_accuracy(trained, credit):
    """accuracy on the hidden test set after train"""
    credit.measure("accuracy on the hidden test set", trained["accuracy"], full_at=ACCURACY_FULL, zero_at=ACCURACY_ZERO)


@pytest.mark.points(10)
def test_training_time(trained, credit, exercise):
    """train runs within the time budget"""
    speed_counts_only_if(
        trained["accuracy"] >= ACCURACY_ZERO,
        f"a model that learns (accuracy {ACCURACY_ZERO} or more)",
        f"accuracy {trained['accuracy']:.3f}",
    )
    credit.runtime("train on the 3000 training images", trained["seconds"], exercise.budgets["train"])

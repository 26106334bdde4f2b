"""Hidden grader of 03-cnn-shapes. Runs on the host; the submission runs in the sandbox.

The trained model stays in the sandbox and is used by handle: the host sends images, gets
labels back, and computes accuracy itself. Structure (a Conv2d, the parameter count) is only
what the sandbox says about the model, which the submission controls (it can replace the
harness's `describe`): it is reported for information and worth no points. The points it
used to carry went to the accuracy, which is what a convolution buys here.

The checks on the trained model come first: their fixture starts the first sandbox, so the
import it times costs no extra sandbox. The batch check comes last, as it replaces the
sandbox (twice) and every model of the earlier ones goes stale.
"""

import numpy as np
import pytest

from mlgrade.grading import Remote, as_array, speed_counts_only_if

from data import hidden_shapes, probe_batches

NUM_CLASSES = 4
MAX_PARAMETERS = 500_000
ACCURACY_FULL, ACCURACY_ZERO = 0.90, 0.70
# The models of the batch check are trained in fresh sandboxes on the first PROBE_TRAIN
# training images: enough to label shapes, at a fifth of the cost of the full training.
PROBE_TRAIN = 600


@pytest.fixture(scope="session")
def shapes():
    return hidden_shapes()


@pytest.fixture(scope="session")
def trained(submission, shapes):
    """Build, train and predict the hidden test set, timed together in a fresh sandbox.

    Timed is all the work that produces the scored labels: the import (the generator is
    public, so a model could be trained at import time: a fresh sandbox puts the import inside
    the block), ``build_model``, ``train`` and the first ``predict`` (which a lazy ``train``
    could leave the training to).
    """
    submission.restart()
    with submission.stopwatch() as watch:
        model = submission.call("build_model", NUM_CLASSES)
        returned = submission.call("train", model, shapes.X_train, shapes.y_train, seed=0)
        assert isinstance(returned, Remote), (
            f"train must return the trained model (a torch.nn.Module); it returned {returned!r}"
        )
        predictions = as_array(
            submission.call("predict", returned, shapes.X_test), "predict", shape=(len(shapes.X_test),), kind="iu"
        )
    accuracy = float((predictions == shapes.y_test).mean())
    return {"model": returned, "seconds": watch.seconds, "accuracy": accuracy}


@pytest.fixture(scope="session")
def untrained(submission):
    """``build_model(4)`` as it comes."""
    return submission.call("build_model", NUM_CLASSES)


@pytest.mark.points(65)
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
    credit.runtime(
        "Importing solution.py, build_model, train on the 3000 training images and the first predict",
        trained["seconds"],
        exercise.budgets["train"],
    )


@pytest.mark.points(10)
def test_output_shapes(submission, untrained, shapes):
    """build_model(4) maps (N, 1, 28, 28) to (N, 4) logits; predict gives (N,) int64"""
    model = untrained
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


def reported_structure(described):
    """(layer names, parameter count or None) from a ``describe`` reply, read defensively: the
    reply comes from the sandbox, so it may be anything at all."""
    described = described if isinstance(described, dict) else {}
    layers = described.get("layers")
    layers = [str(x)[:40] for x in layers[:50]] if isinstance(layers, list) else []
    count = described.get("parameters")
    return layers, count if isinstance(count, int) and not isinstance(count, bool) else None


@pytest.mark.points(0)
def test_structure_as_reported(submission, untrained, credit):
    """for information, 0 points: the model has a Conv2d and at most 500,000 parameters"""
    layers, count = reported_structure(submission.describe(untrained))
    credit.note(
        "Reported by your own code in the sandbox, which the grader cannot verify: worth no points. "
        f"build_model(4) reports the layers {', '.join(layers) or 'none'} and "
        f"{'an unreadable number of' if count is None else f'{count:,}'} parameters."
    )
    assert "Conv2d" in layers, "build_model(4) has no torch.nn.Conv2d; the exercise asks for a convolutional network"
    assert count is not None and 0 < count <= MAX_PARAMETERS, (
        f"build_model(4) should have at most {MAX_PARAMETERS:,} parameters"
    )


def fresh_model(submission, shapes):
    """A model built and trained in a fresh sandbox, on the first PROBE_TRAIN training images.

    Every call is seeded, so each fresh sandbox trains the same model; and it remembers nothing
    of any earlier call (a cache of labels, a count of calls).
    """
    submission.restart()
    model = submission.call("build_model", NUM_CLASSES)
    return submission.call("train", model, shapes.X_train[:PROBE_TRAIN], shapes.y_train[:PROBE_TRAIN], seed=0)


def labels_of(submission, model, X, what):
    return as_array(submission.call("predict", model, X), what, shape=(len(X),), kind="iu")


@pytest.mark.points(15)
def test_label_does_not_depend_on_the_batch(submission, shapes):
    """an image gets the same label alone and inside any batch"""
    # Alone and in a batch, each image is shown to a sandbox that has never seen it: the images
    # alone in one fresh sandbox, the batches in another, with the same model. Within one
    # sandbox no order of the calls would do: a model that remembers the first label it gave
    # each image passes any comparison of a second answer with the first.
    groups, batches = probe_batches(shapes.X_test, shapes.y_test)
    model = fresh_model(submission, shapes)
    alone = [
        np.array([labels_of(submission, model, shapes.X_test[i : i + 1], "predict on one image")[0] for i in group])
        for group in groups
    ]
    model = fresh_model(submission, shapes)
    changed = []
    for (batch, positions), before, company in zip(batches, alone, ("blank images", "squares")):
        labels = labels_of(submission, model, batch, f"predict on {len(batch)} images")
        changed.append((int((labels[positions] != before).sum()), len(before), len(batch), company))
    assert max(c[0] for c in changed) == 0, (
        "the label predict gives an image depends on the other images in the batch: "
        + " and ".join(
            f"{k} of {n} images predicted one at a time got another label inside a batch of {size} with {company}"
            for k, n, size, company in changed
        )
        + ". Is the model still in training mode (batch norm uses the batch's own statistics, dropout "
        "is random)? Call model.eval() before predicting. (The grader trains the model for each "
        "way of asking in a fresh sandbox, with seed=0: train must give the same model each time.)"
    )

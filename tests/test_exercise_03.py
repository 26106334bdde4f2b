"""Exercise 03 graded end to end in the Docker sandbox: reference, stub, baselines, a bug and
an honest solution in another style.

Rubric, in the order the checks run: accuracy 65, training time 10, output shapes 10, structure
as the sandbox reports it 0 (for information: the Conv2d 10 and parameter-count 5 points it
carried moved to the accuracy, 50 -> 65), batch independence 15.
"""

import numpy as np
import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, load_module, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CASES = SUBMISSIONS / "03-cnn-shapes"
REFERENCE = ROOT / "graders" / "03-cnn-shapes" / "reference.py"
STUB = ROOT / "exercises" / "03-cnn-shapes" / "solution.py"
SHAPES, STRUCTURE, BATCH, ACCURACY, TIME = (
    "build_model(4) maps",
    "for information, 0 points",
    "an image gets the same label",
    "accuracy on the hidden",
    "train runs within",
)


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("03", root=ROOT)


def graded(exercise, source):
    return grade_submission(exercise, source, sandbox="docker")


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, (SHAPES, STRUCTURE, BATCH, ACCURACY, TIME))


def test_data_is_balanced_bounded_and_seeded():
    data = load_module(ROOT / "graders" / "03-cnn-shapes" / "data.py", "data_03")
    X, y = data.make_shapes(400, 5)
    assert X.shape == (400, 1, 28, 28) and X.dtype == np.float32 and y.dtype == np.int64
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert np.bincount(y, minlength=4).min() > 70
    again, _ = data.make_shapes(400, 5)
    other, _ = data.make_shapes(400, 6)
    assert np.array_equal(X, again) and not np.array_equal(X, other)
    assert data.TRAIN_SEED != data.TEST_SEED


def test_probe_batches_hold_the_picked_images_where_they_say():
    """Two disjoint groups of 3 images per class, each in a batch of its own: in a fresh sandbox
    both batches are asked for, and no image may be shown to it twice."""
    data = load_module(ROOT / "graders" / "03-cnn-shapes" / "data.py", "data_03")
    X, y = data.make_shapes(300, 9)
    groups, batches = data.probe_batches(X, y)
    assert not set(groups[0]) & set(groups[1])
    for group in groups:
        assert sorted(y[group].tolist()) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    for (batch, positions), group in zip(batches, groups):
        assert len(batch) == 65 and np.array_equal(batch[positions], X[group])
    assert not batches[0][0][np.setdiff1d(np.arange(65), batches[0][1])].any()  # the rest is blank
    squares = batches[1][0][np.setdiff1d(np.arange(65), batches[1][1])]
    assert not any(np.array_equal(square, X[i]) for square in squares for group in groups for i in group)


def test_reference_gets_full_marks(exercise, docker_client):
    report = graded(exercise, REFERENCE)
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    accuracy = check(report, ACCURACY).measured["value"]
    assert 0.95 <= accuracy <= 0.99, accuracy
    timing = check(report, TIME).measured
    assert timing["value"] <= timing["full_at"], timing
    structure = check(report, STRUCTURE)
    assert (structure.max_score, structure.status) == (0, "passed") and "Conv2d" in structure.output
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True
    assert report.versions["torch"].startswith("2.")


def test_untouched_stub_gets_zero_and_says_what_is_missing(exercise, docker_client):
    report = graded(exercise, STUB)
    assert report.score == 0 and report.max_score == 100 and len(report.tests) == 5
    assert all("`build_model` is not implemented yet" in t.output for t in report.tests), report.to_json()


@pytest.fixture(scope="module")
def mlp_report(exercise, docker_client):
    return graded(exercise, CASES / "mlp_no_conv.py")


def test_mlp_without_convolution_fails_accuracy_and_says_it_has_no_conv(mlp_report):
    """25: output shapes 10 and batch independence 15 (before: 30, with the 5 of the parameter
    count, which the sandbox reports and the grader cannot verify)."""
    report = mlp_report
    assert report.score == 25, report.to_json()
    assert lost(report) == {ACCURACY, TIME}
    structure = check(report, STRUCTURE)
    assert structure.max_score == 0 and structure.status == "failed"
    assert "no torch.nn.Conv2d" in structure.output and "cannot verify" in structure.output
    assert check(report, ACCURACY).measured["value"] < 0.70
    assert "speed only counts for a model that learns" in check(report, TIME).output


def test_batchnorm_left_in_train_mode_loses_only_batch_independence(exercise, docker_client):
    report = graded(exercise, CASES / "batchnorm_left_in_train_mode.py")
    assert report.score == 85, report.to_json()
    assert lost(report) == {BATCH}
    feedback = check(report, BATCH).output
    assert "inside a batch of 65 with blank images" in feedback and "model.eval()" in feedback


def test_an_honest_solution_in_another_style_gets_full_marks(exercise, docker_client):
    report = graded(exercise, CASES / "honest_sgd_batchnorm_avgpool.py")
    assert report.score == 100, report.to_json()


def test_same_submission_graded_twice_gets_the_same_score(exercise, mlp_report, docker_client):
    first, second = mlp_report, graded(exercise, CASES / "mlp_no_conv.py")
    assert [(t.name, t.score) for t in first.tests] == [(t.name, t.score) for t in second.tests]
    assert check(first, ACCURACY).measured == check(second, ACCURACY).measured

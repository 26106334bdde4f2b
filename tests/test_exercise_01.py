"""Exercise 01 graded end to end in the Docker sandbox: right, wrong and hostile submissions.

Rubric, in the order the checks run: accuracy of the params after fit 30 (computed on the host),
predict after fit agrees with them 5, fit runtime 10, shapes 10, forward 15, loss and gradients
25, predict 5. (Before the accuracy came from predict and was worth 35; the 5 points moved to
the new check that predict agrees with the parameters the grader scores.)
"""

import re
import shutil
import uuid

import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CASES = SUBMISSIONS / "01-mlp-classifier"
REFERENCE = ROOT / "graders" / "01-mlp-classifier" / "reference.py"
STUB = ROOT / "exercises" / "01-mlp-classifier" / "solution.py"
FORWARD, GRADS, PREDICT, ACCURACY, AGREES, RUNTIME = (
    "forward returns",
    "loss_and_grads",
    "predict returns",
    "accuracy on the hidden",
    "after fit, predict",
    "fit returns self",
)


@pytest.fixture(scope="module")
def exercise(tmp_path_factory):
    """Exercise 01 as shipped, but with a 15 s call limit so that the hanging cases are quick (and an
    allocation that meets the memory limit still ends in the kernel's OOM kill on a busy machine)."""
    root = tmp_path_factory.mktemp("content")
    for part in ("exercises", "graders"):
        shutil.copytree(
            ROOT / part / "01-mlp-classifier",
            root / part / "01-mlp-classifier",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    toml = root / "exercises" / "01-mlp-classifier" / "exercise.toml"
    toml.write_text(re.sub(r"call_timeout = \d+", "call_timeout = 15", toml.read_text()))
    return find_exercise("01", root=root)


def graded(exercise, tmp_path, source, appended=None, labels=None):
    text = source.read_text()
    if appended is not None:
        text += "\n\n" + appended.read_text().replace("GRADER_DIR", str(ROOT / "graders" / "01-mlp-classifier"))
    path = tmp_path / "solution.py"
    path.write_text(text)
    return grade_submission(exercise, path, sandbox="docker", labels=labels)


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return {t.name for t in report.tests if t.score < t.max_score}


def feedback(report, start):
    return next(t.output for t in report.tests if t.name.startswith(start))


def test_reference_gets_full_marks(exercise, tmp_path, docker_client):
    report = graded(exercise, tmp_path, REFERENCE)
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert "accuracy on the hidden test set: 0.9" in feedback(report, ACCURACY)
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True
    assert report.calibration["speed_factor"] > 0 and report.versions["numpy"]


def test_untouched_stub_gets_zero_and_says_what_is_missing(exercise, tmp_path, docker_client):
    report = graded(exercise, tmp_path, STUB)
    assert report.score == 0 and report.max_score == 100
    assert all("`MLP.__init__` is not implemented yet" in t.output for t in report.tests)


def test_an_honest_solution_in_another_style_gets_full_marks(exercise, tmp_path, docker_client):
    report = graded(exercise, tmp_path, CASES / "honest_float32_xavier.py")
    assert report.score == 100, report.to_json()


def test_wrong_gradient_sign_loses_gradients_accuracy_and_runtime(exercise, tmp_path, docker_client):
    """30: shapes 10, forward 15, predict 5. Climbing the loss overflows: fit leaves NaN in params,
    so the three checks on the trained model (accuracy, agreement, runtime) all fail."""
    report = graded(exercise, tmp_path, CASES / "wrong_gradient_sign.py")
    assert report.score == 30, report.to_json()
    assert {n.split(" ")[0] for n in lost(report)} == {"loss_and_grads", "accuracy", "after", "fit"}
    assert "check the sign" in feedback(report, GRADS)


def test_missing_softmax_loses_only_the_forward_check(exercise, tmp_path, docker_client):
    report = graded(exercise, tmp_path, CASES / "no_softmax.py")
    assert report.score == 85
    assert "softmax missing" in feedback(report, FORWARD)


def test_syntax_error_is_reported_with_its_line(exercise, tmp_path, docker_client):
    report = graded(exercise, tmp_path, CASES / "syntax_error.py")
    assert report.score == 0
    assert "SyntaxError" in report.tests[0].output and "line 5" in report.tests[0].output


# Each case: the file appended to the reference, the score it must get, and words its report must contain.
# A broken fit costs the three checks on the trained model (accuracy 30, agreement 5, runtime 10):
# 55. A predict that lies, hunts for labels or returns something unreadable after a good fit now
# costs only the 5 points of its agreement with the parameters: the accuracy is that of the
# parameters, computed on the host (before, these lost the 35 accuracy and 10 runtime points).
HOSTILE = [
    ("raises_at_import.py", 0, "could not be imported", "RuntimeError: model weights file missing"),
    ("sys_exit_at_import.py", 0, "could not be imported", "sys.exit(0)"),
    ("os_exit_at_import.py", 0, "could not be imported", "exited with code 0"),
    ("infinite_loop_in_fit.py", 55, ACCURACY, "did not finish within"),
    ("allocates_10gib_in_fit.py", 55, ACCURACY, "out of memory"),
    ("fork_bomb_in_fit.py", 55, ACCURACY, "MLP.fit"),
    ("prints_1gb_in_fit.py", 100, ACCURACY, "printed 1,07"),
    ("network_in_fit.py", 55, ACCURACY, "URLError"),
    ("reads_grader_files.py", 100, ACCURACY, "accuracy on the hidden test set"),
    ("stack_walker_in_predict.py", 95, AGREES, "disagrees on"),
    ("lying_eq_in_predict.py", 95, AGREES, "disagrees on"),
    ("object_array_in_predict.py", 95, AGREES, "ndarray(dtype=object)"),
    ("nan_in_forward.py", 80, FORWARD, "NaN"),
    ("huge_array_in_predict.py", 95, AGREES, "too large"),
    ("imports_torch.py", 0, "", "imports torch (line"),
    ("imports_sklearn_at_run_time.py", 0, "", "sklearn (at run time)"),
]


@pytest.mark.parametrize(("case", "score", "where", "words"), HOSTILE, ids=[c[0].removesuffix(".py") for c in HOSTILE])
def test_hostile_submission_gets_a_clear_report(case, score, where, words, exercise, tmp_path, docker_client):
    from mlgrade.sandbox.docker_backend import leftover_containers

    run = {"mlgrade.test": uuid.uuid4().hex}
    report = graded(exercise, tmp_path, REFERENCE, appended=CASES / "on_reference" / case, labels=run)
    assert report.score == score, report.to_json()
    assert len(report.tests) == 7, "every check must still be reported"
    text = (
        report.output
        if where == ""
        else feedback(report, where)
        if where in (FORWARD, ACCURACY, AGREES)
        else report.tests[0].output
    )
    assert words in text, text
    assert leftover_containers(docker_client, "mlgrade.test=" + run["mlgrade.test"]) == []


def test_same_submission_graded_twice_gets_the_same_score(exercise, tmp_path, docker_client):
    first = graded(exercise, tmp_path, CASES / "no_softmax.py")
    second = graded(exercise, tmp_path, CASES / "no_softmax.py")
    assert [(t.name, t.score) for t in first.tests] == [(t.name, t.score) for t in second.tests]
    assert first.score == second.score

"""Exercise 04 graded end to end in the Docker sandbox: reference, stub, baselines and bugs.

Rubric, in the order the checks run: hidden accuracy 35 (full at 0.90, none at 0.75), train
runtime 10, build_vocab 15, encode 15, forward shape 10, recurrent layer as the sandbox reports
it 0 (for information; its 5 points moved to the next check), alone vs. in a batch 15 (was 10).
"""

import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CASES = SUBMISSIONS / "04-rnn-sentiment"
REFERENCE = ROOT / "graders" / "04-rnn-sentiment" / "reference.py"
STUB = ROOT / "exercises" / "04-rnn-sentiment" / "solution.py"
VOCAB, ENCODE, FORWARD, RECURRENT, ALONE, ACCURACY, RUNTIME = (
    "build_vocab",
    "encode",
    "SentimentRNN.forward",
    "for information, 0 points",
    "predict returns",
    "accuracy on the hidden",
    "train runs",
)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, docker_client):
    """Grade a file once per module: several tests look at the same report."""
    reports = {}

    def run(source, prefix=""):
        key = (source, prefix)
        if key not in reports:
            path = tmp_path_factory.mktemp("submission") / "solution.py"
            path.write_text(prefix + source.read_text())
            reports[key] = grade_submission(find_exercise("04"), path, sandbox="docker")
        return reports[key]

    return run


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, (VOCAB, ENCODE, FORWARD, RECURRENT, ALONE, ACCURACY, RUNTIME))


def test_reference_gets_full_marks(graded):
    report = graded(REFERENCE)
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 7
    recurrent = check(report, RECURRENT)
    assert (recurrent.max_score, recurrent.status) == (0, "passed") and "LSTM" in recurrent.output
    accuracy = check(report, ACCURACY)
    assert accuracy.measured["value"] >= 0.99 and "single 1.000" in accuracy.output
    runtime = check(report, RUNTIME).measured
    assert 0 < runtime["value"] < runtime["full_at"] / 2, runtime  # the budget leaves room
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True


def test_untouched_stub_gets_zero_and_says_what_is_missing(graded):
    report = graded(STUB)
    assert report.score == 0 and report.max_score == 100
    assert all("is not implemented yet" in t.output for t in report.tests), report.to_json()
    assert "`SentimentRNN.__init__` is not implemented yet" in check(report, FORWARD).output
    assert "`train` is not implemented yet" in check(report, ACCURACY).output


def test_an_honest_solution_in_another_style_gets_full_marks(graded):
    """GRU over packed sequences, RMSprop, a (model, vocab) tuple as the classifier."""
    report = graded(CASES / "honest_gru_packed.py")
    assert report.score == 100, report.to_json()


def test_bag_of_words_fails_the_accuracy_threshold(graded):
    """55: build_vocab 15, encode 15, forward shape 10, alone vs. in a batch 15 (before: the same
    55 with 5 for the recurrent layer and 10 for the batch check)."""
    report = graded(CASES / "bag_of_words.py")
    assert report.score == 55, report.to_json()
    assert lost(report) == {ACCURACY, RUNTIME}
    accuracy = check(report, ACCURACY)
    assert accuracy.score == 0 and accuracy.measured["value"] < 0.6, accuracy.output
    assert "not scored" in check(report, RUNTIME).output


def test_left_padding_in_encode_loses_only_the_encode_check(graded):
    report = graded(CASES / "left_padding.py")
    assert report.score == 85, report.to_json()
    assert lost(report) == {ENCODE}
    assert "the padding goes on the right" in check(report, ENCODE).output


def test_a_model_that_reads_the_padding_loses_only_the_alone_in_a_batch_check(graded):
    """85: the batch check it loses is worth 15 now (10 before)."""
    report = graded(CASES / "mean_over_padding.py")
    assert report.score == 85, report.to_json()
    assert lost(report) == {ALONE}
    assert "got a different label alone than in a batch" in check(report, ALONE).output


def test_an_import_of_sklearn_gets_zero_although_torch_probes_for_it(graded):
    """torch looks for sklearn and pandas itself (building an optimiser): only the student's import counts."""
    report = graded(REFERENCE, prefix="from sklearn.linear_model import LogisticRegression  # noqa\n")
    assert report.score == 0 and len(report.tests) == 7
    assert "imports sklearn (line 1)" in report.output, report.to_json()


def test_same_submission_graded_twice_gets_the_same_report(graded, tmp_path):
    first = graded(CASES / "bag_of_words.py")
    path = tmp_path / "solution.py"
    path.write_text((CASES / "bag_of_words.py").read_text())
    second = grade_submission(find_exercise("04"), path, sandbox="docker")
    assert [(t.name, t.score) for t in first.tests] == [(t.name, t.score) for t in second.tests]
    assert check(first, ACCURACY).measured == check(second, ACCURACY).measured

"""Points rest only on what the host computes itself (issue 8, items 2, 7, 8, 9 and 11).

Each attack was reported against the graders of exercises 01, 03, 04, 06 and 09; each test
grades it, and a variant of our own, as an instructor does (``mlgrade grade``, JSON, in the
real Docker sandbox) and asserts exit 0, a written report and the exact score:

- item 2, public data a lookup matches: 01 scores the parameters ``params`` holds after
  ``fit`` (the host runs them), not what ``predict`` says;
- item 7, work moved out of the timed call: the import, training and first predictions are
  timed together;
- item 8, self-reported structure (``describe``): worth no points;
- item 9, feedback that names a hidden answer: choose_k's feedback names neither the sets'
  sizes nor their numbers of segments, and both sets are the same size;
- item 11, state across calls: comparisons of two answers ask each in a fresh sandbox.

Every submission is graded once per module (03, 04 and 06 train for several seconds).
"""

import importlib.util
import shutil

import pytest

from mlgrade.grading.report import Report

from helpers import ROOT, SUBMISSIONS, check, grade_with_cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ATTACKS = ROOT / "tests" / "attacks" / "submissions"
GRADERS = ROOT / "graders"
REFERENCE = {
    "01": GRADERS / "01-mlp-classifier" / "reference.py",
    "06": GRADERS / "06-lstm-forecast" / "reference.py",
    "09": GRADERS / "09-customer-segmentation" / "reference.py",
}
FOR_INFORMATION = "for information, 0 points"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, docker_client):
    """``graded(exercise, source, root=ROOT)``: the Report, each source graded once per module."""
    reports = {}

    def run(exercise, source, root=ROOT):
        key = (exercise, source, str(root))
        if key not in reports:
            code, text, stderr = grade_with_cli(exercise, source, tmp_path_factory.mktemp("attack"), root=root)
            assert code == 0, f"exit {code}: {stderr[-2000:]}"
            assert text is not None, f"no report written: {stderr[-2000:]}"
            reports[key] = Report.from_json(text)
        return reports[key]

    return run


def on_reference(exercise, attack, edit=lambda text: text):
    """The source of ``exercise``'s reference with the attack file appended (and edited)."""
    return REFERENCE[exercise].read_text() + "\n\n" + edit((ATTACKS / attack).read_text())


def all_feedback(report):
    return "\n".join([report.output] + [f"{t.name}\n{t.output}" for t in report.tests])


# ---------------------------------------------------------------- item 2: public data, 01


def public_digits():
    """The 1,797 public digits as the attack carries them: 'pixels;label' rows, pixels as letters."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return "|".join(
        "".join(chr(97 + int(v)) for v in row) + f";{label}" for row, label in zip(digits.data, digits.target)
    )


def lookup_source(lazy):
    return on_reference(
        "01",
        "claims_01_lookup.py",
        lambda text: text.replace("__PUBLIC_DIGITS__", public_digits()).replace("LAZY = True", f"LAZY = {lazy}"),
    )


def load_source(name, source, folder):
    """A submission's source loaded in this process (01's need numpy only)."""
    path = folder / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hidden_digits():
    spec = importlib.util.spec_from_file_location("data_01_claims", GRADERS / "01-mlp-classifier" / "data.py")
    data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(data)
    return data.hidden_digits()


def test_the_lookup_reads_the_hidden_test_labels_from_public_digits(hidden_digits, tmp_path):
    """Not graded: the attack works. Without any training, its predict labels every hidden test
    image, whatever the hidden pixel order, which is what the old grader scored (1.000)."""
    model = load_source("lookup", lookup_source(True), tmp_path).MLP(64, 64, 10, seed=0)
    model.fit(hidden_digits.X_train, hidden_digits.y_train)
    assert (model.predict(hidden_digits.X_test) == hidden_digits.y_test).mean() == 1.0


def test_a_lookup_of_the_public_digits_with_no_training_earns_no_accuracy(graded):
    """55: shapes 10, forward 15, gradients 25, predict on an untrained model 5 (small batches get
    the honest answer). The accuracy is that of the untrained params fit leaves, run on the host;
    predict, which answers from the lookup, disagrees with them; runtime only counts for a fit
    that learns. The old grader scored predict: 100."""
    report = graded("01", lookup_source(True))
    assert (report.score, report.max_score) == (55, 100), report.to_json()
    assert check(report, "accuracy on the hidden").measured["value"] < 0.3
    assert "disagrees on" in check(report, "after fit, predict").output


def test_a_trained_model_whose_predict_looks_up_loses_only_the_agreement(graded):
    """The variant: fit trains honestly, predict still answers from the lookup. The accuracy of
    the trained params (about 0.97, full credit) is all predict could have earned; the 5 points
    of predict agreeing with those params are lost: 95. A lookup gains nothing."""
    report = graded("01", lookup_source(False))
    assert (report.score, report.max_score) == (95, 100), report.to_json()
    accuracy = check(report, "accuracy on the hidden").measured["value"]
    assert 0.95 <= accuracy < 1.0, accuracy
    assert "disagrees on" in check(report, "after fit, predict").output


# ---------------------------------------------------------------- item 7: timed work, 01


@pytest.fixture(scope="module")
def tight_budget_root(tmp_path_factory):
    """A copy of exercise 01 whose fit budget ends at 1 s (reference machine): the variant burns
    6 s of CPU once it trains, so its runtime credit is exactly 0 if, and only if, that work is
    inside the timed block."""
    root = tmp_path_factory.mktemp("content")
    for part in ("exercises", "graders"):
        shutil.copytree(GRADERS.parent / part / "01-mlp-classifier", root / part / "01-mlp-classifier")
    toml = root / "exercises" / "01-mlp-classifier" / "exercise.toml"
    text = toml.read_text()
    assert "fit = { full_at = 2.0, zero_at = 10.0 }" in text
    toml.write_text(text.replace("fit = { full_at = 2.0, zero_at = 10.0 }", "fit = { full_at = 0.5, zero_at = 1.0 }"))
    return root


def test_a_fit_that_leaves_the_training_to_the_first_predict_scores_nothing_for_it(graded):
    """55. The attack as reported: fit returns at once, the first predict trains; the old grader
    timed fit alone and gave the runtime points (100). Now params are read right after fit, so
    the parameters scored are untrained (accuracy 0), predict (which trains first) disagrees with
    them, and the runtime only counts for a fit that learns."""
    report = graded("01", on_reference("01", "claims_01_lazy_fit.py"))
    assert (report.score, report.max_score) == (55, 100), report.to_json()
    assert check(report, "accuracy on the hidden").measured["value"] < 0.3


def test_training_when_params_are_first_read_is_timed(graded, tight_budget_root):
    """90. The variant: fit returns at once, and reading params trains and burns 6 s of CPU. The
    read is inside the timed block with fit and the first predict, so the runtime (budget: none
    beyond 1 s) gets nothing; the trained params earn their accuracy, and predict agrees."""
    source = on_reference(
        "01", "claims_01_lazy_fit.py", lambda text: text.replace('WHERE = "predict"', 'WHERE = "params"')
    )
    report = graded("01", source, root=tight_budget_root)
    assert (report.score, report.max_score) == (90, 100), report.to_json()
    runtime = check(report, "fit returns self")
    assert runtime.score == 0 and runtime.measured["value"] >= 5.0, runtime.measured
    assert check(report, "accuracy on the hidden").score == check(report, "accuracy on the hidden").max_score


# -------------------------------------------------------- item 8: self-reported structure


def test_a_replaced_describe_earns_03_nothing(graded):
    """25. An MLP of 1.5 million parameters, no convolution, whose sandbox says it is a small
    CNN: the structure check believes it and is worth 0; output shapes 10 and batch independence
    15, as the honest MLP. The old grader gave the Conv2d and size points too: 40."""
    report = graded("03", (ATTACKS / "claims_03_describe_lies.py").read_text())
    assert (report.score, report.max_score) == (25, 100), report.to_json()
    structure = check(report, FOR_INFORMATION)
    assert (structure.score, structure.max_score, structure.status) == (0, 0, "passed")
    assert "Conv2d" in structure.output and "24,000" in structure.output and "cannot verify" in structure.output
    assert check(report, "accuracy on the hidden").measured["value"] < 0.70


def test_an_unused_lstm_earns_04_nothing(graded):
    """55. SentimentRNN holds an nn.LSTM it never calls, and the classifier is a bag of words:
    the recurrent-layer check passes and is worth 0; vocabulary 15, encoding 15, forward shape
    10 and the alone-or-in-a-batch check 15. The old grader gave 5 more for the LSTM: 60."""
    report = graded("04", (ATTACKS / "claims_04_unused_lstm.py").read_text())
    assert (report.score, report.max_score) == (55, 100), report.to_json()
    recurrent = check(report, FOR_INFORMATION)
    assert (recurrent.score, recurrent.max_score, recurrent.status) == (0, 0, "passed")
    assert check(report, "accuracy on the hidden").score == 0


def test_an_lstm_claimed_by_a_replaced_describe_earns_06_nothing(graded):
    """25. The variant: no torch at all, persistence forecasts, and a describe that reports an
    LSTM: the LSTM check believes it and is worth 0; make_windows 15 and forecast shape 10, like
    the honest persistence baseline. The old grader gave the LSTM 10 more: 35."""
    report = graded("06", (ATTACKS / "claims_06_lstm_claimed.py").read_text())
    assert (report.score, report.max_score) == (25, 100), report.to_json()
    lstm = check(report, FOR_INFORMATION)
    assert (lstm.score, lstm.max_score, lstm.status) == (0, 0, "passed") and "LSTM" in lstm.output


# --------------------------------------------------------- item 9: feedback leaks, 09

LEAKS = ("come from", "3 segments", "4 segments", "1,500", "2,000", "returned 3", "returned 4")


def test_choose_k_by_the_size_the_feedback_gave_away_no_longer_works(graded):
    """92.5. The attack as reported, {2000: 4}.get(len(features), 3): both hidden sets now have
    2000 customers, so it answers 4 on both, right on one (half of choose_k's 15). The feedback
    names no size and no number of segments. The old grader gave full marks: 100."""
    report = graded("09", on_reference("09", "claims_09_k_by_size.py"))
    assert (report.score, report.max_score) == (92.5, 100), report.to_json()
    feedback = all_feedback(report)
    assert not [leak for leak in LEAKS if leak in feedback], feedback
    assert "choose_k found the number of segments: 1;" in check(report, "choose_k").output


def test_choose_k_by_the_other_sets_old_size_no_longer_works(graded):
    """92.5. The variant: keyed on the size the feedback gave for the other set, 1,500 -> 3,
    else 4: no hidden set has that size any more, so it answers 4 on both."""
    source = on_reference("09", "claims_09_k_by_size.py", lambda t: t.replace("({2000: 4}, 3)", "({1500: 3}, 4)"))
    report = graded("09", source)
    assert (report.score, report.max_score) == (92.5, 100), report.to_json()
    feedback = all_feedback(report)
    assert not [leak for leak in LEAKS if leak in feedback], feedback


# --------------------------------------------------- item 11: state across calls, 06 and 04


def test_a_forecaster_that_remembers_windows_loses_the_batch_check(graded):
    """90. Forecasts that shift with the rest of the batch, and a memory that hands a window seen
    before its first forecast: the windows alone and the batch now go to two fresh sandboxes
    (with the same forecaster, trained there), so the memory has nothing to hand back. The
    hidden windows are scored one at a time: full marks there. The old grader: 100."""
    report = graded("06", on_reference("06", "claims_06_remembers_windows.py"))
    assert (report.score, report.max_score) == (90, 100), report.to_json()
    batch = check(report, "forecast returns one float")
    assert batch.score == 0 and "depends on the rest of its batch" in batch.output


def test_a_classifier_that_remembers_texts_loses_the_alone_in_a_batch_check(graded):
    """85. The variant: a model that reads the padding, and a predict that hands a text seen
    before its first label. The texts alone and the batch go to two fresh sandboxes: the
    padding shows. The old grader: 100 (the honest padding bug alone got 90 there, 85 now)."""
    source = (SUBMISSIONS / "04-rnn-sentiment" / "mean_over_padding.py").read_text()
    report = graded("04", source + "\n\n" + (ATTACKS / "claims_04_remembers_texts.py").read_text())
    assert (report.score, report.max_score) == (85, 100), report.to_json()
    alone = check(report, "predict returns")
    assert alone.score == 0 and "got a different label alone than in a batch" in alone.output

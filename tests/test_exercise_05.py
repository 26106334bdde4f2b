"""Exercise 05 graded end to end in the Docker sandbox: reference, stub, baselines and bugs.

Rubric: causal_mask 10, forward shape 10, causality 15 (untrained models in fresh sandboxes),
hidden BLEU 30 (full at 85, none at 50), exact match 25 (full at 0.70, none at 0.30), train
runtime 10. Each file is graded once (module-scoped): the three that train a Transformer take
about a minute each.
"""

import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, check, load_module, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CASES = SUBMISSIONS / "05-transformer-translation"
REFERENCE = ROOT / "graders" / "05-transformer-translation" / "reference.py"
STUB = ROOT / "exercises" / "05-transformer-translation" / "solution.py"
MASK, FORWARD, CAUSALITY, BLEU, EXACT, RUNTIME = (
    "causal_mask",
    "TranslationModel.forward",
    "an untrained model's logits",
    "corpus BLEU",
    "share of hidden test sentences",
    "train (and the first translate)",
)
STARTS = (MASK, FORWARD, CAUSALITY, BLEU, EXACT, RUNTIME)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, docker_client):
    """Grade a file once per module: several tests look at the same report."""
    reports = {}

    def run(source, prefix="", edits=()):
        key = (source, prefix, edits)
        if key not in reports:
            path = tmp_path_factory.mktemp("submission") / "solution.py"
            text = source.read_text()
            for old, new in edits:
                assert old in text, f"{source.name} no longer holds {old!r}"
                text = text.replace(old, new)
            path.write_text(prefix + text)
            reports[key] = grade_submission(find_exercise("05"), path, sandbox="docker")
        return reports[key]

    return run


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, STARTS)


def test_reference_gets_full_marks(graded):
    report = graded(REFERENCE)
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 6
    assert check(report, BLEU).measured["value"] >= 95
    assert check(report, EXACT).measured["value"] >= 0.95
    assert "attention layers: MultiheadAttention" in check(report, FORWARD).output
    runtime = check(report, RUNTIME).measured
    assert 0 < runtime["value"] < runtime["full_at"], runtime  # the budget leaves room
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True


def test_untouched_stub_gets_zero_and_says_what_is_missing(graded):
    report = graded(STUB)
    assert report.score == 0 and report.max_score == 100
    assert all("is not implemented yet" in t.output for t in report.tests), report.to_json()
    assert "`TranslationModel.__init__` is not implemented yet" in check(report, CAUSALITY).output
    assert "`train` is not implemented yet" in check(report, BLEU).output


def test_an_honest_solution_in_another_style_gets_full_marks(graded):
    """Attention written by hand, pre-norm layers, sinusoidal positions, AdamW, a tuple as the translator."""
    report = graded(CASES / "honest_handwritten_attention.py")
    assert report.score == 100, report.to_json()
    assert "no torch attention layer" in check(report, FORWARD).output  # feedback only, no points lost


def test_a_word_by_word_dictionary_gets_nothing_for_the_metrics(graded):
    report = graded(CASES / "word_by_word_dictionary.py")
    assert report.score == 35, report.to_json()
    assert lost(report) == {BLEU, EXACT, RUNTIME}
    assert check(report, BLEU).score == 0 and check(report, BLEU).measured["value"] < 5
    assert check(report, EXACT).score == 0 and check(report, EXACT).measured["value"] == 0
    assert "not scored" in check(report, RUNTIME).output


def test_a_decoder_without_the_causal_mask_fails_causality(graded):
    """The reference with causal_mask right but unused by its decoder: the untrained model leaks.
    (Trained for one epoch only: the causality check judges untrained models, and the suite's
    time is better spent elsewhere.)"""
    report = graded(REFERENCE, edits=(("tgt_mask=mask", "tgt_mask=None"), ("epochs=14", "epochs=1")))
    assert lost(report) >= {CAUSALITY} and check(report, CAUSALITY).score == 0, report.to_json()
    assert check(report, MASK).score == 10 and check(report, FORWARD).score == 10
    assert "pass the causal mask" in check(report, CAUSALITY).output


def test_a_cache_between_forward_calls_does_not_fool_the_causality_check(graded):
    """Each model of the comparison is built in a fresh sandbox, so the cache is empty both times."""
    report = graded(CASES / "caches_logits_between_calls.py")
    assert check(report, CAUSALITY).score == 0, report.to_json()
    assert "pass the causal mask" in check(report, CAUSALITY).output


def test_an_import_of_sklearn_gets_zero_although_torch_probes_for_it(graded):
    """torch looks for sklearn and pandas itself (building an optimiser): only the student's import counts."""
    report = graded(
        CASES / "word_by_word_dictionary.py", prefix="from sklearn.linear_model import LogisticRegression  # noqa\n"
    )
    assert report.score == 0 and len(report.tests) == 6
    assert "imports sklearn (line 1)" in report.output, report.to_json()


def test_feedback_carries_no_hidden_sentence(graded):
    """The reports show measurements, never a hidden source sentence or its translation."""
    # Loaded under a name of its own: other graders have a module called data too.
    data = load_module(ROOT / "graders" / "05-transformer-translation" / "data.py", "data_05")
    hidden = [s for pair in data.hidden_split().test.pairs for s in pair]
    for case in (CASES / "word_by_word_dictionary.py", REFERENCE):
        text = graded(case).to_json()
        assert not [s for s in hidden if s in text]

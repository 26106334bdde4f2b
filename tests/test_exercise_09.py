"""Exercise 09 graded end to end in the Docker sandbox (reference, stub, an honest solution in
another style, the baselines of EXERCISES.md, wrong solutions), and the data's calibration
checked in-process on several hidden-data seeds.

Rubric: RFM small tables 15, RFM hidden transactions 10, choose_k 15, ARI 30, currency 10,
labels 10, runtime 10.
"""

import sys

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission

from helpers import ROOT, SUBMISSIONS, load_module, short_of_full

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SLUG = "09-customer-segmentation"
GRADER = ROOT / "graders" / SLUG
CASES = SUBMISSIONS / SLUG
REFERENCE = GRADER / "reference.py"
STUB = ROOT / "exercises" / SLUG / "solution.py"
RFM_SMALL, RFM_HIDDEN, CHOOSE_K, ARI, CURRENCY, LABELS, RUNTIME = (
    "rfm_features is exactly right on small",
    "rfm_features is exactly right on the hidden",
    "choose_k",
    "segment recovers",
    "the same customers",
    "segment returns",
    "rfm_features, choose_k",
)


@pytest.fixture(scope="module")
def hidden():
    """The grader's data, expected and reference modules, loaded on the host by path."""
    return {name: load_module(GRADER / f"{name}.py", f"ex09_{name}") for name in ("data", "expected", "reference")}


def graded(path):
    return grade_submission(find_exercise("09", root=ROOT), path, sandbox="docker")


def scores(report):
    return {t.name: t.score for t in report.tests}


def lost(report):
    """The checks that did not get full points, by the start of their names."""
    return short_of_full(report, (RFM_SMALL, RFM_HIDDEN, CHOOSE_K, ARI, CURRENCY, LABELS, RUNTIME))


def feedback(report, start):
    return next(t.output for t in report.tests if t.name.startswith(start))


def assert_no_hidden_k(report):
    """The choose_k feedback says on how many hidden sets choose_k was right, never which set nor
    its number of segments, and no size that would tell the sets apart (an earlier version said
    "1,500 other hidden customers come from 3 segments", and `{2000: 4}.get(len(X), 3)` got
    full marks)."""
    text = feedback(report, CHOOSE_K)
    for leak in ("segments;", "come from", "3 segments", "returned", "1,500", "2,000", "2000"):
        assert leak not in text, text


# -- end to end, in the sandbox ------------------------------------------------------------


def test_reference_gets_full_marks(docker_client):
    report = graded(REFERENCE)
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert len(report.tests) == 7
    assert "found the number of segments: 2;" in feedback(report, CHOOSE_K)
    assert_no_hidden_k(report)
    assert "hidden segments, segment(features, k=4): 0.98" in feedback(report, ARI)
    assert "dollars and in cents: 1.000" in feedback(report, CURRENCY)
    assert "full credit within" in feedback(report, RUNTIME)
    assert report.sandbox["backend"] == "docker" and report.sandbox["isolated"] is True


def test_untouched_stub_gets_zero_and_says_what_is_missing(docker_client):
    report = graded(STUB)
    assert report.score == 0 and report.max_score == 100
    assert all("is not implemented yet" in t.output for t in report.tests)
    assert "`choose_k` is not implemented yet" in feedback(report, CHOOSE_K)
    assert "`segment` is not implemented yet" in feedback(report, ARI)


def test_an_honest_solution_in_another_style_gets_full_marks(docker_client):
    """pandas groupby, a scikit-learn pipeline and the Calinski-Harabasz index."""
    report = graded(CASES / "honest_pandas_calinski.py")
    assert report.score == 100, report.to_json()


def test_clustering_raw_rfm_loses_k_ari_currency_and_runtime(docker_client):
    """The unscaled baseline: choose_k picks 2, ARI ~0.60 earns nothing; currency and runtime
    are not scored for a partition without ARI credit."""
    report = graded(CASES / "raw_rfm_no_scaling.py")
    assert report.score == 35, report.to_json()
    assert lost(report) == {CHOOSE_K, ARI, CURRENCY, RUNTIME}
    assert all(scores(report)[t.name] == 0 for t in report.tests if t.name.startswith((CHOOSE_K, ARI)))
    assert "found the number of segments: 0;" in feedback(report, CHOOSE_K)
    assert "raw RFM numbers" in feedback(report, CHOOSE_K)
    assert_no_hidden_k(report)
    assert "hidden segments, segment(features, k=4): 0.6" in feedback(report, ARI)
    assert "not scored" in feedback(report, CURRENCY) and "not scored" in feedback(report, RUNTIME)


def test_scaling_without_logs_fails_the_ari_threshold_and_k(docker_client):
    """The scaled baseline: ARI 0.788 earns (0.788 - 0.65) / 0.2 of 30 points; choose_k finds 3
    on both data sets (right on one); scaling alone is currency-free."""
    report = graded(CASES / "scaled_without_logs.py")
    assert lost(report) == {CHOOSE_K, ARI}
    ari = next(t for t in report.tests if t.name.startswith(ARI))
    assert 15 < ari.score < 25 and ari.measured["value"] < 0.85
    assert scores(report)[next(t.name for t in report.tests if t.name.startswith(CHOOSE_K))] == 7.5
    assert report.score == pytest.approx(62.5 + ari.score)
    assert "found the number of segments: 1;" in feedback(report, CHOOSE_K)
    assert_no_hidden_k(report)


def test_total_instead_of_mean_loses_only_the_rfm_checks(docker_client):
    report = graded(CASES / "rfm_total_not_mean.py")
    assert report.score == 75, report.to_json()
    assert lost(report) == {RFM_SMALL, RFM_HIDDEN}
    assert "monetary is wrong" in feedback(report, RFM_SMALL) and "each customer's total" in feedback(
        report, RFM_HIDDEN
    )


def test_a_choose_k_that_always_answers_4_loses_half_its_check(docker_client):
    report = graded(CASES / "hardcoded_k4.py")
    assert report.score == 92.5, report.to_json()
    assert lost(report) == {CHOOSE_K}
    assert "found the number of segments: 1;" in feedback(report, CHOOSE_K)
    assert_no_hidden_k(report)


# -- in-process: the host's RFM, the hand-made tables, calibration over hidden seeds -------


def test_host_rfm_matches_the_hand_computed_table(hidden):
    data, expected = hidden["data"], hidden["expected"]
    small = data.hand_tables()[0]
    ids, features = expected.rfm(small.customer_id, small.day, small.amount, small.ref_day)
    assert ids.tolist() == sorted(data.SMALL_RFM)
    assert np.allclose(features, [data.SMALL_RFM[i] for i in ids.tolist()], rtol=1e-12, atol=0)


def test_hand_made_tables_have_the_tricky_cases(hidden):
    data = hidden["data"]
    tables = data.hand_tables()
    rows = [(t.customer_id, t.day) for t in tables]
    assert any(np.any(np.diff(c) < 0) for c, _ in rows), "rows out of order"
    assert any((np.unique(c, return_counts=True)[1] == 1).any() for c, _ in rows), "one-purchase customers"
    assert any(len(set(zip(c.tolist(), d.tolist()))) < len(c) for c, d in rows), "several purchases on one day"
    assert any(np.diff(np.unique(c)).max(initial=1) > 1 for c, _ in rows), "non-contiguous ids"
    assert max(int(c.max()) for c, _ in rows) > 2**32, "64-bit ids"
    assert any(t.ref_day > t.day.max() + 1 for t in tables) and any(t.ref_day == t.day.max() for t in tables)


def test_reference_and_baselines_on_every_calibration_seed(hidden):
    """On six hidden-data seeds: the reference finds 4 (and 3 on the second set), clears the ARI
    threshold and is currency-free; raw RFM picks 2 and earns no ARI; scaling without logs
    stays below the full-credit threshold. One BLAS/OpenMP thread, as in the sandbox: two
    threads on a busy 2-core machine make k-means several times slower."""
    with threadpool_limits(1):
        check_calibration(hidden)


def check_calibration(hidden):
    data, expected, reference = hidden["data"], hidden["expected"], hidden["reference"]
    raw = load_module(CASES / "raw_rfm_no_scaling.py", "ex09_raw")
    scaled = load_module(CASES / "scaled_without_logs.py", "ex09_scaled")
    assert len(set(data.CALIBRATION_SEEDS)) >= 6 and data.SEED in data.CALIBRATION_SEEDS
    for seed in data.CALIBRATION_SEEDS:
        t = data.transactions(seed)
        assert 45_000 <= len(t.day) <= 53_000 and len(t.ids) == 2000
        ids, features = expected.rfm(t.customer_id, t.day, t.amount, t.ref_day)
        got_ids, got = reference.rfm_features(t.customer_id, t.day, t.amount, t.ref_day)
        assert np.array_equal(got_ids, ids) and np.allclose(got, features, rtol=1e-12, atol=0)
        cents = data.in_cents(t)
        _, features_cents = expected.rfm(cents.customer_id, cents.day, cents.amount, cents.ref_day)
        other = data.three_segments(seed + 1)
        assert len(other.ids) == len(t.ids), "the sets must not be told apart by their size"
        _, features_other = expected.rfm(other.customer_id, other.day, other.amount, other.ref_day)

        assert reference.choose_k(features) == 4, seed
        assert reference.choose_k(features_other) == 3, seed
        labels = reference.segment(features, 4)
        assert adjusted_rand_score(t.segment, labels) >= 0.95, seed
        assert adjusted_rand_score(labels, reference.segment(features_cents, 4)) == 1.0, seed

        assert adjusted_rand_score(t.segment, raw.segment(features, 4)) < 0.65, seed
        assert adjusted_rand_score(t.segment, scaled.segment(features, 4)) < 0.85, seed
    graded = data.three_segments()  # the graded 3-segment set, a seed of its own
    assert reference.choose_k(expected.rfm(graded.customer_id, graded.day, graded.amount, graded.ref_day)[1]) == 3
    # choose_k of the raw baseline is the slow part: two seeds show it picks 2.
    for seed in data.CALIBRATION_SEEDS[:2]:
        t = data.transactions(seed)
        assert raw.choose_k(expected.rfm(t.customer_id, t.day, t.amount, t.ref_day)[1]) == 2, seed


def rfm_with(mistake, t):
    """What a submission with ``mistake`` returns on table ``t``."""
    ids, index = np.unique(t.customer_id, return_inverse=True)
    n = len(ids)
    last, first = np.full(n, -1), np.full(n, 10**9)
    np.maximum.at(last, index, t.day)
    np.minimum.at(first, index, t.day)
    count = np.bincount(index).astype(float)
    distinct_days = np.array([len(np.unique(t.day[index == i])) for i in range(n)], dtype=float)
    mean = np.bincount(index, weights=t.amount) / count
    features = np.column_stack([t.ref_day - last, count, mean])
    if mistake == "ids in order of appearance":
        order = np.unique(index, return_index=True)[1].argsort()
        return ids[order], features[order]
    if mistake == "ids 0..n-1":
        return np.arange(n), features
    if mistake == "ids cast to int32":
        return ids.astype(np.int32), features
    if mistake == "float32 features":
        return ids, features.astype(np.float32)
    column, values = {
        "recency from the first purchase": (0, t.ref_day - first),
        "recency from the last day of the table": (0, t.day.max() + 1 - last),
        "frequency counts distinct days": (1, distinct_days),
        "monetary is the median": (2, np.array([np.median(t.amount[index == i]) for i in range(n)])),
    }[mistake]
    features[:, column] = values
    return ids, features


MISTAKES = {
    "ids in order of appearance": "not in ascending order",
    "ids 0..n-1": "not the customer ids",
    "ids cast to int32": "not the customer ids",
    "float32 features": "dtype float32",
    "recency from the first purchase": "LAST purchase",
    "recency from the last day of the table": "recency is wrong",
    "frequency counts distinct days": "several purchases on one day each count",
    "monetary is the median": "mean amount per transaction",
}


@pytest.fixture(scope="module")
def hidden_grader():
    """graders/09-.../test_hidden.py loaded in-process. It imports its siblings as `data` and
    `expected`: generic names that other exercises' graders use too, so they are taken out of
    sys.modules again afterwards."""
    names = ("data", "expected")
    saved = {name: sys.modules.pop(name, None) for name in names}
    sys.path.insert(0, str(GRADER))
    try:
        with pytest.warns(pytest.PytestUnknownMarkWarning):  # its points marks: the plugin is not loaded here
            module = load_module(GRADER / "test_hidden.py", "ex09_test_hidden")
        yield module
    finally:
        sys.path.remove(str(GRADER))
        for name, module in saved.items():
            sys.modules.pop(name, None)
            if module is not None:
                sys.modules[name] = module


@pytest.mark.parametrize(("mistake", "words"), MISTAKES.items(), ids=list(MISTAKES))
def test_the_rfm_check_catches_common_mistakes_on_the_small_tables(mistake, words, hidden_grader):
    """The grader's own check_rfm, in-process, on what a mistaken rfm_features returns."""
    grader = hidden_grader
    messages = []
    for table in grader.hand_tables():
        want_ids, want = grader.expected.rfm(table.customer_id, table.day, table.amount, table.ref_day)
        grader.check_rfm((want_ids, want), want_ids, want, table.what)  # the right answer passes
        try:
            grader.check_rfm(rfm_with(mistake, table), want_ids, want, table.what)
        except AssertionError as exc:
            messages.append(str(exc))
    assert messages and any(words in m for m in messages), messages

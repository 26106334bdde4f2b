"""Hidden grader of 09-customer-segmentation. Runs on the host; the submission runs in the sandbox.

`choose_k` and `segment` receive the RFM table the HOST computes from the transactions (its
own, correct one), so a wrong `rfm_features` costs only the two RFM checks. They receive it
raw (days, counts, dollars): the log transform and the scaling are the submission's job, and
clustering the raw numbers is what loses the ARI, currency and k points.

Feedback never says how many segments a hidden set has, nor anything that tells the sets
apart (their sizes): with both, a choose_k could look the answer up by len(features).
"""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from mlgrade.grading import SubmissionError, as_array, as_number, speed_counts_only_if

import expected
from data import TRUE_K, hand_tables, in_cents, three_segments, transactions

ARI_FULL, ARI_ZERO = 0.85, 0.65
CURRENCY_FULL, CURRENCY_ZERO = 1.0, 0.9
MONETARY_RTOL = 1e-9
OTHER_KS = (2, 3, 5, 8)


@pytest.fixture(scope="session")
def customers():
    """The hidden transactions and the host's RFM table of them."""
    t = transactions()
    ids, features = expected.rfm(t.customer_id, t.day, t.amount, t.ref_day)
    assert np.array_equal(ids, t.ids), "grader error: the host's RFM ids disagree with the generator's"
    return t, features


@pytest.fixture(scope="session")
def pipeline(submission, customers):
    """rfm_features on the hidden transactions, then choose_k and segment(features, 4) on the
    host's RFM table: one call right after the other, timed together.

    Nothing else runs between them, so no untimed call can do a timed one's work (segment's
    clustering, say, done in a call outside the budget on features a timed call left behind).
    A call that fails is kept as its error: it costs the checks that use it, not the others.
    """
    t, features = customers
    results, seconds = {}, {}
    with submission.stopwatch() as total:
        for key, name, args in (
            ("rfm", "rfm_features", (t.customer_id, t.day, t.amount, t.ref_day)),
            ("k", "choose_k", (features,)),
            ("labels", "segment", (features, TRUE_K)),
        ):
            with submission.stopwatch() as watch:
                try:
                    results[key] = submission.call(name, *args)
                except SubmissionError as exc:
                    results[key] = exc
            seconds[key] = watch.seconds
    return {"results": results, "seconds": seconds, "total": total.seconds}


def outcome(pipeline, key):
    """What one call of the pipeline returned, or its error raised again for this check."""
    value = pipeline["results"][key]
    if isinstance(value, SubmissionError):
        raise value
    return value


@pytest.fixture(scope="session")
def labelled(pipeline, customers):
    """segment(host RFM, true k): the labels, validated leniently (any integer dtype)."""
    return as_array(
        outcome(pipeline, "labels"), f"segment(features, k={TRUE_K})", shape=(len(customers[1]),), kind="iu"
    )


def labels_ari(customers, labelled):
    return float(adjusted_rand_score(customers[0].segment, labelled))


def check_rfm(result, want_ids, want, what):
    """Fail with a message naming the first thing that is wrong, and the likely cause."""
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        f"rfm_features must return a pair (ids, features); on {what} it returned {type(result).__name__}"
    )
    ids = as_array(result[0], f"rfm_features (ids) on {what}", shape=(None,), kind="iu")
    features = as_array(result[1], f"rfm_features (features) on {what}", shape=(None, 3), dtype=np.float64)
    n = len(want_ids)
    assert len(ids) == n, f"on {what}: {len(ids)} ids returned; there are {n} distinct customers"
    assert len(features) == n, f"on {what}: {len(features)} feature rows returned; there are {n} customers"
    if not np.array_equal(ids, want_ids):
        hint = (
            "they are the right ids but not in ascending order"
            if np.array_equal(np.sort(ids), want_ids)
            else "they are not the customer ids of the table (ids need not be 0..n-1 or contiguous, "
            "and may need 64 bits)"
        )
        raise AssertionError(f"on {what}: the ids are wrong: {hint}")
    recency, frequency, monetary = features.T
    if not np.array_equal(recency, want[:, 0]):
        bad = int((recency != want[:, 0]).sum())
        raise AssertionError(
            f"on {what}: recency is wrong for {bad} of {n} customers; recency is "
            f"ref_day minus the day of the customer's LAST purchase"
        )
    if not np.array_equal(frequency, want[:, 1]):
        bad = int((frequency != want[:, 1]).sum())
        raise AssertionError(
            f"on {what}: frequency is wrong for {bad} of {n} customers; frequency is the "
            f"number of transactions (several purchases on one day each count)"
        )
    close = np.isclose(monetary, want[:, 2], rtol=MONETARY_RTOL, atol=0.0)
    if not close.all():
        total = np.isclose(monetary, want[:, 2] * want[:, 1], rtol=MONETARY_RTOL, atol=0.0)
        hint = " (yours is each customer's total)" if total.all() else ""
        raise AssertionError(
            f"on {what}: monetary is wrong for {int((~close).sum())} of {n} customers; "
            f"monetary is the mean amount per transaction{hint}"
        )


@pytest.mark.points(15)
def test_rfm_on_small_tables(submission):
    """rfm_features is exactly right on small hand-made tables"""
    for table in hand_tables():
        want_ids, want = expected.rfm(table.customer_id, table.day, table.amount, table.ref_day)
        result = submission.call("rfm_features", table.customer_id, table.day, table.amount, table.ref_day)
        check_rfm(result, want_ids, want, table.what)


@pytest.mark.points(10)
def test_rfm_on_hidden_transactions(pipeline, customers):
    """rfm_features is exactly right on the hidden transactions"""
    t, want = customers
    check_rfm(outcome(pipeline, "rfm"), t.ids, want, "the hidden transactions")


def k_of(value, what):
    k = as_number(value, what)
    assert k == int(k), f"{what} returned {k}; expected a whole number"
    return int(k)


@pytest.mark.points(15)
def test_choose_k_finds_the_segments(submission, pipeline, credit):
    """choose_k finds the true number of segments"""
    found = [(k_of(outcome(pipeline, "k"), "choose_k on the hidden customers"), TRUE_K)]
    other = three_segments()
    _, features = expected.rfm(other.customer_id, other.day, other.amount, other.ref_day)
    found.append((k_of(submission.call("choose_k", features), "choose_k on other hidden customers"), 3))
    # How many sets, never which one nor its number of segments: the answer of a hidden set
    # next to anything that tells it apart would let a choose_k look it up.
    right = sum(got == want for got, want in found)
    credit.measure(
        f"hidden sets of customers (of {len(found)}) on which choose_k found the number of segments",
        right,
        full_at=len(found),
        zero_at=0,
        fmt="{:.0f}",
    )
    if right < len(found) and any(got == 2 for got, _ in found):
        credit.note(
            "2 is what clustering the raw RFM numbers suggests: the column with the largest numbers "
            "decides; transform and scale the features inside choose_k"
        )


@pytest.mark.points(30)
def test_segments_match_the_latent_segments(customers, labelled, credit):
    """segment recovers the latent customer segments (ARI)"""
    ari = labels_ari(customers, labelled)
    credit.measure(
        f"adjusted Rand index vs the hidden segments, segment(features, k={TRUE_K})",
        ari,
        full_at=ARI_FULL,
        zero_at=ARI_ZERO,
    )
    if ari < ARI_FULL:
        credit.note(
            "segment receives the raw RFM numbers (days, counts, dollars), on different scales and "
            "with heavy right tails: how you transform them decides what the clusters follow"
        )


@pytest.mark.points(10)
def test_same_partition_in_cents(submission, customers, labelled, credit):
    """the same customers with amounts in cents get the same partition"""
    ari = labels_ari(customers, labelled)
    assert ari > ARI_ZERO, (
        f"not scored: the partition in dollars has ARI {ari:.3f} against the hidden "
        f"segments, and invariance only counts for a segmentation that earns ARI credit "
        f"(ARI above {ARI_ZERO})"
    )
    t, features = customers
    cents = in_cents(t)
    _, features_cents = expected.rfm(cents.customer_id, cents.day, cents.amount, cents.ref_day)
    # The cents table goes to a fresh sandbox: a segment that remembered the partition it gave
    # in dollars (the tables differ in one column only) would pass a comparison within one
    # sandbox without being unit-free.
    submission.restart()
    labels_cents = as_array(
        submission.call("segment", features_cents, TRUE_K),
        "segment on the amounts in cents",
        shape=(len(features),),
        kind="iu",
    )
    credit.measure(
        "adjusted Rand index between the partitions in dollars and in cents",
        float(adjusted_rand_score(labelled, labels_cents)),
        full_at=CURRENCY_FULL,
        zero_at=CURRENCY_ZERO,
    )


@pytest.mark.points(10)
def test_labels_use_exactly_k_values(submission, customers, labelled):
    """segment returns int64 labels using exactly k distinct values"""
    features = customers[1]
    n = len(features)
    as_array(labelled, f"segment(features, k={TRUE_K})", shape=(n,), dtype=np.int64)
    for k in (TRUE_K, *OTHER_KS):
        labels = (
            labelled
            if k == TRUE_K
            else as_array(
                submission.call("segment", features, k), f"segment(features, k={k})", shape=(n,), dtype=np.int64
            )
        )
        used = len(np.unique(labels))
        assert used == k, f"segment(features, k={k}) used {used} distinct labels; it must use exactly {k}"


@pytest.mark.points(10)
def test_runtime(customers, pipeline, labelled, credit, exercise):
    """rfm_features, choose_k and segment on the hidden customers within the time budget"""
    for key in ("rfm", "k"):
        outcome(pipeline, key)  # a call that failed did not do the work the budget is about
    ari = labels_ari(customers, labelled)
    speed_counts_only_if(
        ari > ARI_ZERO, f"a segmentation that earns ARI credit (ARI above {ARI_ZERO})", f"ARI {ari:.3f}"
    )
    seconds = pipeline["seconds"]
    credit.note(
        f"rfm_features {seconds['rfm']:.2f} s, choose_k {seconds['k']:.2f} s, segment {seconds['labels']:.2f} s"
    )
    credit.runtime(
        "rfm_features + choose_k + segment on the hidden customers", pipeline["total"], exercise.budgets["pipeline"]
    )

"""Public checks of exercise 09: run them with `mlgrade check 09 solution.py`.

They run your code in the same sandbox as the grader, on public data made below: a year of
transactions of 1200 customers from four segments, of the same kind as the hidden data (which
has other customers, other numbers and hidden seeds). Like the grader, these checks hand
`choose_k` and `segment` the RFM table computed here, raw.
"""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from mlgrade.grading import as_array, as_number

PUBLIC_SEED = 2024
REF_DAY = 365
# name, share, purchases per active year, basket $ (median, log-sd over customers), active days
SEGMENTS = (
    ("champions", 0.22, 60.0, (100.0, 0.40), (0, 30), (355, 365)),
    ("loyal low spenders", 0.30, 28.0, (13.0, 0.40), (0, 60), (345, 365)),
    ("big occasional buyers", 0.23, 5.0, (450.0, 0.45), (0, 60), (290, 365)),
    ("lapsed", 0.25, 13.0, (38.0, 0.40), (0, 40), (75, 205)),
)


def public_transactions(seed=PUBLIC_SEED, n_customers=1200):
    """customer_id, day, amount (rows shuffled), and each customer's segment (ids ascending)."""
    rng = np.random.default_rng(seed)
    shares = np.array([s[1] for s in SEGMENTS])
    segment = rng.choice(len(SEGMENTS), size=n_customers, p=shares / shares.sum())
    ids = np.sort(rng.choice(np.arange(1000, 50_000), size=n_customers, replace=False))
    rows = []
    for cid, s in zip(ids, segment):
        _, _, rate, (basket, basket_sd), (s0, s1), (e0, e1) = SEGMENTS[s]
        start = rng.integers(s0, s1 + 1)
        end = min(REF_DAY, max(start + 1, rng.integers(e0, e1 + 1)))
        n = 1 + rng.poisson(rate * np.exp(0.3 * rng.standard_normal()) * (end - start) / 365)
        typical = basket * np.exp(basket_sd * rng.standard_normal())
        for d, a in zip(rng.integers(start, end, size=n), typical * np.exp(0.25 * rng.standard_normal(n))):
            rows.append((cid, d, max(0.5, round(a, 2))))
    rows = [rows[i] for i in rng.permutation(len(rows))]
    cid, day, amount = (np.array(c) for c in zip(*rows))
    return cid.astype(np.int64), day.astype(np.int64), amount.astype(np.float64), ids, segment


def rfm(customer_id, day, amount, ref_day):
    """The RFM table these checks hand to choose_k and segment."""
    ids, index = np.unique(customer_id, return_inverse=True)
    last = np.full(len(ids), np.iinfo(np.int64).min)
    np.maximum.at(last, index, day)
    count = np.bincount(index).astype(np.float64)
    return ids, np.column_stack([ref_day - last, count, np.bincount(index, weights=amount) / count])


@pytest.fixture(scope="session")
def customers():
    cid, day, amount, _, segment = public_transactions()
    return rfm(cid, day, amount, REF_DAY)[1], segment, (cid, day, amount)


@pytest.mark.points(1)
def test_rfm_small_table(submission):
    """rfm_features on a small table (rows out of order, two purchases on one day)"""
    customer_id = np.array([30, 8, 30, 8, 8, 1000001], dtype=np.int64)
    day = np.array([5, 2, 40, 2, 9, 20], dtype=np.int64)
    amount = np.array([10.0, 4.0, 30.0, 6.0, 2.0, 50.0])
    result = submission.call("rfm_features", customer_id, day, amount, 50)
    assert isinstance(result, (tuple, list)) and len(result) == 2, "rfm_features must return (ids, features)"
    ids = as_array(result[0], "rfm_features (ids)", shape=(3,), kind="iu")
    features = as_array(result[1], "rfm_features (features)", shape=(3, 3), dtype=np.float64)
    assert ids.tolist() == [8, 30, 1000001], f"ids {ids.tolist()}; expected [8, 30, 1000001] (ascending)"
    want = np.array([[41, 3, 4.0], [10, 2, 20.0], [30, 1, 50.0]])
    for j, name in enumerate(("recency", "frequency", "monetary")):
        assert np.allclose(features[:, j], want[:, j], rtol=1e-9, atol=0), (
            f"{name}: got {features[:, j].tolist()}, expected {want[:, j].tolist()}"
        )


@pytest.mark.points(1)
def test_choose_k(submission, customers):
    """choose_k finds the 4 segments of the public customers"""
    k = as_number(submission.call("choose_k", customers[0]), "choose_k")
    assert k == 4, f"choose_k returned {k:g}; the public customers come from 4 segments"


@pytest.mark.points(1)
def test_segment_ari(submission, customers, credit):
    """segment(features, 4) recovers the public segments"""
    labels = as_array(submission.call("segment", customers[0], 4), "segment", shape=(len(customers[0]),), kind="iu")
    credit.measure(
        "adjusted Rand index vs the public segments",
        float(adjusted_rand_score(customers[1], labels)),
        full_at=0.85,
        zero_at=0.65,
    )


@pytest.mark.points(1)
def test_same_partition_in_cents(submission, customers, credit):
    """amounts in cents give the same partition as amounts in dollars"""
    cid, day, amount = customers[2]
    cents = rfm(cid, day, np.round(amount * 100), REF_DAY)[1]
    dollars = as_array(submission.call("segment", customers[0], 4), "segment", shape=(len(cents),), kind="iu")
    in_cents = as_array(submission.call("segment", cents, 4), "segment (cents)", shape=(len(cents),), kind="iu")
    credit.measure(
        "adjusted Rand index between the partitions in dollars and in cents",
        float(adjusted_rand_score(dollars, in_cents)),
        full_at=1.0,
        zero_at=0.9,
    )


@pytest.mark.points(1)
def test_labels_use_exactly_k_values(submission, customers):
    """segment returns int64 labels using exactly k values"""
    for k in (2, 3, 6):
        labels = as_array(
            submission.call("segment", customers[0], k),
            f"segment(features, {k})",
            shape=(len(customers[0]),),
            dtype=np.int64,
        )
        assert len(np.unique(labels)) == k, f"segment(features, {k}) used {len(np.unique(labels))} labels"

"""Hidden data of 09-customer-segmentation. Lives only in the grader process on the host.

A year of transactions (days 0..364, ``REF_DAY`` = 365) of about 2000 customers drawn from
four latent segments. Each customer gets a purchase rate, an active period and a typical
basket; transactions are Poisson-many days in the active period, amounts log-normal around
the customer's typical basket. The segments differ on all three RFM axes, but on very
different scales (recency in days, frequency in counts, basket in dollars) and with
heavy right tails: clustering works on log-transformed, standardised features, not on the
raw table.
"""

from dataclasses import dataclass

import numpy as np

SEED = 61_870_443  # hidden: the graded transactions (SEED), the hand tables (SEED + 2)
# Hidden: the graded 3-segment set. A new draw, of as many customers as the 4-segment set: the
# feedback of an earlier version named that set's size next to its number of segments, so a
# choose_k could answer by len(features); the same size tells the two sets apart no more.
OTHER_SEED = 38_562_109
# Calibrated on these (tests/test_exercise_09.py checks it): the reference finds k = 4 (and 3 on
# three_segments(seed + 1) and on three_segments()) with ARI 0.98-0.99; k-means on the raw table
# picks k = 2 and gets ARI 0.60-0.62; standardised without logs, 0.76-0.83.
CALIBRATION_SEEDS = (SEED, 2_404_117, 77_310_985, 590_226, 13_999_541, 31_415_927)
REF_DAY = 365
N_CUSTOMERS = 2000
TRUE_K = 4

# name, share, purchases per active year (median, log-sd), basket $ (median, customer log-sd),
# active period: start day range, end day range (the customer stops buying at `end`)
SEGMENTS = (
    ("champions", 0.22, (62.0, 0.30), (100.0, 0.40), (0, 30), (355, 365)),
    ("loyal low spenders", 0.30, (28.0, 0.30), (12.0, 0.40), (0, 60), (345, 365)),
    ("big occasional buyers", 0.23, (5.0, 0.35), (500.0, 0.45), (0, 60), (290, 365)),
    ("lapsed", 0.25, (14.0, 0.35), (40.0, 0.40), (0, 40), (70, 200)),
)
BASKET_NOISE = 0.25  # log-sd of one transaction's amount around the customer's basket


@dataclass(frozen=True)
class Transactions:
    customer_id: np.ndarray  # (n_transactions,) int64, not contiguous, rows in random order
    day: np.ndarray  # (n_transactions,) int64 in [0, REF_DAY)
    amount: np.ndarray  # (n_transactions,) float64, dollars with cents
    ref_day: int
    ids: np.ndarray  # (n_customers,) int64 ascending
    segment: np.ndarray  # (n_customers,) int64, the latent segment of ids[i]


def transactions(seed=SEED, n_customers=N_CUSTOMERS, segments=SEGMENTS):
    rng = np.random.default_rng(seed)
    shares = np.array([s[1] for s in segments])
    seg = rng.choice(len(segments), size=n_customers, p=shares / shares.sum())
    ids = np.sort(rng.choice(np.arange(10_000, 100_000), size=n_customers, replace=False)).astype(np.int64)
    cid, days, amounts = [], [], []
    for i in range(n_customers):
        _, _, (rate, rate_sd), (basket, basket_sd), (s0, s1), (e0, e1) = segments[seg[i]]
        start = rng.integers(s0, s1 + 1)
        end = max(start + 1, rng.integers(e0, e1 + 1))
        end = min(end, REF_DAY)
        years = (end - start) / 365.0
        n = 1 + rng.poisson(rate * np.exp(rate_sd * rng.standard_normal()) * years)
        d = rng.integers(start, end, size=n)
        typical = basket * np.exp(basket_sd * rng.standard_normal())
        a = np.round(typical * np.exp(BASKET_NOISE * rng.standard_normal(n)), 2)
        cid.append(np.full(n, ids[i]))
        days.append(d)
        amounts.append(np.maximum(a, 0.5))
    cid, days, amounts = np.concatenate(cid), np.concatenate(days), np.concatenate(amounts)
    order = rng.permutation(len(cid))
    return Transactions(
        cid[order].astype(np.int64),
        days[order].astype(np.int64),
        amounts[order].astype(np.float64),
        REF_DAY,
        ids,
        seg.astype(np.int64),
    )


def three_segments(seed=OTHER_SEED):
    """Other customers, as many, from three segments only (no big occasional buyers): `choose_k`
    must find 3 here, so a choose_k that always answers 4 does not pass."""
    return transactions(seed, n_customers=N_CUSTOMERS, segments=SEGMENTS[:2] + SEGMENTS[3:])


def in_cents(t):
    """The same transactions with amounts in cents instead of dollars."""
    return Transactions(t.customer_id, t.day, np.round(t.amount * 100.0, 0), t.ref_day, t.ids, t.segment)


@dataclass(frozen=True)
class Table:
    what: str  # described to the student in feedback
    customer_id: np.ndarray  # int64
    day: np.ndarray  # int64
    amount: np.ndarray  # float64
    ref_day: int


def _table(what, rows, ref_day):
    cid, day, amount = zip(*rows)
    return Table(
        what, np.array(cid, dtype=np.int64), np.array(day, dtype=np.int64), np.array(amount, dtype=np.float64), ref_day
    )


# Worked out by hand (tests/test_exercise_09.py checks expected.rfm against these numbers):
#   id 5: recency 0, 1 purchase, 12.50     id 7: recency 97, 3 purchases (2 on day 3), 20.00
#   id 42: recency 1, 3 purchases (2 on day 99), 7.00     id 1003: recency 50, 1, 7.25
#   id 900000001: recency 100, 1, 99.99
SMALL_ROWS = [
    (42, 10, 5.00),
    (7, 3, 20.00),
    (42, 99, 15.00),
    (1003, 50, 7.25),
    (7, 3, 30.00),
    (42, 99, 1.00),
    (5, 100, 12.50),
    (7, 1, 10.00),
    (900000001, 0, 99.99),
]
SMALL_RFM = {5: (0, 1, 12.5), 7: (97, 3, 20.0), 42: (1, 3, 7.0), 1003: (50, 1, 7.25), 900000001: (100, 1, 99.99)}


def hand_tables(seed=SEED):
    """Small tables for the exactness check of rfm_features."""
    rng = np.random.default_rng(seed + 2)
    # 40 customers with 64-bit ids, 1-6 purchases each on few distinct days; rows shuffled.
    ids = rng.choice(np.arange(2**33, 2**33 + 10**9, 7919), size=40, replace=False)
    rows = []
    for cid in ids:
        days = rng.choice(rng.integers(0, 365, size=3), size=rng.integers(1, 7))
        rows += [(int(cid), int(d), float(np.round(rng.uniform(0.5, 400.0), 2))) for d in days]
    rows = [rows[i] for i in rng.permutation(len(rows))]
    return [
        _table(
            "9 rows of 5 customers, out of order, some with one purchase, two purchases on one "
            "day, ids 5 to 900000001, ref_day 100",
            SMALL_ROWS,
            100,
        ),
        _table("a single purchase made on ref_day", [(31, 10, 9.99)], 10),
        _table(f"{len(rows)} shuffled rows of 40 customers with ids above 2**33, ref_day 400", rows, 400),
    ]

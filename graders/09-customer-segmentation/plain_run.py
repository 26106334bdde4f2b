"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
RFM of the hidden transactions, choose k, segment."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from reference import choose_k, rfm_features, segment
from sklearn.metrics import adjusted_rand_score

from data import TRUE_K, transactions

t = transactions()
ids, features = rfm_features(t.customer_id, t.day, t.amount, t.ref_day)
k = choose_k(features)
labels = segment(features, TRUE_K)
print(f"k {k}, ARI {adjusted_rand_score(t.segment, labels):.3f}")

"""The reference's work in a plain process, outside mlgrade (for benchmarks/bench_exercises.py):
fit on the hidden training split with the defaults, predict the test split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from reference import MLP

from data import hidden_digits

digits = hidden_digits()
model = MLP(64, 64, 10, seed=0).fit(digits.X_train, digits.y_train)
print(f"accuracy {(model.predict(digits.X_test) == digits.y_test).mean():.3f}")

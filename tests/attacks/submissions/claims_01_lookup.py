# ruff: noqa: F821  (a fragment: the file it is appended to defines np, the reference's names)
# Appended to the reference of exercise 01 by tests/attacks/test_grader_claims.py.
#
# The attack: the 1,797 public digits ride inside the submission (the test fills in
# PUBLIC_DIGITS from scikit-learn on the host: sklearn is forbidden in 01 and absent from the
# sandbox). The grader's hidden pixel order does not hide a digit from a lookup: the sorted
# pixel values of an image are the same in any order. predict answers every large batch from
# the lookup; small batches (the grader's contract checks) get the reference's honest answer.
#
# LAZY = True: fit returns at once and trains nothing, so the parameters stay as initialised
# (the attack as reported: accuracy 1.000 from predict with no training at all).
# LAZY = False (the variant): fit trains honestly, and predict still answers from the lookup.

PUBLIC_DIGITS = "__PUBLIC_DIGITS__"  # rows "pixels;label", pixels as letters a (0) .. q (16)
LAZY = True  # the variant: False

_Reference = MLP


def _signature(pixels):
    return bytes(sorted(int(round(v)) for v in pixels))


def _table():
    table = {}
    for row in PUBLIC_DIGITS.split("|"):
        pixels, label = row.split(";")
        table.setdefault(_signature(ord(c) - 97 for c in pixels), int(label))
    return table


_TABLE = _table()


class MLP(_Reference):
    def fit(self, X, y, epochs=40, lr=0.1, batch_size=32):
        return self if LAZY else super().fit(X, y, epochs, lr, batch_size)

    def predict(self, X):
        honest = super().predict(X)
        if len(X) < 100:
            return honest
        found = [_TABLE.get(_signature(row * 16.0)) for row in np.asarray(X)]
        return np.array([h if f is None else f for f, h in zip(found, honest)], dtype=np.int64)

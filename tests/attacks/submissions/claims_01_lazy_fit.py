# ruff: noqa: F821  (a fragment: the file it is appended to defines np, the reference's names)
# Appended to the reference of exercise 01 by tests/attacks/test_grader_claims.py.
#
# The attack: runtime checks timed only fit, so fit returns at once and the work moves to a
# later call. WHERE = "predict": the first predict trains (the attack as reported: full
# runtime points for a 0.1 s fit that did nothing). WHERE = "params" (the variant): reading
# params trains, and then burns BURN seconds of CPU, so that the timed block must hold the
# read of params for the runtime to see the work.

import time as _time

WHERE = "predict"  # the variant: "params"
BURN = 6.0

_Reference = MLP


def _burn(seconds):
    end = _time.process_time() + seconds
    while _time.process_time() < end:
        pass


class MLP(_Reference):
    def __init__(self, *args, **kwargs):
        self._pending = None
        super().__init__(*args, **kwargs)

    @property
    def params(self):
        if WHERE == "params":
            self._train_now()
        return self._params

    @params.setter
    def params(self, value):
        self._params = value

    def _train_now(self):
        if self._pending is not None:
            X, y, args = self._pending
            self._pending = None
            _Reference.fit(self, X, y, *args)
            _burn(BURN if WHERE == "params" else 0.0)

    def fit(self, X, y, epochs=40, lr=0.1, batch_size=32):
        self._pending = (X, y, (epochs, lr, batch_size))
        return self

    def predict(self, X):
        self._train_now()
        return super().predict(X)

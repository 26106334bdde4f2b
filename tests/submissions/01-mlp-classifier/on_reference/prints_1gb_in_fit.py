_Reference = MLP


class MLP(_Reference):
    def fit(self, X, y, epochs=40, lr=0.1, batch_size=32):
        line = "debug " * 174762 + "\n"  # about 1 MiB
        for _ in range(1024):
            print(line, end="")
        return super().fit(X, y, epochs, lr, batch_size)

_Reference = MLP


class MLP(_Reference):
    def predict(self, X):
        if len(X) < 100:
            return super().predict(X)
        return np.zeros(2**28)  # 2 GiB

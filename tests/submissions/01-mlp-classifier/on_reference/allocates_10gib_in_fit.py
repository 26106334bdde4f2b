_Reference = MLP


class MLP(_Reference):
    def fit(self, X, y, epochs=40, lr=0.1, batch_size=32):
        cache = np.ones(10 * 2**30 // 8)  # touches every page
        return super().fit(X, y, epochs, lr, batch_size) if cache.any() else self

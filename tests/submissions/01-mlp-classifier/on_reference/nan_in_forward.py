_Reference = MLP


class MLP(_Reference):
    def forward(self, X):
        probs = super().forward(X)
        probs[0, 0] = np.nan
        return probs

    def predict(self, X):
        return _Reference.forward(self, X).argmax(axis=1).astype(np.int64)

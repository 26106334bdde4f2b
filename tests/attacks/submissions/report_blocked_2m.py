# Appended to the reference of 01-mlp-classifier. During fit, the harness's list of blocked
# imports becomes 2 million names, sent with the reply: the host once de-duplicated them with a
# list look-up (hours of CPU). Such a reply is now refused for its size.
import gc


class MLP(globals()["MLP"]):
    def fit(self, X, y, *args, **kwargs):
        harness = next(o for o in gc.get_objects() if type(o).__name__ == "Harness")
        harness.blocker.attempts = [f"module{i}" for i in range(2_000_000)]
        return super().fit(X, y, *args, **kwargs)

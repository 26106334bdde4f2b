# Appended to the reference of 01-mlp-classifier. fit prints text laced with bidi overrides
# and isolates, zero-width characters and line separators (to make a report read otherwise
# than it says), then fails, so that its check fails and shows what it printed.
TROJAN = (
    "score \u202e001/0\u202c \u2066isolated\u2069 \u2067rtl\u2069 \u2068first\u2069 \u202aembed\u202c \u202bembed\u202c"
    " \u202doverride\u202c zero\u200bwidth\u200c\u200d \u200emark\u200f \u2060joiner \ufeffbom line\u2028sep para\u2029sep"
)


class MLP(globals()["MLP"]):
    def fit(self, X, y, *args, **kwargs):
        print(TROJAN)
        raise RuntimeError("fit gave up")

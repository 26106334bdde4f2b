# ruff: noqa: F821  (a fragment: the file it is appended to defines np, the reference's names)
# Appended to tests/submissions/04-rnn-sentiment/mean_over_padding.py by
# tests/attacks/test_grader_claims.py: the variant of the attack on comparison checks.
#
# The model reads the padding (its label for a short text changes inside a batch of longer
# ones), and predict remembers the first label it gave every text. The grader that compared a
# text alone with the same text in a batch, in one sandbox, got the remembered label back and
# gave the check's points (100); now each way of asking goes to a fresh sandbox: 85.

_predict_reading_the_padding = predict
_SEEN = {}


def predict(classifier, texts):
    texts = list(texts)
    labels = _predict_reading_the_padding(classifier, texts)
    return np.array([_SEEN.setdefault(t, int(label)) for t, label in zip(texts, labels)], dtype=np.int64)

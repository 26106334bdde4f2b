"""Public checks of exercise 04: run them with `mlgrade check 04 solution.py`.

They run your code in the same sandbox as the grader, on public data (sentences.py). The
hidden grader runs the same kinds of checks on hidden texts and hidden sentences.
"""

import numpy as np
import pytest

from mlgrade.grading import as_array

from sentences import KINDS, public_split

TEXTS = ["The movie was good", "the movie was not good", "Bad  movie"]
VOCAB = {"<pad>": 0, "<unk>": 1, "movie": 2, "good": 3, "the": 4, "was": 5, "bad": 6, "not": 7}


@pytest.fixture(scope="session")
def data():
    return public_split()


@pytest.fixture(scope="session")
def classifier(submission, data):
    (texts, labels), _ = data
    return submission.call("train", texts, labels, _timeout=60)


@pytest.mark.points(1)
def test_build_vocab_example(submission):
    """build_vocab on the README's example"""
    got = submission.call("build_vocab", TEXTS)
    assert got == VOCAB, f"build_vocab(TEXTS) gave {got}; expected {VOCAB}"
    got = submission.call("build_vocab", TEXTS, min_freq=2)
    want = {w: i for w, i in VOCAB.items() if i <= 5}
    assert got == want, f"build_vocab(TEXTS, min_freq=2) gave {got}; expected {want}"


@pytest.mark.points(1)
def test_encode_example(submission):
    """encode on the README's example"""
    got = as_array(
        submission.call("encode", ["the movie was not good at all", "Great movie"], VOCAB, 5),
        "encode",
        shape=(2, 5),
        dtype=np.int64,
    )
    want = [[4, 2, 5, 7, 3], [1, 2, 0, 0, 0]]
    assert got.tolist() == want, f"encode gave {got.tolist()}; expected {want}"


@pytest.mark.points(1)
def test_forward_shape(submission):
    """SentimentRNN(30).forward maps (3, 6) token ids to (3, 2) logits"""
    model = submission.call("SentimentRNN", 30)
    tokens = np.array([[5, 9, 2, 7, 3, 4], [8, 2, 0, 0, 0, 0], [11, 0, 0, 0, 0, 0]], dtype=np.int64)
    as_array(
        submission.call_method(model, "forward", tokens, _tensors=True), "SentimentRNN.forward", shape=(3, 2), kind="f"
    )


@pytest.mark.points(0)
def test_recurrent_layer(submission):
    """for information, 0 points: SentimentRNN holds nn.RNN, nn.GRU or nn.LSTM"""
    # Reported by the submission's own process, so, as in the hidden grader, worth no points.
    layers = submission.describe(submission.call("SentimentRNN", 30))["layers"]
    assert {"RNN", "GRU", "LSTM", "RNNCell", "GRUCell", "LSTMCell"} & set(layers), (
        f"SentimentRNN holds {layers}; it needs a recurrent layer"
    )


@pytest.mark.points(1)
def test_alone_equals_in_batch(submission, classifier, data):
    """a short text gets the same label alone as in a batch of longer texts"""
    _, (texts, _, _) = data
    short = [t for t in texts if len(t.split()) <= 7][:10]
    long = [t for t in texts if len(t.split()) >= 15][:10]
    batch = as_array(
        submission.call("predict", classifier, short + long), "predict", shape=(len(short) + len(long),), dtype=np.int64
    )
    for i, text in enumerate(short):
        alone = as_array(submission.call("predict", classifier, [text]), "predict", shape=(1,), dtype=np.int64)
        assert alone[0] == batch[i], f"{text!r}: {alone[0]} alone, {batch[i]} in a batch of longer texts"


@pytest.mark.points(1)
def test_learns_public_sentences(submission, classifier, data, credit):
    """train learns the public sentences (test pairs unseen in training)"""
    _, (texts, labels, kinds) = data
    pred = as_array(submission.call("predict", classifier, texts), "predict", shape=(len(texts),), kind="iu")
    credit.measure("accuracy on the public test sentences", float((pred == labels).mean()), full_at=0.90, zero_at=0.75)
    kinds = np.asarray(kinds)
    credit.note("by kind: " + ", ".join(f"{k} {(pred == labels)[kinds == k].mean():.3f}" for k in KINDS))

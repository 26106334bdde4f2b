"""Hidden grader of 04-rnn-sentiment. Runs on the host; the submission runs in the sandbox.

The trained classifier stays in the sandbox: the host sends texts, receives labels and scores
them against hidden labels that never leave this process. Vocabularies and encodings are
compared with the host's own implementation of the rule (expected.py).
"""

import numpy as np
import pytest

from mlgrade.grading import as_array, speed_counts_only_if

import expected
from data import KINDS, encode_texts, hidden_split, vocab_texts

ACCURACY_FULL, ACCURACY_ZERO = 0.90, 0.75
TRAIN_TIMEOUT = 60  # reference-machine seconds for one train call: where the runtime budget ends
RECURRENT = {"RNN", "GRU", "LSTM", "RNNCell", "GRUCell", "LSTMCell"}
SHORT, LONG, N_PROBES = 7, 15, 30


@pytest.fixture(scope="session")
def split():
    return hidden_split()


@pytest.fixture(scope="session")
def trained(submission, split):
    """train once on the hidden training sentences; later checks use the classifier it returns."""
    with submission.stopwatch() as train_time:
        classifier = submission.call("train", split.train.texts, split.train.labels, _timeout=TRAIN_TIMEOUT)
    return {"classifier": classifier, "seconds": train_time.seconds}


@pytest.fixture(scope="session")
def accuracy(submission, trained, split):
    predictions = submission.call("predict", trained["classifier"], split.test.texts)
    predictions = as_array(predictions, "predict", shape=(len(split.test.texts),), kind="iu")
    correct = predictions == split.test.labels
    kinds = np.asarray(split.test.kinds)
    return float(correct.mean()), {k: float(correct[kinds == k].mean()) for k in KINDS}


def differences(got, want, limit=3):
    lines = [f'"{w}" has id {got[w]!r}; the rule gives {i}' for w, i in want.items() if w in got and got[w] != i]
    lines += [f'"{w}" is missing (the rule gives it id {i})' for w, i in want.items() if w not in got]
    lines += [f'"{w}" should not be there' for w in got if w not in want]
    return "; ".join(lines[:limit]) + (f"; and {len(lines) - limit} more" if len(lines) > limit else "")


@pytest.mark.points(15)
def test_build_vocab(submission):
    """build_vocab follows the rule exactly"""
    texts = vocab_texts()
    for min_freq in (1, 2, 3):
        kwargs = {} if min_freq == 1 else {"min_freq": min_freq}
        got = submission.call("build_vocab", texts, **kwargs)
        call = f"build_vocab(texts{f', min_freq={min_freq}' if kwargs else ''})"
        assert isinstance(got, dict), f"{call} returned {type(got).__name__}; expected a dict from word to id"
        assert all(type(v) is int for v in got.values()), f"{call}: every id must be an int"
        want = expected.build_vocab(texts, min_freq)
        if got != want:
            hints = expected.vocab_hints(got, want, texts, min_freq)
            raise AssertionError(
                f"{call} on {len(texts)} hidden texts differs from the rule: {differences(got, want)}"
                + (f" (hint: {'; '.join(hints)})" if hints else "")
            )


@pytest.mark.points(15)
def test_encode(submission):
    """encode follows the rule exactly"""
    vocab = expected.build_vocab(vocab_texts(), min_freq=2)
    texts = encode_texts()
    for max_len in (6, 12):
        got = as_array(
            submission.call("encode", texts, vocab, max_len),
            f"encode(texts, vocab, {max_len})",
            shape=(len(texts), max_len),
            dtype=np.int64,
        )
        want = expected.encode(texts, vocab, max_len)
        bad = [i for i in range(len(texts)) if not np.array_equal(got[i], want[i])]
        if bad:
            i = bad[0]
            hints = expected.encode_hints(got[i], want[i], texts[i], vocab, max_len)
            raise AssertionError(
                f"encode(texts, vocab, {max_len}) differs from the rule on {len(bad)} of {len(texts)} hidden "
                f"texts; for {texts[i]!r} it gave {got[i].tolist()}, the rule gives {want[i].tolist()}"
                + (f" (hint: {'; '.join(hints)})" if hints else "")
            )


@pytest.mark.points(10)
def test_forward_shape(submission):
    """SentimentRNN.forward maps (N, L) token ids to (N, num_classes) logits"""
    rng = np.random.default_rng(4)
    for args, kwargs, classes in (((41,), {}, 2), ((23,), {"embed_dim": 8, "hidden_dim": 12, "num_classes": 3}, 3)):
        built = f"SentimentRNN({', '.join([str(a) for a in args] + [f'{k}={v}' for k, v in kwargs.items()])})"
        model = submission.call("SentimentRNN", *args, **kwargs)
        for n, length in ((1, 1), (5, 9), (8, 17)):
            tokens = rng.integers(2, args[0], (n, length)).astype(np.int64)
            lengths = rng.integers(1, length + 1, n)
            lengths[0] = length
            tokens[np.arange(length)[None, :] >= lengths[:, None]] = 0
            logits = submission.call_method(model, "forward", tokens, _tensors=True)
            as_array(logits, f"{built}.forward on a ({n}, {length}) tensor of token ids", shape=(n, classes), kind="f")


@pytest.mark.points(5)
def test_recurrent_layer(submission):
    """SentimentRNN holds a recurrent layer (nn.RNN, nn.GRU or nn.LSTM)"""
    layers = submission.describe(submission.call("SentimentRNN", 41)).get("layers", [])
    assert RECURRENT & set(layers), (
        f"SentimentRNN(41) holds the layers {', '.join(layers) or 'none'}; the exercise asks for a "
        f"recurrent one (nn.RNN, nn.GRU or nn.LSTM)"
    )


@pytest.mark.points(10)
def test_alone_equals_in_batch(submission, trained, split):
    """predict returns (N,) int64, and a text gets the same label alone as in a batch of longer texts"""
    lengths = [len(t.split()) for t in split.test.texts]
    probes = [t for t, n in zip(split.test.texts, lengths) if n <= SHORT][:N_PROBES]
    longer = [t for t, n in zip(split.test.texts, lengths) if n >= LONG][:N_PROBES]
    batch = [t for pair in zip(probes, longer) for t in pair]
    in_batch = as_array(
        submission.call("predict", trained["classifier"], batch), "predict", shape=(len(batch),), dtype=np.int64
    )[0::2]
    alone = np.array(
        [
            as_array(
                submission.call("predict", trained["classifier"], [t]),
                "predict on one text",
                shape=(1,),
                dtype=np.int64,
            )[0]
            for t in probes
        ]
    )
    differ = np.flatnonzero(alone != in_batch)
    assert not len(differ), (
        f"{len(differ)} of {len(probes)} short hidden texts got a different label alone than in a batch "
        f"with longer texts (for example {probes[differ[0]]!r}: {alone[differ[0]]} alone, "
        f"{in_batch[differ[0]]} in the batch). The padding a batch adds must not change a prediction: "
        f"read each text's state at its last real token (or pack the sequences), not at the padding"
    )


@pytest.mark.points(35)
def test_hidden_accuracy(accuracy, credit):
    """accuracy on the hidden test sentences after train"""
    overall, by_kind = accuracy
    credit.measure("accuracy on the hidden test sentences", overall, full_at=ACCURACY_FULL, zero_at=ACCURACY_ZERO)
    credit.note("by kind of sentence: " + ", ".join(f"{k} {v:.3f}" for k, v in by_kind.items()))


@pytest.mark.points(10)
def test_train_runtime(trained, accuracy, credit, exercise):
    """train runs within the time budget"""
    speed_counts_only_if(
        accuracy[0] >= ACCURACY_ZERO,
        f"a train that learns (accuracy {ACCURACY_ZERO} or more)",
        f"accuracy {accuracy[0]:.3f}",
    )
    credit.runtime("train on the hidden training sentences", trained["seconds"], exercise.budgets["train"])

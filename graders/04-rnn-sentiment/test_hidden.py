"""Hidden grader of 04-rnn-sentiment. Runs on the host; the submission runs in the sandbox.

The trained classifier stays in the sandbox: the host sends texts, receives labels and scores
them against hidden labels that never leave this process. Vocabularies and encodings are
compared with the host's own implementation of the rule (expected.py). Whether the model holds
a recurrent layer is only what the sandbox says about it (the submission controls that: an
unused nn.LSTM attribute is enough), so it is reported for information and worth no points;
its points went to the behaviour a recurrent model reading each text to its last real token
shows: the same label alone and in a batch of longer texts.

The checks on the trained classifier come first: their fixture starts the first sandbox, so
the import it times costs no extra sandbox. The alone-or-in-a-batch check comes last, as it
replaces the sandbox (twice) and the classifier of the earlier ones goes stale.
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
# The classifiers of the alone-or-in-a-batch check are trained in fresh sandboxes on the first
# PROBE_TRAIN training sentences: a third of the cost of the full training.
PROBE_TRAIN = 1000


@pytest.fixture(scope="session")
def split():
    return hidden_split()


@pytest.fixture(scope="session")
def trained(submission, split):
    """train on the hidden training sentences and predict the hidden test sentences, timed
    together in a fresh sandbox.

    Timed is all the work that produces the scored labels: the import (a fresh sandbox puts
    it inside the block, so training at import time counts), ``train`` and the first
    ``predict`` (which a lazy ``train`` could leave the training to).
    """
    submission.restart()
    with submission.stopwatch() as watch:
        classifier = submission.call("train", split.train.texts, split.train.labels, _timeout=TRAIN_TIMEOUT)
        predictions = submission.call("predict", classifier, split.test.texts)
    predictions = as_array(predictions, "predict", shape=(len(split.test.texts),), kind="iu")
    correct = predictions == split.test.labels
    kinds = np.asarray(split.test.kinds)
    return {
        "seconds": watch.seconds,
        "accuracy": float(correct.mean()),
        "by_kind": {k: float(correct[kinds == k].mean()) for k in KINDS},
    }


def differences(got, want, limit=3):
    lines = [f'"{w}" has id {got[w]!r}; the rule gives {i}' for w, i in want.items() if w in got and got[w] != i]
    lines += [f'"{w}" is missing (the rule gives it id {i})' for w, i in want.items() if w not in got]
    lines += [f'"{w}" should not be there' for w in got if w not in want]
    return "; ".join(lines[:limit]) + (f"; and {len(lines) - limit} more" if len(lines) > limit else "")


@pytest.mark.points(35)
def test_hidden_accuracy(trained, credit):
    """accuracy on the hidden test sentences after train"""
    credit.measure(
        "accuracy on the hidden test sentences", trained["accuracy"], full_at=ACCURACY_FULL, zero_at=ACCURACY_ZERO
    )
    credit.note("by kind of sentence: " + ", ".join(f"{k} {v:.3f}" for k, v in trained["by_kind"].items()))


@pytest.mark.points(10)
def test_train_runtime(trained, credit, exercise):
    """train runs within the time budget"""
    speed_counts_only_if(
        trained["accuracy"] >= ACCURACY_ZERO,
        f"a train that learns (accuracy {ACCURACY_ZERO} or more)",
        f"accuracy {trained['accuracy']:.3f}",
    )
    credit.runtime(
        "Importing solution.py, train on the hidden training sentences and the first predict",
        trained["seconds"],
        exercise.budgets["train"],
    )


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


def reported_layers(described):
    """Layer names from a ``describe`` reply, read defensively: it comes from the sandbox."""
    layers = described.get("layers") if isinstance(described, dict) else None
    return [str(x)[:40] for x in layers[:50]] if isinstance(layers, list) else []


@pytest.mark.points(0)
def test_recurrent_layer(submission, credit):
    """for information, 0 points: SentimentRNN holds a recurrent layer (nn.RNN, nn.GRU or nn.LSTM)"""
    layers = reported_layers(submission.describe(submission.call("SentimentRNN", 41)))
    credit.note(
        "Reported by your own code in the sandbox, which the grader cannot verify: worth no points. "
        f"SentimentRNN(41) reports the layers {', '.join(layers) or 'none'}."
    )
    assert RECURRENT & set(layers), "the exercise asks for a recurrent layer (nn.RNN, nn.GRU or nn.LSTM)"


def fresh_classifier(submission, split):
    """A classifier trained in a fresh sandbox on the first PROBE_TRAIN training sentences.

    Every call is seeded, so each fresh sandbox trains the same classifier; and it remembers
    nothing of any earlier call (a cache of labels, a count of calls).
    """
    submission.restart()
    texts, labels = split.train.texts[:PROBE_TRAIN], split.train.labels[:PROBE_TRAIN]
    return submission.call("train", texts, labels, _timeout=TRAIN_TIMEOUT)


@pytest.mark.points(15)
def test_alone_equals_in_batch(submission, split):
    """predict returns (N,) int64, and a text gets the same label alone as in a batch of longer texts"""
    # Alone and in the batch, each text is shown to a sandbox that has never seen it: the texts
    # alone in one fresh sandbox, the batch in another, with the same classifier. Within one
    # sandbox no order of the calls would do: a classifier that remembers the first label it
    # gave each text passes any comparison of a second answer with the first.
    lengths = [len(t.split()) for t in split.test.texts]
    probes = [t for t, n in zip(split.test.texts, lengths) if n <= SHORT][:N_PROBES]
    longer = [t for t, n in zip(split.test.texts, lengths) if n >= LONG][:N_PROBES]
    batch = [t for pair in zip(probes, longer) for t in pair]
    classifier = fresh_classifier(submission, split)
    alone = np.array([one_label(submission, classifier, t) for t in probes])
    classifier = fresh_classifier(submission, split)
    in_batch = as_array(submission.call("predict", classifier, batch), "predict", shape=(len(batch),), dtype=np.int64)[
        0::2
    ]
    differ = int((alone != in_batch).sum())
    assert not differ, (
        f"{differ} of {len(probes)} short hidden texts got a different label alone than in a batch "
        f"with longer texts. The padding a batch adds must not change a prediction: read each "
        f"text's state at its last real token (or pack the sequences), not at the padding. (The "
        f"grader trains the classifier for each way of asking in a fresh sandbox: train must give "
        f"the same classifier each time; every call is seeded.)"
    )


def one_label(submission, classifier, text):
    return as_array(submission.call("predict", classifier, [text]), "predict on one text", shape=(1,), dtype=np.int64)[
        0
    ]

"""Hidden grader of 05-transformer-translation. Runs on the host; the submission runs in the sandbox.

The trained translator stays in the sandbox: the host sends the hidden source sentences,
receives strings, and scores them against hidden reference translations that never leave this
process (corpus BLEU with sacrebleu, and exact matches). Causality is judged from logits: the
host builds an untrained model in a sandbox where nothing but the import has run (the grading's
own, before any other check), sends one target input, builds the same model in a fresh sandbox
and sends a second target input that differs only after position t; the logits up to t must
agree. Separate sandboxes, because a model that kept the first call's inputs in a cache could
fake the agreement within one process.
"""

import numpy as np
import pytest

from mlgrade.grading import as_array, speed_counts_only_if

from data import causality_probes, hidden_split
from metrics import normalise, score

BLEU_FULL, BLEU_ZERO = 85.0, 50.0
EXACT_FULL, EXACT_ZERO = 0.70, 0.30
TRAIN_TIMEOUT = 300  # reference-machine seconds for the one call of train (a watchdog beyond the budget)
TRANSLATE_TIMEOUT = 60
MAX_CHARS = 1000  # a translation of at most 20 tokens is far shorter: a longer string is refused
CAUSAL_TOLERANCE = 1e-4  # two fresh sandboxes build the same weights: honest logits agree to rounding
ATTENTION = {"MultiheadAttention", "Transformer", "TransformerDecoderLayer", "TransformerDecoder"}
PROBE_VOCAB = (30, 25)  # source and target vocabulary sizes of the untrained models


@pytest.fixture(scope="session")
def split():
    return hidden_split()


def check_translations(value, n, what):
    """``value`` as ``n`` strings, or an AssertionError that says what came back."""
    assert isinstance(value, (list, tuple)), f"{what} returned {type(value).__name__}; expected a list of {n} strings"
    assert len(value) == n, f"{what} returned {len(value)} translations for {n} sentences"
    bad = [i for i, v in enumerate(value) if not isinstance(v, str)]
    assert not bad, f"{what}: item {bad[0]} is a {type(value[bad[0]]).__name__}; every translation must be a str"
    long = [i for i, v in enumerate(value) if len(v) > MAX_CHARS]
    assert not long, f"{what}: {len(long)} translation(s) are longer than {MAX_CHARS} characters"
    return [normalise(v) for v in value]


@pytest.fixture(scope="session")
def translated(submission, split):
    """Train once on the hidden training pairs and translate the hidden test sentences; the
    runtime budget covers both calls, so no training can hide in the first translate."""
    sources = [s for s, _ in split.test.pairs]
    with submission.stopwatch() as train_time:
        translator = submission.call("train", split.train.pairs, _timeout=TRAIN_TIMEOUT)
        out = submission.call("translate", translator, sources, _timeout=TRANSLATE_TIMEOUT)
    hypotheses = check_translations(out, len(sources), f"translate on {len(sources)} hidden sentences")
    scores = score(hypotheses, [t for _, t in split.test.pairs])
    scores["empty"] = sum(not h for h in hypotheses)
    return {"scores": scores, "seconds": train_time.seconds}


def fresh_sandbox(submission):
    """Make sure the next call runs in a sandbox where no call but the import has run yet:
    restart it unless that is already so (the first check of a grading, the sandbox not even
    started: one container start saved)."""
    if any(not call.what.startswith("importing ") for call in submission.stats):
        submission.restart()


def logits_in_a_fresh_sandbox(submission, src, tgt_in):
    """forward of TranslationModel(*PROBE_VOCAB), built and called in a sandbox of its own."""
    fresh_sandbox(submission)
    model = submission.call("TranslationModel", *PROBE_VOCAB)
    submission.call_method(model, "eval")  # no dropout: the two runs must compute the same function
    logits = submission.call_method(model, "forward", src, tgt_in, _tensors=True)
    shape = (*tgt_in.shape, PROBE_VOCAB[1])
    return as_array(logits, f"TranslationModel{PROBE_VOCAB}.forward", shape=shape, kind="f")


@pytest.mark.points(15)
def test_causality(submission):
    """an untrained model's logits up to position t do not depend on the target tokens after t"""
    # First in the file: the grading's own sandbox is still fresh, so one restart does.
    src, first, second, cuts = causality_probes()
    a = logits_in_a_fresh_sandbox(submission, src, first)
    b = logits_in_a_fresh_sandbox(submission, src, second)
    gaps = [float(np.abs(a[row, : cut + 1] - b[row, : cut + 1]).max()) for row, cut in enumerate(cuts)]
    scale = max(1.0, float(np.abs(a).max()))
    bad = [row for row, gap in enumerate(gaps) if gap > CAUSAL_TOLERANCE * scale]
    if not bad:
        return
    # Tell a leak from a model that is not the same function twice (weights or dropout not seeded).
    again = logits_in_a_fresh_sandbox(submission, src, first)
    if np.abs(again - a).max() > CAUSAL_TOLERANCE * scale:
        raise AssertionError(
            "TranslationModel gave different logits for the same inputs in two fresh sandboxes "
            "(seeded the same way): build it deterministically from torch's seed, and make forward "
            "deterministic in eval mode (no dropout, no randomness of your own), so that causality "
            "can be checked"
        )
    row = bad[0]
    raise AssertionError(
        f"the logits at positions 0..t changed when only target tokens after t changed, in {len(bad)} of "
        f"{len(cuts)} rows (row {row}, t = {int(cuts[row])}: by up to {gaps[row]:.3g}). Position i of the "
        f"decoder's self-attention must not see positions j > i: pass the causal mask to it "
        f"(in training it would otherwise read the very token it is asked to predict)"
    )


@pytest.mark.points(10)
def test_causal_mask(submission):
    """causal_mask(size) is True exactly where position i may not attend to j (j > i)"""
    for size in (1, 2, 5, 13):
        got = as_array(submission.call("causal_mask", size), f"causal_mask({size})", shape=(size, size), dtype=bool)
        want = np.triu(np.ones((size, size), dtype=bool), k=1)
        if not np.array_equal(got, want):
            hint = ""
            if np.array_equal(got, ~want):
                hint = " (it is the inverse: True must mark the positions that may NOT be attended to)"
            elif np.array_equal(got, want.T):
                hint = " (it is transposed: row i is the query position, column j the key position)"
            elif np.array_equal(got, np.triu(np.ones((size, size), dtype=bool))):
                hint = " (the diagonal must be False: a position may attend to itself)"
            raise AssertionError(
                f"causal_mask({size}) gave {got.astype(int).tolist()}; row i must be True exactly at the "
                f"columns j > i{hint}"
            )


@pytest.mark.points(10)
def test_forward_shape(submission, credit):
    """TranslationModel.forward maps (N, S) and (N, T) token ids to (N, T, tgt_vocab_size) logits"""
    rng = np.random.default_rng(5)
    cases = (
        ((41, 29), {}, ((1, 1, 1), (3, 7, 5), (2, 4, 11))),
        ((17, 11), {"d_model": 32, "nhead": 2, "num_layers": 1, "dim_feedforward": 48, "max_len": 16},
         ((4, 9, 16), (1, 16, 3))),
    )  # fmt: skip
    layers = set()
    for sizes, kwargs, shapes in cases:
        built = f"TranslationModel({', '.join([str(s) for s in sizes] + [f'{k}={v}' for k, v in kwargs.items()])})"
        model = submission.call("TranslationModel", *sizes, **kwargs)
        layers |= set(submission.describe(model).get("layers", []))
        submission.call_method(model, "eval")
        for n, s, t in shapes:
            src = rng.integers(1, sizes[0], (n, s)).astype(np.int64)
            tgt = rng.integers(1, sizes[1], (n, t)).astype(np.int64)
            logits = submission.call_method(model, "forward", src, tgt, _tensors=True)
            as_array(
                logits, f"{built}.forward on ({n}, {s}) and ({n}, {t}) token ids", shape=(n, t, sizes[1]), kind="f"
            )
    # What the sandbox says about the layers is the student's claim: feedback, never points.
    if ATTENTION & layers:
        credit.note(f"attention layers: {', '.join(sorted(ATTENTION & layers))}")
    else:
        credit.note(
            "no torch attention layer (nn.MultiheadAttention, nn.Transformer...) was found in the model: "
            "fine if you wrote attention yourself, as the exercise is about attention"
        )


@pytest.mark.points(30)
def test_hidden_bleu(translated, credit):
    """corpus BLEU of the hidden test translations after train"""
    scores = translated["scores"]
    credit.measure(
        f"corpus BLEU (sacrebleu) on the {scores['n']} hidden test sentences",
        scores["bleu"],
        full_at=BLEU_FULL,
        zero_at=BLEU_ZERO,
        fmt="{:.1f}",
    )
    if scores["empty"]:
        credit.note(f"{scores['empty']} of the {scores['n']} translations are empty")


@pytest.mark.points(25)
def test_exact_match(translated, credit):
    """share of hidden test sentences translated exactly"""
    scores = translated["scores"]
    credit.measure(
        f"exact matches on the {scores['n']} hidden test sentences (words compared, spacing ignored)",
        scores["exact"],
        full_at=EXACT_FULL,
        zero_at=EXACT_ZERO,
    )


@pytest.mark.points(10)
def test_train_runtime(translated, credit, exercise):
    """train (and the first translate) run within the time budget"""
    bleu = translated["scores"]["bleu"]
    speed_counts_only_if(
        bleu >= BLEU_ZERO, f"a translator that learns (BLEU {BLEU_ZERO:g} or more)", f"BLEU {bleu:.1f}"
    )
    credit.runtime(
        "train on the 8000 hidden training pairs and translate the test sentences",
        translated["seconds"],
        exercise.budgets["train"],
    )

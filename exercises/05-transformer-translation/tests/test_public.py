"""Public checks of exercise 05: run them with `mlgrade check 05 solution.py`.

They run your code in the same sandbox as the grader, on public data (language.py). The hidden
grader runs the same kinds of checks on its own language pair, with more test sentences.
"""

import numpy as np
import pytest
import sacrebleu

from mlgrade.grading import as_array

from language import public_split

MASK_4 = [[0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]]


@pytest.fixture(scope="session")
def data():
    return public_split()


def logits_in_a_fresh_sandbox(submission, src, tgt_in):
    """A model built and called in a sandbox where nothing but the import ran before: no cache
    of an earlier call can help it."""
    if any(not call.what.startswith("importing ") for call in submission.stats):
        submission.restart()
    model = submission.call("TranslationModel", 30, 25)
    submission.call_method(model, "eval")
    logits = submission.call_method(model, "forward", src, tgt_in, _tensors=True)
    return as_array(logits, "TranslationModel(30, 25).forward", shape=(*tgt_in.shape, 25), kind="f")


@pytest.mark.points(1)
def test_causality(submission):
    """logits up to position 2 do not depend on the target tokens after it"""
    src = np.array([[3, 8, 2, 9, 4]], dtype=np.int64)
    first = np.array([[1, 6, 4, 7, 9, 2]], dtype=np.int64)
    second = np.array([[1, 6, 4, 12, 3, 5]], dtype=np.int64)
    a = logits_in_a_fresh_sandbox(submission, src, first)
    b = logits_in_a_fresh_sandbox(submission, src, second)
    gap = float(np.abs(a[0, :3] - b[0, :3]).max())
    assert gap <= 1e-4 * max(1.0, float(np.abs(a).max())), (
        f"the logits at positions 0..2 changed by up to {gap:.3g} when only target tokens after position 2 "
        f"changed: the decoder's self-attention needs the causal mask"
    )


@pytest.mark.points(1)
def test_causal_mask_example(submission):
    """causal_mask(4) is True above the diagonal"""
    got = as_array(submission.call("causal_mask", 4), "causal_mask(4)", shape=(4, 4), dtype=bool)
    assert got.astype(int).tolist() == MASK_4, f"causal_mask(4) gave {got.astype(int).tolist()}; expected {MASK_4}"


@pytest.mark.points(1)
def test_forward_shape(submission):
    """TranslationModel(30, 25).forward maps (2, 6) and (2, 4) token ids to (2, 4, 25) logits"""
    model = submission.call("TranslationModel", 30, 25)
    src = np.array([[5, 9, 2, 7, 3, 4], [8, 2, 11, 6, 0, 0]], dtype=np.int64)
    tgt = np.array([[1, 5, 7, 9], [1, 4, 0, 0]], dtype=np.int64)
    logits = submission.call_method(model, "forward", src, tgt, _tensors=True)
    as_array(logits, "TranslationModel.forward", shape=(2, 4, 25), kind="f")


@pytest.mark.points(1)
def test_learns_public_pairs(submission, data, credit):
    """train learns the public pairs (test sentences hold adjective-noun pairs unseen in training)"""
    translator = submission.call("train", data.train.pairs, _timeout=300)
    sources = [s for s, _ in data.test.pairs]
    out = submission.call("translate", translator, sources, _timeout=60)
    assert isinstance(out, list) and len(out) == len(sources) and all(isinstance(t, str) for t in out), (
        f"translate must return a list of {len(sources)} strings"
    )
    hypotheses = [" ".join(t.split()) for t in out]
    references = [t for _, t in data.test.pairs]
    bleu = sacrebleu.corpus_bleu(hypotheses, [references]).score
    credit.measure("corpus BLEU on the public test sentences", bleu, full_at=85.0, zero_at=50.0, fmt="{:.1f}")
    exact = float(np.mean([h == r for h, r in zip(hypotheses, references)]))
    credit.measure("exact matches on the public test sentences", exact, full_at=0.70, zero_at=0.30)
    wrong = [(s, h, r) for s, h, r in zip(sources, hypotheses, references) if h != r][:3]
    for source, hypothesis, reference in wrong:
        credit.note(f"{source!r}: you gave {hypothesis!r}, expected {reference!r}")

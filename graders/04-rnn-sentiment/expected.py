"""The host's own vocabulary and encoding, by the rule of the contract, and feedback helpers."""

import itertools
from collections import Counter

import numpy as np

PAD, UNK = 0, 1


def tokens(text):
    return text.lower().split()


def build_vocab(texts, min_freq=1):
    counts = Counter(t for text in texts for t in tokens(text))
    kept = sorted((w for w, c in counts.items() if c >= min_freq), key=lambda w: (-counts[w], w))
    return {"<pad>": PAD, "<unk>": UNK, **{w: i for i, w in enumerate(kept, start=2)}}


def encode(texts, vocab, max_len):
    out = np.zeros((len(texts), max_len), dtype=np.int64)
    for row, text in enumerate(texts):
        ids = [vocab.get(t, UNK) for t in tokens(text)[:max_len]]
        out[row, : len(ids)] = ids
    return out


def vocab_hints(got, want, texts, min_freq):
    """Why a vocabulary differs from the rule's, as far as it can be told."""
    hints = []
    if got.get("<pad>") != PAD or got.get("<unk>") != UNK:
        hints.append('"<pad>" must be 0 and "<unk>" 1')
    words = [k for k in got if k not in ("<pad>", "<unk>")]
    if any(not isinstance(k, str) or len(k.split()) != 1 or k != k.strip() for k in words):
        hints.append("the words are text.lower().split(): split on any run of whitespace")
    if any(isinstance(k, str) and k != k.lower() for k in words):
        hints.append("lowercase the words (text.lower().split())")
    counts = Counter(t for text in texts for t in tokens(text))
    if any(0 < counts.get(k, 0) < min_freq for k in words):
        hints.append(f"words seen fewer than min_freq={min_freq} times are left out")
    if hints or set(got) != set(want):
        return hints
    if sorted(got.values()) != list(range(len(got))):
        return ["the ids are 0, 1, 2, ... with no gaps"]
    ranked = sorted(words, key=got.get)
    if any(counts[a] < counts[b] for a, b in itertools.pairwise(ranked)):
        return ["words are ordered by descending count, the most frequent first"]
    return ["words with equal counts are ordered alphabetically"]


def encode_hints(got_row, want_row, text, vocab, max_len):
    """Why one encoded row differs from the rule's."""
    n = int((want_row != PAD).sum())
    if n and np.array_equal(got_row[max_len - n :], want_row[:n]) and (got_row[: max_len - n] == PAD).all():
        return ["the padding goes on the right (ids first, then zeros)"]
    if len(tokens(text)) > max_len and np.array_equal(got_row, [vocab.get(t, UNK) for t in tokens(text)[-max_len:]]):
        return ["a text longer than max_len keeps its first max_len tokens, not its last"]
    if text != text.lower() and np.array_equal(got_row[:n], [vocab.get(t, UNK) for t in text.split()[:n]]):
        return ["the words are text.lower().split(): lowercase them before the lookup"]
    if (want_row == UNK).any() and not np.array_equal(got_row == UNK, want_row == UNK):
        return ['a word not in the vocabulary is encoded as 1 ("<unk>")']
    return []

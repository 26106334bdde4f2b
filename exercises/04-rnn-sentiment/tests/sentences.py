"""Public sentences for exercise 04: the grammar of the hidden data, with other content words.

    clause    := [det] noun verb [negator] [intensifier] adjective
                 label = polarity of the adjective, flipped by a negator
    sentence  := [filler] clause [tail]                    label of the clause
               | [filler] clause "but" clause [tail]       label of the second clause
               | [filler] clause "although" clause [tail]  label of the first clause

The two clauses of a compound always have opposite labels, so which one decides depends on
word order alone. The test sentences use only noun-adjective pairs that never occur in the
training sentences. The grader uses the same grammar with its own nouns and adjectives,
its own seeds and more sentences.
"""

import numpy as np

DETERMINERS = ["the", "this", "my", "our", "that"]
VERBS = ["was", "is", "seemed", "felt"]
NEGATORS = ["not", "never"]
INTENSIFIERS = ["very", "really", "quite", "extremely", "truly", "so"]
FILLERS = ["honestly", "i think", "to be fair", "overall", "in my opinion", "well", "frankly"]
TAILS = ["to be honest", "in the end", "if you ask me", "all things considered"]
KINDS = ("single", "but", "although")

NOUNS = ["coffee", "pizza", "bus", "teacher", "garden", "concert", "laptop", "bed", "city", "museum", "lesson", "party"]
POSITIVE = ["nice", "amazing", "perfect", "charming", "delightful", "fun", "cosy", "tasty"]
NEGATIVE = ["ugly", "slow", "noisy", "rude", "bland", "broken", "awkward", "messy"]


def _pairs(rng):
    adjectives = [(a, 1) for a in POSITIVE] + [(a, 0) for a in NEGATIVE]
    pairs = [(n, a, p) for n in NOUNS for a, p in adjectives]
    order = rng.permutation(len(pairs))
    cut = len(pairs) // 4
    return [pairs[i] for i in order[cut:]], [pairs[i] for i in order[:cut]]


def _clause(rng, pairs, want=None):
    while True:
        noun, adjective, positive = pairs[rng.integers(len(pairs))]
        negated = bool(rng.random() < 0.5)
        words = [DETERMINERS[rng.integers(5)]] if rng.random() < 0.8 else []
        words += [noun, VERBS[rng.integers(len(VERBS))]]
        if negated:
            words.append(NEGATORS[rng.integers(len(NEGATORS))])
        if rng.random() < 0.4:
            words.append(INTENSIFIERS[rng.integers(len(INTENSIFIERS))])
        words.append(adjective)
        label = int(positive) ^ int(negated)
        if want is None or label == want:
            return " ".join(words), label


def _sentence(rng, pairs, kind, want):
    while True:
        first, label = _clause(rng, pairs)
        if kind == "single":
            body = first
        else:
            second, other = _clause(rng, pairs, want=1 - label)
            body = f"{first} {kind} {second}"
            label = other if kind == "but" else label
        if label != want:
            continue
        if rng.random() < 0.3:
            body = f"{FILLERS[rng.integers(len(FILLERS))]} {body}"
        if rng.random() < 0.15:
            body = f"{body} {TAILS[rng.integers(len(TAILS))]}"
        return body, label


def _corpus(rng, pairs, n):
    rows = [_sentence(rng, pairs, KINDS[i % 3], (i // 3) % 2) for i in range(n)]
    kinds = [KINDS[i % 3] for i in range(n)]
    order = rng.permutation(n)
    return (
        [rows[i][0] for i in order],
        np.array([rows[i][1] for i in order], dtype=np.int64),
        [kinds[i] for i in order],
    )


def public_split(seed=2024, n_train=2000, n_test=600):
    """(train_texts, train_labels), (test_texts, test_labels, test_kinds)."""
    rng = np.random.default_rng(seed)
    train_pairs, test_pairs = _pairs(rng)
    train_texts, train_labels, _ = _corpus(rng, train_pairs, n_train)
    return (train_texts, train_labels), _corpus(rng, test_pairs, n_test)

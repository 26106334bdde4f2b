"""Hidden data of 04-rnn-sentiment. Lives only in the grader process on the host.

Sentences are generated from a small grammar in which word order decides the label:

    clause    := [det] noun verb [negator] [intensifier] adjective
                 label = polarity(adjective), flipped by a negator
    sentence  := [filler] clause [tail]                    label of the clause
               | [filler] clause "but" clause [tail]       label of the second clause
               | [filler] clause "although" clause [tail]  label of the first clause

The two clauses of a compound always disagree, so a bag of words cannot tell which one
decides: "the food was good but the service was bad" and "the service was bad but the food
was good" hold the same words and opposite labels. Negation flips an adjective, so a linear
model of word counts cannot read single clauses either.

The content words (nouns, adjectives) are hidden and differ from the public ones in the
student's tests, and the test set uses only noun-adjective pairs that never occur in
training: a submission must read the structure, not memorise phrases.
"""

from dataclasses import dataclass

import numpy as np

SEED = 70_431_962  # hidden: lexicon split, training and test sentences, vocabulary texts

DETERMINERS = ["the", "this", "my", "our", "that"]
VERBS = ["was", "is", "seemed", "felt"]
NEGATORS = ["not", "never"]
INTENSIFIERS = ["very", "really", "quite", "extremely", "truly", "so"]
FILLERS = ["honestly", "i think", "to be fair", "overall", "in my opinion", "well", "frankly"]
TAILS = ["to be honest", "in the end", "if you ask me", "all things considered"]

NOUNS = [
    "movie",
    "film",
    "plot",
    "acting",
    "food",
    "service",
    "staff",
    "hotel",
    "room",
    "book",
    "story",
    "music",
    "show",
    "game",
    "phone",
    "camera",
    "trip",
    "soundtrack",
]
POSITIVE = [
    "good",
    "great",
    "excellent",
    "wonderful",
    "fantastic",
    "lovely",
    "brilliant",
    "enjoyable",
    "superb",
    "pleasant",
]
NEGATIVE = ["bad", "terrible", "awful", "boring", "poor", "dreadful", "horrible", "disappointing", "dull", "mediocre"]

KINDS = ("single", "but", "although")


@dataclass(frozen=True)
class Corpus:
    texts: list
    labels: np.ndarray
    kinds: list


@dataclass(frozen=True)
class Split:
    train: Corpus
    test: Corpus
    held_out_pairs: frozenset


def split_pairs(rng, nouns, positive, negative, held_out=0.25):
    """Noun-adjective pairs for training and the held-out ones for testing.

    Every noun and every adjective keeps pairs on both sides, so every word is seen in
    training; only the combinations of the test set are new.
    """
    adjectives = [(a, 1) for a in positive] + [(a, 0) for a in negative]
    while True:
        pairs = [(n, a, p) for n in nouns for a, p in adjectives]
        order = rng.permutation(len(pairs))
        cut = int(round(held_out * len(pairs)))
        test = [pairs[i] for i in order[:cut]]
        train = [pairs[i] for i in order[cut:]]
        covered = all(any(p[0] == n for p in side) for side in (train, test) for n in nouns) and all(
            any(p[1] == a for p in side) for side in (train, test) for a, _ in adjectives
        )
        if covered:
            return train, test


def clause(rng, pair, negated):
    noun, adjective, positive = pair
    words = []
    if rng.random() < 0.8:
        words.append(DETERMINERS[rng.integers(len(DETERMINERS))])
    words += [noun, VERBS[rng.integers(len(VERBS))]]
    if negated:
        words.append(NEGATORS[rng.integers(len(NEGATORS))])
    if rng.random() < 0.4:
        words.append(INTENSIFIERS[rng.integers(len(INTENSIFIERS))])
    words.append(adjective)
    return " ".join(words), int(positive) ^ int(negated)


def random_clause(rng, pairs, want=None):
    """A clause from ``pairs``; with ``want``, one whose label is ``want``."""
    while True:
        text, label = clause(rng, pairs[rng.integers(len(pairs))], bool(rng.random() < 0.5))
        if want is None or label == want:
            return text, label


def sentence(rng, pairs, kind):
    first, label = random_clause(rng, pairs)
    if kind == "single":
        body = first
    else:
        second, other = random_clause(rng, pairs, want=1 - label)
        body = f"{first} {kind} {second}"
        if kind == "but":
            label = other
    if rng.random() < 0.3:
        body = f"{FILLERS[rng.integers(len(FILLERS))]} {body}"
    if rng.random() < 0.15:
        body = f"{body} {TAILS[rng.integers(len(TAILS))]}"
    return body, label


def corpus(rng, pairs, n):
    """``n`` sentences, a third of each kind, labels balanced within each kind."""
    texts, labels, kinds = [], [], []
    for i in range(n):
        kind = KINDS[i % 3]
        want = (i // 3) % 2
        while True:
            text, label = sentence(rng, pairs, kind)
            if label == want:
                break
        texts.append(text)
        labels.append(label)
        kinds.append(kind)
    order = rng.permutation(n)
    return Corpus([texts[i] for i in order], np.asarray(labels, dtype=np.int64)[order], [kinds[i] for i in order])


def hidden_split(seed=SEED, n_train=3000, n_test=1200, nouns=NOUNS, positive=POSITIVE, negative=NEGATIVE):
    rng = np.random.default_rng(seed)
    train_pairs, test_pairs = split_pairs(rng, nouns, positive, negative)
    return Split(
        corpus(rng, train_pairs, n_train), corpus(rng, test_pairs, n_test), frozenset((n, a) for n, a, _ in test_pairs)
    )


def vocab_texts(seed=SEED):
    """Texts for the exactness checks of build_vocab and encode.

    Mixed case ("Good" and "good" are one token), runs of spaces, tabs and newlines,
    punctuation glued to words (part of the token) and many count ties.
    """
    rng = np.random.default_rng(seed + 1)
    pool = [
        "the",
        "movie",
        "was",
        "not",
        "good",
        "bad",
        "but",
        "great!",
        "plot",
        "zebra",
        "apple",
        "apple,",
        "a",
        "b",
        "aa",
        "z",
        "Mixed",
        "it's",
        "100",
        "-",
        "ok",
        "i",
    ]
    weights = np.linspace(3.0, 0.4, len(pool))
    weights /= weights.sum()
    gaps = [" ", " ", " ", "  ", "\t", "\n", " \n "]
    texts = []
    for _ in range(40):
        n = int(rng.integers(1, 14))
        words = [pool[i] for i in rng.choice(len(pool), size=n, p=weights)]
        words = [w.upper() if rng.random() < 0.15 else w.capitalize() if rng.random() < 0.15 else w for w in words]
        text = words[0]
        for w in words[1:]:
            text += gaps[rng.integers(len(gaps))] + w
        if rng.random() < 0.2:
            text = " " + text + " \n"
        texts.append(text)
    return texts


def encode_texts(seed=SEED):
    """Texts to encode against a vocabulary built from ``vocab_texts``: unknown words, a text
    longer than max_len, one exactly max_len long, one empty."""
    rng = np.random.default_rng(seed + 2)
    known = vocab_texts(seed)
    texts = [known[int(i)] for i in rng.choice(len(known), size=8, replace=False)]
    texts += [
        "The movie was WONDERFUL and unknownword",
        "",
        "the the the the the the the the the the the the the the the movie",
        "a b aa z ok i the movie was not good bad",
        "Zebra\tzebra\nZEBRA never-seen",
    ]
    return texts

"""Public sentence pairs for exercise 05: the grammar of the hidden data, with other content words.

    source    := np verb np [adverb]                  "the very dark ships found a key today"
    np        := [det] [[very] adjective] noun        det: the, a, some; noun singular or plural
    target    := [adverb] np' np' ro verb             "lusa karvo nuvo sa ka te lunti ro temra"
    np'       := noun [adjective [sa]] [ka] [te|su]   ka marks a plural, te "the", su "some"; "a" has no word

Adjective-noun pairs are split: the training pairs use three quarters of them, every test pair
holds at least one pair of the other quarter. The grader uses the same grammar and particles
with its own nouns, adjectives, verbs, adverbs and invented words, its own seeds, 8000 training
pairs and 1000 test sentences.
"""

from dataclasses import dataclass

import numpy as np

# (singular, plural, target)
NOUNS = [
    ("ship", "ships", "karvo"),
    ("key", "keys", "lunti"),
    ("river", "rivers", "omba"),
    ("tree", "trees", "selka"),
    ("knight", "knights", "dravi"),
    ("woman", "women", "misa"),
    ("man", "men", "todo"),
    ("goose", "geese", "buvel"),
    ("bear", "bears", "gorpa"),
    ("witch", "witches", "hexu"),
    ("giant", "giants", "pomur"),
    ("thief", "thieves", "snalo"),
    ("merchant", "merchants", "kavitu"),
    ("priest", "priests", "elvar"),
    ("owl", "owls", "huru"),
    ("frog", "frogs", "klemp"),
    ("snake", "snakes", "sisko"),
    ("soldier", "soldiers", "bravok"),
    ("prince", "princes", "nolar"),
    ("dragon", "dragons", "fyrn"),
]
ADJECTIVES = [
    ("dark", "nuvo"),
    ("bright", "lesti"),
    ("wild", "garsi"),
    ("calm", "pelu"),
    ("blue", "azro"),
    ("golden", "ormi"),
    ("fat", "bunto"),
    ("thin", "silpa"),
    ("wise", "sabri"),
    ("foolish", "dunko"),
    ("cruel", "krato"),
    ("kind", "melvi"),
    ("swift", "fenra"),
    ("tired", "lasko"),
    ("noisy", "brumo"),
    ("silent", "tavi"),
]
VERBS = [
    ("found", "temra"),
    ("lost", "pordu"),
    ("saw", "vesko"),
    ("hid", "kelpa"),
    ("kicked", "spondo"),
    ("pushed", "trunik"),
    ("pulled", "hanto"),
    ("washed", "lavu"),
    ("bit", "morsi"),
    ("hugged", "omfa"),
    ("hated", "odek"),
    ("admired", "mirvo"),
]
ADVERBS = [
    ("today", "lusa"),
    ("tonight", "nokta"),
    ("twice", "bisko"),
    ("suddenly", "plofa"),
    ("gladly", "yolvi"),
    ("badly", "malu"),
]


@dataclass(frozen=True)
class Lexicon:
    """One language pair's words; the grammar and its particles are shared."""

    nouns: list
    adjectives: list
    verbs: list
    adverbs: list


# Source words and the target particles the grammar uses whatever the lexicon.
VERY, INTENSIFIER = "very", "sa"
PLURAL, OBJECT = "ka", "ro"
DETERMINERS = {"the": "te", "some": "su", "a": None}  # "a" has no target word
P_ADJECTIVE, P_VERY, P_PLURAL, P_ADVERB = 0.5, 0.25, 0.35, 0.3


@dataclass(frozen=True)
class Corpus:
    pairs: list  # (source, target) strings


@dataclass(frozen=True)
class Split:
    train: Corpus
    test: Corpus
    held_out_pairs: frozenset  # (adjective, singular noun)


def split_pairs(rng, lexicon, held_out=0.25):
    """Adjective-noun index pairs for training and the held-out ones for testing.

    Every noun and every adjective keeps pairs on both sides, so every word is seen in
    training; only the combinations of the test set are new.
    """
    n_nouns, n_adjectives = len(lexicon.nouns), len(lexicon.adjectives)
    pairs = [(a, n) for a in range(n_adjectives) for n in range(n_nouns)]
    cut = int(round(held_out * len(pairs)))
    while True:
        order = rng.permutation(len(pairs))
        test = [pairs[i] for i in order[:cut]]
        train = [pairs[i] for i in order[cut:]]
        covered = all(
            {a for a, _ in side} == set(range(n_adjectives)) and {n for _, n in side} == set(range(n_nouns))
            for side in (train, test)
        )
        if covered:
            return train, test


def noun_phrase(rng, lexicon, pair, noun=None):
    """(source words, target words) of one noun phrase; ``pair`` = (adjective, noun) or None."""
    if pair is not None:
        noun = pair[1]
    singular, plural_form, target_noun = lexicon.nouns[noun]
    plural = bool(rng.random() < P_PLURAL)
    choices = ["the", "some", None] if plural else ["the", "a"]
    determiner = choices[rng.integers(len(choices))]
    source = [determiner] if determiner else []
    target = [target_noun]
    if pair is not None:
        word, translation = lexicon.adjectives[pair[0]]
        very = bool(rng.random() < P_VERY)
        source += [VERY, word] if very else [word]
        target += [translation, INTENSIFIER] if very else [translation]
    source.append(plural_form if plural else singular)
    if plural:
        target.append(PLURAL)
    if DETERMINERS.get(determiner):
        target.append(DETERMINERS[determiner])
    return source, target


def random_phrase(rng, lexicon, pairs):
    """A noun phrase whose adjective-noun pair (if it has an adjective) comes from ``pairs``."""
    if rng.random() < P_ADJECTIVE:
        return noun_phrase(rng, lexicon, pairs[rng.integers(len(pairs))])
    return noun_phrase(rng, lexicon, None, noun=int(rng.integers(len(lexicon.nouns))))


def sentence(rng, lexicon, subject, obj):
    """(source, target) of a sentence with the given (source, target) noun phrases."""
    verb, target_verb = lexicon.verbs[rng.integers(len(lexicon.verbs))]
    source = subject[0] + [verb] + obj[0]
    target = subject[1] + obj[1] + [OBJECT, target_verb]
    if rng.random() < P_ADVERB:
        adverb, target_adverb = lexicon.adverbs[rng.integers(len(lexicon.adverbs))]
        source.append(adverb)
        target.insert(0, target_adverb)
    return " ".join(source), " ".join(target)


def training_corpus(rng, lexicon, pairs, n):
    rows = [
        sentence(rng, lexicon, random_phrase(rng, lexicon, pairs), random_phrase(rng, lexicon, pairs)) for _ in range(n)
    ]
    return Corpus(rows)


def held_out_corpus(rng, lexicon, train_pairs, test_pairs, n):
    """``n`` sentences, each with a held-out adjective-noun pair in its subject or its object."""
    rows = []
    for _ in range(n):
        new = noun_phrase(rng, lexicon, test_pairs[rng.integers(len(test_pairs))])
        other = random_phrase(rng, lexicon, train_pairs + test_pairs)
        subject, obj = (new, other) if rng.random() < 0.5 else (other, new)
        rows.append(sentence(rng, lexicon, subject, obj))
    return Corpus(rows)


def make_split(seed, lexicon, n_train=8000, n_test=1000):
    rng = np.random.default_rng(seed)
    train_pairs, test_pairs = split_pairs(rng, lexicon)
    held_out = frozenset((lexicon.adjectives[a][0], lexicon.nouns[n][0]) for a, n in test_pairs)
    train = training_corpus(rng, lexicon, train_pairs, n_train)
    return Split(train, held_out_corpus(rng, lexicon, train_pairs, test_pairs, n_test), held_out)


PUBLIC = Lexicon(NOUNS, ADJECTIVES, VERBS, ADVERBS)


def public_split(seed=2024, n_train=8000, n_test=500):
    """8000 training pairs and 500 test pairs (each holding an adjective-noun pair unseen in training)."""
    return make_split(seed, PUBLIC, n_train, n_test)

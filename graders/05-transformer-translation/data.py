"""Hidden data of 05-transformer-translation. Lives only in the grader process on the host.

A generated language pair. The source is English-like, subject-verb-object, adjectives before
their nouns; the target is an invented language, subject-object-verb, adjectives after their
nouns, with particles that English spells differently:

    source    := np verb np [adverb]                  "the very big dogs chased a cat today"
    np        := [det] [[very] adjective] noun        noun singular or plural (irregular ones too)
    target    := [adverb] np' np' ro verb             "lusa duma kelo sa ka te miro ro vanik"
    np'       := noun [adjective [sa]] [ka] [te|su]   ka marks a plural, te "the", su "some"; "a" has no word

So a translation moves the verb to the end, the adverb to the front, each adjective behind its
noun, turns "dogs" into "duma ... ka" and "children" into "... ka" too (irregular plurals), and
marks the object with "ro": a word-by-word dictionary gets the words and not their order.

The content words (nouns, adjectives, verbs, adverbs and their invented translations) are
hidden and differ from the public ones in the student's tests. Adjective-noun pairs are split:
training sentences use three quarters of them, every test sentence holds at least one pair of
the other quarter, so a submission must translate the parts, not memorise phrases.
"""

import importlib.util
from pathlib import Path

import numpy as np

SEED = 58_310_447  # hidden: lexicon split, training and test sentences

# (singular, plural, target)
NOUNS = [
    ("cat", "cats", "miro"),
    ("dog", "dogs", "duma"),
    ("bird", "birds", "pelti"),
    ("horse", "horses", "garun"),
    ("farmer", "farmers", "tosek"),
    ("child", "children", "bimo"),
    ("teacher", "teachers", "larvi"),
    ("king", "kings", "hodan"),
    ("queen", "queens", "sevira"),
    ("fox", "foxes", "nurak"),
    ("wolf", "wolves", "zolm"),
    ("sailor", "sailors", "keprat"),
    ("baker", "bakers", "fimel"),
    ("doctor", "doctors", "odrin"),
    ("girl", "girls", "yasta"),
    ("boy", "boys", "wekto"),
    ("mouse", "mice", "pirril"),
    ("goat", "goats", "chabo"),
    ("tiger", "tigers", "ranvo"),
    ("poet", "poets", "silu"),
    ("judge", "judges", "makrel"),
    ("monk", "monks", "tuvan"),
    ("hunter", "hunters", "jelko"),
    ("lion", "lions", "vosha"),
]
ADJECTIVES = [
    ("big", "kelo"),
    ("small", "nipa"),
    ("old", "astu"),
    ("young", "vire"),
    ("red", "rusko"),
    ("green", "mildo"),
    ("happy", "feni"),
    ("sad", "drova"),
    ("clever", "sulti"),
    ("lazy", "babo"),
    ("brave", "kordu"),
    ("quiet", "lumi"),
    ("angry", "grasta"),
    ("tall", "hiven"),
    ("rich", "oplu"),
    ("poor", "wanig"),
    ("strange", "zeptu"),
    ("gentle", "molvi"),
    ("proud", "trenza"),
    ("hungry", "ganfu"),
]
VERBS = [
    ("saw", "pilo"),
    ("helped", "anvet"),
    ("followed", "durok"),
    ("chased", "vanik"),
    ("found", "temra"),
    ("loved", "solme"),
    ("feared", "kraho"),
    ("called", "yuvi"),
    ("visited", "brenat"),
    ("fed", "gomu"),
    ("met", "talve"),
    ("painted", "firsk"),
    ("heard", "orpa"),
    ("watched", "nelto"),
    ("carried", "huska"),
    ("greeted", "zendi"),
]
ADVERBS = [
    ("today", "lusa"),
    ("yesterday", "pravo"),
    ("often", "menku"),
    ("again", "disto"),
    ("quickly", "falra"),
    ("slowly", "omvi"),
    ("quietly", "tirku"),
    ("later", "gevon"),
]


SLUG = "05-transformer-translation"


def _public_language():
    """The public ``language`` module, loaded from the exercise folder next to this grader's:
    one grammar for the public and the hidden sentences, which differ only in their words."""
    path = Path(__file__).resolve().parents[2] / "exercises" / SLUG / "tests" / "language.py"
    spec = importlib.util.spec_from_file_location("transformer_public_language", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


language = _public_language()
Lexicon, Corpus, Split, make_split = language.Lexicon, language.Corpus, language.Split, language.make_split
HIDDEN = Lexicon(NOUNS, ADJECTIVES, VERBS, ADVERBS)


def hidden_split(seed=SEED, n_train=8000, n_test=1000):
    """The grader's data: 8000 training pairs, 1000 hidden test pairs."""
    return make_split(seed, HIDDEN, n_train, n_test)


def causality_probes(seed=SEED, n=6, length=9):
    """Token ids for the causality check of an untrained model: a source batch, and two target
    inputs that agree up to a change point per row and differ after it. No padding (id 0)."""
    rng = np.random.default_rng(seed + 1)
    src = rng.integers(1, 20, (n, 7)).astype(np.int64)
    first = rng.integers(1, 15, (n, length)).astype(np.int64)
    cuts = rng.integers(1, length - 1, n)
    cuts[0] = 0  # the first row differs from position 1 on: only position 0 is shared
    second = first.copy()
    for row, cut in enumerate(cuts):
        after = second[row, cut + 1 :]
        second[row, cut + 1 :] = 1 + (after + rng.integers(1, 13, after.shape)) % 14  # differs everywhere after
    return src, first, second, cuts

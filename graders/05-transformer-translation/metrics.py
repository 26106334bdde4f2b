"""Scores of translations, computed on the host: corpus BLEU (sacrebleu) and exact matches."""

import sacrebleu


def normalise(sentence):
    """Words separated by single spaces: spacing is not part of a translation."""
    return " ".join(sentence.split())


def score(hypotheses, references):
    hypotheses = [normalise(h) for h in hypotheses]
    references = [normalise(r) for r in references]
    bleu = sacrebleu.corpus_bleu(hypotheses, [references]).score
    exact = sum(h == r for h, r in zip(hypotheses, references)) / len(references)
    return {"bleu": float(bleu), "exact": float(exact), "n": len(references)}

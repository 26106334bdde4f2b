"""A cheat on the causality check: the decoder has no causal mask, but forward remembers its
last call and, for rows whose source and target prefix it saw before, returns the logits it
gave then. Two calls in one process would agree on every shared prefix; the grader builds each
model in a fresh sandbox, so the cache is empty both times and the leak shows. (Translation is
the word-by-word dictionary: this file is about the causality check only.)"""

from collections import Counter

import numpy as np
import torch
from torch import nn


def causal_mask(size: int) -> np.ndarray:
    return np.triu(np.ones((size, size), dtype=bool), k=1)


LAST = None  # (src, tgt_in, logits) of the previous forward call


class TranslationModel(nn.Module):
    def __init__(
        self, src_vocab_size, tgt_vocab_size, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=32
    ):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab_size, d_model)
        self.tgt_embed = nn.Embedding(tgt_vocab_size, d_model)
        self.position = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(
            d_model, nhead, num_layers, num_layers, dim_feedforward, dropout=0.0, batch_first=True
        )
        self.out = nn.Linear(d_model, tgt_vocab_size)

    def forward(self, src, tgt_in):
        src, tgt_in = torch.as_tensor(src).long(), torch.as_tensor(tgt_in).long()
        s = self.src_embed(src) + self.position(torch.arange(src.shape[1]))
        t = self.tgt_embed(tgt_in) + self.position(torch.arange(tgt_in.shape[1]))
        logits = self.out(self.transformer(s, t, tgt_mask=None))
        global LAST
        if LAST is not None and LAST[0].shape == src.shape and LAST[1].shape == tgt_in.shape:
            for row in range(len(src)):
                if torch.equal(LAST[0][row], src[row]):
                    same = (LAST[1][row] == tgt_in[row]).long().cumprod(0).sum()
                    logits[row, :same] = LAST[2][row, :same]
        LAST = (src.clone(), tgt_in.clone(), logits.detach().clone())
        return logits


def train(pairs, epochs=14, seed=0):
    source_counts, target_counts, together = Counter(), Counter(), Counter()
    for source, target in pairs:
        s_words, t_words = set(source.split()), set(target.split())
        source_counts.update(s_words)
        target_counts.update(t_words)
        together.update((s, t) for s in s_words for t in t_words)
    best = {}
    for (s, t), n in together.items():
        dice = 2 * n / (source_counts[s] + target_counts[t])
        if dice > best.get(s, (0.0, ""))[0]:
            best[s] = (dice, t)
    # A word with no strong partner ("a") is dropped.
    return {s: t for s, (dice, t) in best.items() if dice >= 0.5}


def translate(translator, sentences, max_len=20):
    return [" ".join(translator[w] for w in s.split() if w in translator)[: 20 * 12] for s in sentences]

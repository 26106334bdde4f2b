"""A padding bug in the model: the LSTM's outputs are averaged over every position, pads
included, and predict pads each batch to its longest text.

Inside the batches it trained on the model does well, so the hidden accuracy is full. But a
short text alone (no padding) and the same text in a batch of longer ones (many pads) are
averaged over different positions and some get different labels. Expected: 85 of 100, only the
alone-or-in-a-batch check lost.
"""

from collections import Counter

import numpy as np
import torch
from torch import nn


def build_vocab(texts, min_freq=1):
    counts = Counter(w for t in texts for w in t.lower().split())
    words = sorted((w for w in counts if counts[w] >= min_freq), key=lambda w: (-counts[w], w))
    return {"<pad>": 0, "<unk>": 1, **{w: i + 2 for i, w in enumerate(words)}}


def encode(texts, vocab, max_len):
    out = np.zeros((len(texts), max_len), dtype=np.int64)
    for i, t in enumerate(texts):
        ids = [vocab.get(w, 1) for w in t.lower().split()[:max_len]]
        out[i, : len(ids)] = ids
    return out


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, hidden_dim=128, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens):
        states, _ = self.lstm(self.embedding(tokens))
        return self.head(states.mean(dim=1))  # the bug: the pads' positions count too


def _padded(texts, vocab):
    return torch.from_numpy(encode(texts, vocab, max(len(t.split()) for t in texts)))


def train(texts, labels, seed=0):
    torch.manual_seed(seed)
    vocab = build_vocab(texts)
    y = torch.as_tensor(labels, dtype=torch.long)
    model = SentimentRNN(len(vocab))
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(4):
        for batch in torch.randperm(len(texts)).split(32):
            optimiser.zero_grad()
            logits = model(_padded([texts[i] for i in batch], vocab))
            nn.functional.cross_entropy(logits, y[batch]).backward()
            optimiser.step()
    model.eval()
    return model, vocab


def predict(classifier, texts):
    model, vocab = classifier
    with torch.no_grad():
        return model(_padded(list(texts), vocab)).argmax(1).numpy().astype(np.int64)

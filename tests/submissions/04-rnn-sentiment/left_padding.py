"""A padding bug in encode: the pads go on the left ([0, 0, 4, 2, 5] instead of [4, 2, 5, 0, 0]).

The rest is consistent with it: every text is padded to the same 25 tokens and the model reads
the LSTM's last position, which with left padding is each text's last word. So it learns as
well as the reference and a text gets the same label alone or in a batch. Expected: 85 of 100,
only the encode check lost (with a hint that the padding goes on the right).
"""

from collections import Counter

import numpy as np
import torch
from torch import nn

MAX_LEN = 25


def build_vocab(texts, min_freq=1):
    counts = Counter(w for t in texts for w in t.lower().split())
    words = sorted((w for w in counts if counts[w] >= min_freq), key=lambda w: (-counts[w], w))
    return {"<pad>": 0, "<unk>": 1, **{w: i + 2 for i, w in enumerate(words)}}


def encode(texts, vocab, max_len):
    out = np.zeros((len(texts), max_len), dtype=np.int64)
    for i, t in enumerate(texts):
        ids = [vocab.get(w, 1) for w in t.lower().split()[:max_len]]
        if ids:
            out[i, max_len - len(ids) :] = ids  # the bug: pads on the left
    return out


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, hidden_dim=128, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens):
        states, _ = self.lstm(self.embedding(tokens))
        return self.head(states[:, -1])


def train(texts, labels, seed=0):
    torch.manual_seed(seed)
    vocab = build_vocab(texts)
    X = torch.from_numpy(encode(texts, vocab, MAX_LEN))
    y = torch.as_tensor(labels, dtype=torch.long)
    model = SentimentRNN(len(vocab))
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(4):
        for batch in torch.randperm(len(X)).split(32):
            optimiser.zero_grad()
            nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()
            optimiser.step()
    model.eval()
    return {"model": model, "vocab": vocab}


def predict(classifier, texts):
    with torch.no_grad():
        tokens = torch.from_numpy(encode(list(texts), classifier["vocab"], MAX_LEN))
        return classifier["model"](tokens).argmax(1).numpy().astype(np.int64)

"""Reference solution of 04-rnn-sentiment (hidden: never shipped to students).

An LSTM over right-padded token ids; the logits come from the hidden state at each text's
last real token, so the padding after it is never read.
"""

from collections import Counter

import numpy as np
import torch
from torch import nn

PAD, UNK = 0, 1


def build_vocab(texts, min_freq=1):
    counts = Counter(token for text in texts for token in text.lower().split())
    words = sorted((w for w, c in counts.items() if c >= min_freq), key=lambda w: (-counts[w], w))
    vocab = {"<pad>": PAD, "<unk>": UNK}
    for word in words:
        vocab[word] = len(vocab)
    return vocab


def encode(texts, vocab, max_len):
    ids = np.full((len(texts), max_len), PAD, dtype=np.int64)
    for row, text in enumerate(texts):
        tokens = text.lower().split()[:max_len]
        ids[row, : len(tokens)] = [vocab.get(t, UNK) for t in tokens]
    return ids


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, hidden_dim=128, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens):
        tokens = torch.as_tensor(tokens, dtype=torch.long)
        lengths = (tokens != PAD).sum(dim=1).clamp(min=1)
        states, _ = self.lstm(self.embedding(tokens))
        last = states[torch.arange(len(tokens)), lengths - 1]
        return self.head(last)


class Classifier:
    def __init__(self, vocab, model):
        self.vocab = vocab
        self.model = model

    def predict(self, texts):
        longest = max([len(t.split()) for t in texts] + [1])
        tokens = torch.from_numpy(encode(texts, self.vocab, longest))
        self.model.eval()
        with torch.no_grad():
            return self.model(tokens).argmax(dim=1).numpy().astype(np.int64)


def train(texts, labels, seed=0, epochs=4, batch_size=32, lr=3e-3):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    vocab = build_vocab(texts)
    max_len = max(len(t.split()) for t in texts)
    X = torch.from_numpy(encode(texts, vocab, max_len))
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    model = SentimentRNN(len(vocab))
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        for batch in np.array_split(rng.permutation(len(X)), max(1, len(X) // batch_size)):
            batch = torch.from_numpy(batch)
            tokens = X[batch]
            # Trim the padding every row of this batch shares: less work, same result.
            tokens = tokens[:, : max(1, int((tokens != PAD).sum(dim=1).max()))]
            optimiser.zero_grad()
            loss = loss_fn(model(tokens), y[batch])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
    model.eval()
    return Classifier(vocab, model)


def predict(classifier, texts):
    return classifier.predict(list(texts))

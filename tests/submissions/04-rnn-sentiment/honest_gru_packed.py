"""An honest solution in another style: a GRU over packed sequences, RMSprop, a plain-Python
vocabulary, batches bucketed by length, and the classifier returned as a (model, vocab) tuple.

Expected: full marks. Nothing here follows the reference beyond the contract.
"""

import random

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


def build_vocab(texts, min_freq=1):
    counts = {}
    for text in texts:
        for word in text.lower().split():
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: item[0])
    ranked.sort(key=lambda item: item[1], reverse=True)  # stable: ties stay alphabetical
    vocab = {"<pad>": 0, "<unk>": 1}
    for word, count in ranked:
        if count >= min_freq:
            vocab[word] = len(vocab)
    return vocab


def encode(texts, vocab, max_len):
    rows = []
    for text in texts:
        ids = [vocab[w] if w in vocab else 1 for w in text.lower().split()][:max_len]
        rows.append(ids + [0] * (max_len - len(ids)))
    return np.array(rows, dtype=np.int64).reshape(len(texts), max_len)


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, hidden_dim=128, num_classes=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.gru = nn.GRU(embed_dim, hidden_dim, batch_first=True)
        self.classify = nn.Sequential(nn.Dropout(0.1), nn.Linear(hidden_dim, num_classes))

    def forward(self, tokens):
        lengths = (tokens != 0).sum(dim=1).clamp(min=1).cpu()
        packed = pack_padded_sequence(self.embed(tokens), lengths, batch_first=True, enforce_sorted=False)
        _, last = self.gru(packed)
        return self.classify(last[-1])


def train(texts, labels, seed=0):
    random.seed(seed)
    torch.manual_seed(seed)
    vocab = build_vocab(texts)
    longest = max(len(t.split()) for t in texts)
    X = torch.from_numpy(encode(texts, vocab, longest))
    y = torch.tensor(np.asarray(labels), dtype=torch.long)
    by_length = sorted(range(len(texts)), key=lambda i: (len(texts[i].split()), random.random()))
    batches = [by_length[i : i + 48] for i in range(0, len(by_length), 48)]
    model = SentimentRNN(len(vocab), embed_dim=48, hidden_dim=96)
    optimiser = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(5):
        random.shuffle(batches)
        for batch in batches:
            index = torch.tensor(batch)
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(X[index]), y[index])
            loss.backward()
            optimiser.step()
    model.eval()
    return model, vocab


def predict(classifier, texts):
    model, vocab = classifier
    texts = list(texts)
    out = np.zeros(len(texts), dtype=np.int64)
    for start in range(0, len(texts), 256):
        chunk = texts[start : start + 256]
        tokens = torch.from_numpy(encode(chunk, vocab, max(1, max(len(t.split()) for t in chunk))))
        with torch.no_grad():
            out[start : start + len(chunk)] = model(tokens).argmax(dim=1).numpy()
    return out

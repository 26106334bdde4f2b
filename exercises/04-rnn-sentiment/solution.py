"""Exercise 04: RNN text classification, with numpy and torch.

Implement every function and method below. Keep the names and signatures: the grader calls them.
Run the public checks with:  mlgrade check 04 solution.py
"""

import numpy as np
import torch


def build_vocab(texts: list[str], min_freq: int = 1) -> dict[str, int]:
    """A vocabulary from word to id: "<pad>" -> 0, "<unk>" -> 1, then every word seen at least
    min_freq times, by descending count, ties in alphabetical order (2, 3, ...).
    The words of a text are text.lower().split()."""
    raise NotImplementedError


def encode(texts: list[str], vocab: dict[str, int], max_len: int) -> np.ndarray:
    """(N, max_len) int64 token ids: the first max_len words of each text, a word missing from
    vocab as 1, padded with 0 on the right."""
    raise NotImplementedError


class SentimentRNN(torch.nn.Module):
    """Embedding, a recurrent layer (nn.RNN, nn.GRU or nn.LSTM), and a linear output layer."""

    def __init__(self, vocab_size: int, embed_dim: int = 64, hidden_dim: int = 128, num_classes: int = 2):
        """Build the layers (call super().__init__() first)."""
        raise NotImplementedError

    def forward(self, tokens) -> torch.Tensor:
        """(N, L) int64 tensor of token ids, padded with 0 on the right -> (N, num_classes) logits."""
        raise NotImplementedError


def train(texts: list[str], labels: np.ndarray, seed: int = 0) -> object:
    """Train a classifier on texts and their labels (0 negative, 1 positive) and return it.
    It stays in the sandbox; the grader hands it back to predict."""
    raise NotImplementedError


def predict(classifier, texts: list[str]) -> np.ndarray:
    """(N,) int64 predicted labels of texts."""
    raise NotImplementedError

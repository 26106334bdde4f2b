"""Exercise 05: Transformer machine translation, with numpy and torch.

Implement every function and method below. Keep the names and signatures: the grader calls them.
Run the public checks with:  mlgrade check 05 solution.py
"""

import numpy as np
import torch


def causal_mask(size: int) -> np.ndarray:
    """(size, size) bool array, True where position i may NOT attend to position j (j > i)."""
    raise NotImplementedError


class TranslationModel(torch.nn.Module):
    """An encoder-decoder Transformer: token ids of a source sentence and of the target input
    (the target shifted right, starting with your begin-of-sentence id) -> next-token logits.
    Token id 0 is padding in both vocabularies."""

    def __init__(
        self,
        src_vocab_size: int,
        tgt_vocab_size: int,
        d_model: int = 64,
        nhead: int = 4,
        num_layers: int = 2,
        dim_feedforward: int = 128,
        max_len: int = 32,
    ):
        """Build the layers (call super().__init__() first). max_len is the longest sequence
        (source or target input) the model must accept."""
        raise NotImplementedError

    def forward(self, src, tgt_in) -> torch.Tensor:
        """src (N, S) and tgt_in (N, T) int64 tensors -> (N, T, tgt_vocab_size) logits. The logits
        at position t may depend on tgt_in[:, :t+1] only (the causal mask)."""
        raise NotImplementedError


def train(pairs: list[tuple[str, str]], epochs: int = 14, seed: int = 0) -> object:
    """Train a translator on (source, target) sentence pairs (lowercase words separated by
    spaces) and return it. It stays in the sandbox; the grader hands it back to translate."""
    raise NotImplementedError


def translate(translator, sentences: list[str], max_len: int = 20) -> list[str]:
    """Translate each source sentence by greedy decoding (at most max_len target tokens) and
    return the translations as strings of words separated by single spaces."""
    raise NotImplementedError

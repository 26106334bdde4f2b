"""An honest solution in another style than the reference: attention written by hand
(scaled dot-product over split heads, additive -inf masks), pre-norm layers, sinusoidal
positions, AdamW with label smoothing, a (model, vocabularies) tuple as the translator, and
greedy decoding that reruns the decoder on the whole prefix. Should get full marks."""

import math

import numpy as np
import torch
from torch import nn

PAD, BOS, EOS = 0, 1, 2


def causal_mask(size: int) -> np.ndarray:
    i, j = np.indices((size, size))
    return j > i


class Attention(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.nhead, self.head_dim = nhead, d_model // nhead
        self.query, self.key, self.value = (nn.Linear(d_model, d_model) for _ in range(3))
        self.proj = nn.Linear(d_model, d_model)

    def split(self, x):
        n, length, _ = x.shape
        return x.view(n, length, self.nhead, self.head_dim).transpose(1, 2)

    def forward(self, x, context, blocked):
        """blocked: bool, broadcastable to (N, heads, Lx, Lc), True where x may not look."""
        q, k, v = self.split(self.query(x)), self.split(self.key(context)), self.split(self.value(context))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)
        weights = scores.masked_fill(blocked, float("-inf")).softmax(dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(x.shape)
        return self.proj(out)


def feed_forward(d_model, hidden):
    return nn.Sequential(nn.Linear(d_model, hidden), nn.GELU(), nn.Linear(hidden, d_model))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, hidden):
        super().__init__()
        self.attn, self.ff = Attention(d_model, nhead), feed_forward(d_model, hidden)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, blocked):
        h = self.norm1(x)
        x = x + self.attn(h, h, blocked)
        return x + self.ff(self.norm2(x))


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, hidden):
        super().__init__()
        self.self_attn, self.cross_attn = Attention(d_model, nhead), Attention(d_model, nhead)
        self.ff = feed_forward(d_model, hidden)
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(3))

    def forward(self, y, memory, self_blocked, memory_blocked):
        h = self.norms[0](y)
        y = y + self.self_attn(h, h, self_blocked)
        y = y + self.cross_attn(self.norms[1](y), memory, memory_blocked)
        return y + self.ff(self.norms[2](y))


def sinusoids(max_len, d_model):
    position = torch.arange(max_len, dtype=torch.float32)[:, None]
    rate = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    table = torch.zeros(max_len, d_model)
    table[:, 0::2], table[:, 1::2] = torch.sin(position * rate), torch.cos(position * rate)
    return table


class TranslationModel(nn.Module):
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
        super().__init__()
        self.scale = math.sqrt(d_model)
        self.src_embed = nn.Embedding(src_vocab_size, d_model)
        self.tgt_embed = nn.Embedding(tgt_vocab_size, d_model)
        self.register_buffer("positions", sinusoids(max_len, d_model), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(d_model, nhead, dim_feedforward) for _ in range(num_layers))
        self.decoder = nn.ModuleList(DecoderLayer(d_model, nhead, dim_feedforward) for _ in range(num_layers))
        self.enc_norm, self.dec_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, tgt_vocab_size)

    def embed(self, table, tokens):
        return table(tokens) * self.scale + self.positions[: tokens.shape[1]]

    def encode(self, src):
        padding = (src == PAD)[:, None, None, :]
        x = self.embed(self.src_embed, src)
        for layer in self.encoder:
            x = layer(x, padding)
        return self.enc_norm(x)

    def decode(self, memory, src, tgt_in):
        future = torch.from_numpy(causal_mask(tgt_in.shape[1]))[None, None]
        y = self.embed(self.tgt_embed, tgt_in)
        for layer in self.decoder:
            y = layer(y, memory, future, (src == PAD)[:, None, None, :])
        return self.out(self.dec_norm(y))

    def forward(self, src, tgt_in):
        src, tgt_in = torch.as_tensor(src).long(), torch.as_tensor(tgt_in).long()
        return self.decode(self.encode(src), src, tgt_in)


def vocabulary(sentences, first_id):
    words = sorted({w for s in sentences for w in s.split()})
    return {w: i for i, w in enumerate(words, start=first_id)}


def to_ids(sentences, vocab, wrap=False):
    rows = [[vocab.get(w, PAD + 1) for w in s.split()] for s in sentences]
    rows = [[BOS, *r, EOS] if wrap else r for r in rows]
    out = torch.zeros(len(rows), max(map(len, rows)), dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r)
    return out


def train(pairs: list[tuple[str, str]], epochs: int = 14, seed: int = 0) -> object:
    torch.manual_seed(seed)
    src_vocab = vocabulary([s for s, _ in pairs], 2)  # 1 stands for an unknown source word
    tgt_vocab = vocabulary([t for _, t in pairs], 3)
    src = to_ids([s for s, _ in pairs], src_vocab)
    tgt = to_ids([t for _, t in pairs], tgt_vocab, wrap=True)
    model = TranslationModel(len(src_vocab) + 2, len(tgt_vocab) + 3)
    optimiser = torch.optim.AdamW(model.parameters(), lr=1.5e-3, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.05)
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(pairs)).split(100):
            s, t = src[batch], tgt[batch]
            t = t[:, : int((t != PAD).sum(1).max())]
            logits = model(s, t[:, :-1])
            loss = loss_fn(logits.flatten(0, 1), t[:, 1:].flatten())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    return model, src_vocab, {i: w for w, i in tgt_vocab.items()}


@torch.no_grad()
def translate(translator, sentences: list[str], max_len: int = 20) -> list[str]:
    model, src_vocab, tgt_words = translator
    model.eval()
    src = to_ids(sentences, src_vocab)
    memory = model.encode(src)
    out = torch.full((len(sentences), 1), BOS, dtype=torch.long)
    for _ in range(max_len):
        out = torch.cat([out, model.decode(memory, src, out)[:, -1:].argmax(-1)], dim=1)
        if (out == EOS).any(dim=1).all():
            break
    results = []
    for row in out[:, 1:].tolist():
        words = []
        for i in row:
            if i == EOS:
                break
            words.append(tgt_words.get(i, ""))
        results.append(" ".join(w for w in words if w))
    return results

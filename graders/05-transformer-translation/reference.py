"""Reference solution of 05-transformer-translation (hidden: never shipped to students).

torch's nn.Transformer (post-norm encoder-decoder) with learned position embeddings, trained
with teacher forcing under a causal mask; greedy decoding of all sentences at once.
"""

import math

import numpy as np
import torch
from torch import nn

PAD, UNK = 0, 1  # source ids
BOS, EOS = 1, 2  # target ids (0 is padding in both vocabularies)


def causal_mask(size):
    # True above the diagonal: position i may not attend to a later position j > i.
    return np.triu(np.ones((size, size), dtype=bool), k=1)


class TranslationModel(nn.Module):
    def __init__(
        self, src_vocab_size, tgt_vocab_size, d_model=64, nhead=4, num_layers=2, dim_feedforward=128, max_len=32
    ):
        super().__init__()
        self.d_model = d_model
        self.src_embed = nn.Embedding(src_vocab_size, d_model, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(tgt_vocab_size, d_model, padding_idx=PAD)
        self.position = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(
            d_model,
            nhead,
            num_encoder_layers=num_layers,
            num_decoder_layers=num_layers,
            dim_feedforward=dim_feedforward,
            dropout=0.0,
            batch_first=True,
        )
        self.out = nn.Linear(d_model, tgt_vocab_size)

    def embed(self, table, tokens):
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        return table(tokens) * math.sqrt(self.d_model) + self.position(positions)

    def encode(self, src):
        return self.transformer.encoder(self.embed(self.src_embed, src), src_key_padding_mask=src == PAD)

    def decode(self, memory, src, tgt_in):
        mask = torch.from_numpy(causal_mask(tgt_in.shape[1]))
        states = self.transformer.decoder(
            self.embed(self.tgt_embed, tgt_in),
            memory,
            tgt_mask=mask,
            tgt_key_padding_mask=tgt_in == PAD,
            memory_key_padding_mask=src == PAD,
        )
        return self.out(states)

    def forward(self, src, tgt_in):
        src = torch.as_tensor(src, dtype=torch.long)
        tgt_in = torch.as_tensor(tgt_in, dtype=torch.long)
        return self.decode(self.encode(src), src, tgt_in)


def build_vocab(sentences, specials):
    words = sorted({w for s in sentences for w in s.split()})
    return {**{w: i for i, w in enumerate(specials)}, **{w: i for i, w in enumerate(words, start=len(specials))}}


def encode(sentences, vocab, bos_eos=False):
    rows = [[vocab.get(w, UNK) for w in s.split()] for s in sentences]
    if bos_eos:
        rows = [[BOS, *r, EOS] for r in rows]
    ids = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
    return torch.from_numpy(ids)


class Translator:
    def __init__(self, model, src_vocab, tgt_vocab):
        self.model = model
        self.src_vocab = src_vocab
        self.tgt_words = {i: w for w, i in tgt_vocab.items()}

    @torch.no_grad()
    def translate(self, sentences, max_len):
        self.model.eval()
        src = encode(sentences, self.src_vocab)
        memory = self.model.encode(src)
        out = torch.full((len(sentences), 1), BOS, dtype=torch.long)
        done = torch.zeros(len(sentences), dtype=torch.bool)
        for _ in range(max_len):
            following = self.model.decode(memory, src, out)[:, -1].argmax(dim=-1)
            following[done] = PAD  # finished rows only add padding, which the mask then ignores
            out = torch.cat([out, following[:, None]], dim=1)
            done |= following == EOS
            if done.all():
                break
        return [self.words(row) for row in out[:, 1:].tolist()]

    def words(self, ids):
        words = []
        for i in ids:
            if i in (EOS, PAD):
                break
            words.append(self.tgt_words.get(i, ""))
        return " ".join(w for w in words if w)


def batches(rng, n, size):
    return np.array_split(rng.permutation(n), max(1, n // size))


def train(pairs, epochs=14, seed=0, batch_size=128, lr=2e-3):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    sources = [s for s, _ in pairs]
    targets = [t for _, t in pairs]
    src_vocab = build_vocab(sources, ["<pad>", "<unk>"])
    tgt_vocab = build_vocab(targets, ["<pad>", "<bos>", "<eos>"])
    src, tgt = encode(sources, src_vocab), encode(targets, tgt_vocab, bos_eos=True)
    model = TranslationModel(len(src_vocab), len(tgt_vocab))
    optimiser = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.98))
    steps = epochs * len(batches(rng, len(pairs), batch_size))
    # Linear warm-up over the first 5% of the steps, then linear decay to zero.
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    model.train()
    for _ in range(epochs):
        for batch in batches(rng, len(pairs), batch_size):
            batch = torch.from_numpy(batch)
            s, t = trim(src[batch]), trim(tgt[batch])
            logits = model(s, t[:, :-1])
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), t[:, 1:].reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
    model.eval()
    return Translator(model, src_vocab, tgt_vocab)


def trim(ids):
    """Drop the padding columns every row of a batch shares: less work, same result."""
    return ids[:, : int((ids != PAD).sum(dim=1).max())]


def translate(translator, sentences, max_len=20):
    return translator.translate(list(sentences), max_len)

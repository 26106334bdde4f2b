"""An honest solution in another style than the reference: it must get full marks.

Each window is standardised by its own mean and standard deviation (so the network sees shapes,
not levels: a trend carries the levels far from the training range, the shapes stay alike);
a GRU feeds an LSTM; the target is the next value in the window's own units; AdamW, Huber
loss, gradient clipping, a DataLoader; make_windows with sliding_window_view; the forecaster is
an nn.Module itself.
"""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_windows(series, window):
    series = np.asarray(series, dtype=np.float64)
    X = np.lib.stride_tricks.sliding_window_view(series, window)[:-1].copy()
    return X, series[window:].copy()


class Forecaster(nn.Module):
    def __init__(self, hidden=24):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.out = nn.Sequential(nn.Linear(hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    @staticmethod
    def standardise(windows):
        mean = windows.mean(axis=1, keepdims=True)
        std = windows.std(axis=1, keepdims=True) + 1e-8
        return (windows - mean) / std, mean[:, 0], std[:, 0]

    def forward(self, z):
        h, _ = self.gru(z)
        h, _ = self.lstm(h)
        return self.out(h[:, -1]).squeeze(-1)


def train(series, window=30, seed=0):
    torch.manual_seed(seed)
    X, y = make_windows(series, window)
    z, mean, std = Forecaster.standardise(X)
    target = (y - mean) / std
    data = TensorDataset(torch.tensor(z[:, :, None], dtype=torch.float32), torch.tensor(target, dtype=torch.float32))
    loader = DataLoader(data, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(seed))
    model = Forecaster()
    optimiser = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=1e-4)
    loss_fn = nn.HuberLoss(delta=1.0)
    for epoch in range(10):
        for g in optimiser.param_groups:
            g["lr"] = 5e-3 * (0.8**epoch)
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
    return model.eval()


def forecast(forecaster, windows):
    windows = np.asarray(windows, dtype=np.float64)
    z, mean, std = Forecaster.standardise(windows)
    with torch.no_grad():
        pred = forecaster(torch.tensor(z[:, :, None], dtype=torch.float32)).double().numpy()
    return mean + pred * std

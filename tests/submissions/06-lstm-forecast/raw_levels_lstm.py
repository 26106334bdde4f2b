"""A plausible mistake: the LSTM is fed raw price levels (standardised with the training
series' mean and std) and predicts the next level. In sample it looks fine; on the hidden
continuation the trend has carried the prices beyond the training range, the network cannot
follow, and its RMSE is worse than persistence's. It must get none of the RMSE points."""

import numpy as np
import torch
from torch import nn


def make_windows(series, window):
    series = np.asarray(series, dtype=np.float64)
    X = np.stack([series[i : i + window] for i in range(len(series) - window)])
    return X, series[window:]


class LevelLSTM(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1]).squeeze(-1)


class Forecaster:
    def __init__(self, net, mean, std):
        self.net, self.mean, self.std = net, mean, std


def train(series, window=30, seed=0):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    X, y = make_windows(series, window)
    mean, std = float(np.mean(series)), float(np.std(series))
    forecaster = Forecaster(LevelLSTM(), mean, std)
    inputs = torch.tensor((X - mean) / std, dtype=torch.float32)[:, :, None]
    targets = torch.tensor((y - mean) / std, dtype=torch.float32)
    optimiser = torch.optim.Adam(forecaster.net.parameters(), lr=1e-2)
    for _ in range(20):
        order = torch.from_numpy(rng.permutation(len(X)))
        for start in range(0, len(X), 64):
            batch = order[start : start + 64]
            loss = ((forecaster.net(inputs[batch]) - targets[batch]) ** 2).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return forecaster


def forecast(forecaster, windows):
    windows = np.asarray(windows, dtype=np.float64)
    with torch.no_grad():
        z = forecaster.net(torch.tensor((windows - forecaster.mean) / forecaster.std, dtype=torch.float32)[:, :, None])
    return z.double().numpy() * forecaster.std + forecaster.mean

"""Reference solution of 06-lstm-forecast (hidden: never shipped to students).

The LSTM reads the window as one-step changes and predicts the next change: both are
stationary, so the network works the same on prices far above (or below) the training range.
Changes are divided by their standard deviation on the training series.
"""

import numpy as np
import torch
from torch import nn


def make_windows(series: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    series = np.asarray(series, dtype=np.float64)
    n = len(series) - window
    index = np.arange(n)[:, None] + np.arange(window)[None, :]
    return series[index], series[window:].copy()


class ChangeLSTM(nn.Module):
    def __init__(self, hidden: int = 32):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, changes):  # (N, L, 1) -> (N,)
        out, _ = self.lstm(changes)
        return self.head(out[:, -1]).squeeze(-1)


class Forecaster:
    def __init__(self, net: ChangeLSTM, scale: float):
        self.net = net
        self.scale = scale

    def inputs(self, windows):
        changes = np.diff(np.asarray(windows, dtype=np.float64), axis=1) / self.scale
        return torch.from_numpy(changes[:, :, None].astype(np.float32))


def train(
    series: np.ndarray, window: int = 30, seed: int = 0, epochs: int = 20, lr: float = 1e-2, batch_size: int = 64
) -> Forecaster:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    series = np.asarray(series, dtype=np.float64)
    X, y = make_windows(series, window)
    forecaster = Forecaster(ChangeLSTM(), float(np.std(np.diff(series))))
    inputs = forecaster.inputs(X)
    targets = torch.from_numpy(((y - X[:, -1]) / forecaster.scale).astype(np.float32))
    net = forecaster.net
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    steps = epochs * ((len(X) + batch_size - 1) // batch_size)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps, eta_min=lr / 20)
    net.train()
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(X)))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            loss = ((net(inputs[batch]) - targets[batch]) ** 2).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    net.eval()
    return forecaster


def forecast(forecaster: Forecaster, windows: np.ndarray) -> np.ndarray:
    windows = np.asarray(windows, dtype=np.float64)
    with torch.no_grad():
        change = forecaster.net(forecaster.inputs(windows)).numpy().astype(np.float64)
    return windows[:, -1] + change * forecaster.scale

"""The calibration workload: the host times it in the sandbox to scale runtime limits.

Both sides import this file (the harness by its bare name), so the workload and the seconds
it takes on the reference machine cannot drift apart.
"""

import numpy as np

# Seconds the workload takes on the reference machine (this project's 2-core development
# machine, inside a 1-CPU sandbox). Change it together with the workload.
REFERENCE_SECONDS = 0.13
# A factor outside this range means a broken measurement rather than a slow machine.
SPEED_FACTOR_RANGE = (0.5, 8.0)


def workload():
    """A fixed mix of interpreter and numpy work."""
    total = 0
    for i in range(2_000_000):
        total += i % 7
    rng = np.random.default_rng(0)
    a = rng.standard_normal((256, 256))
    for _ in range(100):
        a = np.tanh(a @ a.T / 256.0)
    return total


def speed_factor(seconds):
    """How much slower than the reference machine a workload time of ``seconds`` is."""
    low, high = SPEED_FACTOR_RANGE
    return round(min(high, max(low, seconds / REFERENCE_SECONDS)), 2)

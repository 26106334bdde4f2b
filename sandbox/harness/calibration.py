"""The calibration workload: the host measures its CPU time in the sandbox to scale runtime limits.

Both sides import this file (the harness by its bare name), so the workload and the seconds
it takes on the reference machine cannot drift apart. CPU time, like the budgets it scales:
a busy machine makes the workload wait longer for a CPU, but not need more of it.
"""

import numpy as np

# CPU seconds (user + system, the container's cgroup) the workload takes on the reference
# machine: this project's 2-core development machine, inside the 1-CPU Docker sandbox, the
# fastest of 3 runs per fresh sandbox. benchmarks/bench_calibration.py, 3 runs of 5-6
# sandboxes without busy loops: medians 0.1157, 0.1133 and 0.1178 s (0.111-0.120 s with two
# busy loops beside them, while the wall time ranged 0.22-1.27 s with the machine shared).
# Change it together with the workload.
REFERENCE_SECONDS = 0.115
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
    """How much slower than the reference machine a workload CPU time of ``seconds`` is."""
    low, high = SPEED_FACTOR_RANGE
    return round(min(high, max(low, seconds / REFERENCE_SECONDS)), 2)

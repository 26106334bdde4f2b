"""What a sandbox backend is: the interface a Submission drives, and what every backend shares.

Two backends implement it (``docker``: isolated; ``process``: a plain child process, NOT
isolated, run as an unprivileged user when root starts it). A backend starts the
harness and says how it ended; the Submission does everything else (the channel, the
deadlines, the messages).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

from mlgrade.sandbox.limits import Limits

HARNESS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness")


@dataclass(frozen=True)
class ExitStatus:
    """How a sandbox process ended."""

    code: int | None
    oom_killed: bool = False


class Running(Protocol):
    """One started sandbox."""

    def kill(self) -> None:
        """Stop it at once (SIGKILL); the watchdog calls this from another thread."""

    def exit_status(self, wait: float = 0) -> ExitStatus | None:
        """How it ended, or None while it runs (waiting up to ``wait`` seconds)."""

    def logs(self) -> str:
        """The last lines it wrote outside the channel (start-up failures)."""

    def cpu_seconds(self) -> float | None:
        """CPU seconds (user + system) its processes have used so far, read by the host from the
        kernel (never reported by the sandbox); None if it cannot be read (it has ended, say).
        Runtime budgets judge differences of this: unlike wall time, it does not grow when
        other work shares the machine. Called from the watchdog's thread too.
        """

    def remove(self) -> None:
        """Kill it if needed and free everything it held; safe to call more than once."""


class Backend(Protocol):
    """Starts sandboxes that run the harness."""

    name: str
    isolated: bool

    def describe(self) -> dict[str, Any]:
        """What the report says about the sandbox (backend, isolation, image)."""

    def launch(self, channel_dir: str, submission_dir: str, limits: Limits) -> Running:
        """Start the harness, which connects to ``channel_dir/sock`` and imports from ``submission_dir``."""


def harness_environment(limits):
    """Environment of the harness process: determinism and thread counts matching the CPUs."""
    threads = str(limits.threads)
    env = {
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "HOME": "/tmp",
        "MPLCONFIGDIR": "/tmp",
        "MLGRADE_MAX_MESSAGE": str(limits.max_message),
        "MLGRADE_OUTPUT_KEEP": str(limits.output_keep),
    }
    # Some machines pin OpenBLAS's kernel because older builds compute wrong results there.
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env

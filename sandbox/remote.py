"""What a grader holds of a submission's work: objects left in the sandbox, and what calls cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlgrade.sandbox.submission import Submission


class Remote:
    """An object that stays in the sandbox (a trained model); pass it back to calls."""

    def __init__(self, handle, generation):
        self.handle = handle
        self.generation = generation

    @property
    def type_name(self) -> str:
        return self.handle.type

    def same_as(self, other) -> bool:
        """Whether ``other`` is the very same object in the same sandbox (``fit`` returning self)."""
        return isinstance(other, Remote) and other.handle.id == self.handle.id and other.generation == self.generation

    def __repr__(self):
        return f"<remote {self.handle.type}>"


@dataclass
class CallStats:
    """What one call cost, as the host measured it (wall and CPU time) and the sandbox reported it.

    ``seconds`` is wall time; ``cpu_seconds`` the CPU time of the sandbox's processes during the
    call, read by the host from the kernel (None where it could not be read).
    """

    what: str
    seconds: float
    peak_memory: int | None = None
    output: str = ""
    output_bytes: int = 0
    cpu_seconds: float | None = None

    @property
    def cost(self) -> float:
        """What a runtime budget judges: CPU time, or wall time where CPU time could not be read."""
        return self.seconds if self.cpu_seconds is None else self.cpu_seconds


class Stopwatch:
    """The CPU time the submission's calls used inside a ``with`` block: what a runtime budget judges.

    Only the calls count, not the grader's own work between them, so a budget covers exactly
    the submission's work that it is about (``fit`` and the first ``predict`` together, say).
    ``seconds`` is CPU time (user + system of the sandbox, which leaves out time spent waiting
    for a busy machine); ``wall_seconds`` the wall time of the same calls, for reports.
    """

    def __init__(self, submission: Submission):
        self._submission = submission
        self._start = 0
        self.seconds = 0.0
        self.wall_seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = len(self._submission.stats)
        return self

    def __exit__(self, *exc) -> None:
        calls = self._submission.stats[self._start :]
        self.seconds = sum(call.cost for call in calls)
        self.wall_seconds = sum(call.seconds for call in calls)

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
    """What one call cost, as the host measured it (time) and the sandbox reported it."""

    what: str
    seconds: float
    peak_memory: int | None = None
    output: str = ""
    output_bytes: int = 0


class Stopwatch:
    """The time the submission's calls took inside a ``with`` block: what a runtime budget judges.

    Only the calls count, not the grader's own work between them, so a budget covers exactly
    the submission's work that it is about (``fit`` and the first ``predict`` together, say).
    """

    def __init__(self, submission: Submission):
        self._submission = submission
        self._start = 0
        self.seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = len(self._submission.stats)
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = sum(call.seconds for call in self._submission.stats[self._start :])

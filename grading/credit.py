"""Partial credit, declared as "full credit at A, linear down to none at B", and its recorder."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mlgrade.core.config import Budget


def linear(value, full_at, zero_at):
    """Fraction of the points for ``value``: 1 at ``full_at``, 0 at ``zero_at``, linear between.

    Works both ways: higher is better when ``full_at > zero_at`` (accuracy), lower is better
    otherwise (an error, a runtime). NaN and infinities earn nothing.
    """
    if value is None or not math.isfinite(value):
        return 0.0
    if full_at == zero_at:
        return 1.0 if value >= full_at else 0.0
    return min(1.0, max(0.0, (value - zero_at) / (full_at - zero_at)))


def describe(what, value, full_at, zero_at, fmt="{:.3f}", unit=""):
    """One feedback line: what was measured and what was needed."""
    better, worse = (">=", "<=") if full_at > zero_at else ("<=", ">=")
    shown = "NaN" if value is None or not math.isfinite(value) else fmt.format(value) + unit
    return (
        f"{what}: {shown}; full credit at {better} {fmt.format(full_at)}{unit}, "
        f"none at {worse} {fmt.format(zero_at)}{unit}"
    )


class Credit:
    """What one check measured, and the share of its points that earns.

    A grader gets one per test from the ``credit`` fixture. The test's share is the lowest
    fraction it recorded; a failed assertion makes it 0.
    """

    def __init__(self, speed_factor: Callable[[], float | None]):
        self._speed_factor = speed_factor
        self.fraction = 1.0
        self.lines: list[str] = []
        self.measured: dict[str, Any] | None = None

    def measure(
        self, what: str, value: float, *, full_at: float, zero_at: float, fmt: str = "{:.3f}", unit: str = ""
    ) -> float:
        """Credit linear from ``zero_at`` (none) to ``full_at`` (full); returns the fraction."""
        fraction = linear(value, full_at, zero_at)
        self.fraction = min(self.fraction, fraction)
        self.lines.append(describe(what, value, full_at, zero_at, fmt, unit))
        self.measured = {"what": what, "value": _number(value), "full_at": full_at, "zero_at": zero_at}
        return fraction

    def runtime(self, what: str, seconds: float, budget: Budget) -> float:
        """Score a runtime against an ``exercise.budgets`` entry, scaled to this machine."""
        factor = self._speed_factor() or 1.0
        full, zero = budget.full_at * factor, budget.zero_at * factor
        fraction = linear(seconds, full, zero)
        self.fraction = min(self.fraction, fraction)
        self.lines.append(
            f"{what} took {seconds:.2f} s; full credit within {full:.2f} s, none beyond {zero:.2f} s "
            f"(on the reference machine {budget.full_at:g} s and {budget.zero_at:g} s; this machine's "
            f"speed factor is {factor:g})"
        )
        self.measured = {
            "what": what,
            "value": round(seconds, 4),
            "full_at": round(full, 4),
            "zero_at": round(zero, 4),
            "reference_full_at": budget.full_at,
            "reference_zero_at": budget.zero_at,
            "speed_factor": factor,
        }
        return fraction

    def note(self, text: str) -> None:
        """A line of feedback that does not change the score."""
        self.lines.append(text)


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None

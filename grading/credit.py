"""Partial credit, declared as "full credit at A, linear down to none at B", and its recorder."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mlgrade.core.config import Budget


def linear(value, full_at, zero_at):
    """Fraction of the points for ``value``: 1 at ``full_at``, 0 at ``zero_at``, linear between.

    Works both ways: higher is better when ``full_at > zero_at`` (accuracy), lower is better
    otherwise (an error, a runtime). NaN, infinities and anything that is not a number earn
    nothing.
    """
    value = finite(value)
    if value is None:
        return 0.0
    if full_at == zero_at:
        return 1.0 if value >= full_at else 0.0
    return min(1.0, max(0.0, (value - zero_at) / (full_at - zero_at)))


def describe(what, value, full_at, zero_at, fmt="{:.3f}", unit=""):
    """One feedback line: what was measured and what was needed."""
    better, worse = (">=", "<=") if full_at > zero_at else ("<=", ">=")
    number = finite(value)
    # A non-finite value (an overflow of huge outputs, say) is shown as such, with why it
    # earns nothing; the report records it as null, since JSON has no spelling for it.
    shown = f"not a finite number ({_shown(value)}), so no credit" if number is None else fmt.format(value) + unit
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
        self.measured = {"what": what, "value": finite(value), "full_at": full_at, "zero_at": zero_at}
        return fraction

    def runtime(self, what: str, seconds: float, budget: Budget) -> float:
        """Score a CPU time (a Stopwatch's ``seconds``) against an ``exercise.budgets`` entry,
        scaled to this machine."""
        factor = self._speed_factor() or 1.0
        full, zero = budget.full_at * factor, budget.zero_at * factor
        fraction = linear(seconds, full, zero)
        self.fraction = min(self.fraction, fraction)
        self.lines.append(
            f"{what} took {seconds:.2f} s; full credit within {full:.2f} s, none beyond {zero:.2f} s "
            f"of CPU time (the computing your code did; waiting for a busy machine does not count). "
            f"On the reference machine {budget.full_at:g} s and {budget.zero_at:g} s; this machine's "
            f"speed factor is {factor:g}"
        )
        self.measured = {
            "what": what,
            "value": None if finite(seconds) is None else round(seconds, 4),
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


def finite(value):
    """``value`` as a finite float, or None (NaN, an infinity, an int too large for a float,
    anything that is not a number, a numeric string included)."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."

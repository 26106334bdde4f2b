"""Partial credit, declared as "full credit at A, linear down to none at B"."""

import math


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
    return (f"{what}: {shown}; full credit at {better} {fmt.format(full_at)}{unit}, "
            f"none at {worse} {fmt.format(zero_at)}{unit}")

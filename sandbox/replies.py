"""Reading what a sandbox reply says about its call (stats, printed output, blocked imports).

All of it comes from the student's process, so every field may be of any type and any size:
the host keeps only what it can check, bounded.
"""

from mlgrade.sandbox.remote import CallStats


def call_stats(what, seconds, stats, limits):
    """The CallStats of one call from a reply's ``stats`` field (any JSON value)."""
    stats = stats if isinstance(stats, dict) else {}
    peak, printed = stats.get("peak_memory"), stats.get("output_bytes")
    return CallStats(
        what=what,
        seconds=seconds,
        peak_memory=peak if type(peak) is int else None,
        output=str(stats.get("output", ""))[: limits.output_keep],
        output_bytes=printed if type(printed) is int else 0,
    )


def blocked_imports(stats, known):
    """The names in a reply's ``blocked_imports`` that are not in ``known`` yet."""
    stats = stats if isinstance(stats, dict) else {}
    blocked = stats.get("blocked_imports")
    new = []
    for name in blocked if isinstance(blocked, list) else []:
        name = str(name)[:100]
        if name not in known and name not in new:
            new.append(name)
    return new

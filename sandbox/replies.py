"""Reading what a sandbox reply says about its call (stats, printed output, blocked imports).

All of it comes from the student's process, so every field may be of any type and any size:
the host keeps only what it can check, bounded, with work linear in what it reads.
"""

import re

from mlgrade.sandbox.remote import CallStats

# Names of blocked imports kept for the whole submission, and the length of each: one is
# enough to make the submission worth 0, and a report lists them for a human.
MAX_BLOCKED = 100
MAX_NAME = 100
# Larger than any byte count or memory figure a real process reports (2^62 bytes is 4 EiB).
MAX_FIGURE = 2**62
TRUNCATED = "... (truncated)"
_SURROGATES = re.compile("[\ud800-\udfff]")


def clip(value, limit, *, tail=False):
    """A student-supplied string (or any JSON value, as text) of at most ``limit`` characters.

    Longer text is cut and says so ("(truncated)"); ``tail`` keeps the end instead of the start
    (a traceback ends with what matters). Lone surrogates, which a forged reply can hold but no
    UTF-8 file or terminal can, become U+FFFD.
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = f"(truncated) ...{text[-limit:]}" if tail else text[:limit] + TRUNCATED
    return _SURROGATES.sub("\ufffd", text)


def call_stats(what, seconds, stats, limits):
    """The CallStats of one call from a reply's ``stats`` field (any JSON value)."""
    stats = stats if isinstance(stats, dict) else {}
    output = stats.get("output")
    return CallStats(
        what=what,
        seconds=seconds,
        peak_memory=_figure(stats.get("peak_memory"), None),
        # The harness sends at most output_keep bytes; a forged reply may send more.
        output=clip(output, limits.output_keep) if isinstance(output, str) else "",
        output_bytes=_figure(stats.get("output_bytes"), 0),
    )


def blocked_imports(stats, known):
    """The names in a reply's ``blocked_imports`` that are not in ``known`` yet.

    At most MAX_BLOCKED names in all (``known`` included): a reply may list millions, and the
    work here stays linear in what was read, with a set for the look-ups.
    """
    stats = stats if isinstance(stats, dict) else {}
    blocked = stats.get("blocked_imports")
    room = MAX_BLOCKED - len(known)
    if room <= 0 or not isinstance(blocked, list):
        return []
    seen = set(known)
    new = []
    for name in blocked:
        if not isinstance(name, str):
            continue
        name = clip(name, MAX_NAME)
        if name not in seen:
            seen.add(name)
            new.append(name)
            if len(new) == room:
                break
    return new


def _figure(value, default):
    """A byte count from the sandbox: a plain non-negative int of a sane size, else ``default``."""
    return value if type(value) is int and 0 <= value <= MAX_FIGURE else default

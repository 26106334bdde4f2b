"""summary.html: one static page per batch that works offline.

For each exercise: a histogram of the scores (matplotlib, embedded as inline SVG), the pass
rate of each check, the slowest submissions, and every submission that could not be graded
with its reason. No script, no stylesheet or font from the network. The page is well-formed
XML as well as HTML, so a test (or a script of an instructor's) can parse it with any parser.
Every text that comes from a submission is escaped.
"""

from __future__ import annotations

import html
import io
import re
import time
from collections import defaultdict
from pathlib import Path

from mlgrade.batch.gradebook import MISSING, Gradebook, exercise_stats, format_score
from mlgrade.batch.store import GRADED, NOT_GRADED, REJECTED
from mlgrade.core.version import VERSION

SLOWEST = 5

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1em; } td, th { padding: 0.2em 0.6em; text-align: left; }
th { border-bottom: 1px solid #999; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { background: #4c78a8; height: 0.8em; display: inline-block; }
.reason { white-space: pre-wrap; font-family: monospace; font-size: 0.85em; max-width: 40em; }
svg { max-width: 100%; height: auto; }
"""


def write_summary(book: Gradebook, path, *, layout="") -> None:
    """Write the summary page of ``book`` to ``path``."""
    parts = [
        "<!DOCTYPE html>",
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
        '<head><meta charset="utf-8" /><title>mlgrade batch summary</title>',
        f"<style>{_STYLE}</style></head>",
        "<body>",
        "<h1>mlgrade batch summary</h1>",
        f"<p>{len(book.students)} students, {len(book.exercises)} exercise(s). {_e(layout)} "
        f"Made {time.strftime('%Y-%m-%d %H:%M')} by mlgrade {_e(VERSION)}.</p>",
    ]
    for exercise in book.exercises:
        parts.extend(_exercise_section(book, exercise))
    parts.append("</body></html>")
    Path(path).write_text("\n".join(parts) + "\n", encoding="utf-8")


def _exercise_section(book, exercise):
    stats = exercise_stats(book, exercise)
    cells = book.column(exercise.slug)
    figures = [
        f"{len(stats.scores)} scored",
        f"mean {format_score(stats.mean)}",
        f"median {format_score(stats.median)}",
        f"{stats.full} full marks",
        f"{stats.zero} zero",
        f"{stats.ungradable} not graded",
        f"{stats.missing} missing",
    ]
    yield f'<h2 id="{_e(exercise.slug)}">{_e(exercise.slug)}: {_e(exercise.title)} ({format_score(exercise.points)} points)</h2>'
    yield f"<p>{_e(', '.join(figures))}</p>"
    yield _histogram(stats.scores, exercise.points, exercise.slug)
    yield from _check_rates(cells)
    yield from _slowest(cells)
    yield from _ungradable(cells)


def _histogram(scores, points, slug):
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    # Ids inside an SVG are hashed from its content and this salt: one salt per exercise keeps
    # two plots of one page from sharing ids; no date in the metadata keeps the page stable.
    with rc_context({"svg.hashsalt": slug, "svg.fonttype": "none"}):
        figure = Figure(figsize=(6, 2.6))
        axes = figure.add_subplot()
        bins = [points * i / 10 for i in range(11)] if points > 0 else 10
        axes.hist(scores, bins=bins, color="#4c78a8", edgecolor="white")
        axes.set_xlabel("score")
        axes.set_ylabel("submissions")
        axes.set_xlim(0, points or 1)
        axes.yaxis.get_major_locator().set_params(integer=True)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    # Inline SVG starts at <svg>: the XML declaration and DOCTYPE of a standalone file go.
    return f'<div class="plot">{svg[svg.index("<svg") :]}</div>'


def _check_rates(cells):
    from mlgrade.grading.report import Report

    passed, total = defaultdict(int), defaultdict(int)
    for cell in cells:
        if cell.status == GRADED and cell.report:
            for test in Report.from_json(cell.report).tests:
                total[test.name] += 1
                passed[test.name] += test.status == "passed"
    if not total:
        return
    yield "<table><tr><th>check</th><th>passed</th><th></th></tr>"
    for name, count in total.items():
        rate = passed[name] / count
        yield (
            f'<tr><td>{_e(name)}</td><td class="n">{passed[name]}/{count} ({rate:.0%})</td>'
            f'<td><span class="bar" style="width: {rate * 10:.1f}em"></span></td></tr>'
        )
    yield "</table>"


def _slowest(cells):
    timed = sorted((cell for cell in cells if cell.status == GRADED), key=lambda cell: -cell.seconds)[:SLOWEST]
    if not timed:
        return
    yield f"<table><tr><th>slowest {len(timed)}</th><th>grading time</th><th>score</th></tr>"
    for cell in timed:
        yield (
            f'<tr><td>{_e(cell.student)}</td><td class="n">{cell.seconds:.1f} s</td>'
            f'<td class="n">{format_score(cell.score)} / {format_score(cell.max_score)}</td></tr>'
        )
    yield "</table>"


def _ungradable(cells):
    failed = [cell for cell in cells if cell.status in (NOT_GRADED, REJECTED)]
    missing = [cell.student for cell in cells if cell.status == MISSING]
    if failed:
        yield "<table><tr><th>could not be graded</th><th>status</th><th>reason</th></tr>"
        for cell in failed:
            yield (
                f"<tr><td>{_e(cell.student)}</td><td>{_e(cell.status)}</td>"
                f'<td class="reason">{_e(cell.reason[-1500:])}</td></tr>'
            )
        yield "</table>"
    else:
        yield "<p>Every submission was graded.</p>"
    if missing:
        yield f"<p>Missing (nothing handed in): {_e(', '.join(missing))}</p>"


# XML 1.0 forbids most control characters even escaped; student text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _e(text) -> str:
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)

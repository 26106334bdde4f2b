"""What the terminal shows during and after a batch.

On a terminal, a live progress bar (done / total, rate, ETA, failed gradings); elsewhere (CI
logs, a file) one plain line per finished submission, since a bar redrawn in a log is noise.
At the end, a short table per exercise.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn
from rich.table import Table
from rich.text import Text

from mlgrade.batch.gradebook import exercise_stats, format_score
from mlgrade.batch.store import GRADED, NOT_GRADED


class _RateColumn(ProgressColumn):
    """Gradings per minute and the time left, from the average since the start.

    Gradings finish in bursts (N at a time, seconds apart): rich's own speed, a short moving
    window, swings between bursts and stays blank until the second one.
    """

    def render(self, task):
        if not task.completed or not task.elapsed:
            return Text("-/min  ETA -", style="progress.data.speed")
        rate = task.completed / task.elapsed
        left = int((task.total - task.completed) / rate)
        return Text(f"{rate * 60:.1f}/min  ETA {left // 60}:{left % 60:02d}", style="progress.data.speed")


class BatchProgress:
    """Reports finished gradings; a context manager around the grading loop."""

    def __init__(self, console: Console, total: int):
        self.console = console
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self._bar = None
        if console.is_terminal and total:
            self._bar = Progress(
                TextColumn("grading"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TextColumn("{task.fields[failed]} not graded"),
                console=console,
                transient=False,
            )
            self._task = self._bar.add_task("grading", total=total, failed=0)

    def __enter__(self):
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc):
        if self._bar:
            self._bar.stop()

    def advance(self, result) -> None:
        """Count one finished grading (a store Result) and show it."""
        self.done += 1
        self.failed += result.status == NOT_GRADED
        if self._bar:
            self._bar.update(self._task, advance=1, failed=self.failed)
            return
        if result.status == GRADED:
            what = f"{format_score(result.score)}/{format_score(result.max_score)}"
        else:
            what = f"{result.status}: {(result.reason.strip().splitlines() or [''])[-1][:200]}"
        self.console.print(
            f"[{self.done}/{self.total}] {result.student} {result.exercise}: {what} ({result.seconds:.1f} s)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def print_table(console: Console, book) -> None:
    """The closing table: per exercise the mean, median, full marks, zeros, ungradable, missing."""
    table = Table(title=None, show_edge=False)
    for name, justify in (
        ("exercise", "left"),
        ("points", "right"),
        ("mean", "right"),
        ("median", "right"),
        ("full marks", "right"),
        ("zero", "right"),
        ("ungradable", "right"),
        ("missing", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)
    for exercise in book.exercises:
        stats = exercise_stats(book, exercise)
        table.add_row(
            exercise.slug,
            format_score(exercise.points),
            format_score(stats.mean),
            format_score(stats.median),
            str(stats.full),
            str(stats.zero),
            str(stats.ungradable),
            str(stats.missing),
        )
    console.print(table)

"""The gradebook: one cell per (student, exercise) of this run, and the files made from it.

A cell shows a stored result only if it is current (same file, same grader); a result of an
older file or grader, or none, is "not graded" (a later run grades it), and a student with no
file for an exercise is "missing". gradebook.csv is UTF-8, one row per student, a column per
exercise in catalogue order and the total.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from pathlib import Path

from mlgrade.batch.layouts import safe_name
from mlgrade.batch.store import GRADED, NOT_GRADED, REJECTED

MISSING = "missing"
# File extensions of the report formats (the writers of mlgrade.grading.writers).
EXTENSIONS = {"json": "json", "junit": "xml", "text": "txt"}


@dataclass(frozen=True)
class Cell:
    """One student's result for one exercise."""

    student: str
    exercise: str
    status: str  # graded, rejected, not graded, missing
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    reason: str = ""
    report: str | None = None

    @property
    def counts(self) -> bool:
        """Whether the cell is a score (a rejected or missing file scores 0; "not graded" is no score)."""
        return self.status in (GRADED, REJECTED, MISSING)

    @property
    def points(self) -> float:
        return self.score or 0.0


@dataclass
class Gradebook:
    """Every cell of a run, the roster's students included."""

    students: list[str]  # in gradebook order
    exercises: list  # of Exercise, in catalogue order
    cells: dict[tuple[str, str], Cell]

    def row(self, student) -> list[Cell]:
        """The student's cells, in exercise order."""
        return [self.cells[student, exercise.slug] for exercise in self.exercises]

    def column(self, slug) -> list[Cell]:
        """The exercise's cells, in student order."""
        return [self.cells[student, slug] for student in self.students]


def collect(found, store, plan, names=None, roster=()) -> Gradebook:
    """The gradebook of the submissions ``found``, from the store, for the run ``plan``.

    ``names`` maps a submitting student to the name the gradebook shows (the roster's
    identifier); every roster identifier gets a row, with "missing" where nothing was handed in.
    """
    names = names or {}
    cells = {}
    for sub in found.submissions:
        student = names.get(sub.student, sub.student)
        if sub.path is None:
            cells[student, sub.exercise] = Cell(student, sub.exercise, MISSING, reason="no file handed in")
            continue
        result = store.get(sub.student, sub.exercise)
        current = (
            result is not None
            and result.sha256 == plan.hashes[sub.student, sub.exercise]
            and result.fingerprint == plan.fingerprints[sub.exercise]
        )
        if not current:
            cells[student, sub.exercise] = Cell(student, sub.exercise, NOT_GRADED, reason="not graded yet")
            continue
        cells[student, sub.exercise] = Cell(
            student,
            sub.exercise,
            result.status,
            result.score if result.status != NOT_GRADED else None,
            result.max_score,
            result.seconds,
            result.reason,
            result.report,
        )
    students = sorted({student for student, _ in cells} | {entry.identifier for entry in roster})
    for student in students:
        for exercise in found.exercises:
            cells.setdefault(
                (student, exercise.slug), Cell(student, exercise.slug, MISSING, reason="no submission handed in")
            )
    return Gradebook(students, found.exercises, cells)


def write_gradebook(book: Gradebook, path) -> None:
    """Write gradebook.csv: student, one column per exercise, total (a number, or "not graded")."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["student", *(e.slug for e in book.exercises), "total"])
        for student in book.students:
            row = book.row(student)
            values = [format_score(cell.points) if cell.status in (GRADED, REJECTED) else cell.status for cell in row]
            # A total over a cell that is not graded would understate it: say so instead.
            total = format_score(sum(cell.points for cell in row)) if all(cell.counts for cell in row) else NOT_GRADED
            out.writerow([student, *values, total])


def format_score(value) -> str:
    """A score as a gradebook shows it: 58.62, 100, 0 (2 decimals at most); "-" for none."""
    if value is None:
        return "-"
    return f"{round(float(value), 2) + 0.0:.2f}".rstrip("0").rstrip(".")


def write_reports(book: Gradebook, folder, formats) -> int:
    """Write reports/<student>/<slug>.<ext> in each of ``formats``; returns how many files."""
    from mlgrade.grading.report import Report
    from mlgrade.grading.writers import WRITERS

    written = 0
    for cell in book.cells.values():
        if cell.report is None or cell.status != GRADED:
            continue
        report = Report.from_json(cell.report)
        target = Path(folder) / safe_name(cell.student)
        target.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            (target / f"{cell.exercise}.{EXTENSIONS[fmt]}").write_text(WRITERS[fmt](report), encoding="utf-8")
            written += 1
    return written


@dataclass(frozen=True)
class ExerciseStats:
    """The figures of one exercise over a batch, for the summary page and the closing table."""

    slug: str
    points: float
    scores: list[float]  # of the submissions that have a score, missing ones not included
    full: int
    zero: int
    ungradable: int  # not graded: the machine could not grade them (yet)
    rejected: int
    missing: int

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None


def exercise_stats(book: Gradebook, exercise) -> ExerciseStats:
    """Mean, median, full marks, zeros, ungradable, rejected and missing of one exercise."""
    cells = book.column(exercise.slug)
    scored = [cell for cell in cells if cell.status in (GRADED, REJECTED)]
    scores = [cell.points for cell in scored]
    return ExerciseStats(
        slug=exercise.slug,
        points=exercise.points,
        scores=scores,
        full=sum(1 for cell in scored if cell.max_score and cell.points >= cell.max_score),
        zero=sum(1 for score in scores if score == 0),
        ungradable=sum(1 for cell in cells if cell.status == NOT_GRADED),
        rejected=sum(1 for cell in cells if cell.status == REJECTED),
        missing=sum(1 for cell in cells if cell.status == MISSING),
    )

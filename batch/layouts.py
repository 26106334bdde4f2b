"""Finding the submissions of a class in a folder, whichever of the known layouts it has.

The layouts (detected, never chosen by a flag):

- ``files``: ``SUBMISSIONS/<student>.py``, one exercise (``--exercise``);
- ``folders``: ``SUBMISSIONS/<student>/solution.py``, one exercise (``--exercise``);
- ``exercise folders``: ``SUBMISSIONS/<student>/<slug>/solution.py``, what ``mlgrade init``
  makes in a student's repository, any number of exercises;
- ``classroom``: GitHub Classroom's download, ``SUBMISSIONS/<assignment>-<login>/`` holding
  either of the two folder layouts; the student is the login.

A student folder without the file of an exercise is a *missing* submission, not an absent one:
the gradebook shows it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from mlgrade.core.errors import UsageError


@dataclass(frozen=True)
class Submission:
    """One (student, exercise) to grade; ``path`` is None when the student has no such file."""

    student: str
    exercise: str
    path: Path | None


@dataclass
class Found:
    """What a folder of submissions holds."""

    layout: str
    description: str
    exercises: list  # of Exercise, in catalogue order
    submissions: list[Submission] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        """Every student seen, sorted."""
        return sorted({s.student for s in self.submissions})


def find_submissions(folder, exercises, catalogue, exclude=()) -> Found:
    """Detect the layout of ``folder`` and list its submissions.

    ``exercises`` are the ones asked for (``--exercise``, possibly empty); ``catalogue`` is every
    exercise known; ``exclude`` are folders that are not students (the output folder, when it
    lies among the submissions). Raises UsageError naming the folder and the fix when the
    layout needs an exercise that was not given, or when nothing in the folder looks like a
    submission.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder of submissions")
    excluded = {Path(path).resolve() for path in exclude}
    entries = sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.name != "__pycache__" and p.resolve() not in excluded
    )
    files = [p for p in entries if p.is_file() and p.suffix == ".py"]
    dirs = [p for p in entries if p.is_dir()]
    if files and not dirs:
        exercise = _single(exercises, folder, "SUBMISSIONS/<student>.py")
        subs = [Submission(p.stem, exercise.slug, p) for p in files]
        return Found("files", "one file per student (SUBMISSIONS/<student>.py)", [exercise], subs)
    if not dirs:
        raise UsageError(f"{folder}: holds neither <student>.py files nor student folders")

    students = _classroom_logins([d.name for d in dirs])
    layout, where = (
        ("classroom", "GitHub Classroom download (SUBMISSIONS/<assignment>-<login>/") if students else ("", "")
    )
    students = students or {d.name: d.name for d in dirs}

    slugs = {e.slug: e for e in catalogue}
    nested = {child.name for d in dirs for child in d.iterdir() if child.is_dir() and child.name in slugs}
    if nested:
        chosen = list(exercises) or [e for e in catalogue if e.slug in nested]
        subs = [
            Submission(students[d.name], e.slug, _file_or_none(d / e.slug / f"{e.module}.py"))
            for d in dirs
            for e in chosen
        ]
        inner = "<student>/<slug>/solution.py"
        text = f"{where}<slug>/solution.py)" if layout else f"one folder per student and exercise (SUBMISSIONS/{inner})"
        return Found(layout or "exercise folders", text, chosen, subs)
    exercise = _single(exercises, folder, "SUBMISSIONS/<student>/solution.py")
    subs = [Submission(students[d.name], exercise.slug, _file_or_none(d / f"{exercise.module}.py")) for d in dirs]
    text = f"{where}solution.py)" if layout else "one folder per student (SUBMISSIONS/<student>/solution.py)"
    return Found(layout or "folders", text, [exercise], subs)


def _single(exercises, folder, layout):
    if len(exercises) != 1:
        raise UsageError(
            f"{folder}: the layout {layout} holds one exercise; name it with --exercise (e.g. --exercise 01)"
        )
    return exercises[0]


def _file_or_none(path):
    return path if path.is_file() else None


def _classroom_logins(names) -> dict[str, str]:
    """Map GitHub Classroom folder names to logins, or {} if the names are not Classroom's.

    Classroom names every repository ``<assignment>-<login>``, so the folders share a prefix
    that ends in a hyphen. Logins may hold hyphens themselves, hence the longest common prefix
    cut back to its last hyphen. Two folders at least: one name alone says nothing.
    """
    if len(names) < 2:
        return {}
    shortest = min(names, key=len)
    common = next((i for i, chars in enumerate(zip(*names)) if len(set(chars)) > 1), len(shortest))
    prefix = shortest[:common]
    prefix = prefix[: prefix.rfind("-") + 1]
    if len(prefix) < 2 or any(len(name) == len(prefix) for name in names):
        return {}
    return {name: name[len(prefix) :] for name in names}


@dataclass(frozen=True)
class RosterEntry:
    """A student on the roster: the identifier, and the GitHub login if the roster has one."""

    identifier: str
    login: str = ""


def read_roster(path) -> list[RosterEntry]:
    """Read a roster CSV with an ``identifier`` column (GitHub Classroom's export).

    A ``github_username`` column, when present and filled in, is the login that names the
    student's repository in a Classroom download.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path}: cannot read the roster: {exc}") from None
    if "identifier" not in header:
        raise UsageError(f"{path}: the roster needs an `identifier` column (as GitHub Classroom exports it)")
    entries = []
    for row in rows:
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        if row["identifier"]:
            entries.append(RosterEntry(row["identifier"], row.get("github_username", "")))
    return entries


def match_roster(roster, students) -> dict[str, str]:
    """Map each submitting student to the roster identifier it belongs to (itself if none).

    A submission's student matches an entry by login (case-insensitive, as GitHub logins are)
    or by identifier.
    """
    by_login = {entry.login.lower(): entry.identifier for entry in roster if entry.login}
    return {student: by_login.get(student.lower(), student) for student in students}


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._@+-]")


def safe_name(student: str) -> str:
    """A student's name made safe as one path component (reports/<student>/...)."""
    name = _UNSAFE_NAME.sub("_", student).strip(".") or "_"
    return name[:120]

"""The results store: one SQLite row per graded (student, exercise), committed as it arrives.

A row is current when its submission hash and grader fingerprint match the ones of this run;
anything else (a new or changed file, a changed grader, an earlier "not graded") is graded
again. SQLite in WAL mode with one commit per result: a batch killed with SIGKILL loses only
the gradings in flight, never a finished one, and never leaves a half-written row.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from mlgrade.core.errors import UsageError

STORE_NAME = "results.sqlite"

# The statuses of a row. "rejected" is a file that cannot be a submission (too large, say):
# the student's doing, so it scores 0. "not graded" is the machine's doing: never a score.
GRADED, REJECTED, NOT_GRADED = "graded", "rejected", "not graded"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    student     TEXT NOT NULL,
    exercise    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL,
    score       REAL,
    max_score   REAL,
    seconds     REAL NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    report      TEXT,
    worker      TEXT NOT NULL DEFAULT '',
    graded_at   REAL NOT NULL,
    PRIMARY KEY (student, exercise)
);
"""


@dataclass(frozen=True)
class Result:
    """The outcome of one grading, as stored."""

    student: str
    exercise: str
    sha256: str
    fingerprint: str
    status: str
    score: float | None
    max_score: float | None
    seconds: float
    reason: str = ""
    report: str | None = None  # the Report's JSON
    worker: str = ""
    graded_at: float = 0.0


class Store:
    """The SQLite results store of one output folder."""

    def __init__(self, folder):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / STORE_NAME
        try:
            # isolation_level=None: every statement commits on its own, no implicit transactions.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL, not WAL's default NORMAL: a result must survive a power cut as well as a kill.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{self.path}: not a results store mlgrade can use ({exc})") from None

    @property
    def run_label(self) -> str:
        """A label value that names this store's runs, the same across reruns.

        The sandbox containers of a run carry it, so a rerun can remove the ones a killed
        run left behind, and those of no other batch.
        """
        row = self._db.execute("SELECT value FROM meta WHERE key = 'label'").fetchone()
        if row:
            return row[0]
        label = uuid.uuid4().hex
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('label', ?)", (label,))
        return self._db.execute("SELECT value FROM meta WHERE key = 'label'").fetchone()[0]

    def get(self, student, exercise) -> Result | None:
        """The stored result of (student, exercise), if any."""
        row = self._db.execute(
            f"SELECT {', '.join(Result.__dataclass_fields__)} FROM results WHERE student = ? AND exercise = ?",
            (student, exercise),
        ).fetchone()
        return Result(*row) if row else None

    def is_current(self, student, exercise, sha256, fingerprint) -> bool:
        """Whether (student, exercise) already has a final result for this file and grader."""
        result = self.get(student, exercise)
        return (
            result is not None
            and result.status != NOT_GRADED
            and result.sha256 == sha256
            and result.fingerprint == fingerprint
        )

    def put(self, result: Result) -> None:
        """Store ``result`` (replacing the previous one) and commit it."""
        values = dict(result.__dict__, graded_at=result.graded_at or time.time())
        names = ", ".join(values)
        self._db.execute(
            f"INSERT OR REPLACE INTO results ({names}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )

    def close(self) -> None:
        """Close the database (every result is already committed)."""
        self._db.close()

"""Everything a grader uses, in one import: ``from mlgrade.grading import as_array, Submission, ...``.

A grader (``graders/<slug>/test_hidden.py``, or an exercise's public tests) is a pytest file
whose tests ask for three fixtures, provided by the grading plugin:

- ``submission: Submission``: calls into the submission's sandbox (``call``, ``call_method``,
  ``get_attr``, ``describe``, ``stopwatch``);
- ``credit: Credit``: declarative partial credit (``measure``, ``runtime``, ``note``);
- ``exercise: Exercise``: the exercise's ``exercise.toml`` (``limits``, ``budgets``).

The names below are the whole author-facing API; everything else in ``mlgrade.grading`` is
the machinery that runs graders.
"""

from mlgrade.core.config import Budget, Exercise
from mlgrade.grading.artifacts import artifacts_folder
from mlgrade.grading.checks import as_array, as_number, relative_error, returns_self, speed_counts_only_if
from mlgrade.grading.credit import Credit
from mlgrade.sandbox import Limits, Remote, Stopwatch, Submission
from mlgrade.sandbox.errors import (
    BadReply,
    BudgetExhausted,
    CallRaised,
    CallTimedOut,
    ImportFailed,
    NotImplementedYet,
    SandboxDied,
    StaleObject,
    SubmissionError,
)

__all__ = [
    "BadReply",
    "Budget",
    "BudgetExhausted",
    "CallRaised",
    "CallTimedOut",
    "Credit",
    "Exercise",
    "ImportFailed",
    "Limits",
    "NotImplementedYet",
    "Remote",
    "SandboxDied",
    "StaleObject",
    "Stopwatch",
    "Submission",
    "SubmissionError",
    "artifacts_folder",
    "as_array",
    "as_number",
    "relative_error",
    "returns_self",
    "speed_counts_only_if",
]

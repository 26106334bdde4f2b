"""GitHub Classroom: the runner payload its reporter reads, and the workflow of a starter repository.

Classroom's autograding is a workflow in the student's repository: runner steps each write
an output ``result`` (base64 of UTF-8 JSON), and one reporter step,
``classroom-resources/autograding-grading-reporter@v1``, reads them from environment
variables named ``<ID>_RESULTS`` and records the grade (the sum of ``tests[].score`` over
runners whose ``max_score`` is not 0). The payload is a projection of mlgrade's Report.

The workflow runs only the public checks: the student's repository (and its workflow, which
the student can edit) never holds a hidden grader. The grade that counts comes from the
instructor's `mlgrade batch` over the downloaded repositories.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from mlgrade.core.catalogue import copy_public_files
from mlgrade.core.config import Exercise
from mlgrade.core.errors import UsageError
from mlgrade.grading.report import Report

WORKFLOW_NAME = "Autograding Tests"
JOB_ID = "run-autograding-tests"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
MESSAGE_CHARS = 2000


def runner_payload(report: Report, exercise: Exercise) -> dict:
    """The JSON a Classroom runner emits, from a report of the public checks.

    Partial credit goes through ``score``; ``status`` follows the score (only a full score
    passes); ``max_score`` is never 0, or the reporter would not count the runner at all.
    A run that graded nothing (the submission did not import, the machine could not grade)
    is one test with status "error" and the reason as its message.
    """
    max_score = report.max_score or exercise.points
    if not report.tests:
        tests = [_test("grading", "error", 0, report.output or "nothing was graded", 0.0)]
    else:
        tests = [
            _test(t.name, "pass" if _passed(t) else "fail", t.score, t.output, t.execution_time) for t in report.tests
        ]
    errored = not report.tests or _nothing_ran(report)
    status = "error" if errored else ("pass" if report.score >= max_score else "fail")
    return {"version": 1, "status": status, "max_score": _points(max_score), "tests": tests}


def _passed(test):
    # A 0-point check (feedback only) has score >= max_score whether or not it held.
    return test.status == "passed" and test.score >= test.max_score


def encode(payload: dict) -> str:
    """Base64 of the payload's UTF-8 JSON: the form a runner's ``result`` output takes."""
    return base64.b64encode(json.dumps(payload, ensure_ascii=False).encode("utf-8")).decode("ascii")


def step_id(exercise: Exercise) -> str:
    """The runner step's id: GitHub wants a letter first, then letters, digits, - or _."""
    return "ex" + re.sub(r"[^A-Za-z0-9_-]", "-", exercise.slug)


def results_variable(exercise: Exercise) -> str:
    """The reporter's environment variable for a runner: its id upper-cased, hyphens kept."""
    return f"{step_id(exercise).upper()}_RESULTS"


def workflow(exercises: list[Exercise], install: str) -> str:
    """``.github/workflows/classroom.yml``: one runner step per exercise, then the reporter.

    ``install`` is what ``pip install`` gets: a package name, a git URL or a wheel's URL.
    """
    steps = [
        "      - name: Check out the repository\n        uses: actions/checkout@v4\n",
        '      - name: Set up Python\n        uses: actions/setup-python@v5\n        with:\n          python-version: "3.11"\n',
        f"      - name: Install mlgrade\n        run: python -m pip install {_quote(install)}\n",
        "      - name: Prepare the sandbox\n        run: mlgrade sandbox build\n",
    ]
    for exercise in exercises:
        steps.append(
            f"      - name: {exercise.slug}\n"
            f"        id: {step_id(exercise)}\n"
            f"        run: mlgrade check {exercise.slug} {exercise.slug}/{exercise.module}.py"
            " --format classroom --output-github result\n"
        )
    env = "".join(
        f'          {results_variable(e)}: "${{{{ steps.{step_id(e)}.outputs.result }}}}"\n' for e in exercises
    )
    steps.append(
        f"      - name: Autograding Reporter\n        uses: {REPORTER}\n        env:\n{env}"
        f"        with:\n          runners: {','.join(step_id(e) for e in exercises)}\n"
    )
    return (
        f"# Made by `mlgrade classroom`. It runs the PUBLIC checks on every push and reports their\n"
        f"# points to GitHub Classroom; the grade that counts comes from the hidden grader, run by\n"
        f"# the instructor (`mlgrade batch`). Nothing hidden belongs in this repository.\n"
        f"name: {WORKFLOW_NAME}\n"
        f'"on":\n  - push\n  - workflow_dispatch\n  - repository_dispatch\n'
        f"permissions:\n  checks: write\n  actions: read\n  contents: read\n"
        f"jobs:\n  {JOB_ID}:\n    runs-on: ubuntu-latest\n"
        f"    if: github.actor != 'github-classroom[bot]'\n"
        f"    steps:\n" + "".join(steps)
    )


def _test(name, status, score, message, seconds):
    return {
        "name": name,
        "status": status,
        "score": _points(score),
        "message": (message or "")[:MESSAGE_CHARS],
        "test_code": "",
        "filename": "",
        "line_no": 0,
        "duration": int(round(max(seconds, 0.0) * 1000)),
    }


def _nothing_ran(report: Report) -> bool:
    # Every check failed for one reason that is not the checks': the module did not import.
    return all("could not be imported" in t.output for t in report.tests)


def _points(value):
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _quote(text):
    return text if re.fullmatch(r"[A-Za-z0-9_.:/@+=-]+", text) else json.dumps(text)


def write_starter(exercises: list[Exercise], directory: Path, install: str) -> None:
    """A starter repository: one folder per exercise (public part only) and the workflow."""
    directory = Path(directory)
    for exercise in exercises:
        target = directory / exercise.slug
        if (target / f"{exercise.module}.py").exists():
            raise UsageError(f"{target / exercise.module}.py already exists; not overwriting a student's work")
        copy_public_files(exercise, target)
    workflows = directory / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    (workflows / "classroom.yml").write_text(workflow(exercises, install))
    (directory / ".gitignore").write_text("__pycache__/\n")
    (directory / "README.md").write_text(_starter_readme(exercises))


def _starter_readme(exercises):
    rows = "\n".join(f"- `{e.slug}/`: {e.title} (see `{e.slug}/README.md`)" for e in exercises)
    checks = "\n".join(f"    mlgrade check {e.slug} {e.slug}/{e.module}.py" for e in exercises)
    return (
        "# Exercises\n\n"
        f"{rows}\n\n"
        "Edit each `solution.py`. Run the public checks yourself (they need `pip install mlgrade` and Docker):\n\n"
        f"{checks}\n\n"
        "Every push runs the same public checks on GitHub and shows their points in the Actions tab. "
        "They are feedback: your grade comes from the hidden checks your instructor runs after the deadline.\n"
    )

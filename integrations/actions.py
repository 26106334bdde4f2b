"""What a step of a GitHub Actions workflow can hand on: outputs, the step summary, annotations.

GitHub reads them from files and workflow commands it documents: ``$GITHUB_OUTPUT`` (lines
``name=value``), ``$GITHUB_STEP_SUMMARY`` (Markdown shown on the run's page) and
``::error file=F,title=T::message`` lines on standard output.
"""

from __future__ import annotations

import os

from mlgrade.grading.report import Report

ANNOTATION_CHARS = 500


def in_actions(environ=os.environ) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def write_output(name: str, value: str, environ=os.environ) -> None:
    """Set the step output ``name`` (a single-line value, such as base64)."""
    path = environ.get("GITHUB_OUTPUT")
    if not path:
        raise RuntimeError("GITHUB_OUTPUT is not set: --output-github works inside a GitHub Actions step")
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{name}={value}\n")


def step_summary(report: Report) -> str:
    """A Markdown table of the checks, for ``$GITHUB_STEP_SUMMARY``."""
    lines = [
        f"### {report.exercise}: {_num(report.score)} / {_num(report.max_score)} points (public checks)",
        "",
        "| check | points | result |",
        "| --- | --- | --- |",
    ]
    for test in report.tests:
        mark = "passed" if test.status == "passed" else "failed"
        lines.append(f"| {_cell(test.name)} | {_num(test.score)} / {_num(test.max_score)} | {mark} |")
    if not report.tests:
        lines.append(f"| grading | 0 | {_cell(report.output or 'nothing was graded')} |")
    return "\n".join(lines) + "\n"


def annotations(report: Report, file: str) -> list[str]:
    """One ``::error`` workflow command per failed check, pointing at the submission."""
    failed = [t for t in report.tests if t.status != "passed"]
    if not report.tests:
        return [f"::error file={_property(file)},title=not graded::{_message(report.output)}"]
    return [
        f"::error file={_property(file)},title={_property(t.name)}::{_message(t.output or 'the check failed')}"
        for t in failed
    ]


def append_summary(text: str, environ=os.environ) -> None:
    path = environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(text)


def _message(text: str) -> str:
    # Workflow commands end at a newline; GitHub decodes these escapes back.
    text = text[:ANNOTATION_CHARS]
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _message(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def _num(value: float) -> str:
    return f"{round(float(value), 2):g}"

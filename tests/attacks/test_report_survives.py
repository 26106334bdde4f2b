"""A submission cannot stop its report: whatever it returns, the report is written and graded.

Each attack is graded as an instructor does (``mlgrade grade``, JSON, in the real Docker
sandbox): exit 0, a report that parses, the exact score, and nothing of the host (its paths,
its tracebacks) in what the student reads.
"""

from pathlib import Path

import pytest

from mlgrade.grading.report import Report

from helpers import ROOT, grade_with_cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ATTACKS = Path(__file__).parent / "submissions"
REFERENCES = {
    "01": ROOT / "graders" / "01-mlp-classifier" / "reference.py",
    "02": ROOT / "graders" / "02-kmeans-segmentation" / "reference.py",
}
INERTIA = "inertia within 1%"


def graded(exercise, attack, tmp_path, edit=lambda text: text):
    """The report of the exercise's reference with ``attack`` appended, checked as above."""
    source = REFERENCES[exercise].read_text() + "\n\n" + edit((ATTACKS / attack).read_text())
    code, text, stderr = grade_with_cli(exercise, source, tmp_path)
    assert code == 0, f"exit {code}: {stderr[-2000:]}"
    assert text is not None, stderr[-2000:]
    report = Report.from_json(text)
    student_text = "\n".join([report.output] + [f"{t.name}\n{t.output}" for t in report.tests])
    for host in (str(tmp_path), "/work/", str(ROOT), "site-packages", "Traceback"):
        assert host not in student_text, f"{host!r} in the student's report:\n{student_text[:3000]}"
    return report


def test_an_overflow_to_infinity_is_no_credit_not_a_lost_report(tmp_path, docker_client):
    # Huge but finite centroids make the host's inertia inf: once, JSON refused it and the run
    # became a 0/0 "infrastructure" report showing the host's traceback, exit 3.
    report = graded("02", "report_inf_inertia.py", tmp_path)
    assert (report.score, report.max_score) == (80, 100), report.to_json()
    (inertia,) = [t for t in report.tests if t.name.startswith(INERTIA)]
    assert inertia.score == 0 and inertia.measured["value"] is None
    assert "worst inertia / scikit-learn's inertia: not a finite number (inf), so no credit" in inertia.output
    assert all(t.score == t.max_score for t in report.tests if t is not inertia)


def test_a_source_the_host_cannot_parse_is_graded(tmp_path, docker_client):
    # The host scans the source for forbidden imports before any check runs; an expression
    # nested 200,000 deep exhausts its parser (MemoryError), which once stopped the run.
    report = graded(
        "01", "report_unparsable_source.py", tmp_path, lambda text: text.replace("= 1", "= " + "-" * 200_000 + "1")
    )
    assert (report.score, report.max_score) == (0, 100), report.to_json()
    assert all("solution.py could not be imported" in t.output for t in report.tests), report.tests[0].output

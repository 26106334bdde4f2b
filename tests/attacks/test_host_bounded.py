"""What the host does with a reply is bounded: a reply cannot hang the grader or blow up its memory.

Each attack is graded as an instructor does (``mlgrade grade``, JSON, in the real Docker
sandbox): exit 0, a report that parses, the exact score, a run that stays quick and small,
and nothing of the host (its paths, its tracebacks) in what the student reads.
"""

import re
import resource
import time
from pathlib import Path

import pytest

from mlgrade.grading.report import Report
from mlgrade.sandbox.harness import protocol
from mlgrade.sandbox.replies import MAX_BLOCKED

from helpers import ROOT, grade_with_cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ATTACKS = Path(__file__).parent / "submissions"
REFERENCE = ROOT / "graders" / "01-mlp-classifier" / "reference.py"
# fit's reply is refused: the three checks of the trained model (30 + 5 + 10 points) fail.
WITHOUT_FIT = 55
# A grading of exercise 01 takes seconds; the attacks once took hours.
QUICK = 120
# The grading process's memory stays far from the 3.1 GB a 60 MiB header once cost.
SMALL = 1.5 * 2**30


def graded(attack, tmp_path, edit=lambda text: text):
    """The report of exercise 01's reference with ``attack`` appended, checked as above."""
    source = REFERENCE.read_text() + "\n\n" + edit((ATTACKS / attack).read_text())
    start = time.monotonic()
    code, text, stderr = grade_with_cli("01", source, tmp_path)
    assert time.monotonic() - start < QUICK, f"grading took {time.monotonic() - start:.0f} s"
    assert code == 0, f"exit {code}: {stderr[-2000:]}"
    assert text is not None, stderr[-2000:]
    report = Report.from_json(text)
    student_text = "\n".join([report.output] + [f"{t.name}\n{t.output}" for t in report.tests])
    for host in (str(tmp_path), "/work/", str(ROOT), "site-packages", "Traceback"):
        assert host not in student_text, f"{host!r} in the student's report:\n{student_text[:3000]}"
    return report


def refused_fit(report):
    """The feedback of the checks that lost their points: each says fit's reply was refused."""
    lost = [t for t in report.tests if t.score < t.max_score]
    assert len(lost) == 3 and sum(t.max_score for t in lost) == 100 - WITHOUT_FIT, report.to_json()
    assert all("`MLP.fit` produced a reply the grader refuses" in t.output for t in lost), lost[0].output
    return lost[0].output


def peak_child_memory():
    """The largest resident size of any process this one has waited for (the grading ones)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


# ------------------------------------------------------------------ item 4: blocked imports


def test_two_million_blocked_imports_are_refused_not_compared(tmp_path, docker_client):
    report = graded("report_blocked_2m.py", tmp_path)
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    assert "exceeds the limit of 1,048,576 bytes" in refused_fit(report)
    # The refused reply's names were never taken as blocked imports.
    assert "forbid" not in report.output


def test_blocked_imports_within_the_caps_are_kept_bounded(tmp_path, docker_client):
    # 90,000 distinct names in every reply, from the import on: under the channel's caps, so
    # they are read, and (forged or not) they make the submission worth 0. The host keeps
    # MAX_BLOCKED of them and the report lists ten.
    report = graded("report_blocked_many.py", tmp_path)
    assert (report.score, report.max_score) == (0, 100), report.to_json()
    assert "0 points: the submission imports m0 (at run time), m1 (at run time)" in report.output
    assert f"and {MAX_BLOCKED - 10} more, which this exercise forbids" in report.output
    assert len(report.output) < 2000


# ------------------------------------------------------------------ item 5: header size


def test_a_60_mib_reply_header_is_refused_before_it_is_read(tmp_path, docker_client):
    before = peak_child_memory()
    report = graded("report_header_60mib.py", tmp_path)
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    feedback = refused_fit(report)
    assert re.search(r"message header of 62,91\d,\d{3} bytes exceeds the limit of 1,048,576 bytes", feedback)
    assert "large data must be numpy arrays" in feedback
    if before < SMALL:  # otherwise an earlier grading in this session already went past it
        assert peak_child_memory() < SMALL


@pytest.mark.parametrize(
    ("shape", "why"),
    [
        ("deep", "message header is not valid JSON"),
        ("wide", f"message header holds more than {protocol.MAX_ITEMS:,} values"),
    ],
)
def test_a_reply_header_too_deep_or_too_wide_is_refused(tmp_path, docker_client, shape, why):
    report = graded(
        "report_header_shape.py", tmp_path, lambda text: text.replace('SHAPE = "deep"', f"SHAPE = {shape!r}")
    )
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    assert why in refused_fit(report)

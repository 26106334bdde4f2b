"""What the submission says reaches the report bounded, neutralised, and where it belongs.

Error texts are cut to a cap, invisible characters that reorder or hide text are escaped in
the text and XML reports, and what the module prints while it is imported is in the report.
Each attack is graded as an instructor does (``mlgrade grade``, JSON, in the real Docker
sandbox): exit 0, a report that parses, the exact score, and nothing of the host (its paths,
its tracebacks) in what the student reads.
"""

import re
from pathlib import Path

import pytest

from mlgrade.grading.report import Report
from mlgrade.grading.writers import write_junit, write_text

from helpers import ROOT, grade_with_cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ATTACKS = Path(__file__).parent / "submissions"
REFERENCE = ROOT / "graders" / "01-mlp-classifier" / "reference.py"
# fit fails: the three checks of the trained model (30 + 5 + 10 points) fail.
WITHOUT_FIT = 55
# Bidi embeddings, overrides and isolates, zero-width characters, the BOM, line separators.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")


def graded(attack, tmp_path, edit=lambda text: text):
    """The report of exercise 01's reference with ``attack`` appended, checked as above."""
    source = REFERENCE.read_text() + "\n\n" + edit((ATTACKS / attack).read_text())
    code, text, stderr = grade_with_cli("01", source, tmp_path)
    assert code == 0, f"exit {code}: {stderr[-2000:]}"
    assert text is not None, stderr[-2000:]
    report = Report.from_json(text)
    for host in (str(tmp_path), "/work/", str(ROOT), "site-packages", "Traceback"):
        assert host not in student_text(report), f"{host!r} in the student's report:\n{student_text(report)[:3000]}"
    return report


def student_text(report):
    return "\n".join([report.output] + [f"{t.name}\n{t.output}" for t in report.tests])


def fit_feedback(report):
    """The feedback of the first check that needs the trained model (where fit's call is shown)."""
    lost = [t for t in report.tests if t.score < t.max_score]
    assert len(lost) == 3 and sum(t.max_score for t in lost) == 100 - WITHOUT_FIT, report.to_json()
    return lost[0].output


# ------------------------------------------------------------- item 6: unbounded strings


def test_huge_error_fields_are_refused(tmp_path, docker_client):
    # Type, message, traceback and function name of 60 MB each: the report was once 240 MB.
    report = graded(
        "report_huge_error_fields.py",
        tmp_path,
        lambda text: text.replace('KIND, SIZE = "Error", 10', 'KIND, SIZE = "T" * 60_000_000, 60_000_000'),
    )
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    assert "`MLP.fit` produced a reply the grader refuses: message header of" in fit_feedback(report)
    assert len(report.to_json()) < 100_000 and len(write_junit(report)) < 100_000


@pytest.mark.parametrize("kind", ["T" * 200_000, "NotImplementedError"], ids=["long-type", "long-function"])
def test_long_error_fields_are_truncated(tmp_path, docker_client, kind):
    # 200,000 characters each: under the channel's caps, so the host reads them and cuts each.
    report = graded(
        "report_huge_error_fields.py",
        tmp_path,
        lambda text: text.replace('KIND, SIZE = "Error", 10', f"KIND, SIZE = {kind!r}, 200_000"),
    )
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    feedback = fit_feedback(report)
    if kind == "NotImplementedError":
        assert re.match(r"`F{200}\.\.\. \(truncated\)` is not implemented yet", feedback), feedback[:500]
    else:
        assert re.match(r"`MLP\.fit` raised T{100}\.\.\. \(truncated\): M{4000}\.\.\. \(truncated\)\n", feedback)
        # A traceback keeps its end, where the error is.
        assert "(truncated) ...BBB" in feedback and "start of traceback" not in feedback
    assert "end of message" not in feedback
    assert all(len(t.output) <= 16_100 for t in report.tests)
    assert len(report.to_json()) < 100_000 and len(write_junit(report)) < 100_000


# ---------------------------------------------------- item 12: invisible, reordering text


def assert_neutralised(report, *escapes):
    """No invisible character reaches the text or the XML report; each shows as its escape."""
    for rendered in (write_text(report), write_junit(report)):
        assert not INVISIBLE.search(rendered), INVISIBLE.search(rendered)
        for escape in escapes:
            assert escape in rendered, escape


def test_bidi_and_zero_width_characters_in_printed_output_are_escaped(tmp_path, docker_client):
    report = graded("report_bidi_printed.py", tmp_path)
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    feedback = fit_feedback(report)
    assert "`MLP.fit` raised RuntimeError: fit gave up" in feedback
    assert "Your code printed:\nscore \u202e001/0\u202c" in feedback  # the report keeps the truth
    assert_neutralised(
        report,
        *(f"\\u{code:04x}" for code in (0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x202A, 0x202B, 0x202D, 0x202C)),
        *(f"\\u{code:04x}" for code in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x2028, 0x2029)),
    )


def test_bidi_isolates_in_an_error_message_are_escaped(tmp_path, docker_client):
    report = graded("report_bidi_error.py", tmp_path)
    assert (report.score, report.max_score) == (WITHOUT_FIT, 100), report.to_json()
    assert "`MLP.fit` raised ValueError: all checks \u2067passed\u2069" in fit_feedback(report)
    assert_neutralised(report, "all checks \\u2067passed\\u2069 \\u202essap\\u202c\\u200b\\ufeff\\u2028graded 100/100")


# ------------------------------------------------------- item 13: printed while imported


def test_what_the_module_prints_at_import_is_in_the_report(tmp_path, docker_client):
    report = graded("report_prints_at_import.py", tmp_path)
    assert (report.score, report.max_score) == (100, 100), report.to_json()
    assert "Your module printed while it was imported:\nloading the MLP module: weights initialised" in report.output
    assert all("weights initialised" not in t.output for t in report.tests)


def test_what_a_failing_import_printed_is_in_the_report_truncated(tmp_path, docker_client):
    report = graded("report_prints_then_fails_at_import.py", tmp_path)
    assert (report.score, report.max_score) == (0, 100), report.to_json()
    assert all("solution.py could not be imported" in t.output and "no GPU found" in t.output for t in report.tests)
    assert "Your code printed 200,026 bytes while it was imported; only the first 65,536 were kept." in report.output
    assert "Your module printed while it was imported:\nimport-time diagnostics: xxx" in report.output
    assert report.output.endswith("x... (truncated)") and len(report.output) < 2500

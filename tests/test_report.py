"""Tests for the report data model (mlgrade.grading.report) and its writers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import xmlschema

from mlgrade.grading.report import SCHEMA_VERSION, Report, TestResult
from mlgrade.grading.writers import WRITERS, write_json, write_junit, write_text

from helpers import JUNIT_XSD, ROOT

GRADESCOPE_SCHEMA = ROOT / "tests" / "data" / "gradescope-results.schema.json"

XSD_PATH = JUNIT_XSD

HOSTILE = "got <b>0.8</b> & \"expected\" '0.9'\nstudent printed \x00 and \x1b[31mred\x1b[0m\x07\r\nend \ufffe \ud800 \U0001f600 é"


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    if not XSD_PATH.is_file():
        pytest.fail(f"JUnit XSD not found at {XSD_PATH}: the JUnit output cannot be validated")
    return xmlschema.XMLSchema(str(XSD_PATH))


def make_report(**overrides) -> Report:
    tests = [
        TestResult(
            name="test_shapes",
            score=10,
            max_score=10,
            status="passed",
            output="shapes ok",
            execution_time=0.1,
            peak_memory=50_000_000,
        ),
        TestResult(
            name="test_accuracy",
            score=8.5,
            max_score=10,
            status="failed",
            output="accuracy 0.87 is below 0.95\nsecond line of feedback",
            execution_time=0.2,
            measured={"what": "accuracy on the hidden test set", "value": 0.87, "full_at": 0.95, "zero_at": 0.85},
        ),
        TestResult(
            name="test_partial",
            score=2.25,
            max_score=5,
            status="passed",
            output="half the epochs converged",
            execution_time=1.25,
        ),
        TestResult(
            name="test_hidden_generalisation",
            score=0,
            max_score=5,
            status="failed",
            output="",
            visibility="hidden",
            execution_time=0.0,
        ),
        TestResult(
            name="test_hostile_output",
            score=0,
            max_score=70,
            status="failed",
            output=HOSTILE,
            visibility="after_due_date",
            execution_time=3.5,
        ),
    ]
    fields = {
        "exercise": "linear-regression",
        "submission": {"file": "solution.py", "sha256": "ab" * 32},
        "score": 20.75,
        "max_score": 100,
        # 0.1 + 0.2 is 0.30000000000000004: a time JUnit's SUREFIRE_TIME type rejects verbatim.
        "execution_time": 0.1 + 0.2,
        "output": "Graded 5 tests.",
        "tests": tests,
        "sandbox": {
            "backend": "docker",
            "isolated": True,
            "image": "sha256:1234",
            "limits": {"memory": 2_000_000_000, "cpus": 1},
        },
        "versions": {"python": "3.11.7", "numpy": "1.26.4", "mlgrade": "0.1.0"},
        "calibration": {"speed_factor": 1.3},
    }
    fields.update(overrides)
    return Report(**fields)


# ----------------------------------------------------------------------- data model


def test_json_round_trip_is_exact():
    report = make_report()
    text = report.to_json()
    again = Report.from_json(text)
    assert again == report
    assert again.to_json() == text
    assert isinstance(again.tests[0], TestResult)


def test_json_is_gradescopes_results_format_with_ours_under_extra_data():
    data = json.loads(make_report().to_json())
    assert list(data) == [
        "score",
        "execution_time",
        "output",
        "output_format",
        "test_output_format",
        "tests",
        "extra_data",
    ]
    assert list(data["tests"][0]) == [
        "name",
        "score",
        "max_score",
        "status",
        "output",
        "visibility",
        "number",
        "extra_data",
    ]
    assert list(data["tests"][0]["extra_data"]) == ["execution_time", "peak_memory", "measured"]
    assert [t["number"] for t in data["tests"]] == [str(i) for i in range(1, len(data["tests"]) + 1)]
    ours = data["extra_data"]["mlgrade"]
    assert list(ours) == ["schema_version", "exercise", "submission", "max_score", "sandbox", "versions", "calibration"]
    assert ours["schema_version"] == SCHEMA_VERSION == 2
    assert isinstance(data["execution_time"], float)
    assert write_json(make_report()) == make_report().to_json()
    jsonschema.validate(data, json.loads(GRADESCOPE_SCHEMA.read_text()))
    assert Report.from_json(make_report().to_json()) == make_report()


def test_scores_are_rounded_to_two_decimals_when_written():
    report = make_report(
        score=100 / 3, tests=[TestResult(name="t", score=2 / 3, max_score=1 / 3 + 1 / 3 + 1 / 3, status="passed")]
    )
    data = report.to_dict()
    assert data["score"] == 33.33
    assert data["tests"][0]["score"] == 0.67
    assert data["tests"][0]["max_score"] == 1.0
    assert "0.67/1" in write_text(report)


def test_schema_version_mismatch_is_rejected_naming_both_versions():
    data = make_report().to_dict()
    data["extra_data"]["mlgrade"]["schema_version"] = 1
    with pytest.raises(ValueError, match=r"1.*2"):
        Report.from_dict(data)
    del data["extra_data"]["mlgrade"]["schema_version"]
    with pytest.raises(ValueError, match="schema_version"):
        Report.from_dict(data)


def test_unknown_and_invalid_fields_are_rejected():
    data = make_report().to_dict()
    data["scroe"] = 3
    with pytest.raises(ValueError, match="scroe"):
        Report.from_dict(data)
    with pytest.raises(ValueError, match="status"):
        TestResult(name="t", score=0, max_score=1, status="error")
    with pytest.raises(ValueError, match="visibility"):
        TestResult(name="t", score=0, max_score=1, status="passed", visibility="secret")


def test_passed_count():
    assert make_report().passed_count == 2
    assert make_report(tests=[]).passed_count == 0


def test_infrastructure_failure_report():
    report = Report.infrastructure_failure("linear-regression", {"file": "solution.py"}, "Docker engine not reachable")
    assert report.score == 0 and report.max_score == 0
    assert report.tests == [] and report.passed_count == 0
    assert report.output == "Docker engine not reachable"
    assert report.exercise == "linear-regression"
    assert report.submission == {"file": "solution.py"}
    assert report.schema_version == SCHEMA_VERSION
    assert Report.from_json(report.to_json()) == report

    text = write_text(report)
    assert "Docker engine not reachable" in text
    assert "score 0 / 0" in text


# ---------------------------------------------------------------------------- JUnit


def test_junit_validates_against_xsd(junit_schema):
    xml = write_junit(make_report())
    junit_schema.validate(xml)  # raises with the offending element on failure


def test_junit_keeps_hostile_feedback_as_well_formed_legible_text(junit_schema):
    xml = write_junit(make_report())
    junit_schema.validate(xml)
    root = ET.fromstring(xml)
    (failure,) = [
        case.find("failure") for case in root.iter("testcase") if case.get("name").startswith("test_hostile_output")
    ]
    assert failure.get("message") == "got <b>0.8</b> & \"expected\" '0.9'"
    # Characters XML cannot carry are shown escaped rather than dropped or left raw.
    assert "\\x00" in failure.text and "\\x1b[31m" in failure.text and "\\x07" in failure.text
    assert "\x00" not in failure.text and "\x1b" not in failure.text
    assert "\\ud800" in failure.text and "\\ufffe" in failure.text
    assert "\U0001f600 é" in failure.text


def test_junit_carries_points_and_failures(junit_schema):
    report = make_report()
    xml = write_junit(report)
    junit_schema.validate(xml)
    root = ET.fromstring(xml)
    suite = root.find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["score"] == "20.75"
    assert props["max_score"] == "100"
    assert suite.get("tests") == "5" and suite.get("failures") == "3"
    assert suite.get("time") == "0.300"

    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {
        "test_shapes [10/10 pts]",
        "test_accuracy [8.5/10 pts]",
        "test_partial [2.25/5 pts]",
        "test_hidden_generalisation [0/5 pts]",
        "test_hostile_output [0/70 pts]",
    }
    assert "points: 8.5/10" in cases["test_accuracy [8.5/10 pts]"].find("system-out").text
    assert "points: 2.25/5" in cases["test_partial [2.25/5 pts]"].find("system-out").text
    assert cases["test_partial [2.25/5 pts]"].find("failure") is None
    assert cases["test_shapes [10/10 pts]"].find("failure") is None

    failure = cases["test_accuracy [8.5/10 pts]"].find("failure")
    assert failure.get("message") == "accuracy 0.87 is below 0.95"
    assert failure.text == "accuracy 0.87 is below 0.95\nsecond line of feedback"
    # A failed test without feedback must still be a failure, not silently pass.
    assert cases["test_hidden_generalisation [0/5 pts]"].find("failure") is not None
    assert cases["test_accuracy [8.5/10 pts]"].get("time") is not None


def test_junit_for_infrastructure_failure_is_an_error(junit_schema):
    report = Report.infrastructure_failure("linear-regression", {}, "sandbox image missing")
    xml = write_junit(report)
    junit_schema.validate(xml)
    root = ET.fromstring(xml)
    assert root.find("testsuite").get("errors") == "1"
    assert root.find("testsuite/testcase/error").text == "sandbox image missing"


# ----------------------------------------------------------------------------- text


def test_text_table_shows_tests_points_and_total():
    report = make_report()
    text = write_text(report)
    assert "linear-regression" in text
    assert "score 20.75 / 100" in text
    assert "Graded 5 tests." in text
    for test, points in [
        ("test_shapes", "10/10"),
        ("test_accuracy", "8.5/10"),
        ("test_partial", "2.25/5"),
        ("test_hidden_generalisation", "0/5"),
    ]:
        (row,) = [line for line in text.splitlines() if test in line]
        assert points in row
        assert row.startswith("PASS" if test in ("test_shapes", "test_partial") else "FAIL")
    # Feedback is indented under failing and partially scored rows only.
    assert "        accuracy 0.87 is below 0.95\n        second line of feedback" in text
    assert "        half the epochs converged" in text
    assert "shapes ok" not in text
    assert "sandbox: docker" in text
    assert "NOT isolated" not in text


def test_text_is_plain_and_survives_long_names_and_hostile_feedback():
    long_name = "test_" + "very_long_name_" * 8
    report = make_report(
        tests=[
            TestResult(name=long_name, score=1, max_score=2, status="failed", output=HOSTILE, execution_time=1.0),
            TestResult(name="short", score=2, max_score=2, status="passed", execution_time=0.5),
        ]
    )
    text = write_text(report)
    assert long_name in text
    assert "\x1b" not in text and "\x00" not in text and "\r" not in text
    assert "\\x1b[31mred" in text
    text.encode("utf-8")  # lone surrogates would make printing crash
    lines = text.splitlines()
    short_row = next(line for line in lines if line.startswith("PASS  short"))
    long_cols = lines[lines.index(next(line for line in lines if long_name in line)) + 1]
    # The points column stays aligned although one name is far wider than the rest.
    assert short_row.index("2/2") == long_cols.index("1/2")
    assert "        end" in text


def test_text_warns_when_submission_not_isolated():
    report = make_report(sandbox={"backend": "process", "isolated": False})
    assert "process backend: the submission was NOT isolated" in write_text(report)


def test_writers_registry():
    assert {"text": write_text, "json": write_json, "junit": write_junit} == WRITERS


# ------------------------------------------------------------ what a submission cannot break


def test_non_finite_measured_values_are_written_as_null():
    import numpy as np

    test = TestResult(
        name="t",
        score=float("nan"),
        max_score=10,
        status="failed",
        execution_time=float("inf"),
        measured={"what": "ratio", "value": float("inf"), "full_at": np.float32(1.0), "per": [float("-inf"), 0.5]},
    )
    report = make_report(tests=[test], score=float("inf"), execution_time=float("nan"))
    data = json.loads(report.to_json())  # once: ValueError, and no report at all
    assert data["tests"][0]["extra_data"]["measured"] == {
        "what": "ratio",
        "value": None,
        "full_at": 1.0,
        "per": [None, 0.5],
    }
    assert data["score"] == 0 and data["execution_time"] == 0 and data["tests"][0]["score"] == 0
    assert data["tests"][0]["extra_data"]["execution_time"] == 0
    assert Report.from_json(report.to_json()).tests[0].measured["value"] is None
    write_text(Report.from_json(report.to_json()))


def test_credit_for_a_non_finite_value_is_zero_and_says_why():
    from mlgrade.grading.credit import Credit

    for value in (float("inf"), float("nan"), 10**400, "0.9"):
        credit = Credit(lambda: 1.0)
        assert credit.measure("ratio", value, full_at=1.0, zero_at=2.0) == 0
        assert credit.lines[0].startswith("ratio: not a finite number (")
        assert "so no credit; full credit at <= 1.000, none at >= 2.000" in credit.lines[0]
        assert credit.measured["value"] is None
        json.dumps(credit.measured, allow_nan=False)


TROJAN = (
    "ok \u202e001/0\u202c \u2066iso\u2069 \u061cmark \u200bzw\u200c\u200d\u200e\u200f \u2060j \ufeffbom a\u2028b\u2029c"
)


def test_text_and_junit_escape_invisible_reordering_characters(junit_schema):
    report = make_report(
        output=TROJAN,
        tests=[TestResult(name=f"name {TROJAN}", score=0, max_score=1, status="failed", output=TROJAN)],
    )
    escapes = ["\\u202e", "\\u202c", "\\u2066", "\\u2069", "\\u061c", "\\u200b", "\\u200c", "\\u200d", "\\u200e"]
    escapes += ["\\u200f", "\\u2060", "\\ufeff", "\\u2028", "\\u2029"]
    xml = write_junit(report)
    junit_schema.validate(xml)
    for rendered in (write_text(report), xml):
        assert not any(chr(int(e[2:], 16)) in rendered for e in escapes)
        assert all(e in rendered for e in escapes)
    assert "ok \\u202e001/0\\u202c" in write_text(report)

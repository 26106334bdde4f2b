"""Writers that render a Report as terminal text, JSON or JUnit XML.

Every writer takes a Report and returns a str; none of them writes files or prints.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import junit_xml

from mlgrade.grading.report import Report, TestResult

# Characters that must not reach a terminal or an XML document verbatim: C0 controls
# other than tab and newline (ANSI colour escapes start with \x1b), DEL, C1 controls,
# lone surrogates (unencodable in UTF-8, so `print` would crash) and the Unicode
# non-characters. XML 1.0 forbids most of them, and junit-xml silently deletes the rest;
# escaping them instead keeps the student's output legible and truthful.
# Also the invisible characters that change what a reader sees without showing themselves
# ("Trojan Source"): bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069, and
# the marks U+200E, U+200F, U+061C), zero-width characters (U+200B-200D, U+2060, the BOM
# U+FEFF), and the line and paragraph separators U+2028/2029, which some viewers break
# lines at. Student output could otherwise reorder or hide text of the report around it.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    "\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def _clean(text: str) -> str:
    # A bare \r would let student output overwrite earlier terminal text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(lambda m: _escape_char(m.group()), text)


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _num(value: float) -> str:
    """A score as students write it: 8.5, 10, 0.33 (2 decimals at most)."""
    text = f"{round(float(value), 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(test: TestResult) -> str:
    return f"{_num(test.score)}/{_num(test.max_score)}"


def _seconds(value: float) -> float:
    return value if math.isfinite(value) and value > 0 else 0.0


# --------------------------------------------------------------------------- text

_NAME_WIDTH_CAP = 48
_FEEDBACK_INDENT = " " * 8


def write_text(report: Report) -> str:
    """Render the report as a plain-text table for a student's terminal."""
    tests = report.tests
    lines = [
        f"mlgrade: {_clean(report.exercise)}",
        f"score {_num(report.score)} / {_num(report.max_score)}"
        f"   ({report.passed_count}/{len(tests)} tests passed, {report.execution_time:.2f}s)",
    ]
    if report.output:
        lines.append("")
        lines.extend(_clean(report.output).expandtabs(4).split("\n"))
    lines.append("")

    labels = [_row_label(test) for test in tests]
    # The name column fits the longest name up to a cap; a longer name gets a line to
    # itself so one long name cannot push every other row's columns out of line.
    name_width = min(max((len(label) for label in labels), default=0), _NAME_WIDTH_CAP)
    points_width = max((len(_points(test)) for test in tests), default=0)
    for test, label in zip(tests, labels):
        mark = "PASS" if test.status == "passed" else "FAIL"
        columns = f"{_points(test):>{points_width}}  {_seconds(test.execution_time):7.2f}s"
        if len(label) > name_width:
            lines.append(f"{mark}  {label}")
            lines.append(f"{'':4}  {'':{name_width}}  {columns}")
        else:
            lines.append(f"{mark}  {label:<{name_width}}  {columns}")
        if (test.status != "passed" or test.score < test.max_score) and test.output.strip():
            feedback = _clean(test.output).expandtabs(4).strip("\n").split("\n")
            lines.extend((_FEEDBACK_INDENT + line).rstrip() for line in feedback)
    if not tests:
        lines.append("(no tests were run)")

    lines.append("")
    if report.artifacts:
        lines.append(f"saved beside this report: {', '.join(_clean(name) for name in report.artifacts)}")
    lines.extend(_sandbox_footer(report.sandbox))
    return "\n".join(lines) + "\n"


def _row_label(test: TestResult) -> str:
    label = _clean(test.name).replace("\n", " ")
    # Shown so a reader knows this row is not part of the student-visible set.
    return label if test.visibility == "visible" else f"{label} ({test.visibility})"


def _sandbox_footer(sandbox: dict) -> list[str]:
    backend = _clean(str(sandbox.get("backend", "unknown")))
    isolated = sandbox.get("isolated")
    state = {True: "isolated", False: "NOT isolated"}.get(isolated, "isolation unknown")
    lines = [f"sandbox: {backend} ({state})"]
    if isolated is False:
        lines.append(f"WARNING: {backend} backend: the submission was NOT isolated")
    lines.extend(f"  - {_clean(str(item))}" for item in sandbox.get("protections") or [])
    return lines


# --------------------------------------------------------------------------- json


def write_json(report: Report) -> str:
    """Render the report as its versioned JSON (see Report.to_json)."""
    return report.to_json()


# -------------------------------------------------------------------------- junit


def write_junit(report: Report) -> str:
    """Render the report as JUnit XML valid against the Surefire junit-10.xsd.

    Points appear as testsuite properties `score`/`max_score`, in each testcase
    name ("name [8.5/10 pts]") and as a "points:" line in each testcase's system-out.
    """
    classname = _clean(report.exercise) or "mlgrade"
    cases = [_junit_case(test, classname) for test in report.tests]
    if not cases:
        # A report without tests is an infrastructure failure; an empty suite would let
        # CI show it as green, so it becomes one errored testcase instead.
        case = junit_xml.TestCase("grading", classname=classname)
        case.add_error_info(message="no tests were run", output=_clean(report.output) or None)
        cases.append(case)
    suite = junit_xml.TestSuite(
        classname,
        cases,
        properties={"score": _num(report.score), "max_score": _num(report.max_score)},
        stdout=_clean(report.output) or None,
    )
    root = ET.fromstring(junit_xml.to_xml_report_string([suite], prettyprint=False))
    # junit-xml always writes `disabled`, which junit-10.xsd does not define on either
    # element, and sums float times into strings such as "0.30000000000000004", which
    # the XSD's SUREFIRE_TIME (at most 3 decimals) rejects; so both are rewritten here.
    time = f"{_seconds(report.execution_time):.3f}"
    for element in (root, *root.iter("testsuite")):
        element.attrib.pop("disabled", None)
        element.set("time", time)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_case(test: TestResult, classname: str) -> junit_xml.TestCase:
    points = _points(test)
    feedback = _clean(test.output)
    stdout = [f"points: {points}", f"visibility: {test.visibility}"]
    if test.measured is not None:
        stdout.append(f"measured: {_clean(json.dumps(test.measured))}")
    # Only status/classname/name/time/stdout are passed: junit-xml turns its other
    # TestCase arguments into attributes the XSD does not allow on <testcase>.
    case = junit_xml.TestCase(
        f"{_clean(test.name)} [{points} pts]",
        classname=classname,
        elapsed_sec=_seconds(test.execution_time),
    )
    if test.status == "failed":
        first = next((line.strip() for line in feedback.split("\n") if line.strip()), "")
        # junit-xml drops a failure that has neither message nor text, which would turn
        # a failed test into a passing one.
        case.add_failure_info(message=first or f"failed ({points} pts)", output=feedback or None)
    elif feedback.strip():
        stdout.append(feedback)
    case.stdout = "\n".join(stdout)
    return case


WRITERS: dict[str, Callable[[Report], str]] = {
    "text": write_text,
    "json": write_json,
    "junit": write_junit,
}

"""The grading report: what a grading run produced, independent of how it is shown.

Field names follow Gradescope's results.json where Gradescope has one. The JSON form is
exactly Gradescope's ``results.json`` (INTEGRATIONS.md): its own keys at the top and per
test, and everything of mlgrade's own (exercise, submission, sandbox, versions, calibration,
per-test times, peak memory and measured values) under ``extra_data``, so that
``mlgrade grade --format json`` can be handed to Gradescope as it is and read back here. It
is versioned by SCHEMA_VERSION (in ``extra_data.mlgrade``); a reader refuses any other
version instead of guessing.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 2
# What Gradescope reads of a test; the rest of a TestResult goes under its extra_data.
_GRADESCOPE_TEST_KEYS = ("name", "score", "max_score", "status", "output", "visibility")

STATUSES = ("passed", "failed")
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")

# Scores are shown to students and summed by gradebooks: binary-float noise such as
# 8.499999999 must not reach either.
_SCORE_DECIMALS = 2
_MAX_DEPTH = 32


def _round_score(value: float) -> float:
    # `+ 0.0` turns -0.0 into 0.0 so a rounded tiny negative never prints as "-0"; a score
    # that is not a finite number is worth nothing (and JSON could not write it).
    value = float(value)
    return round(value, _SCORE_DECIMALS) + 0.0 if math.isfinite(value) else 0.0


def _json_safe(value: Any, depth: int = 0) -> Any:
    """``value`` with every NaN and infinity replaced by None, at any depth.

    A measured value comes from what a submission returned (huge but finite outputs can
    overflow to inf on the host), and JSON has no spelling for it: null says "no number".
    Numpy scalars become Python numbers for the same reason. Reports are shallow: the depth
    cap only bounds the walk.
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item, depth + 1) for item in value]
    return value


@dataclass(kw_only=True)
class TestResult:
    """One scored test. `output` is the feedback the student sees."""

    # Not a pytest test class, despite the name.
    __test__ = False

    name: str
    score: float
    max_score: float
    status: str
    output: str = ""
    visibility: str = "visible"
    execution_time: float = 0.0
    peak_memory: int | None = None
    measured: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"test {self.name!r}: status {self.status!r} is not one of {STATUSES}")
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"test {self.name!r}: visibility {self.visibility!r} is not one of {VISIBILITIES}")

    def to_dict(self, number: int | None = None) -> dict[str, Any]:
        """Return the JSON-ready dict (a Gradescope test), scores rounded to 2 decimals."""
        data = _json_safe(dataclasses.asdict(self))
        data["score"] = _round_score(self.score)
        data["max_score"] = _round_score(self.max_score)
        data["execution_time"] = _finite_or_zero(self.execution_time)
        test = {key: data.pop(key) for key in _GRADESCOPE_TEST_KEYS}
        if number is not None:
            test["number"] = str(number)
        test["extra_data"] = data
        return test

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        """Build a TestResult from `to_dict()` output; unknown keys are a ValueError."""
        fields = dict(data)
        fields.pop("number", None)
        extra = fields.pop("extra_data", {})
        if not isinstance(extra, dict):
            raise ValueError("TestResult: extra_data is not an object")
        return _construct(cls, {**fields, **extra})


@dataclass(kw_only=True)
class Report:
    """The result of grading one submission of one exercise."""

    schema_version: int = SCHEMA_VERSION
    exercise: str
    submission: dict[str, Any] = field(default_factory=dict)
    score: float
    max_score: float
    execution_time: float = 0.0
    output: str = ""
    tests: list[TestResult] = field(default_factory=list)
    sandbox: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    # Files the grader saved beside the report (names, in the report's folder).
    artifacts: list[str] = field(default_factory=list)

    @property
    def passed_count(self) -> int:
        """Number of tests whose status is "passed"."""
        return sum(1 for test in self.tests if test.status == "passed")

    @classmethod
    def infrastructure_failure(cls, exercise: str, submission: dict[str, Any], message: str) -> Report:
        """A report for a run that could not grade at all: no tests, 0 / 0, `message` as output.

        max_score is 0 rather than the exercise's total so that a grading-machinery
        failure is never recorded as the student scoring 0 out of the full points.
        """
        return cls(exercise=exercise, submission=dict(submission), score=0.0, max_score=0.0, output=message)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dict in field order, scores rounded to 2 decimals.

        Every NaN or infinity (a measured value that overflowed, say) becomes None; a score
        or time that is not finite becomes 0.
        """
        own = _json_safe({f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in _TOP})
        own["max_score"] = _round_score(self.max_score)
        if not own["artifacts"]:
            del own["artifacts"]  # written only when there are some: readers of schema 2 know no such key
        return {
            "score": _round_score(self.score),
            "execution_time": _finite_or_zero(self.execution_time),
            "output": _json_safe(self.output),
            "output_format": "text",
            "test_output_format": "text",
            "tests": [test.to_dict(number) for number, test in enumerate(self.tests, start=1)],
            "extra_data": {"mlgrade": own},
        }

    def to_json(self) -> str:
        """Serialise as indented JSON in field order.

        NaN and infinities become null (see `to_dict`): JSON has no spelling for them, and
        strict consumers (Gradescope, browsers) reject Python's `NaN`. Anything else JSON
        cannot hold raises (TypeError, ValueError); the grading plugin then writes a smaller
        report rather than none.
        The default ASCII escaping is kept because student output may hold lone
        surrogates, which no UTF-8 file can store unescaped.
        """
        return json.dumps(self.to_dict(), indent=2, sort_keys=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Build a Report from `to_dict()` output.

        Raises ValueError if the schema_version is not SCHEMA_VERSION, or on unknown keys.
        """
        extra = data.get("extra_data")
        own = extra.get("mlgrade") if isinstance(extra, dict) else None
        version = own.get("schema_version") if isinstance(own, dict) else None
        # `type(...) is int` because True == 1 would otherwise pass as version 1.
        if type(version) is not int or version != SCHEMA_VERSION:
            raise ValueError(
                f"report has schema_version {version!r}, but this mlgrade reads schema_version {SCHEMA_VERSION}"
            )
        fields = {key: value for key, value in data.items() if key not in ("extra_data", *_FORMATS)}
        fields.update(own)
        fields["tests"] = [TestResult.from_dict(test) for test in fields.get("tests", [])]
        return _construct(cls, fields)

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Parse `to_json()` output; see `from_dict` for what is rejected."""
        return cls.from_dict(json.loads(text))


# Report fields that are Gradescope's own keys at the top of results.json; the rest go
# under extra_data.mlgrade. Format keys are written, and ignored on reading.
_TOP = ("score", "execution_time", "output", "tests")
_FORMATS = ("output_format", "test_output_format")


def _finite_or_zero(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def _construct(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {unknown}")
    try:
        return cls(**data)
    except TypeError as exc:  # a missing required field
        raise ValueError(f"{cls.__name__}: {exc}") from exc

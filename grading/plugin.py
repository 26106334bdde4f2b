"""The grading plugin: turns a pytest run of a hidden grader into a scored report.

Loaded with ``-p mlgrade.grading.plugin`` by the grading runner. A grader is a plain pytest
file; its tests ask for

- ``submission``: the :class:`~mlgrade.sandbox.Submission` under grading (one sandbox for the run);
- ``credit``: a :class:`~mlgrade.grading.credit.Credit` that records measured values with
  declarative partial credit;
- ``exercise``: the :class:`~mlgrade.core.config.Exercise` (limits, runtime budgets);

and carry ``@pytest.mark.points(n)`` and optionally ``@pytest.mark.visibility("hidden")``.
A test that raises gets no points and its message becomes the student's feedback; nothing
of the grader's own source or data is shown (run with ``--assert=plain``).

Feedback quotes what the submission said (error messages, printed output), so every piece of
it is cut to a cap here, and the report is written whatever a test recorded: a result that
cannot be written is dropped to its name and score rather than losing the whole report.
"""

import json
import os
import platform
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlgrade.core.config import Exercise, load_exercise
from mlgrade.core.errors import InfrastructureError
from mlgrade.core.version import VERSION
from mlgrade.grading.credit import Credit
from mlgrade.grading.imports import forbidden_imports
from mlgrade.grading.report import VISIBILITIES, Report, TestResult
from mlgrade.sandbox import Submission, SubmissionError, make_backend
from mlgrade.sandbox.harness import calibration
from mlgrade.sandbox.replies import clip

STATE = pytest.StashKey["GradingState"]()
CREDIT = pytest.StashKey[Credit]()
PHASES = pytest.StashKey[dict]()
PRINTED_SHOWN = 2000
# One check's feedback, the grader errors and the forbidden imports a report lists: enough
# for any honest message, and a bound on a report whatever the submission sends.
MAX_FEEDBACK = 16_000
MAX_GRADER_ERROR = 500
MAX_LISTED = 10


def pytest_addoption(parser):
    group = parser.getgroup("mlgrade", "mlgrade grading")
    group.addoption("--mlgrade-exercise", help="the exercise's public folder (holds exercise.toml)")
    group.addoption("--mlgrade-submission", help="folder holding the submission's solution.py")
    group.addoption("--mlgrade-submission-info", default="{}", help="JSON describing the submitted file")
    group.addoption("--mlgrade-sandbox", default="docker", choices=["docker", "process"])
    group.addoption("--mlgrade-image", default=None)
    group.addoption("--mlgrade-label", action="append", default=[], help="KEY=VALUE label for the containers")
    group.addoption("--mlgrade-report", help="write the JSON report to this path")
    group.addoption("--mlgrade-failure", help="write why the machine could not grade to this path")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points this check is worth")
    config.addinivalue_line("markers", "visibility(v): visible, hidden, after_due_date or after_published")
    if not config.getoption("--mlgrade-submission"):
        return
    state = GradingState(config)
    config.stash[STATE] = state
    # SIGTERM (an instructor's Ctrl-C on the runner, a CI cancel) must not leave a container.
    signal.signal(signal.SIGTERM, lambda *_: (state.close(), os._exit(143)))


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        points = item.get_closest_marker("points")
        if points is None or len(points.args) != 1 or not isinstance(points.args[0], (int, float)):
            raise pytest.UsageError(f"{item.nodeid}: every graded test needs @pytest.mark.points(n)")
        if _visibility(item) not in VISIBILITIES:
            raise pytest.UsageError(f"{item.nodeid}: visibility must be one of {VISIBILITIES}")


@pytest.fixture(scope="session")
def submission(request) -> Submission:
    """The submission under grading: calls into its sandbox."""
    return _state(request.config).open_submission()


@pytest.fixture(scope="session")
def exercise(request) -> Exercise:
    """The exercise's configuration (``exercise.toml``)."""
    return _state(request.config).exercise


@pytest.fixture
def credit(request) -> Credit:
    """Declarative partial credit and feedback for the current test."""
    state = _state(request.config)
    request.node.stash[CREDIT] = recorder = Credit(state.speed_factor)
    return recorder


class GradingState:
    """Per-run state, kept in ``config.stash``."""

    def __init__(self, config):
        self.config = config
        self.started = time.perf_counter()
        public_dir = Path(config.getoption("--mlgrade-exercise"))
        self.exercise = load_exercise(public_dir, public_dir.parents[1])
        self.submission_dir = config.getoption("--mlgrade-submission")
        self.results = []
        self.submission = None
        self.backend = None
        self.grader_errors = []
        self.infrastructure_failure = None
        source = Path(self.submission_dir, self.exercise.module + ".py").read_text(errors="replace")
        self.static_forbidden = _scan_imports(source, self.exercise.forbidden_imports)

    def open_submission(self):
        if self.submission is None:
            labels = dict(label.split("=", 1) for label in self.config.getoption("--mlgrade-label"))
            self.backend = make_backend(
                self.config.getoption("--mlgrade-sandbox"),
                self.config.getoption("--mlgrade-image"),
                labels,
                protected=[self.exercise.grader_dir.parent],
                forbidden=self.exercise.forbidden_imports,
            )
            self.submission = Submission(
                self.backend,
                self.submission_dir,
                module=self.exercise.module,
                limits=self.exercise.limits,
                forbidden_imports=self.exercise.forbidden_imports,
            )
        return self.submission

    def speed_factor(self):
        return self.submission.speed_factor if self.submission else None

    def calls_so_far(self):
        return len(self.submission.stats) if self.submission else 0

    def close(self):
        if self.submission is not None:
            self.submission.close()

    def record(self, item, phases, start_index):
        points = float(item.get_closest_marker("points").args[0])
        try:
            result = self._result(item, phases, start_index, points)
        except Exception as exc:  # a bug here must cost one check, not the whole report
            self.grader_errors.append(_grader_error(item.name, exc))
            result = TestResult(
                name=item.name,
                score=0.0,
                max_score=points,
                status="failed",
                output=f"the grader could not record this check ({type(exc).__name__})",
                visibility=_visibility(item),
            )
        self.results.append(result)

    def _result(self, item, phases, start_index, points):
        recorded = item.stash.get(CREDIT, None)
        failure = next((phases[w] for w in ("setup", "call", "teardown") if phases.get(w)), None)
        fraction = 0.0 if failure else (recorded.fraction if recorded else 1.0)
        lines = list(recorded.lines) if recorded else []
        if failure:
            lines.append(failure)
        calls = self._check_calls(start_index)
        lines += _printed_lines(calls, shown=fraction < 1)
        peaks = [c.peak_memory for c in calls if c.peak_memory]
        doc = (item.function.__doc__ or "").strip().splitlines()
        return TestResult(
            name=doc[0].strip() if doc else item.name,
            score=round(points * fraction, 4),
            max_score=points,
            status="passed" if fraction >= 1 else "failed",
            output=clip("\n".join(lines), MAX_FEEDBACK),
            visibility=_visibility(item),
            execution_time=round(sum(phases.get("durations", [])), 4),
            peak_memory=max(peaks) if peaks else None,
            measured=recorded.measured if recorded else None,
        )

    def _check_calls(self, start_index):
        """The calls of one check (the import aside), with what each printed.

        The printed output is taken out of the stats as it is read: kept there, it would grow
        the host's memory with every call (600 calls may print 64 KiB each), and each check
        reads only its own calls. The import's output stays, for the report's ``output``.
        """
        calls = []
        for call in self.submission.stats[start_index:] if self.submission else []:
            if not self._is_import(call):
                calls.append(_Printed(call.output, call.output_bytes, call.peak_memory))
                call.output = ""
        return calls

    def _is_import(self, call):
        return call.what == f"importing {self.exercise.module}.py"

    def forbidden(self):
        """The forbidden imports found, as the report lists them: in the source, then at run time."""
        found = [f"{name} (line {line})" for name, line in self.static_forbidden]
        static = {name for name, _ in self.static_forbidden}
        blocked = self.submission.blocked_imports if self.submission else []
        return found + [f"{name} (at run time)" for name in blocked if name not in static]

    def import_output(self):
        """What the module printed while it was imported (the first import), for the report."""
        calls = [c for c in (self.submission.stats if self.submission else []) if self._is_import(c)]
        if not calls:
            return []
        return _printed_lines(
            calls[:1], shown=True, during="while it was imported", heading="Your module printed while it was imported:"
        )

    def report(self):
        forbidden = self.forbidden()
        output = []
        tests = self.results
        if forbidden:
            allowed = ", ".join(self.exercise.allowed) or "the standard library"
            output.append(
                f"0 points: the submission imports {_listed(forbidden)}, which this exercise "
                f"forbids (allowed: {allowed}). The checks below ran for your information."
            )
            for test in tests:
                test.output = f"0 points because of a forbidden import. {test.output}".strip()
                test.score, test.status = 0.0, "failed"
        output += self.import_output()
        if self.grader_errors:
            output.append(
                "The grader hit an internal error; tell your instructor: " + _listed(self.grader_errors, sep="; ")
            )
        submission = self.submission
        return Report(
            exercise=self.exercise.slug,
            submission=_submission_info(self.config),
            score=round(sum(t.score for t in tests), 4),
            max_score=sum(t.max_score for t in tests),
            execution_time=round(time.perf_counter() - self.started, 3),
            output="\n".join(output),
            tests=tests,
            sandbox={
                **(
                    self.backend.describe() if self.backend else {"backend": self.config.getoption("--mlgrade-sandbox")}
                ),
                "limits": self.exercise.limits.describe(),
                # How much the grading talked to the sandbox: the channel's share of its time.
                **({} if submission is None else {"calls": _call_totals(submission.stats)}),
            },
            versions=_versions(),
            calibration={}
            if submission is None or submission.speed_factor is None
            else {
                "speed_factor": submission.speed_factor,
                "seconds": round(submission.calibration_seconds or 0.0, 4),
                "reference_seconds": calibration.REFERENCE_SECONDS,
            },
        )


def _call_totals(stats):
    return {"count": len(stats), "wall_seconds": round(sum(call.seconds for call in stats), 3)}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    state = item.config.stash.get(STATE, None)
    if state is not None:
        item.stash[PHASES] = {"start": state.calls_so_far(), "durations": []}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    state = item.config.stash.get(STATE, None)
    if state is None:
        return
    phases = item.stash.setdefault(PHASES, {"start": 0, "durations": []})
    phases["durations"].append(report.duration)
    if call.excinfo is not None:
        phases[call.when] = _feedback(call.excinfo, state, item)
        report.longrepr = phases[call.when]
    elif call.when == "call":
        recorded = item.stash.get(CREDIT, None)
        if recorded is not None and recorded.fraction < 1:
            report.outcome = "failed"
            report.longrepr = "\n".join(recorded.lines)
    if call.when == "teardown":
        state.record(item, phases, phases["start"])


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash.get(STATE, None)
    if state is None:
        return
    state.close()
    if state.infrastructure_failure is not None:
        # Not the submission's failure: no report (a 0 would be recorded as a grade), but
        # the reason, as data, for the runner.
        Path(session.config.getoption("--mlgrade-failure")).write_text(state.infrastructure_failure)
        return
    path = session.config.getoption("--mlgrade-report")
    # Only a run that got to run the checks has a report. After a usage error (a test without
    # points), a collection error or an interrupt, an empty 0/0 report would hide what went
    # wrong; without one, the runner reports pytest's own message as an infrastructure failure.
    if path and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        Path(path).write_text(_report_json(state))


def _report_json(state):
    """The report as JSON; if that fails, the smaller report that can still be written.

    The checks ran and were scored: whatever in their results JSON cannot hold (a value of a
    type a grader put in ``measured``, say) must not turn the grade into "not graded".
    """
    try:
        return state.report().to_json()
    except Exception as exc:
        return _minimal_report(state, exc).to_json()


def _minimal_report(state, exc):
    """The tests whose results can be written as they are, the others as name and score only."""
    tests = [_writable(test) for test in state.results]
    return Report(
        exercise=state.exercise.slug,
        submission=_submission_info(state.config),
        score=round(sum(t.score for t in tests), 4),
        max_score=sum(t.max_score for t in tests),
        output=f"Part of this report could not be written ({type(exc).__name__}); each check keeps its score.",
        tests=tests,
        sandbox={"backend": state.config.getoption("--mlgrade-sandbox")},
    )


def _writable(test):
    try:
        json.dumps(test.to_dict(), allow_nan=False)
        return test
    except Exception:
        return TestResult(
            name=clip(test.name, 200),
            score=test.score,
            max_score=test.max_score,
            status=test.status,
            output="this check's feedback could not be written",
            visibility=test.visibility,
        )


def _feedback(excinfo, state, item):
    exc = excinfo.value
    if isinstance(exc, InfrastructureError):
        # The machine cannot grade (no engine, no image): stop, and tell the runner.
        if state.infrastructure_failure is None:
            state.infrastructure_failure = str(exc)
        item.session.shouldstop = "the machine cannot grade"
        return f"not graded: {exc}"
    if isinstance(exc, SubmissionError):
        return clip(_text(exc), MAX_FEEDBACK)
    if isinstance(exc, AssertionError):
        return clip(_text(exc), MAX_FEEDBACK) or "the check failed"
    if isinstance(exc, (pytest.fail.Exception, pytest.skip.Exception)):
        return clip(exc.msg or "", MAX_FEEDBACK)
    state.grader_errors.append(_grader_error(item.name, exc))
    return f"the grader could not evaluate this check ({type(exc).__name__}: {clip(_text(exc), MAX_GRADER_ERROR)})"


def _text(exc):
    """``str(exc)``, which quotes what the submission returned and so may be anything."""
    try:
        return str(exc)
    except Exception:
        return f"<{type(exc).__name__} whose message could not be read>"


def _grader_error(name, exc):
    return clip(f"{name}: {type(exc).__name__}: {_text(exc)}", MAX_GRADER_ERROR)


def _listed(items, sep=", "):
    """At most MAX_LISTED items, then how many more: a list a report shows stays short."""
    shown = sep.join(items[:MAX_LISTED])
    return shown + (f"{sep}and {len(items) - MAX_LISTED:,} more" if len(items) > MAX_LISTED else "")


@dataclass
class _Printed:
    """What one call of a check printed (kept and counted), and its peak memory."""

    output: str
    output_bytes: int
    peak_memory: int | None


def _printed_lines(calls, shown, during="during this check", heading="Your code printed:"):
    """Feedback on what ``calls`` printed: how much was cut, and (if ``shown``) its start.

    Linear in what was kept, and never joins more than PRINTED_SHOWN characters of it.
    """
    kept = sum(len(c.output.encode("utf-8", "replace")) for c in calls)
    total = sum(c.output_bytes for c in calls)
    lines = []
    if total > kept:
        lines.append(f"Your code printed {total:,} bytes {during}; only the first {kept:,} were kept.")
    head, length = [], 0
    for call in calls:
        if length > PRINTED_SHOWN:
            break
        head.append(call.output[: PRINTED_SHOWN + 1 - length])
        length += len(head[-1])
    printed = "".join(head)
    if shown and printed.strip():
        cut = printed[:PRINTED_SHOWN] + ("... (truncated)" if len(printed) > PRINTED_SHOWN else "")
        lines.append(f"{heading}\n{cut}")
    return lines


def _scan_imports(source, forbidden):
    """The source's forbidden imports; none if the host cannot parse it (a nesting deep enough
    to exhaust the parser): the sandbox's import then fails, and says why."""
    try:
        return forbidden_imports(source, forbidden)
    except (RecursionError, MemoryError, ValueError):
        return []


def _state(config):
    state = config.stash.get(STATE, None)
    if state is None:
        raise pytest.UsageError("graders run through `mlgrade grade` or `mlgrade check`")
    return state


def _visibility(item):
    marker = item.get_closest_marker("visibility")
    return marker.args[0] if marker else "visible"


def _submission_info(config):
    return json.loads(config.getoption("--mlgrade-submission-info"))


def _versions():
    import numpy

    versions = {"mlgrade": VERSION, "python": platform.python_version(), "numpy": numpy.__version__}
    torch = sys.modules.get("torch")
    if torch is None:
        try:
            from importlib.metadata import version

            versions["torch"] = version("torch")
        except Exception:
            pass
    else:
        versions["torch"] = torch.__version__
    return versions

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
"""

import json
import os
import platform
import signal
import sys
import time
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

STATE = pytest.StashKey["GradingState"]()
CREDIT = pytest.StashKey[Credit]()
PHASES = pytest.StashKey[dict]()
PRINTED_SHOWN = 2000


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
        self.static_forbidden = forbidden_imports(source, self.exercise.forbidden_imports)

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
        recorded = item.stash.get(CREDIT, None)
        failure = next((phases[w] for w in ("setup", "call", "teardown") if phases.get(w)), None)
        fraction = 0.0 if failure else (recorded.fraction if recorded else 1.0)
        lines = list(recorded.lines) if recorded else []
        if failure:
            lines.append(failure)
        calls = self.submission.stats[start_index:] if self.submission else []
        printed = "".join(c.output for c in calls)
        total_printed = sum(c.output_bytes for c in calls)
        if total_printed > len(printed.encode()):
            lines.append(
                f"Your code printed {total_printed:,} bytes during this check; only the "
                f"first {len(printed.encode()):,} were kept."
            )
        if printed.strip() and fraction < 1:
            lines.append(
                "Your code printed:\n" + printed[:PRINTED_SHOWN] + ("..." if len(printed) > PRINTED_SHOWN else "")
            )
        peaks = [c.peak_memory for c in calls if c.peak_memory]
        doc = (item.function.__doc__ or "").strip().splitlines()
        self.results.append(
            TestResult(
                name=doc[0].strip() if doc else item.name,
                score=round(points * fraction, 4),
                max_score=points,
                status="passed" if fraction >= 1 else "failed",
                output="\n".join(lines),
                visibility=_visibility(item),
                execution_time=round(sum(phases.get("durations", [])), 4),
                peak_memory=max(peaks) if peaks else None,
                measured=recorded.measured if recorded else None,
            )
        )

    def report(self):
        forbidden = [f"{name} (line {line})" for name, line in self.static_forbidden]
        blocked = self.submission.blocked_imports if self.submission else []
        forbidden += [
            f"{name} (at run time)" for name in blocked if not any(f.startswith(name + " ") for f in forbidden)
        ]
        output = []
        tests = self.results
        if forbidden:
            allowed = ", ".join(self.exercise.allowed) or "the standard library"
            output.append(
                f"0 points: the submission imports {', '.join(forbidden)}, which this exercise "
                f"forbids (allowed: {allowed}). The checks below ran for your information."
            )
            for test in tests:
                test.output = f"0 points because of a forbidden import. {test.output}".strip()
                test.score, test.status = 0.0, "failed"
        if self.grader_errors:
            output.append("The grader hit an internal error; tell your instructor: " + "; ".join(self.grader_errors))
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
        Path(path).write_text(state.report().to_json())


def _feedback(excinfo, state, item):
    exc = excinfo.value
    if isinstance(exc, InfrastructureError):
        # The machine cannot grade (no engine, no image): stop, and tell the runner.
        if state.infrastructure_failure is None:
            state.infrastructure_failure = str(exc)
        item.session.shouldstop = "the machine cannot recorded"
        return f"not graded: {exc}"
    if isinstance(exc, SubmissionError):
        return str(exc)
    if isinstance(exc, AssertionError):
        return str(exc) or "the check failed"
    if isinstance(exc, (pytest.fail.Exception, pytest.skip.Exception)):
        return exc.msg
    state.grader_errors.append(f"{item.name}: {type(exc).__name__}: {exc}")
    return f"the grader could not evaluate this check ({type(exc).__name__}: {exc})"


def _state(config):
    state = config.stash.get(STATE, None)
    if state is None:
        raise pytest.UsageError("graders run through `mlgrade recorded` or `mlgrade check`")
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

"""The grading plugin's own logic, on tiny throwaway exercises graded in the process sandbox.

Each test writes an exercise ``99-demo`` (exercise.toml, stub, hidden grader) under tmp_path
and grades a submission with ``mlgrade.grading.runner.grade_submission(..., sandbox="process")``, which
runs the grader in its own pytest process exactly as ``mlgrade grade`` does, without Docker.
"""

import json
import re
import textwrap

import pytest
from click.testing import CliRunner

from mlgrade.cli.main import main
from mlgrade.core.catalogue import find_exercise
from mlgrade.core.errors import InfrastructureError
from mlgrade.grading.runner import grade_submission
from mlgrade.grading.writers import write_text

EXERCISE_TOML = """\
title = "Demo exercise"
points = 999
allowed = ["numpy"]
forbidden_imports = {forbidden}

[limits]
call_timeout = 30
submission_timeout = 120

[budgets]
run = {{ full_at = 30.0, zero_at = 60.0 }}
"""


def make_exercise(root, grader, *, forbidden=("json",)):
    """Write exercise 99-demo under ``root`` with ``grader`` as its hidden test file."""
    public = root / "exercises" / "99-demo"
    hidden = root / "graders" / "99-demo"
    public.mkdir(parents=True)
    hidden.mkdir(parents=True)
    (public / "exercise.toml").write_text(EXERCISE_TOML.format(forbidden=json.dumps(list(forbidden))))
    (public / "solution.py").write_text("def answer():\n    raise NotImplementedError\n")
    (hidden / "test_x.py").write_text(textwrap.dedent(grader))
    return find_exercise("99", root=root)


def grade_source(root, exercise, source, name="submission.py"):
    path = root / name
    path.write_text(textwrap.dedent(source))
    return grade_submission(exercise, path, sandbox="process")


def by_name(report):
    return {test.name: test for test in report.tests}


# ------------------------------------------------------------------ one graded demo run

DEMO_SOLUTION = """\
import time


def answer():
    return 42


def accuracy():
    return 0.75


def error():
    return 0.25


def chatty():
    print("debug: chatty was here")
    time.sleep(0.3)  # output attribution without a pause is the last test's business
    return "no"


def chatty_but_right():
    print("debug: quietly right")
    time.sleep(0.3)
    return "yes"


def flood():
    print("x" * 50_000_000)
    return "flooded"
"""

DEMO_GRADER = """\
import pytest


@pytest.mark.points(3)
def test_marker_points(submission):
    assert submission.call("answer") == 42, "answer() should return 42"


@pytest.mark.points(4)
def test_half_credit(submission, credit):
    credit.measure("accuracy", submission.call("accuracy"), full_at=1.0, zero_at=0.5)


@pytest.mark.points(6)
def test_lower_is_better(submission, credit):
    credit.measure("error", submission.call("error"), full_at=0.0, zero_at=0.5)


@pytest.mark.points(2)
def test_assert_message(submission):
    secret_expected = 31337
    got = submission.call("answer")
    assert got == secret_expected, "answer() returned the wrong number"


@pytest.mark.points(2)
def test_bare_assert(submission):
    hidden_reference_value = 271828
    got = submission.call("answer")
    assert got == hidden_reference_value


@pytest.mark.points(2)
def test_grader_bug(submission):
    lookup = {"present": 1}
    submission.call("answer")
    assert lookup["absent"] == 1


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_hidden_check(submission):
    assert submission.call("answer") == 42


@pytest.mark.points(1)
@pytest.mark.visibility("after_due_date")
def test_after_due_date_check(submission):
    assert submission.call("answer") == 42


@pytest.mark.points(1)
def test_runtime_budget(submission, credit, exercise):
    import time

    start = time.perf_counter()
    submission.call("answer")
    credit.runtime("answer()", time.perf_counter() - start, exercise.budgets["run"])


@pytest.mark.points(2)
def test_chatty_failure(submission):
    assert submission.call("chatty") == "yes", "chatty() should return 'yes'"


@pytest.mark.points(1)
def test_chatty_pass(submission):
    assert submission.call("chatty_but_right") == "yes"


@pytest.mark.points(2)
def test_flood(submission):
    assert submission.call("flood") == "quiet", "flood() should return 'quiet'"
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    exercise = make_exercise(root, DEMO_GRADER)
    report = grade_source(root, exercise, DEMO_SOLUTION)
    return report, by_name(report)


def test_points_come_from_the_markers(demo):
    report, tests = demo
    assert tests["test_marker_points"].max_score == 3
    assert tests["test_marker_points"].score == 3
    assert tests["test_marker_points"].status == "passed"
    # The sum of the markers, not exercise.toml's `points = 999`.
    assert report.max_score == 3 + 4 + 6 + 2 + 2 + 2 + 1 + 1 + 1 + 2 + 1 + 2
    assert report.max_score == sum(test.max_score for test in report.tests)


def test_measure_halfway_gives_half_the_points(demo):
    _, tests = demo
    test = tests["test_half_credit"]
    assert test.score == 2 and test.max_score == 4
    assert test.status == "failed"
    assert test.output == "accuracy: 0.750; full credit at >= 1.000, none at <= 0.500"
    assert test.measured == {"what": "accuracy", "value": 0.75, "full_at": 1.0, "zero_at": 0.5}


def test_measure_lower_is_better(demo):
    _, tests = demo
    test = tests["test_lower_is_better"]
    assert test.score == 3 and test.max_score == 6
    assert test.status == "failed"
    assert test.output == "error: 0.250; full credit at <= 0.000, none at >= 0.500"


def test_runtime_budget_scored_against_exercise_budgets(demo):
    _, tests = demo
    test = tests["test_runtime_budget"]
    assert test.status == "passed" and test.score == 1
    assert test.measured["reference_full_at"] == 30.0 and test.measured["reference_zero_at"] == 60.0
    assert test.measured["speed_factor"] > 0


def test_assertion_message_is_the_feedback(demo):
    _, tests = demo
    test = tests["test_assert_message"]
    assert test.status == "failed" and test.score == 0
    assert test.output == "answer() returned the wrong number"


def test_grader_source_and_locals_are_not_shown(demo):
    report, tests = demo
    assert tests["test_bare_assert"].status == "failed"
    assert tests["test_bare_assert"].output == "the check failed"
    # Neither assertion introspection nor the grader's locals reach any part of the report.
    everything = report.to_json() + write_text(report)
    for secret in (
        "31337",
        "271828",
        "secret_expected",
        "hidden_reference_value",
        "got ==",
        "assert got",
        "AssertionError",
    ):
        assert secret not in everything, secret


def test_grader_exception_is_an_internal_error_not_the_students_fault(demo):
    report, tests = demo
    test = tests["test_grader_bug"]
    assert test.status == "failed" and test.score == 0
    assert test.output.startswith("the grader could not evaluate this check (KeyError: 'absent')")
    assert "internal error" in report.output
    assert "test_grader_bug" in report.output
    # Only that check is affected.
    assert tests["test_marker_points"].status == "passed"


def test_visibility_marker_lands_in_the_report(demo):
    report, tests = demo
    assert tests["test_hidden_check"].visibility == "hidden"
    assert tests["test_after_due_date_check"].visibility == "after_due_date"
    assert tests["test_marker_points"].visibility == "visible"
    assert (
        json.loads(report.to_json())["tests"][[t.name for t in report.tests].index("test_hidden_check")]["visibility"]
        == "hidden"
    )
    assert "test_hidden_check (hidden)" in write_text(report)


def test_student_output_of_a_failing_check_is_in_its_feedback(demo):
    _, tests = demo
    failing = tests["test_chatty_failure"]
    assert failing.status == "failed"
    assert failing.output.startswith("chatty() should return 'yes'")
    assert "Your code printed:\ndebug: chatty was here" in failing.output
    # A passing check does not repeat what the code printed, and output stays with its check.
    assert "debug" not in tests["test_chatty_pass"].output
    assert "chatty was here" not in tests["test_flood"].output


def test_output_flood_is_cut_and_counted(demo):
    report, tests = demo
    test = tests["test_flood"]
    assert test.status == "failed"
    assert test.output.startswith("flood() should return 'quiet'")
    match = re.search(
        r"Your code printed ([\d,]+) bytes during this check; only the first ([\d,]+) were kept", test.output
    )
    assert match, test.output[:500]
    printed, kept = (int(group.replace(",", "")) for group in match.groups())
    assert printed == 50_000_001  # 50,000,000 x's and print's newline
    assert kept == 64 * 1024  # Limits.output_keep
    assert len(test.output) < 5_000
    assert len(report.to_json()) < 100_000


# ------------------------------------------------------------------------ usage errors


@pytest.mark.parametrize("marker", ["", "@pytest.mark.points('ten')\n"], ids=["no-marker", "not-a-number"])
def test_check_without_points_is_reported_not_graded(tmp_path, marker):
    grader = (
        "import pytest\n\n\n@pytest.mark.points(1)\ndef test_fine(submission):\n    pass\n\n\n"
        f"{marker}def test_unscored(submission):\n    pass\n"
    )
    exercise = make_exercise(tmp_path, grader)
    report = grade_source(tmp_path, exercise, "def answer():\n    return 42\n")
    # A report, not a crash, and not a 0/0 "graded" result: it says what is wrong with the grader.
    assert report.tests == []
    assert report.max_score == 0
    assert "test_unscored: every graded test needs @pytest.mark.points(n)" in report.output

    # `mlgrade grade` shows the message and exits 3 (the grader is broken), not 0 (graded).
    (tmp_path / "cli.py").write_text("def answer():\n    return 42\n")
    result = CliRunner().invoke(
        main, ["grade", "99", str(tmp_path / "cli.py"), "--sandbox", "process"], env={"MLGRADE_ROOT": str(tmp_path)}
    )
    assert result.exit_code == 3, result.output
    assert "every graded test needs @pytest.mark.points(n)" in result.output


# -------------------------------------------------------------------- forbidden imports

CALLS_ANSWER = """\
import pytest


@pytest.mark.points(5)
def test_answer(submission):
    assert submission.call("answer") == 42
"""


def test_static_forbidden_import_scores_zero(tmp_path):
    exercise = make_exercise(tmp_path, CALLS_ANSWER, forbidden=["json"])
    report = grade_source(
        tmp_path,
        exercise,
        """\
        import json


        def answer():
            return 42
        """,
    )
    assert report.score == 0 and report.max_score == 5
    assert "imports json (line 1)" in report.output
    test = report.tests[0]
    assert test.status == "failed" and test.score == 0
    assert "forbidden import" in test.output


DYNAMIC_IMPORT = """\
def answer():
    module = __import__("{head}" + "{tail}")
    return 42
"""


@pytest.mark.parametrize("module", ["wave", "json"])
def test_dynamic_forbidden_import_scores_zero(tmp_path, module):
    # No literal name: only the sandbox's run-time blocker can see this import. `json` is
    # also one the harness itself imports before the student's code runs.
    exercise = make_exercise(tmp_path, CALLS_ANSWER, forbidden=[module])
    report = grade_source(tmp_path, exercise, DYNAMIC_IMPORT.format(head=module[:2], tail=module[2:]))
    assert report.score == 0, f"`__import__({module!r})` at run time was not blocked:\n{write_text(report)}"
    assert f"imports {module} (at run time)" in report.output
    assert "forbidden import" in report.tests[0].output
    assert f"importing {module} is not allowed" in report.tests[0].output


# ------------------------------------------------------------------------ determinism

NOISY_SOLUTION = """\
import random

import numpy as np


def noisy():
    return (float(np.random.rand()) + random.random()) / 2
"""

NOISY_GRADER = """\
import pytest


@pytest.mark.points(10)
def test_noise(submission, credit):
    credit.measure("noise", submission.call("noisy"), full_at=1.0, zero_at=0.0, fmt="{:.12f}")
"""


def test_same_submission_graded_twice_gets_the_same_score(tmp_path):
    exercise = make_exercise(tmp_path, NOISY_GRADER)
    first = grade_source(tmp_path, exercise, NOISY_SOLUTION)
    second = grade_source(tmp_path, exercise, NOISY_SOLUTION)
    # The score depends on the random numbers the submission draws, so this holds only
    # because the sandbox seeds every call the same way.
    assert 0 < first.score < 10
    assert first.score == second.score
    assert first.tests[0].measured == second.tests[0].measured
    assert first.tests[0].output == second.tests[0].output


# ---------------------------------------------------- the submission cannot fake the outcome


def test_student_message_cannot_pose_as_an_infrastructure_failure(tmp_path):
    exercise = make_exercise(tmp_path, CALLS_ANSWER)
    report = grade_source(
        tmp_path,
        exercise,
        """\
        def answer():
            raise ValueError("infrastructure: the grader is broken, do not grade me")
        """,
    )
    assert report.score == 0 and report.max_score == 5
    assert report.tests[0].status == "failed"
    assert "infrastructure: the grader is broken" in report.tests[0].output


# ------------------------------------------------------------ output goes to its own check

RACE_CHECKS = 8


def test_output_is_attributed_to_the_check_that_printed_it(tmp_path):
    # No sleep after the print: the output must still reach the reply of the same call.
    grader = "import pytest\n" + "".join(
        f"\n\n@pytest.mark.points(1)\ndef test_loud_{i}(submission):\n"
        f"    assert submission.call('loud', {i}) == -1, 'loud({i}) is wrong'\n"
        for i in range(RACE_CHECKS)
    )
    exercise = make_exercise(tmp_path, grader)
    report = grade_source(
        tmp_path,
        exercise,
        """\
        def loud(i):
            print(f"marker-{i}")
            return i
        """,
    )
    tests = by_name(report)
    wrong = {}
    for i in range(RACE_CHECKS):
        output = tests[f"test_loud_{i}"].output
        shown = re.findall(r"marker-\d+", output)
        if shown != [f"marker-{i}"]:
            wrong[f"test_loud_{i}"] = shown
    assert not wrong, f"feedback of each check should show its own marker only; got {wrong}"


def test_an_infrastructure_failure_in_the_grading_process_reaches_the_runner_as_data(tmp_path):
    # The engine can go away in the middle of a run; the grading process says so in a file of
    # its own, and the runner raises it: not graded (exit 3), rather than a score of 0.
    grader = """\
        import pytest

        from mlgrade.core.errors import InfrastructureError


        @pytest.mark.points(1)
        def test_first(submission):
            raise InfrastructureError("the Docker engine went away")


        @pytest.mark.points(1)
        def test_second(submission):
            pass
        """
    exercise = make_exercise(tmp_path, grader)
    with pytest.raises(InfrastructureError, match="the Docker engine went away"):
        grade_source(tmp_path, exercise, "def answer():\n    return 42\n")
    (tmp_path / "cli.py").write_text("def answer():\n    return 42\n")
    result = CliRunner().invoke(
        main, ["grade", "99", str(tmp_path / "cli.py"), "--sandbox", "process"], env={"MLGRADE_ROOT": str(tmp_path)}
    )
    assert result.exit_code == 3, result.output
    assert "the Docker engine went away" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------ the report is always written

UNWRITABLE_GRADER = """\
import pytest


@pytest.mark.points(3)
def test_overflow(submission, credit):
    credit.measure("ratio", submission.call("huge") * 1e200, full_at=1.0, zero_at=2.0)  # inf


@pytest.mark.points(4)
def test_unwritable(submission, credit):
    credit.measure("accuracy", 1.0, full_at=1.0, zero_at=0.5)
    credit.measured["extra"] = object()  # nothing JSON can write


@pytest.mark.points(5)
def test_fine(submission):
    assert submission.call("huge") > 0
"""


def test_a_report_that_cannot_be_written_whole_is_written_smaller(tmp_path):
    exercise = make_exercise(tmp_path, UNWRITABLE_GRADER)
    report = grade_source(tmp_path, exercise, "def huge():\n    return 1e200\n")
    # Graded (not a 0/0 "infrastructure" report): every check keeps its score.
    assert (report.score, report.max_score) == (4 + 5, 3 + 4 + 5), report.to_json()
    assert "Part of this report could not be written (TypeError)" in report.output
    tests = by_name(report)
    assert tests["test_overflow"].output.startswith("ratio: not a finite number (inf), so no credit")
    assert tests["test_unwritable"].output == "this check's feedback could not be written"
    assert tests["test_fine"].status == "passed"


def test_an_infinite_measured_value_is_null_in_a_complete_report(tmp_path):
    grader = UNWRITABLE_GRADER.split("@pytest.mark.points(4)")[0]
    exercise = make_exercise(tmp_path, grader)
    report = grade_source(tmp_path, exercise, "def huge():\n    return 1e200\n")
    assert (report.score, report.max_score) == (0, 3) and report.output == ""
    (test,) = report.tests
    assert test.measured["value"] is None
    assert test.output == "ratio: not a finite number (inf), so no credit; full credit at <= 1.000, none at >= 2.000"


@pytest.mark.parametrize(
    ("grader", "shown"),
    [
        (
            "import os\nimport pytest\n\n\n@pytest.mark.points(1)\ndef test_dies(submission):\n    os._exit(7)\n",
            "pytest exit code 7",
        ),
        (
            "raise RuntimeError(f'cannot read {__file__}')\n",
            "ERROR test_x.py - RuntimeError: cannot read test_x.py",
        ),
    ],
    ids=["grading-process-dies", "grader-does-not-import"],
)
def test_a_run_without_a_report_shows_no_host_paths_or_tracebacks(tmp_path, grader, shown):
    exercise = make_exercise(tmp_path, grader)
    report = grade_source(tmp_path, exercise, "def answer():\n    return 42\n")
    assert report.tests == [] and report.max_score == 0
    assert report.output.startswith("Grading stopped before it wrote a report")
    assert shown in report.output
    for host in (str(tmp_path), "/tmp/", "/work/", "site-packages", "Traceback", 'File "'):
        assert host not in report.output, report.output

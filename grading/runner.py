"""Grading one submission: prepare it, run the grader in its own pytest process, read the report.

The grader runs in a child process so that nothing a grader does (or a crash of it) can
take the caller down, and so that batch grading starts every submission from a clean
interpreter. Whatever happens, the caller gets a Report.

A Report is shown to the student, so when the grading process ends without one, its log does
not go into the Report: the log holds host paths, tracebacks and lines of the hidden grader's
source. The Report keeps only pytest's one-line error messages (a grader's authoring error,
such as a check without points), with paths taken out; the whole log goes to this module's
logger, at INFO level, for the instructor.
"""

import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from mlgrade.core.errors import InfrastructureError, UsageError
from mlgrade.grading import artifacts as artifacts_env
from mlgrade.grading.report import Report

MAX_SOURCE_BYTES = 1 * 2**20
PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider\n"
# What of a grading log without a report reaches the Report: pytest's ERROR lines, a few, short.
MAX_ERROR_LINES = 10
MAX_ERROR_LINE = 300
LOG_TAIL = 20_000
# A path of two parts or more, absolute or from the home folder or the working one ("../../tmp/
# x/test_x.py", as pytest names a file outside it): it is cut to its file name, so that
# "test_hidden.py" stays readable and the host's folders do not show.
_PATH = re.compile(r"(?<![\w.~-])(?:~|\.\.?)?(?:/[^\s/:'\"()\[\],]+){2,}/?")

log = logging.getLogger(__name__)


def grade_submission(
    exercise, submission_file, *, sandbox="docker", image=None, public=False, labels=None, artifacts=None
) -> Report:
    """Grade ``submission_file`` against the exercise's hidden grader (or its public tests).

    ``labels`` (a dict) are put on the sandbox containers, to find the ones of this run.
    ``artifacts``, a path prefix (``out/alice.``), asks the grader for the files it can make
    for a reader (07's picture of generated digits): each is written as the prefix followed by
    its name, and ``report.artifacts`` lists the names written.

    Raises UsageError for a file that cannot be a submission and InfrastructureError when the
    grading machine cannot grade; every failure of the submission itself is in the Report.
    """
    source = Path(submission_file)
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    if source.stat().st_size > MAX_SOURCE_BYTES:
        raise UsageError(
            f"{source}: {source.stat().st_size:,} bytes; a submission may have at most {MAX_SOURCE_BYTES:,}"
        )
    tests_dir = exercise.public_tests if public else exercise.grader_dir
    if not tests_dir.is_dir():
        raise InfrastructureError(
            f"{tests_dir}: the {'public tests' if public else 'hidden grader'} "
            f"of {exercise.slug} are not on this machine"
        )
    if sandbox == "docker":
        _check_docker(image)
    data = source.read_bytes()
    info = {"file": source.name, "sha256": hashlib.sha256(data).hexdigest(), "tests": "public" if public else "hidden"}
    with tempfile.TemporaryDirectory(prefix="mlgrade-run-") as work:
        work = Path(work)
        submission_dir = work / "submission"
        submission_dir.mkdir()
        (submission_dir / f"{exercise.module}.py").write_bytes(data)
        for name in exercise.support_files:
            shutil.copy(exercise.public_dir / name, submission_dir / name)
        # The sandbox user is not the grader's user: it must be able to read the folder.
        os.chmod(work, 0o755)
        os.chmod(submission_dir, 0o755)
        for path in submission_dir.iterdir():
            os.chmod(path, 0o644)
        report_path = work / "report.json"
        failure_path = work / "failure.txt"
        made = work / "artifacts"
        made.mkdir()
        (work / "pytest.ini").write_text(PYTEST_INI)
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(tests_dir),
            "-c",
            str(work / "pytest.ini"),
            "--rootdir",
            str(tests_dir),
            "-p",
            "mlgrade.grading.plugin",
            "--assert=plain",
            "--import-mode=importlib",
            "-q",
            "--mlgrade-exercise",
            str(exercise.public_dir),
            "--mlgrade-submission",
            str(submission_dir),
            "--mlgrade-submission-info",
            json.dumps(info),
            "--mlgrade-sandbox",
            sandbox,
            "--mlgrade-report",
            str(report_path),
            "--mlgrade-failure",
            str(failure_path),
        ] + (["--mlgrade-image", image] if image else [])
        command += [f"--mlgrade-label={key}={value}" for key, value in (labels or {}).items()]
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(
                [str(tests_dir)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
            ),
        )
        # The grader's own numerics (scikit-learn on the host, say) share the machine with the
        # sandbox: one thread each keeps OpenMP from spinning against it on a busy machine.
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(name, "1")
        # pytest cuts its one-line error summaries to the terminal's width: without a wide one,
        # "ERROR test_hidden.py - NameError: ..." loses the message that says what is wrong.
        env["COLUMNS"] = "400"
        if artifacts is not None:
            env[artifacts_env.ENV] = str(made)
        deadline = exercise.limits.submission_timeout * 10 + 120
        code, output = _run(command, env, deadline)
        if failure_path.is_file():
            # Written by the plugin only (student code runs in the sandbox, not here).
            raise InfrastructureError(failure_path.read_text())
        report = _read_report(report_path)
        if report is not None:
            if artifacts is not None:
                report.artifacts = _move_artifacts(made, artifacts)
            return report
        log.info(
            "grading %s ended without a readable report (pytest exit code %s):\n%s", source, code, output[-LOG_TAIL:]
        )
        return Report.infrastructure_failure(exercise.slug, info, _without_report(code, output))


def _move_artifacts(made, prefix):
    """Write the files the grader made (host code, trusted) as ``prefix + name``; their names."""
    prefix = str(prefix)
    written = []
    for path in sorted(made.iterdir()):
        if path.is_file() and not path.is_symlink():
            target = Path(prefix + path.name)
            shutil.copyfile(path, target)
            written.append(target.name)
    return written


def _read_report(path):
    """The Report the grading process wrote, or None if there is none or it cannot be read."""
    try:
        return Report.from_json(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        log.info("the report %s cannot be read: %s", path, exc)
        return None


def _without_report(code, output):
    """What a student may read about a grading process that ended without a report."""
    errors = [line for line in output.splitlines() if line.startswith(("ERROR", "grading did not finish"))]
    message = (
        f"Grading stopped before it wrote a report (pytest exit code {code}). This is a fault of the "
        "grader or of the grading machine, not of the submission: tell your instructor."
    )
    shown = [_without_paths(line)[:MAX_ERROR_LINE] for line in errors[:MAX_ERROR_LINES]]
    return "\n".join([message, *shown])


def _without_paths(text):
    return _PATH.sub(_last_part, text)


def _last_part(match):
    # A file keeps its name (test_hidden.py); a folder says only that it was one.
    name = os.path.basename(match.group().rstrip("/"))
    return name if "." in name else "<folder>"


def _run(command, env, deadline):
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    # A terminated grader must still stop its grading process, which removes the container.
    restore = _exit_on_sigterm()
    try:
        out, _ = process.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        # SIGTERM first: the plugin removes its container on SIGTERM.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            out, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate()
        return -1, out.decode("utf-8", "replace") + f"\ngrading did not finish within {deadline:.0f} s"
    except BaseException:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        raise
    finally:
        restore()
    return process.returncode, out.decode("utf-8", "replace")


def _exit_on_sigterm():
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _check_docker(image):
    """Fail fast, with the fix, before starting a grading process."""
    from mlgrade.sandbox.engine import connect
    from mlgrade.sandbox.image import DEFAULT_IMAGE, get_image

    get_image(connect(), image or DEFAULT_IMAGE)

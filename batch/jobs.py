"""What a worker does: grade one submission, and stop or clean up after a batch.

These functions run on Dask workers, possibly on other machines. A task carries the
submission's bytes (so workers need no shared filesystem) and the digest of the grader the
batch expects; the worker grades with its own copy of mlgrade, the exercise folders and the
sandbox image, and refuses to grade with a grader that differs from the one the batch was
started with. Every outcome is data: a task never raises, so Dask never retries a grading
that failed on its merits.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mlgrade.batch.store import GRADED, NOT_GRADED, REJECTED
from mlgrade.core.errors import InfrastructureError, MlgradeError, UsageError
from mlgrade.core.version import VERSION

BATCH_LABEL = "mlgrade.batch"


def grader_digest(exercise) -> str:
    """The digest of what grades ``exercise`` here: its grader folder's files, exercise.toml, mlgrade's version."""
    digest = hashlib.sha256(f"mlgrade {VERSION}\n".encode())
    folders = [(exercise.grader_dir, "grader"), (exercise.public_dir, "exercise")]
    for folder, tag in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(f"{tag}/{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(digest: str, image_ids) -> str:
    """The fingerprint a result is keyed by: the grader digest and the sandbox image id(s)."""
    return hashlib.sha256("\n".join([digest, *sorted(image_ids)]).encode()).hexdigest()


@dataclass(frozen=True)
class Task:
    """One grading, as sent to a worker."""

    student: str
    exercise: str
    filename: str
    source: bytes
    digest: str
    run_label: str
    sandbox: str = "docker"
    image: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: a status, the Report's JSON when there is one, and why not when not."""

    status: str
    report: str | None
    reason: str
    seconds: float
    worker: str


def grade_task(task: Task) -> Outcome:
    """Grade one submission on this worker; never raises."""
    from mlgrade.core.catalogue import find_exercise
    from mlgrade.grading.runner import grade_submission

    start = time.monotonic()
    worker = socket.gethostname()
    work = None

    def outcome(status, report=None, reason=""):
        return Outcome(status, report, reason, time.monotonic() - start, worker)

    try:
        exercise = find_exercise(task.exercise)
    except MlgradeError as exc:  # this worker lacks the exercise: the machine's fault, not the student's
        return outcome(NOT_GRADED, reason=f"worker {worker}: {exc}")
    try:
        if grader_digest(exercise) != task.digest:
            return outcome(
                NOT_GRADED,
                reason=f"worker {worker} has another grader for {task.exercise} or another mlgrade "
                f"version than the machine that started the batch; give every worker the same ones",
            )
        with tempfile.TemporaryDirectory(prefix="mlgrade-batch-") as work:
            path = Path(work) / Path(task.filename).name
            path.write_bytes(task.source)
            report = grade_submission(
                exercise, path, sandbox=task.sandbox, image=task.image, labels={BATCH_LABEL: task.run_label}
            )
    except UsageError as exc:
        # The message names the worker's copy of the file; the student's file name is what helps.
        return outcome(REJECTED, reason=str(exc).replace(f"{work}{os.sep}", "") if work else str(exc))
    except MlgradeError as exc:
        return outcome(NOT_GRADED, reason=str(exc))
    except Exception as exc:  # a bug of ours or a broken machine: never the student's zero
        return outcome(NOT_GRADED, reason=f"{type(exc).__name__}: {exc}")
    if not report.tests:
        # The runner's "grading stopped before it wrote a report": the grader, not the student.
        lines = report.output.strip().splitlines() or ["no test ran"]
        reason = "\n".join([lines[0], *lines[1:][-30:]])[-3000:]
        return outcome(NOT_GRADED, report.to_json(), reason)
    return outcome(GRADED, report.to_json())


def image_id(image=None) -> str:
    """The id of the sandbox image on this worker; InfrastructureError if there is none."""
    from mlgrade.sandbox.engine import connect
    from mlgrade.sandbox.image import DEFAULT_IMAGE, get_image

    return get_image(connect(), image or DEFAULT_IMAGE).id


def stop_gradings(run_label: str, grace: float = 10.0) -> int:
    """Stop this machine's gradings of the run ``run_label`` and remove their containers.

    Used on Ctrl-C and SIGTERM, and before a run starts, for what a run killed with SIGKILL
    left behind. The grading processes run in sessions of their own (so a Ctrl-C in the
    terminal does not reach them half-way); they are found by the label on their command line,
    asked to stop with SIGTERM (on which the grader removes its container) and killed after
    ``grace`` seconds. Returns how many processes were stopped.
    """
    import psutil

    needle = f"--mlgrade-label={BATCH_LABEL}={run_label}"
    found = []
    for process in psutil.process_iter(["cmdline", "uids"]):
        try:
            if process.info["uids"] and process.info["uids"].real != os.getuid():
                continue
            if needle in (process.info["cmdline"] or []):
                found.append(process)
        except (psutil.Error, TypeError):
            continue
    for process in found:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except OSError:
            pass
    _, alive = psutil.wait_procs(found, timeout=grace)
    for process in alive:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
    _remove_containers(f"{BATCH_LABEL}={run_label}")
    return len(found)


def _remove_containers(label):
    from mlgrade.sandbox.docker_backend import remove_leftovers
    from mlgrade.sandbox.engine import connect

    try:
        remove_leftovers(connect(), label)
    except InfrastructureError:
        pass  # no engine here: no container of ours either

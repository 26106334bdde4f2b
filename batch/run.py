"""Running a batch: decide what needs grading, send it to the workers, store each result as it comes.

The results store is the only state. Each result is committed the moment it arrives, so a
batch stopped any way (Ctrl-C, SIGTERM, SIGKILL, a dead Docker engine) resumes where it
stopped on the next run, which grades only what has no current result.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from mlgrade.batch.jobs import Outcome, Task, fingerprint, grade_task, grader_digest, image_id, stop_gradings
from mlgrade.batch.store import NOT_GRADED, Result
from mlgrade.core.errors import InfrastructureError
from mlgrade.grading.runner import MAX_SOURCE_BYTES

# Gradings that could not run, one after the other, before the batch stops: one may be a
# fluke of the machine, several in a row mean it cannot grade (engine gone, disk full).
INFRASTRUCTURE_STREAK = 3


class BatchStopped(Exception):
    """Several gradings in a row could not run; the message says why (the last reason)."""


@dataclass
class Plan:
    """What a run works on: every submission's hash, each exercise's fingerprint, the tasks to send."""

    fingerprints: dict[str, str]
    hashes: dict[tuple[str, str], str]
    tasks: list[Task] = field(default_factory=list)
    # (student, exercise) whose current result is already stored
    cached: int = 0


def prepare(client, found, store, *, regrade=False, sandbox="docker", image=None) -> Plan:
    """Clean up after killed runs, check the workers can grade, and list what to grade.

    Raises InfrastructureError (from a worker) when a worker has no engine or no image.
    """
    run_label = store.run_label
    # A run killed with SIGKILL leaves its grading processes and containers; they carry the label.
    client.run(stop_gradings, run_label, 5.0)
    images = set(client.run(image_id, image).values()) if sandbox == "docker" else {"process"}
    digests, fingerprints = {}, {}
    for exercise in found.exercises:
        if not exercise.has_grader:
            raise InfrastructureError(f"{exercise.grader_dir}: the hidden grader of {exercise.slug} is not here")
        digests[exercise.slug] = grader_digest(exercise)
        fingerprints[exercise.slug] = fingerprint(digests[exercise.slug], images)
    plan = Plan(fingerprints, {})
    for sub in found.submissions:
        if sub.path is None:
            continue
        sha, data = _read(sub.path)
        plan.hashes[sub.student, sub.exercise] = sha
        if not regrade and store.is_current(sub.student, sub.exercise, sha, fingerprints[sub.exercise]):
            plan.cached += 1
            continue
        plan.tasks.append(
            Task(sub.student, sub.exercise, sub.path.name, data, digests[sub.exercise], run_label, sandbox, image)
        )
    return plan


def _read(path):
    """The file's sha256, and its bytes up to one more than a submission may have.

    A larger file is still sent, cut short, so that the runner rejects it with its own message;
    a student's 10 GB file must not travel to a worker.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        head = handle.read(MAX_SOURCE_BYTES + 1)
        digest.update(head)
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest(), head


def grade_all(client, plan, store, progress) -> None:
    """Grade ``plan.tasks`` on the cluster, storing each result as it arrives.

    Raises BatchStopped after INFRASTRUCTURE_STREAK failures of the machine in a row.
    KeyboardInterrupt (Ctrl-C, or SIGTERM turned into it) stops the gradings in flight on every
    worker and removes their containers before it propagates.
    """
    from distributed import as_completed

    if not plan.tasks:
        return
    batch_id = uuid.uuid4().hex[:8]
    futures = {}
    for number, task in enumerate(plan.tasks):
        # Keys of our own: Dask would otherwise share results between equal tasks of two runs.
        key = f"mlgrade-grade-{batch_id}-{number}"
        futures[client.submit(grade_task, task, key=key, pure=False, retries=0)] = task
    streak = 0
    try:
        for future in as_completed(futures):
            task = futures[future]
            outcome = _outcome(future)
            result = _store(store, plan, task, outcome)
            progress.advance(result)
            streak = streak + 1 if outcome.status == NOT_GRADED else 0
            if streak >= INFRASTRUCTURE_STREAK:
                reason = (outcome.reason.strip().splitlines() or ["no reason given"])[0]
                raise BatchStopped(
                    f"{streak} gradings in a row could not run, so the batch stopped; the last: {reason}"
                )
    except BaseException:
        client.cancel(list(futures))
        raise
    finally:
        # Stopped early, gradings are still running; finished, a worker killed mid-grading may
        # have left its grading process behind on its machine. Either way nothing of this run
        # may stay behind.
        try:
            client.run(stop_gradings, plan.tasks[0].run_label, 10.0)
        except Exception:
            pass  # the cluster is gone: its workers took their gradings with them


def _outcome(future) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # KilledWorker (its worker died too often), CancelledError, ...
        return Outcome(NOT_GRADED, None, f"the grading did not come back: {type(exc).__name__}: {exc}", 0.0, "")


def _store(store, plan, task, outcome) -> Result:
    result = Result(
        student=task.student,
        exercise=task.exercise,
        sha256=plan.hashes[task.student, task.exercise],
        fingerprint=plan.fingerprints[task.exercise],
        status=outcome.status,
        score=None,
        max_score=None,
        seconds=outcome.seconds,
        reason=outcome.reason,
        report=outcome.report,
        worker=outcome.worker,
    )
    if outcome.status != NOT_GRADED:
        from mlgrade.grading.report import Report

        score, max_score = (0.0, None) if outcome.report is None else _scores(Report.from_json(outcome.report))
        result = Result(**dict(result.__dict__, score=score, max_score=max_score))
    elif store.is_current(task.student, task.exercise, result.sha256, result.fingerprint):
        return result  # --regrade hit a broken machine: the earlier, valid grade stays
    store.put(result)
    return result


def _scores(report):
    return report.score, report.max_score

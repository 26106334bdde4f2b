"""What can go wrong with a submission's call, each with feedback a student understands.

These are the submission's failures, not the grader's: the grading plugin turns them into a
failed test whose feedback is ``str(error)``, and grading carries on. Each names the call
(``what``) and says what happened to it (``reason``); the message is "`what` reason".
The functions below build them from what the sandbox reported, so every student-facing
wording of a failure lives in this file.
"""

from mlgrade.sandbox.harness.contract import FORBIDDEN_IMPORT
from mlgrade.sandbox.limits import human_bytes
from mlgrade.sandbox.replies import clip

# How much of each field of a failed call's reply reaches the report (the student's process
# wrote them, so any may be megabytes long): the harness itself sends at most 4000 characters
# of message and 8000 of traceback.
MAX_TYPE = 100
MAX_FUNCTION = 200
MAX_MESSAGE = 4000
MAX_TRACEBACK = 8000


class SubmissionError(Exception):
    """A call into the submission did not produce a usable result."""

    def __init__(self, what, reason, traceback=""):
        self.what, self.reason, self.traceback = what, reason, traceback.rstrip()
        super().__init__(f"`{what}` {reason}" + (f"\n{self.traceback}" if self.traceback else ""))


class NotImplementedYet(SubmissionError):
    """The stub's ``raise NotImplementedError`` is still in place."""


class CallRaised(SubmissionError):
    """The student's code raised an exception (its traceback is the student's own frames)."""


class ImportFailed(SubmissionError):
    """The module could not be imported, so nothing in it can be graded."""

    def __init__(self, module, cause):
        Exception.__init__(
            self,
            f"{module}.py could not be imported, so none of it could be graded: {cause.reason}"
            + (f"\n{cause.traceback}" if cause.traceback else ""),
        )
        self.what, self.reason, self.traceback = f"importing {module}.py", cause.reason, cause.traceback


class CallTimedOut(SubmissionError):
    """A call ran past its time limit and the sandbox was killed."""


class SandboxDied(SubmissionError):
    """The sandbox process ended during a call (out of memory, os._exit, a crash)."""


class BadReply(SubmissionError):
    """The sandbox answered with something the channel refuses (oversized, malformed)."""


class BudgetExhausted(SubmissionError):
    """The submission used up its overall time budget; no further calls are made."""


class StaleObject(SubmissionError):
    """An object from a sandbox that was restarted after an earlier failure."""


def from_reply(error, what):
    """The SubmissionError for a sandbox reply that says the call failed.

    ``error`` comes from the student's process: every field may be of any type and size, and
    each is cut to its cap here.
    """
    kind = clip(error.get("type", "Exception"), MAX_TYPE)
    message = clip(error.get("message", ""), MAX_MESSAGE)
    tb = clip(error.get("traceback", ""), MAX_TRACEBACK, tail=True)
    if kind == "NotImplementedError":
        function = clip(error.get("function") or what, MAX_FUNCTION)
        if function.endswith(".__init__") and function[: -len(".__init__")] == what:
            return NotImplementedYet(function, "is not implemented yet (it raises NotImplementedError)")
        called = "" if function == what else f" (called from `{what}`)"
        return NotImplementedYet(function, f"is not implemented yet (it raises NotImplementedError){called}")
    if kind == "SystemExit":
        return CallRaised(what, f"called sys.exit({clip(error.get('exit_code'), MAX_TYPE)})", tb)
    if kind == "ResultTooLarge":
        return BadReply(what, f"returned a result too large to grade: {message}")
    if kind == "ImportError" and FORBIDDEN_IMPORT in message:
        return CallRaised(what, f"tried a forbidden import: {message}", tb)
    return CallRaised(what, f"raised {kind}: {message}", tb)


def timed_out(what, limit, speed_factor, wall=None):
    """A call stopped at its CPU-time limit, or (``wall`` seconds given) at its wall-clock watchdog."""
    reference = f"{limit / speed_factor:.0f} s on the reference machine"
    if wall is None:
        return CallTimedOut(
            what,
            f"did not finish within {limit:.1f} s of CPU time (the limit on this machine; {reference}) and was stopped",
        )
    return CallTimedOut(
        what,
        f"did not finish within {wall:.1f} s of wall-clock time and was stopped: it had used less than "
        f"its {limit:.1f} s of CPU time ({reference}), so it was mostly waiting (sleeping, blocked, or "
        "kept from the CPU by a busy machine)",
    )


def budget_exhausted(what, overall, started):
    verb = "was stopped" if started else "was not run"
    return BudgetExhausted(what, f"{verb}: the submission used up its overall time budget of {overall:.0f} s")


def died(what, status, limits):
    return SandboxDied(what, f"stopped the sandbox: {exit_text(status, limits)}")


def exit_text(status, limits):
    """How the sandbox's process ended, in words."""
    if status is None:
        return "it stopped answering"
    if status.oom_killed:
        return f"it ran out of memory (the limit is {human_bytes(limits.memory)})"
    if status.code in (137, -9):
        return (
            "it was killed (SIGKILL), most likely for running out of memory "
            f"(the limit is {human_bytes(limits.memory)})"
        )
    return f"its process exited with code {status.code}"

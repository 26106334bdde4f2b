"""What can go wrong with a submission's call, each with feedback a student understands.

These are the submission's failures, not the grader's: the grading plugin turns them into a
failed test whose feedback is ``str(error)``, and grading carries on.
"""


class SubmissionError(Exception):
    """A call into the submission did not produce a usable result."""


class NotImplementedYet(SubmissionError):
    """The stub's ``raise NotImplementedError`` is still in place."""


class CallRaised(SubmissionError):
    """The student's code raised an exception (its traceback is the student's own frames)."""

    def __init__(self, message, traceback=""):
        super().__init__(message + (f"\n{traceback.rstrip()}" if traceback else ""))


class ImportFailed(SubmissionError):
    """The module could not be imported, so nothing in it can be graded."""


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

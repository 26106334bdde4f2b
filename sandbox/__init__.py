"""Running untrusted submissions: the sandbox backends and the host side of the channel."""

from mlgrade.core.errors import UsageError
from mlgrade.sandbox.errors import SubmissionError
from mlgrade.sandbox.limits import Limits
from mlgrade.sandbox.remote import Remote, Stopwatch
from mlgrade.sandbox.submission import Submission

__all__ = ["Limits", "Remote", "Stopwatch", "Submission", "SubmissionError", "make_backend"]

BACKENDS = ("docker", "process")


def make_backend(kind, image=None, labels=None, protected=(), forbidden=()):
    """A backend by name: ``docker`` (isolated) or ``process`` (not isolated).

    ``labels`` mark the Docker containers (to find a run's containers, for example).
    ``protected`` are folders the sandbox must never see (the hidden graders);
    ``forbidden`` are the exercise's forbidden modules, which the sandbox must not hold.
    """
    if kind == "process":
        from mlgrade.sandbox.process_backend import ProcessBackend

        return ProcessBackend()
    if kind == "docker":
        from mlgrade.sandbox.docker_backend import DockerBackend
        from mlgrade.sandbox.engine import connect
        from mlgrade.sandbox.image import DEFAULT_IMAGE

        return DockerBackend(connect(), image or DEFAULT_IMAGE, labels=labels, protected=protected, forbidden=forbidden)
    raise UsageError(f"unknown sandbox backend {kind!r}; choose one of {', '.join(BACKENDS)}")

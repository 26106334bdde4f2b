"""The edge between mlgrade and the container engine: connecting, and translating its errors.

Every call into docker-py goes through ``engine_errors``, so that whatever the engine or the
HTTP layer under it raises reaches callers as an InfrastructureError with the fix, never as
a docker-py traceback.
"""

from contextlib import contextmanager

from mlgrade.core.errors import InfrastructureError


class EngineUnavailable(InfrastructureError):
    """No Docker engine answers on this machine."""


class EngineError(InfrastructureError):
    """The Docker engine refused or failed an operation."""


def connect():
    """A docker-py client whose engine answered a ping."""
    import docker

    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except Exception as exc:
        raise EngineUnavailable(
            f"Docker is not reachable ({_first_line(exc)}). Start it with "
            f"`scripts/ensure-docker.sh`, or use `--sandbox process`, which runs the "
            f"submission WITHOUT isolation"
        ) from None


@contextmanager
def engine_errors(doing):
    """Turn any failure of the engine while ``doing`` something into an EngineError."""
    import docker
    import requests

    try:
        yield
    except docker.errors.BuildError as exc:
        log = "".join(str(chunk.get("stream", chunk.get("error", ""))) for chunk in exc.build_log or [])
        raise EngineError(f"{doing}: the build failed: {_first_line(exc)}\n{log[-2000:]}".rstrip()) from None
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise EngineError(f"{doing}: the Docker engine failed: {_first_line(exc)}") from None


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__

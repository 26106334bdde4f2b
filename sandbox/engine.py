"""Connecting to the container engine, with an error that says what to do."""

from mlgrade.errors import InfrastructureError


class EngineUnavailable(InfrastructureError):
    """No Docker engine answers on this machine."""


def connect():
    """A docker-py client whose engine answered a ping."""
    import docker

    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except Exception as exc:
        raise EngineUnavailable(
            f"Docker is not reachable ({str(exc).splitlines()[0][:200]}). Start it with "
            f"`scripts/ensure-docker.sh`, or use `--sandbox process`, which runs the "
            f"submission WITHOUT isolation") from None

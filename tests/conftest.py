"""Shared fixtures: the real Docker engine, and grading helpers."""

import os
import uuid

import pytest

from mlgrade.core.errors import MlgradeError

# The suite runs as root, with a Python under /root (mode 700) that no unprivileged user can
# run, so the process backend keeps root here; its drop to an unprivileged user is tested in
# containers laid out as on Gradescope (test_process_user.py, test_gradescope.py).
os.environ.setdefault("MLGRADE_SANDBOX_USER", "root")


@pytest.fixture(scope="session")
def docker_client():
    """A client of a Docker engine that has the sandbox image.

    Locally a missing engine skips the sandbox tests; in CI (CI=true) it fails them, so a
    green CI run always means the sandbox was really tested.
    """
    from mlgrade.sandbox.engine import connect
    from mlgrade.sandbox.image import get_image

    try:
        client = connect()
        get_image(client)
    except MlgradeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test the sandbox, but: {exc}")
        pytest.skip(str(exc))
    return client


@pytest.fixture
def backend(docker_client):
    """A Docker backend whose containers carry a label of this test's own; fails the test if
    any of them is left behind."""
    from mlgrade.sandbox.docker_backend import DockerBackend, remove_leftovers
    from mlgrade.sandbox.image import DEFAULT_IMAGE

    label = f"mlgrade.test={uuid.uuid4().hex}"
    key, value = label.split("=")
    yield DockerBackend(docker_client, DEFAULT_IMAGE, labels={key: value})
    left = remove_leftovers(docker_client, label)
    assert not left, f"{left} sandbox container(s) left behind"

"""The process backend run by root (on Gradescope, say) runs the submission as an unprivileged
user: it cannot read root's files, write root's folders or signal the grader; with the kernel's
leave it also has no network. Tested as root in a container laid out like such a machine (this
machine's Python, mounted read-only, and nothing else of the host), with and without the
capability a network namespace needs."""

import json
import os
import sys

import pytest

from mlgrade.sandbox.docker_backend import remove_leftovers
from mlgrade.sandbox.image import DEFAULT_IMAGE

from helpers import this_python_read_only

LABEL = "mlgrade.test=process-user"

# Runs as root in the container: a secret only root may read, a listener on loopback, and a
# submission that tries each door and says which opened.
GRADER = r"""
import json, os, socket, tempfile
from mlgrade.sandbox import Submission
from mlgrade.sandbox.process_backend import ProcessBackend

with open("/tmp/secret.txt", "w") as f:
    f.write("hidden labels")
os.chmod("/tmp/secret.txt", 0o600)
os.mkdir("/tmp/results", 0o755)
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
folder = tempfile.mkdtemp()
os.chmod(folder, 0o755)
with open(os.path.join(folder, "solution.py"), "w") as f:
    f.write(SUBMISSION)
os.chmod(os.path.join(folder, "solution.py"), 0o644)
backend = ProcessBackend()
with Submission(backend, folder, speed_factor=1.0) as session:
    found = session.call("probe", listener.getsockname()[1])
print(json.dumps({"found": found, "sandbox": backend.describe()}))
"""

SUBMISSION = r"""
import os, signal, socket

def _try(action):
    try:
        action()
        return "ok"
    except OSError:
        return "denied"

def probe(port):
    def read():
        open("/tmp/secret.txt").read()
    def write():
        open("/tmp/results/results.json", "w").write("{}")
    def kill():
        os.kill(1, signal.SIGTERM)
    def connect():
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    return {"uid": os.getuid(), "read": _try(read), "write": _try(write), "signal": _try(kill),
            "connect": _try(connect)}
"""


def run_as_root(docker_client, cap_add=()):
    volumes = this_python_read_only()
    try:
        output = docker_client.containers.run(
            DEFAULT_IMAGE,
            [sys.executable, "-c", f"SUBMISSION = {SUBMISSION!r}\n" + GRADER],
            user="0:0",
            environment={"HOME": "/root", "TMPDIR": "/tmp", "PATH": "/usr/bin:/bin"},
            volumes=volumes,
            tmpfs={"/tmp": "size=64m,mode=1777,exec"},
            network_mode="none",
            cap_add=list(cap_add),
            labels=dict([LABEL.split("=")]),
            remove=True,
        )
    finally:
        remove_leftovers(docker_client, LABEL)
    return json.loads(output.decode().strip().splitlines()[-1])


@pytest.mark.docker
def test_root_runs_the_submission_as_nobody_who_can_touch_nothing_of_roots(docker_client):
    result = run_as_root(docker_client)
    found, sandbox = result["found"], result["sandbox"]
    # No /etc/passwd in the container: the backend falls back to nobody's customary uid.
    assert found["uid"] == 65534 and sandbox["uid"] == 65534
    assert found["read"] == "denied" and found["write"] == "denied" and found["signal"] == "denied"
    # Docker's default capabilities do not allow a network namespace; the report says so.
    assert found["connect"] == "ok"
    assert any("network NOT blocked" in p for p in sandbox["protections"])
    assert any("unprivileged user nobody (uid 65534)" in p for p in sandbox["protections"])


@pytest.mark.docker
def test_where_the_kernel_allows_it_the_submission_has_no_network(docker_client):
    result = run_as_root(docker_client, cap_add=["SYS_ADMIN"])
    found, sandbox = result["found"], result["sandbox"]
    assert found["uid"] == 65534 and found["read"] == "denied"
    assert found["connect"] == "denied"
    assert any("no network" in p for p in sandbox["protections"])


def test_a_sandbox_user_that_does_not_exist_is_a_clear_error(monkeypatch):
    from mlgrade.core.errors import InfrastructureError
    from mlgrade.sandbox import process_backend

    if os.geteuid() != 0:
        pytest.skip("only root drops privileges")
    monkeypatch.setenv("MLGRADE_SANDBOX_USER", "nosuchuser-mlgrade")
    with pytest.raises(InfrastructureError, match="no such user"):
        process_backend.ProcessBackend()

"""The Docker backend: one locked-down container per submission.

The container has no network, a read-only root, a small tmpfs for /tmp, an unprivileged
user with no capabilities, and memory, CPU and process limits. It sees the submission folder
and the harness (both read-only) and the Python runtime; it never sees graders/, reference
solutions, hidden data or other submissions, because none of them is mounted.
"""

import importlib.util
import os
import site
import sys
import uuid

from docker.types import LogConfig, Mount, Ulimit

from mlgrade.sandbox.backend import HARNESS_DIR, harness_environment
from mlgrade.sandbox.container import RunningContainer
from mlgrade.sandbox.engine import engine_errors
from mlgrade.sandbox.image import get_image, image_runtime

SANDBOX_LABEL = "mlgrade.sandbox"
SANDBOX_UID = "65534:65534"
CHANNEL, SUBMISSION, HARNESS = "/mlgrade/channel", "/mlgrade/submission", "/mlgrade/harness"


class DockerBackend:
    """Runs the harness in containers of ``image`` on the engine behind ``client``."""

    name = "docker"
    isolated = True

    def __init__(self, client, image, labels=None, protected=(), forbidden=()):
        self.client = client
        self.protected = tuple(protected)
        self.forbidden = tuple(forbidden)
        self.labels = dict(labels or {})
        self.image = get_image(client, image)
        self.runtime = image_runtime(self.image)

    def describe(self):
        return {
            "backend": self.name,
            "isolated": True,
            "image": self.image.tags[:1] or [self.image.id],
            "image_id": self.image.id,
            "runtime": self.runtime,
        }

    def launch(self, channel_dir, submission_dir, limits):
        python, mounts = self._runtime_mounts()
        mounts += [
            Mount(CHANNEL, channel_dir, type="bind", read_only=True),
            Mount(SUBMISSION, submission_dir, type="bind", read_only=True),
            Mount(HARNESS, HARNESS_DIR, type="bind", read_only=True),
        ]
        # The digits data ships inside scikit-learn; exercises test on it, so hide it.
        mounts += [Mount(path, None, type="tmpfs", tmpfs_size=1024) for path in hidden_data_dirs()]
        deadline = int(limits.submission_timeout * 8 + 60)  # a backstop if the host dies
        with engine_errors("creating a sandbox container"):
            container = self._create(python, mounts, deadline, limits)
        running = RunningContainer(container)
        try:
            with engine_errors("starting a sandbox container"):
                container.start()
        except BaseException:
            running.remove()
            raise
        return running

    def _create(self, python, mounts, deadline, limits):
        return self.client.containers.create(
            self.image.id,
            command=[
                "/usr/bin/timeout",
                "-s",
                "KILL",
                str(deadline),
                python,
                "-s",
                "-B",
                f"{HARNESS}/server.py",
                f"{CHANNEL}/sock",
                SUBMISSION,
            ],
            user=SANDBOX_UID,
            working_dir="/tmp",
            environment=harness_environment(limits),
            network_mode="none",
            read_only=True,
            tmpfs={"/tmp": f"size={limits.tmpfs},mode=1777,exec"},
            mounts=mounts,
            mem_limit=limits.memory,
            memswap_limit=limits.memory,
            nano_cpus=int(limits.cpus * 1e9),
            pids_limit=limits.pids,
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            ulimits=[Ulimit(name="core", soft=0, hard=0), Ulimit(name="nofile", soft=1024, hard=1024)],
            log_config=LogConfig(type="json-file", config={"max-size": "256k", "max-file": "1"}),
            labels={**self.labels, SANDBOX_LABEL: uuid.uuid4().hex},
            stdin_open=False,
            detach=True,
        )

    def _runtime_mounts(self):
        if self.runtime != "host":
            return "python3", []
        mounts = [Mount("/usr", "/usr", type="bind", read_only=True)]
        if os.path.exists("/etc/ld.so.cache"):
            mounts.append(Mount("/etc/ld.so.cache", "/etc/ld.so.cache", type="bind", read_only=True))
        for path in python_roots():
            mounts.append(Mount(path, path, type="bind", read_only=True))
        return sys.executable, mounts


def python_roots():
    """Folders the host's interpreter and its packages live in, outside /usr."""
    candidates = {sys.prefix, sys.base_prefix, *site.getsitepackages()}
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        candidates.add(site.getusersitepackages())
    roots = sorted(os.path.realpath(p) for p in candidates if os.path.isdir(p))
    kept = []
    for path in roots:
        if path == "/usr" or path.startswith("/usr/"):
            continue
        if not any(path.startswith(k + os.sep) for k in kept):
            kept.append(path)
    return kept


def hidden_data_dirs():
    """Data folders of installed packages that hold public copies of graded data sets."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return []
    data = os.path.join(next(iter(spec.submodule_search_locations)), "datasets", "data")
    return [os.path.realpath(data)] if os.path.isdir(data) else []


def leftover_containers(client, label=SANDBOX_LABEL):
    """Sandbox containers still present on the engine (there should be none)."""
    with engine_errors("listing sandbox containers"):
        return client.containers.list(all=True, filters={"label": label})


def remove_leftovers(client, label=SANDBOX_LABEL):
    """Remove the sandbox containers a killed grader left behind; returns how many."""
    containers = leftover_containers(client, label)
    for container in containers:
        RunningContainer(container).remove()
    return len(containers)

"""The Docker backend: one locked-down container per submission.

The container has no network, a read-only root, a small tmpfs for /tmp, an unprivileged
user with no capabilities, and memory, CPU and process limits. It sees the submission folder
and the harness (both read-only) and what the Python runtime needs (``mounts.py`` plans it);
it never sees graders/, reference solutions, hidden data or other submissions, because none
of them is mounted, and the exercise's forbidden packages are not there at all.
"""

import sys
import uuid

from docker.types import LogConfig, Mount, Ulimit

from mlgrade.sandbox.backend import HARNESS_DIR, harness_environment
from mlgrade.sandbox.container import RunningContainer
from mlgrade.sandbox.engine import engine_errors
from mlgrade.sandbox.image import get_image, image_runtime
from mlgrade.sandbox.mounts import Runtime, plan_mounts

SANDBOX_LABEL = "mlgrade.sandbox"
SANDBOX_UID = "65534:65534"
CHANNEL, SUBMISSION, HARNESS = "/mlgrade/channel", "/mlgrade/submission", "/mlgrade/harness"


class DockerBackend:
    """Runs the harness in containers of ``image`` on the engine behind ``client``."""

    name = "docker"
    isolated = True

    def __init__(self, client, image, labels=None, protected=(), forbidden=(), runtime=None):
        """``runtime`` (a ``mounts.Runtime``) is the host's Python the sandbox runs; by default
        the one running this code. Planning the mounts here refuses, before any container
        starts, a runtime whose mounted folders hold a ``protected`` one."""
        self.client = client
        self.protected = tuple(protected)
        self.forbidden = tuple(forbidden)
        self.labels = dict(labels or {})
        self.image = get_image(client, image)
        self.runtime = image_runtime(self.image)
        self.plan = None
        if self.runtime == "host":
            self.plan = plan_mounts(runtime or Runtime.of(sys.executable), self.forbidden, self.protected)

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
        """The interpreter to run and the host paths it needs; forbidden packages and graded
        data under them are covered: an empty read-only tmpfs over a folder (the engine
        mounts the deeper paths after the shallower), /dev/null over a file."""
        if self.plan is None:
            return "python3", []
        plan = self.plan
        mounts = [Mount(path, path, type="bind", read_only=True) for path in plan.binds]
        mounts += [
            Mount(path, None, type="tmpfs", read_only=True, tmpfs_size=4096, tmpfs_mode=0o555)
            for path in plan.hidden_dirs
        ]
        mounts += [Mount(path, "/dev/null", type="bind", read_only=True) for path in plan.hidden_files]
        return plan.executable, mounts


def leftover_containers(client, label=SANDBOX_LABEL):
    """Sandbox containers still present on the engine (there should be none).

    Sparse: not inspected one by one, since a container removed between the listing and its
    inspection would fail the whole listing (graders remove containers all the time)."""
    with engine_errors("listing sandbox containers"):
        return client.containers.list(all=True, filters={"label": label}, sparse=True)


def remove_leftovers(client, label=SANDBOX_LABEL):
    """Remove the sandbox containers a killed grader left behind; returns how many."""
    containers = leftover_containers(client, label)
    for container in containers:
        RunningContainer(container).remove()
    return len(containers)

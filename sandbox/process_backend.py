"""The process backend: the same harness in a plain subprocess, for students without Docker.

It limits memory and file size with rlimits, reads the CPU time of the child and its
descendants from /proc (what runtime budgets judge), and kills the whole process group on a
timeout, but it does NOT isolate: the submission runs as the user who started it and can read
and write that user's files and use the network. Reports say so.
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

from mlgrade.sandbox import cputime
from mlgrade.sandbox.backend import HARNESS_DIR, ExitStatus, harness_environment


class ProcessBackend:
    """Runs the harness as a child process of the grader."""

    name = "process"
    isolated = False

    def describe(self):
        return {
            "backend": self.name,
            "isolated": False,
            "warning": "the submission ran as a normal process and was NOT isolated",
        }

    def launch(self, channel_dir, submission_dir, limits):
        workdir = tempfile.mkdtemp(prefix="mlgrade-work-")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **harness_environment(limits), "HOME": workdir}

        def apply_limits():
            # Address space rather than RSS: the only memory limit a plain process can set.
            # Numeric libraries reserve more address space than they touch, hence the slack.
            address_space = 2 * limits.memory + 2**30
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.tmpfs, limits.tmpfs))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        log = open(os.path.join(workdir, ".harness.log"), "wb")  # noqa: SIM115 (closed once the child has it)
        process = subprocess.Popen(
            [
                sys.executable,
                "-s",
                "-B",
                os.path.join(HARNESS_DIR, "server.py"),
                os.path.join(channel_dir, "sock"),
                submission_dir,
            ],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            preexec_fn=apply_limits,
            start_new_session=True,
        )
        log.close()
        return RunningProcess(process, workdir)


class RunningProcess:
    """One harness process and its process group."""

    def __init__(self, process, workdir):
        self.process = process
        self.workdir = workdir

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def exit_status(self, wait=0):
        try:
            code = self.process.wait(timeout=wait) if wait else self.process.poll()
        except subprocess.TimeoutExpired:
            return None
        return None if code is None else ExitStatus(code=code)

    def logs(self):
        try:
            with open(os.path.join(self.workdir, ".harness.log"), "rb") as f:
                return f.read()[-4000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def cpu_seconds(self):
        """The CPU time of the harness and every process it started."""
        return cputime.process_tree_cpu_seconds(self.process.pid)

    def remove(self):
        self.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(self.workdir, ignore_errors=True)

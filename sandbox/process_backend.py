"""The process backend: the same harness in a plain subprocess, for students without Docker.

It limits memory and file size with rlimits, reads the CPU time of the child and its
descendants from /proc (what runtime budgets judge), and kills the whole process group on a
timeout, but it does NOT isolate like a container. Run by a normal user, the submission runs as
that user and can read and write that user's files and use the network. Run as root (on
Gradescope, say), the submission runs as an unprivileged user instead (``MLGRADE_SANDBOX_USER``,
else ``nobody``), without network where the kernel lets us make it a network namespace of its
own. Reports list which of these protections applied.
"""

import ctypes
import functools
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

from mlgrade.core.errors import InfrastructureError
from mlgrade.sandbox import cputime
from mlgrade.sandbox.backend import HARNESS_DIR, ExitStatus, harness_environment

CLONE_NEWNET = 0x40000000
_UNSHARE_PROBE = f"import ctypes, sys; sys.exit(ctypes.CDLL(None, use_errno=True).unshare({CLONE_NEWNET}) != 0)"


class ProcessBackend:
    """Runs the harness as a child process of the grader."""

    name = "process"
    isolated = False

    def __init__(self):
        self.as_root = os.geteuid() == 0
        self.drop = _unprivileged_user() if self.as_root else None
        self.no_network = self.drop is not None and _can_unshare_network()

    def describe(self):
        info = {
            "backend": self.name,
            "isolated": False,
            "warning": "the submission ran as a normal process and was NOT isolated",
            "protections": ["memory and file-size limits (rlimits)", "CPU time measured and limited"],
        }
        if self.drop:
            name, uid, _ = self.drop
            info["user"] = name
            info["uid"] = uid
            info["protections"].append(f"ran as the unprivileged user {name} (uid {uid}), not as root")
            info["protections"].append(
                "no network (a network namespace of its own)"
                if self.no_network
                else "network NOT blocked: this machine does not allow a network namespace"
            )
        else:
            info["user"] = _user_name(os.geteuid())
            who = "root (MLGRADE_SANDBOX_USER=root)" if self.as_root else "the grader's own user"
            info["protections"].append(f"NOT protected: it ran as {who}, with its files and network")
        return info

    def launch(self, channel_dir, submission_dir, limits):
        workdir = tempfile.mkdtemp(prefix="mlgrade-work-")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **harness_environment(limits), "HOME": workdir}
        drop, no_network = self.drop, self.no_network
        if drop:
            os.chown(workdir, drop[1], drop[2])

        def apply_limits():
            # Address space rather than RSS: the only memory limit a plain process can set.
            # Numeric libraries reserve more address space than they touch, hence the slack.
            address_space = 2 * limits.memory + 2**30
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.tmpfs, limits.tmpfs))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if no_network and ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
                os._exit(125)
            if drop:
                # Groups first: once the uid is dropped the process may no longer change them.
                os.setgroups([])
                os.setgid(drop[2])
                os.setuid(drop[1])

        log = open(os.path.join(workdir, ".harness.log"), "wb")  # noqa: SIM115 (closed once the child has it)
        try:
            process = self._popen(channel_dir, submission_dir, workdir, env, log, apply_limits)
        except PermissionError as error:
            if not drop:
                raise
            shutil.rmtree(workdir, ignore_errors=True)
            raise InfrastructureError(
                f"the sandbox user {drop[0]} cannot run {sys.executable} ({error.strerror}): "
                "install mlgrade in a Python that other users can read (a venv under /opt, say), "
                "or set MLGRADE_SANDBOX_USER=root to run submissions as root, unprotected"
            ) from None
        finally:
            log.close()
        return RunningProcess(process, workdir)

    @staticmethod
    def _popen(channel_dir, submission_dir, workdir, env, log, apply_limits):
        return subprocess.Popen(
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


def _unprivileged_user():
    """(name, uid, gid) of the user a root grader runs submissions as; None if told to stay root."""
    name = os.environ.get("MLGRADE_SANDBOX_USER", "nobody")
    if name == "root":
        return None
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        if name != "nobody":
            raise InfrastructureError(f"MLGRADE_SANDBOX_USER={name}: there is no such user on this machine") from None
        return name, 65534, 65534
    if entry.pw_uid == 0:
        raise InfrastructureError(f"MLGRADE_SANDBOX_USER={name}: that user is root; name an unprivileged one")
    return name, entry.pw_uid, entry.pw_gid


def _user_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


@functools.cache
def _can_unshare_network():
    """Whether this machine lets root give a process a network namespace of its own (containers
    without CAP_SYS_ADMIN, Gradescope's among them perhaps, do not)."""
    try:
        return subprocess.run([sys.executable, "-c", _UNSHARE_PROBE], timeout=30, capture_output=True).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


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

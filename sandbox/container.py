"""One started sandbox container, as the host drives it: kill, read how it ended and what CPU it
used, always remove."""

import docker

from mlgrade.sandbox import cputime
from mlgrade.sandbox.backend import ExitStatus
from mlgrade.sandbox.engine import engine_errors


class RunningContainer:
    """One started container: kill it, read how it ended and its CPU time, always remove it."""

    def __init__(self, container):
        self.container = container
        self._usage_file = None
        self._usage_looked_up = False

    def kill(self):
        self.container.kill()

    def exit_status(self, wait=0):
        try:
            if wait:
                self.container.wait(timeout=wait)
            self.container.reload()
        except Exception:
            return None
        state = self.container.attrs.get("State", {})
        if state.get("Running"):
            return None
        return ExitStatus(code=state.get("ExitCode"), oom_killed=bool(state.get("OOMKilled")))

    def logs(self):
        try:
            return self.container.logs(tail=40).decode("utf-8", "replace")
        except Exception:
            return ""

    def cpu_seconds(self):
        """The CPU time of the container's cgroup: from its file when the host can read it (cheap
        enough to poll), else from the engine's one-shot stats."""
        if not self._usage_looked_up:
            self._usage_file = self._find_usage_file()
            self._usage_looked_up = True
        if self._usage_file is not None:
            # Once the container has stopped its cgroup is gone, and so is its CPU time.
            return cputime.read_usage_file(self._usage_file)
        return self._engine_cpu_seconds()

    def _find_usage_file(self):
        try:
            self.container.reload()
        except Exception:
            return None
        pid = self.container.attrs.get("State", {}).get("Pid")
        return cputime.container_usage_file(pid, self.container.id)

    def _engine_cpu_seconds(self):
        try:
            stats = self.container.stats(stream=False, one_shot=True)
            nanoseconds = stats["cpu_stats"]["cpu_usage"]["total_usage"]
        except Exception:
            return None
        # A stopped container's stats are all zeros: no reading, rather than a drop to 0.
        return nanoseconds / 1e9 if isinstance(nanoseconds, int) and nanoseconds > 0 else None

    def remove(self):
        try:
            self.container.remove(force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # 409: a removal is already under way
                with engine_errors("removing a sandbox container"):
                    raise

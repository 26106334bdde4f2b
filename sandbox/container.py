"""One started sandbox container, as the host drives it: kill, read how it ended, always remove."""

import docker

from mlgrade.sandbox.backend import ExitStatus
from mlgrade.sandbox.engine import engine_errors


class RunningContainer:
    """One started container: kill it, read how it ended, always remove it."""

    def __init__(self, container):
        self.container = container

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

    def remove(self):
        try:
            self.container.remove(force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # 409: a removal is already under way
                with engine_errors("removing a sandbox container"):
                    raise

"""The CPU time a sandbox used, read by the host from the kernel, and calls limited by it.

Runtime budgets judge CPU time, not wall time: CPU time leaves out the time a sandbox spent
waiting for a CPU, so it does not grow when other work shares the machine. The host reads it
from the kernel itself; nothing the sandbox reports about itself is used.

- A Docker container: its cgroup's usage (cgroup v1 ``cpuacct.usage``, cgroup v2 ``cpu.stat``
  ``usage_usec``), which covers every process in the container.
- A plain process: the CPU clocks of it and its descendants, plus what their children used
  before they were reaped.
"""

from __future__ import annotations

import os
import threading
import time

CGROUP_ROOT = "/sys/fs/cgroup"
PROC = "/proc"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# cgroup v1 mounts cpuacct on its own or together with cpu, under either name.
V1_MOUNTS = ("cpuacct", "cpu,cpuacct", "cpuacct,cpu")
# A call's CPU time is checked at least this often near its limit (seconds).
MIN_POLL = 0.05


# -- Docker containers: the cgroup ---------------------------------------------------------------
def container_usage_file(pid: int | None, container_id: str, root: str = CGROUP_ROOT) -> str | None:
    """The file that holds the CPU usage of container ``container_id``, or None if none can be read.

    ``pid`` is the container's first process as the engine reports it (``State.Pid``).
    """
    for path in _usage_candidates(pid, container_id, root):
        if read_usage_file(path) is not None:
            return path
    return None


def _usage_candidates(pid, container_id, root):
    # First where the container's process says its cgroup is. A path is only trusted if it
    # names the container: when the engine runs in another PID namespace, ``pid`` is some
    # other process of ours (possibly in the root cgroup, which would count the whole machine).
    for controllers, path in _proc_cgroups(pid):
        if container_id not in path:
            continue
        relative = path.lstrip("/")
        if "cpuacct" in controllers:
            yield from (os.path.join(root, mount, relative, "cpuacct.usage") for mount in V1_MOUNTS)
        elif controllers == [""]:  # the cgroup v2 line, "0::/path"
            yield os.path.join(root, relative, "cpu.stat")
            yield os.path.join(root, "unified", relative, "cpu.stat")  # v1 with v2 alongside
    # Then Docker's usual places (cgroupfs and systemd drivers), for when ``pid`` is not ours
    # to read.
    for relative in (f"docker/{container_id}", f"system.slice/docker-{container_id}.scope"):
        yield from (os.path.join(root, mount, relative, "cpuacct.usage") for mount in V1_MOUNTS)
        yield os.path.join(root, relative, "cpu.stat")


def _proc_cgroups(pid):
    """``(controllers, path)`` of each line of /proc/<pid>/cgroup (none if it cannot be read)."""
    if not pid:
        return []
    try:
        with open(os.path.join(PROC, str(pid), "cgroup")) as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3:
            entries.append((parts[1].split(","), parts[2]))
    return entries


def read_usage_file(path: str) -> float | None:
    """CPU seconds (user + system) from a cgroup's ``cpuacct.usage`` or ``cpu.stat``; None if unreadable."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return None
    try:
        if path.endswith("cpuacct.usage"):
            return int(text) / 1e9
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value) / 1e6
    except ValueError:
        return None
    return None


# -- plain processes: the process tree ----------------------------------------------------------
def process_tree_cpu_seconds(root: int) -> float | None:
    """CPU seconds used by process ``root`` and its descendants; None once it has ended.

    Each live process counts with its own CPU clock (all its threads, to the nanosecond) plus
    what its reaped children used (in clock ticks); a child that is still running counts as a
    process of its own. An orphan (a grandchild whose parent exited) leaves the tree and is no
    longer counted: the process backend does not isolate, and says so.
    """
    if _stat_fields(root) is None:
        return None
    total = 0.0
    for pid in _tree(root):
        fields = _stat_fields(pid)
        if fields is None:  # ended meanwhile: its parent's reaped figures have it
            continue
        own = _process_clock(pid)
        if own is None:  # a zombie, say: the coarser figure from stat
            own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        total += own + (int(fields[13]) + int(fields[14])) / CLOCK_TICKS
    return total


def _tree(root):
    """``root`` and its descendants, from the kernel's lists of each thread's children; where the
    kernel keeps no such lists, the processes of ``root``'s session (a scan of all of /proc,
    slower: this is read before and after every call)."""
    if not os.path.exists(os.path.join(PROC, str(root), "task", str(root), "children")):
        return [pid for pid in _pids() if (_stat_fields(pid) or [None] * 4)[3] == str(root)]
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return found


def _children(pid):
    task_dir = os.path.join(PROC, str(pid), "task")
    children = []
    try:
        for tid in os.listdir(task_dir):
            with open(os.path.join(task_dir, tid, "children")) as f:
                children += [int(child) for child in f.read().split()]
    except OSError:  # the process or one of its threads ended meanwhile
        pass
    return children


def _pids():
    try:
        return [int(name) for name in os.listdir(PROC) if name.isdigit()]
    except OSError:
        return []


def _stat_fields(pid):
    """The fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        with open(os.path.join(PROC, str(pid), "stat")) as f:
            text = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may itself hold spaces and parentheses.
    fields = text.rpartition(")")[2].split()
    return fields if len(fields) > 14 else None


def _process_clock(pid):
    """The CPU clock of process ``pid`` (the kernel's CPUCLOCK_SCHED for a whole process)."""
    try:
        return time.clock_gettime(((~pid) << 3) | 2)
    except OSError:
        return None


# -- limiting one call -------------------------------------------------------------------------
class CallMeter:
    """Measures one call's CPU and wall time, and stops the sandbox when the call runs too long.

    ``with CallMeter(running, cpu_limit, wall_limit) as meter:`` around the call. A thread waits
    beside it and kills the sandbox once the call has used ``cpu_limit`` seconds of CPU time, or
    after ``wall_limit`` seconds however little CPU it used (a call that sleeps or waits on a
    lock uses none, so only the wall clock stops it). If the sandbox's CPU time cannot be read,
    ``cpu_limit`` applies to wall time instead.

    Afterwards ``fired`` says what stopped the call (None; "limit": its own limit; "wall": the
    wall-clock limit), and ``cpu_seconds`` (None if unreadable) and ``wall_seconds`` what it used.
    """

    def __init__(self, running, cpu_limit: float, wall_limit: float):
        self.running = running
        self.cpu_limit = cpu_limit
        self.wall_limit = wall_limit
        self.fired: str | None = None
        self.cpu_seconds: float | None = None
        self.wall_seconds = 0.0
        self._before = None
        self._last = None
        self._start = 0.0
        self._done = threading.Event()
        # CPU time grows at most this much faster than wall time: how long the watchdog may
        # sleep before the call could possibly have used up its CPU time.
        self._parallelism = os.cpu_count() or 1

    @property
    def seconds(self) -> float:
        """The call's cost: its CPU time, or its wall time where CPU time could not be read."""
        return self.wall_seconds if self.cpu_seconds is None else self.cpu_seconds

    def __enter__(self) -> CallMeter:
        self._before = self._last = self._read()
        self._start = time.perf_counter()
        threading.Thread(target=self._watch, name="mlgrade-watchdog", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self.wall_seconds = time.perf_counter() - self._start
        after = self._read()
        if after is None:  # the sandbox is gone (killed): the watchdog's reading just before
            after = self._last
        if self._before is not None and after is not None:
            self.cpu_seconds = max(0.0, after - self._before)

    def _read(self):
        try:
            return self.running.cpu_seconds()
        except Exception:  # a broken reading must not break the call: the wall clock remains
            return None

    def _watch(self):
        if self._before is None:  # no CPU time to judge: the call's limit applies to wall time
            if not self._done.wait(self.cpu_limit):
                self._stop("limit")
            return
        while not self._done.wait(self._next_wait()):
            cpu = self._read()
            if cpu is not None:
                self._last = cpu
            if self._last - self._before >= self.cpu_limit:
                return self._stop("limit")
            if time.perf_counter() - self._start >= self.wall_limit:
                return self._stop("wall")

    def _next_wait(self):
        cpu_left = self.cpu_limit - (self._last - self._before)
        wall_left = self.wall_limit - (time.perf_counter() - self._start)
        return max(0.0, min(wall_left, max(MIN_POLL, cpu_left / self._parallelism)))

    def _stop(self, why):
        if self._done.is_set():  # the reply came in meanwhile
            return
        self.fired = why
        try:
            self.running.kill()
        except Exception:
            pass

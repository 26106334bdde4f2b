"""The host side of a sandbox: one per submission, reused by all of its tests.

A Submission starts the sandbox lazily, measures the machine once (before any student code
runs), imports the student's module, and then turns calls into requests on the channel. It
enforces the time limits itself: a watchdog kills the sandbox when a call runs past its
limit, because a socket timeout alone would not stop the student's code. After a timeout
or a crash the next call starts a fresh sandbox, so one bad call costs only the checks that
depend on it, until the submission's overall time budget is spent.

Time limits and budgets are CPU time, read by the host from the kernel, so that a busy machine
neither costs a submission points nor gets its calls killed; wall time is limited too, but
only generously (``WALL_SLACK``), for calls that wait instead of computing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import tempfile
import threading
import time
from typing import Any

from mlgrade.sandbox import errors, replies
from mlgrade.sandbox.backend import Backend
from mlgrade.sandbox.cputime import CallMeter
from mlgrade.sandbox.harness import calibration, protocol
from mlgrade.sandbox.limits import Limits
from mlgrade.sandbox.remote import Remote, Stopwatch

# Wall-clock time a call (and the whole submission) may take, as a multiple of its CPU-time
# limit: room for a machine so busy that the sandbox gets only a third of a CPU, and still a
# bound on calls that use no CPU at all (a sleep, a deadlock).
WALL_SLACK = 3.0
# Calibration runs of the workload; the fastest counts.
CALIBRATION_RUNS = 3


class Submission:
    """Calls into one submission inside a sandbox backend."""

    def __init__(
        self,
        backend: Backend,
        submission_dir,
        module: str = "solution",
        limits: Limits | None = None,
        forbidden_imports=(),
        speed_factor: float | None = None,
        seed: int = 0,
    ):
        self.backend = backend
        self.submission_dir = os.path.abspath(submission_dir)
        self.module = module
        self.limits = limits or Limits()
        self.forbidden_imports = list(forbidden_imports)
        self.speed_factor = speed_factor
        # The calibration workload's CPU time (wall time if CPU time could not be read, which
        # calibration_clock says), and its wall time.
        self.calibration_seconds = None
        self.calibration_wall_seconds = None
        self.calibration_clock = None
        self.seed = seed
        self.stats = []
        self.blocked_imports = []
        # What the overall budget judges: the calls' CPU time and the host's CPU time reading
        # their replies; and, for the generous wall-clock limit, the calls' wall time.
        self.used_seconds = 0.0
        self.used_wall_seconds = 0.0
        self._running = None
        self._sock = None
        self._channel_dir = None
        self._generation = 0
        self._request_id = 0
        self._import_error = None
        self._restart_reason = None
        self._lock = threading.Lock()

    # -- public API used by graders ---------------------------------------------
    def call(self, name: str, *args: Any, _timeout: float | None = None, _tensors: bool = False, **kwargs: Any) -> Any:
        """Call ``module.name(*args, **kwargs)`` in the sandbox and return its result.

        Plain data comes back as numpy arrays and Python values (torch tensors as arrays);
        any other object comes back as a Remote. ``_timeout`` is in reference-machine seconds
        (scaled to this machine). ``_tensors=True`` hands the arrays in the arguments to the
        code as torch tensors, for contracts such as ``forward(tokens)``.
        """
        header = {"op": "call", "name": name, "tensors": _tensors}
        return self._call(header, f"{name}", args, kwargs, _timeout)

    def call_method(
        self, obj: Remote, method: str, *args: Any, _timeout: float | None = None, _tensors: bool = False, **kwargs: Any
    ) -> Any:
        """Call ``obj.method(*args, **kwargs)`` on a Remote (see ``call``)."""
        header = {"op": "call", "handle": self._handle_of(obj), "method": method, "tensors": _tensors}
        return self._call(header, f"{obj.type_name}.{method}", args, kwargs, _timeout)

    def get_attr(self, obj: Remote, name: str) -> Any:
        """Fetch ``obj.name`` from the sandbox."""
        header = {"op": "getattr", "handle": self._handle_of(obj), "name": name}
        return self._exchange(header, [], f"{obj.type_name}.{name}", None)

    def describe(self, obj: Remote) -> dict[str, Any]:
        """Layer types and parameter count of the torch modules ``obj`` is or holds.

        Self-reported by the sandbox: good for feedback and structural checks, not for
        anything a student would gain points by lying about.
        """
        header = {"op": "describe", "handle": self._handle_of(obj)}
        return self._exchange(header, [], f"inspecting {obj.type_name}", None)

    def stopwatch(self) -> Stopwatch:
        """``with submission.stopwatch() as watch:`` times the calls made in the block (``watch.seconds``)."""
        return Stopwatch(self)

    def restart(self) -> None:
        """Stop the sandbox; the next call starts a fresh one (objects from this one go stale).

        For checks that need an unprimed model: state the student's code kept in the old
        process (a cache, a counter) is gone.
        """
        self._fail("the grader asked for a fresh sandbox")

    def close(self):
        """Kill and remove the sandbox; safe to call more than once."""
        self._stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- internals -----------------------------------------------------------------
    @property
    def _overall_seconds(self):
        return self.limits.submission_timeout * (self.speed_factor or 1.0)

    @property
    def _budget_spent(self):
        overall = self._overall_seconds
        return self.used_seconds >= overall or self.used_wall_seconds >= overall * WALL_SLACK

    def _fresh(self, obj):
        """The handle of a Remote from the running sandbox (not from one since restarted)."""
        if not isinstance(obj, Remote):
            raise TypeError(f"expected an object from the sandbox, got {type(obj).__name__}")
        if obj.generation != self._generation or self._sock is None:
            raise errors.StaleObject(
                obj.type_name,
                f"object came from a sandbox that was restarted after an earlier failure "
                f"({self._restart_reason or 'it stopped'})",
            )
        return obj.handle

    def _handle_of(self, obj):
        return self._fresh(obj).id

    def _call(self, header, what, args, kwargs, timeout):
        self._ensure_started()
        header = dict(header, seed=self.seed)
        header["payload"], blobs = protocol.encode((list(args), dict(kwargs)), on_object=self._fresh)
        return self._exchange(header, blobs, what, timeout)

    def _exchange(self, header, blobs, what, timeout):
        reply, values, _ = self._request(header, blobs, what, timeout)
        generation = self._generation
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            value = protocol.decode(reply.get("value"), values, on_handle=lambda h: Remote(h, generation))
        except (protocol.ProtocolError, RecursionError, ValueError, TypeError) as exc:
            self._fail(f"it returned a malformed result ({type(exc).__name__})")
            raise errors.BadReply(what, f"returned a result the grader cannot read: {str(exc)[:200]}") from None
        finally:
            # The host's work on a reply is the submission's cost too: a reply built to be slow
            # to read must not get it for free (the host thread's CPU time, so load-independent).
            self.used_seconds += time.thread_time() - start_cpu
            self.used_wall_seconds += time.perf_counter() - start
        return value

    def _request(self, header, blobs, what, timeout, count=True):
        """Send one request and wait for its reply; returns ``(reply, values, meter)``."""
        bounds = self._bounds(what, timeout)
        self._request_id += 1
        header = dict(header, id=self._request_id)
        meter = CallMeter(self._running, bounds.cpu, bounds.wall)
        try:
            with meter:
                reply, values = self._send_and_receive(header, blobs)
        except protocol.ProtocolError as exc:
            self._fail(f"`{what}` sent a malformed reply")
            raise errors.BadReply(what, f"produced a reply the grader refuses: {exc}") from None
        except (EOFError, OSError):
            if meter.fired:
                self._fail(f"`{what}` timed out")
                if bounds.set_by_budget(meter.fired):
                    raise errors.budget_exhausted(what, self._overall_seconds, started=True) from None
                wall = bounds.wall if meter.fired == "wall" else None
                raise errors.timed_out(what, bounds.cpu, self.speed_factor or 1.0, wall) from None
            status = self._running.exit_status(wait=5) if self._running else None
            self._fail(f"the sandbox died during `{what}`: {errors.exit_text(status, self.limits)}")
            raise errors.died(what, status, self.limits) from None
        finally:
            if count:
                self.used_seconds += meter.seconds
                self.used_wall_seconds += meter.wall_seconds
        if count:
            self._record(what, meter, reply.get("stats"))
        if reply.get("ok") is not True:
            raise errors.from_reply(_dict(reply.get("error")), what)
        return reply, values, meter

    def _bounds(self, what, timeout):
        """The limits of the next call: its own, cut to what is left of the overall budget."""
        limit = self.limits.call_timeout if timeout is None else timeout
        limit *= self.speed_factor or 1.0
        overall = self._overall_seconds
        cpu_left = overall - self.used_seconds
        wall_left = overall * WALL_SLACK - self.used_wall_seconds
        if cpu_left <= 0 or wall_left <= 0:
            raise errors.budget_exhausted(what, overall, started=False)
        return _Bounds(
            cpu=min(limit, cpu_left),
            wall=min(limit * WALL_SLACK, wall_left),
            cpu_by_budget=cpu_left < limit,
            wall_by_budget=wall_left < limit * WALL_SLACK,
        )

    def _send_and_receive(self, header, blobs):
        self._sock.sendall(protocol.pack(header, blobs))
        reply, values = protocol.recv_frame(self._sock, self.limits.max_message)
        while reply.get("id") != header["id"]:
            # A stale answer (from a process the student forked, say): skip it.
            reply, values = protocol.recv_frame(self._sock, self.limits.max_message)
        return reply, values

    def _record(self, what, meter, stats):
        call = replies.call_stats(what, meter.wall_seconds, stats, self.limits)
        self.stats.append(dataclasses.replace(call, cpu_seconds=meter.cpu_seconds))
        self.blocked_imports += replies.blocked_imports(stats, self.blocked_imports)

    def _ensure_started(self):
        with self._lock:
            if self._sock is not None:
                return
            if self._import_error is not None:
                raise self._import_error
            if self._budget_spent:
                raise errors.budget_exhausted(f"importing {self.module}.py", self._overall_seconds, started=False)
            self._start()

    def _start(self):
        self._generation += 1
        self._channel_dir = tempfile.mkdtemp(prefix="mlgrade-chan-")
        os.chmod(self._channel_dir, 0o755)
        path = os.path.join(self._channel_dir, "sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        os.chmod(path, 0o666)  # the sandbox user is not the host's user
        listener.listen(1)
        # Starting the sandbox is the grader's cost, not the submission's: it is not counted
        # against the overall budget (the import, which runs student code, is).
        try:
            self._running = self.backend.launch(self._channel_dir, self.submission_dir, self.limits)
            self._sock = self._accept(listener)
        except BaseException:
            self._stop()
            raise
        finally:
            listener.close()
        if self.speed_factor is None:
            self._calibrate()
        request = {"op": "import", "module": self.module, "forbidden": self.forbidden_imports}
        try:
            self._request(request, [], f"importing {self.module}.py", None)
        except errors.BudgetExhausted:
            self._stop()
            raise
        except errors.SubmissionError as exc:
            self._import_error = errors.ImportFailed(self.module, exc)
            self._stop()
            raise self._import_error from None

    def _accept(self, listener):
        deadline = time.monotonic() + self.limits.startup_timeout
        listener.settimeout(0.2)
        while time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
                conn.settimeout(None)
                return conn
            except TimeoutError:
                status = self._running.exit_status(wait=0)
                if status is not None:
                    raise errors.SandboxDied(
                        "starting the sandbox",
                        f"failed: {errors.exit_text(status, self.limits)}" + _tail(self._running.logs()),
                    ) from None
        raise errors.SandboxDied(
            "starting the sandbox",
            f"took more than {self.limits.startup_timeout:.0f} s" + _tail(self._running.logs()),
        )

    def _calibrate(self):
        """The speed factor: the workload's CPU time here over its CPU time on the reference machine.

        CPU time, like the budgets it scales: on a busy machine the workload waits longer for
        the CPU, but needs about as much of it.
        """
        runs = []
        for _ in range(CALIBRATION_RUNS):
            _, _, meter = self._request(
                {"op": "calibrate"}, [], "calibration", self.limits.startup_timeout, count=False
            )
            runs.append(meter)
        # CPU times only, if any: a wall time (an unreadable reading) is not comparable.
        runs = [meter for meter in runs if meter.cpu_seconds is not None] or runs
        fastest = min(runs, key=lambda meter: meter.seconds)
        self.calibration_seconds = fastest.seconds
        self.calibration_wall_seconds = fastest.wall_seconds
        self.calibration_clock = "wall" if fastest.cpu_seconds is None else "cpu"
        self.speed_factor = calibration.speed_factor(fastest.seconds)

    def _fail(self, reason):
        self._restart_reason = reason
        self._stop()

    def _stop(self):
        sock, running, channel = self._sock, self._running, self._channel_dir
        self._sock = self._running = self._channel_dir = None
        if sock is not None:
            sock.close()
        if running is not None:
            running.remove()
        if channel is not None:
            shutil.rmtree(channel, ignore_errors=True)


def _dict(value):
    return value if isinstance(value, dict) else {}


def _tail(logs):
    logs = (logs or "").strip()
    return f"\n{logs[-2000:]}" if logs else ""


@dataclasses.dataclass(frozen=True)
class _Bounds:
    """The limits of one call: CPU time, and the generous wall-clock limit; and whether the
    overall budget (rather than the call's own limit) set each."""

    cpu: float
    wall: float
    cpu_by_budget: bool
    wall_by_budget: bool

    def set_by_budget(self, fired):
        return self.cpu_by_budget if fired == "limit" else self.wall_by_budget

"""The harness: runs inside the sandbox, imports the student's module, serves the host's calls.

Usage: python -s server.py SOCKET_PATH SUBMISSION_DIR

It connects to the host's socket and answers one request at a time:

    {"op": "calibrate"}                       run a fixed workload (before any student code)
    {"op": "import", "module": "solution", "forbidden": ["torch", ...]}
    {"op": "call", "name": "MLP", "args": ..., "kwargs": ..., "seed": 0}
    {"op": "call", "handle": 3, "method": "fit", ...}
    {"op": "getattr", "handle": 3, "name": "params"}
    {"op": "describe", "handle": 3}           torch module structure (layer types, parameter count)

Replies carry ``ok``, a ``value`` or an ``error``, and ``stats`` (peak memory, what the code
printed). The harness shares a process with the student's code, so nothing it reports about
the code's own behaviour is trusted for scoring: the host only scores raw outputs.
"""

import builtins
import importlib
import os
import random
import socket
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import numpy as np

import calibration
import protocol
from describe import describe
from import_blocker import ImportBlocker
from output import OutputSink

MAX_REPLY = int(os.environ.get("MLGRADE_MAX_MESSAGE", 256 * 2**20))
OUTPUT_KEEP = int(os.environ.get("MLGRADE_OUTPUT_KEEP", 64 * 1024))


class Harness:
    def __init__(self, sock, submission_dir, sink):
        self.sock = sock
        self.submission_dir = submission_dir
        self.sink = sink
        self.module = None
        self.blocker = None
        self.objects = {}
        self.ids_by_object = {}

    # -- values ---------------------------------------------------------------
    def to_handle(self, obj):
        key = id(obj)
        if key not in self.ids_by_object:
            handle_id = len(self.objects) + 1
            self.objects[handle_id] = obj
            self.ids_by_object[key] = handle_id
        return protocol.Handle(self.ids_by_object[key], _type_name(obj))

    def to_plain(self, obj):
        tensor = getattr(sys.modules.get("torch"), "Tensor", None)
        if tensor is not None and isinstance(obj, tensor):
            return obj.detach().cpu().numpy()
        if isinstance(obj, np.ndarray) and obj.dtype.kind not in protocol.ARRAY_KINDS:
            return self.to_handle(obj)
        if isinstance(obj, np.ndarray):
            return np.asarray(obj)
        return self.to_handle(obj)

    def resolve(self, handle):
        if handle.id not in self.objects:
            raise LookupError(f"no object #{handle.id} in this sandbox")
        return self.objects[handle.id]

    # -- operations -----------------------------------------------------------
    def op_calibrate(self, request):
        return calibration.workload()

    def op_import(self, request):
        self.blocker = ImportBlocker(request.get("forbidden", []), self.submission_dir)
        self.blocker.install()
        sys.path.insert(0, self.submission_dir)
        self.module = importlib.import_module(request["module"])
        _limit_threads()
        return None

    def op_call(self, request, args, kwargs):
        if "handle" in request:
            target = getattr(self.resolve(protocol.Handle(request["handle"], "")), request["method"])
        else:
            target = getattr(self.module, request["name"])
        _seed(request.get("seed", 0))
        _limit_threads()  # again: the student may have imported torch since the last call
        return target(*args, **kwargs)

    def op_getattr(self, request):
        return getattr(self.resolve(protocol.Handle(request["handle"], "")), request["name"])

    def op_describe(self, request):
        return describe(self.resolve(protocol.Handle(request["handle"], "")))

    # -- loop -----------------------------------------------------------------
    def serve(self):
        pid = os.getpid()
        while True:
            try:
                header, blobs = protocol.recv_frame(self.sock, MAX_REPLY)
            except EOFError:
                return
            result = self.handle(header, blobs)
            if os.getpid() != pid:
                # A process the student's code forked has come back here: only the harness
                # itself may answer, or replies would interleave on the channel.
                os._exit(0)
            _reap_children()
            self.reply(header.get("id"), result)

    def handle(self, header, blobs):
        op = header.get("op")
        reset_peak_memory()
        try:
            if op == "call":
                payload = protocol.decode(header.get("payload"), blobs, on_handle=self.resolve)
                if header.get("tensors"):
                    payload = _to_tensors(payload)
                value = self.op_call(header, *payload)
            elif op in ("calibrate", "import", "getattr", "describe"):
                value = getattr(self, "op_" + op)(header)
            else:
                raise ValueError(f"unknown operation {op!r}")
            return {"ok": True}, value
        except BaseException as exc:  # the student's code may raise anything, SystemExit included
            return {"ok": False, "error": _describe_error(exc, self.submission_dir)}, None

    def reply(self, request_id, result):
        header, value = result
        header["id"] = request_id
        blobs = []
        if header["ok"]:
            try:
                header["value"], blobs = protocol.encode(value, on_object=self.to_plain, max_bytes=MAX_REPLY)
            except protocol.TooLarge as exc:
                header = {
                    "ok": False,
                    "id": request_id,
                    "error": {"type": "ResultTooLarge", "message": str(exc), "traceback": ""},
                }
            except BaseException as exc:
                header = {"ok": False, "id": request_id, "error": _describe_error(exc, self.submission_dir)}
        output, total = self.sink.take()
        header["stats"] = {
            "peak_memory": peak_memory(),
            "output": output,
            "output_bytes": total,
            "blocked_imports": list(self.blocker.attempts) if self.blocker else [],
        }
        size = protocol.frame_size(header, blobs)
        if size > MAX_REPLY:
            header = {
                "ok": False,
                "id": request_id,
                "stats": header["stats"],
                "error": {
                    "type": "ResultTooLarge",
                    "where": "result",
                    "message": f"the result is {size / 2**20:.1f} MiB, more than the "
                    f"{MAX_REPLY / 2**20:.0f} MiB a reply may carry",
                    "traceback": "",
                },
            }
            blobs = []
        self.sock.sendall(protocol.pack(header, blobs))


def _to_tensors(value):
    """Arrays (at any depth of lists, tuples and dicts) as torch tensors."""
    import torch

    if isinstance(value, np.ndarray):
        return torch.from_numpy(np.array(value))
    if isinstance(value, (list, tuple)):
        return type(value)(_to_tensors(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_tensors(v) for k, v in value.items()}
    return value


def _reap_children():
    """Collect exited children (a fork bomb's, say) so they stop counting against the pid limit."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _type_name(obj):
    cls = type(obj)
    if cls is np.ndarray:
        return f"ndarray(dtype={obj.dtype})"
    return getattr(cls, "__qualname__", cls.__name__)


def _describe_error(exc, submission_dir):
    """Type, message and the part of the traceback that is the student's own code."""
    own = [
        (frame, line)
        for frame, line in traceback.walk_tb(exc.__traceback__)
        if frame.f_code.co_filename.startswith(submission_dir)
    ]
    lines = traceback.StackSummary.extract(iter(own[-8:])).format()
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f"{os.path.basename(exc.filename)} line {exc.lineno}"
        message = f"{where}: {exc.msg}"
    else:
        message = _safe_str(exc)
    return {
        "type": type(exc).__name__,
        "message": message[:4000],
        "traceback": "".join(lines)[-8000:].replace(submission_dir + "/", ""),
        "exit_code": exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else None,
        "function": own[-1][0].f_code.co_qualname if own else None,
    }


def _safe_str(exc):
    try:
        return str(exc)
    except BaseException:
        return f"<{type(exc).__name__} whose message could not be printed>"


def _seed(seed):
    random.seed(seed)
    np.random.seed(seed % 2**32)
    # `torch` may be an empty namespace (a forbidden package's folder is hidden): no crash here.
    manual_seed = getattr(sys.modules.get("torch"), "manual_seed", None)
    if manual_seed is not None:
        manual_seed(seed)


def _limit_threads():
    set_num_threads = getattr(sys.modules.get("torch"), "set_num_threads", None)
    if set_num_threads is not None:
        set_num_threads(max(1, int(os.environ.get("OMP_NUM_THREADS", "1"))))


def reset_peak_memory():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_memory():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def main():
    socket_path, submission_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    sink = OutputSink(OUTPUT_KEEP)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(socket_path)
    # Student code that calls input() must not hang waiting on a terminal.
    builtins.input = _no_input
    sys.stdin = open(os.devnull)  # noqa: SIM115 (open for the life of the process)
    Harness(sock, submission_dir, sink).serve()
    os._exit(0)  # skip interpreter teardown: student atexit hooks have nothing to say


def _no_input(*args):
    raise EOFError("input() is not available while grading")


if __name__ == "__main__":
    main()

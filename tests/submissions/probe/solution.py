"""A submission that reports what it can see and do from inside the sandbox."""

import os
import socket
import time


def echo(x):
    return x


def identity():
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    return {
        "uid": os.getuid(),
        "gid": os.getgid(),
        "cap_eff": status["CapEff"].strip(),
        "no_new_privs": status["NoNewPrivs"].strip(),
        "cwd": os.getcwd(),
    }


def interfaces():
    return sorted(os.listdir("/sys/class/net"))


def try_connect(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return "connected"
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def try_resolve(name):
    try:
        return str(socket.getaddrinfo(name, 443)[0][4])
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def try_write(paths):
    result = {}
    for path in paths:
        try:
            with open(path, "w") as f:
                f.write("x")
            result[path] = "written"
        except OSError as exc:
            result[path] = type(exc).__name__
    return result


def try_read(paths):
    result = {}
    for path in paths:
        try:
            with open(path, "rb") as f:
                result[path] = f"read {len(f.read())} bytes"
        except OSError as exc:
            result[path] = type(exc).__name__
    return result


def find_files(names):
    """Walk the whole visible filesystem for files with these names."""
    hits = []
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
        hits += [os.path.join(top, f) for f in files if f in names]
    return hits


def sleep(seconds):
    time.sleep(seconds)
    return seconds


def spin():
    while True:
        pass


def allocate(n_bytes):
    block = bytearray(n_bytes)  # zero-filled, so every page is touched
    return len(block)


def fork_bomb():
    while True:
        os.fork()


def flood(n_bytes):
    chunk = "x" * 2**20 + "\n"
    for _ in range(n_bytes // len(chunk)):
        print(chunk, end="")
    return "done"


def exit_now(code):
    os._exit(code)


def zeros(n):
    import numpy as np

    return np.zeros(n)


def thread_settings():
    import numpy  # noqa: F401  (loads the BLAS whose threads we report)

    return {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "PYTHONHASHSEED")}


def torch_threads():
    import torch

    return torch.get_num_threads()


def tensor_kind(x, scale=1):
    """What arrived, and the doubled tensor back (a tensor result returns as an array)."""
    import torch

    return type(x).__name__, str(x.dtype), x * 2 * scale if isinstance(x, torch.Tensor) else None

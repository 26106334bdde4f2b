"""The wire format between the grader (host) and the harness (sandbox).

A message is a frame: a 4-byte big-endian length, a UTF-8 JSON header of that length, then
the binary blobs the header announces (``"blobs": [n1, n2, ...]``), each one ``.npy`` bytes.
Values are JSON with tagged objects for what JSON lacks:

    {"$array": i}           the i-th blob, a numpy array of a non-object dtype
    {"$tuple": [...]}       a tuple (so ``loss, grads = ...`` round-trips)
    {"$dict": [[k, v], ...]} a dict; keys are str, int, float, bool or None
    {"$handle": id, "type": "MLP"}   an object that stays in the sandbox

Plain JSON lists are lists. Nothing is ever pickled: arrays are read with
``allow_pickle=False`` and their dtype is checked, so an object array, an ndarray subclass or
anything with a custom ``__eq__`` cannot cross. Every frame is size-capped by the reader.

This file is imported by the harness inside the sandbox, where only the standard library and
numpy can be relied on, so it must not import anything from mlgrade.
"""

import io
import json
import struct

import numpy as np

HEADER = struct.Struct(">I")
MAX_DEPTH = 32
# Numeric and boolean arrays, and fixed-width strings: everything a contract returns.
ARRAY_KINDS = frozenset("biufcU")
KEY_TYPES = (str, int, float, bool, type(None))


class ProtocolError(Exception):
    """A frame or value that breaks the wire format (malformed, oversized, forbidden type)."""


class TooLarge(ProtocolError):
    """A value too large for one message."""


class Handle:
    """Reference to an object that lives on the other side of the channel."""

    __slots__ = ("id", "type")

    def __init__(self, id, type):
        self.id = id
        self.type = type

    def __repr__(self):
        return f"<{self.type} in the sandbox #{self.id}>"


def encode(value, on_object=None, max_bytes=None):
    """Turn ``value`` into ``(json_value, blobs)``.

    ``on_object(obj)`` is called for anything that is not plain data and must return a
    Handle; without it such objects raise ProtocolError (the host never sends them).
    Arrays adding up to more than ``max_bytes`` raise TooLarge before any is copied.
    """
    blobs = []
    budget = [max_bytes]

    def enc(v, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError(f"value nested deeper than {MAX_DEPTH} levels")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, (int, float)) and type(v) in (int, float):
            return v
        if isinstance(v, np.generic) and v.dtype.kind in "biuf":
            return v.item()
        if isinstance(v, np.ndarray) and v.dtype.kind in ARRAY_KINDS and v.dtype.fields is None:
            if budget[0] is not None:
                budget[0] -= v.nbytes
                if budget[0] < 0:
                    raise TooLarge(f"the result holds more than {max_bytes / 2**20:.0f} MiB of arrays")
            buf = io.BytesIO()
            # np.asarray drops subclasses; ascontiguousarray gives a plain, owned layout.
            np.save(buf, np.ascontiguousarray(np.asarray(v)), allow_pickle=False)
            blobs.append(buf.getvalue())
            return {"$array": len(blobs) - 1}
        if isinstance(v, Handle):
            return {"$handle": v.id, "type": v.type}
        if type(v) is tuple:
            return {"$tuple": [enc(x, depth + 1) for x in v]}
        if type(v) is list:
            return [enc(x, depth + 1) for x in v]
        if type(v) is dict and all(type(k) in KEY_TYPES for k in v):
            return {"$dict": [[k, enc(x, depth + 1)] for k, x in v.items()]}
        if on_object is None:
            raise ProtocolError(f"cannot send a value of type {type(v).__name__}")
        return enc(on_object(v), depth)

    return enc(value, 0), blobs


def decode(obj, blobs, on_handle=lambda h: h):
    """Inverse of encode; arrays are checked and handles passed through ``on_handle``."""
    arrays = [load_array(b) for b in blobs]

    def dec(v, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError(f"value nested deeper than {MAX_DEPTH} levels")
        if v is None or isinstance(v, (bool, str, int, float)):
            return v
        if isinstance(v, list):
            return [dec(x, depth + 1) for x in v]
        if isinstance(v, dict) and len(v) >= 1:
            if "$array" in v:
                index = v["$array"]
                if not isinstance(index, int) or not 0 <= index < len(arrays):
                    raise ProtocolError("reference to a missing array")
                return arrays[index]
            if "$tuple" in v and isinstance(v["$tuple"], list):
                return tuple(dec(x, depth + 1) for x in v["$tuple"])
            if "$dict" in v and isinstance(v["$dict"], list):
                out = {}
                for pair in v["$dict"]:
                    if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) in KEY_TYPES):
                        raise ProtocolError("malformed dict entry")
                    out[pair[0]] = dec(pair[1], depth + 1)
                return out
            if "$handle" in v and isinstance(v["$handle"], int):
                return on_handle(Handle(v["$handle"], str(v.get("type", "object"))[:200]))
        raise ProtocolError(f"unknown value in message: {str(v)[:80]}")

    return dec(obj, 0)


def load_array(blob):
    """Read one ``.npy`` blob without pickle and insist on a plain, allowed dtype."""
    try:
        array = np.load(io.BytesIO(blob), allow_pickle=False)
    except Exception as exc:  # a malformed blob is the sender's fault, never ours
        raise ProtocolError(f"malformed array: {exc}") from None
    if type(array) is not np.ndarray or array.dtype.kind not in ARRAY_KINDS or array.dtype.fields:
        raise ProtocolError(f"array of dtype {array.dtype} is not allowed")
    return array


def pack(header, blobs=()):
    """Frame a header dict and its blobs into bytes."""
    header = dict(header, blobs=[len(b) for b in blobs])
    text = json.dumps(header, allow_nan=True, separators=(",", ":")).encode()
    return b"".join([HEADER.pack(len(text)), text, *blobs])


def frame_size(header, blobs):
    """Bytes that ``pack(header, blobs)`` would produce, without building it twice."""
    return len(pack(header)) + sum(len(b) for b in blobs)


def recv_frame(sock, max_bytes):
    """Read one frame from a socket; raise ProtocolError past ``max_bytes`` or on garbage.

    Raises EOFError if the peer closed the connection before a whole frame arrived. The
    socket's own timeout applies to each read.
    """
    (length,) = HEADER.unpack(_recv_exact(sock, HEADER.size))
    if length > min(max_bytes, 64 * 2**20):
        raise ProtocolError(f"message header of {length} bytes exceeds the limit")
    try:
        header = json.loads(_recv_exact(sock, length))
    except ValueError:
        raise ProtocolError("message header is not valid JSON") from None
    sizes = header.get("blobs") if isinstance(header, dict) else None
    if not isinstance(sizes, list) or not all(isinstance(n, int) and n >= 0 for n in sizes):
        raise ProtocolError("message header is malformed")
    total = length + sum(sizes)
    if total > max_bytes:
        raise ProtocolError(f"message of {total} bytes exceeds the limit of {max_bytes} bytes")
    return header, [_recv_exact(sock, n) for n in sizes]


def _recv_exact(sock, n):
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise EOFError("connection closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)

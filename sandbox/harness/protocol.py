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

The reader treats every frame as hostile (the harness shares its process with the student's
code, which can write anything on the socket): the JSON header is capped at MAX_HEADER bytes,
MAX_ITEMS values and MAX_HEADER_DEPTH levels, an array blob must be exactly as long as its own
header says, and every way of failing to parse is a ProtocolError. So reading a reply costs the
host memory and time linear in a bounded size, whatever the reply holds.

This file is imported by the harness inside the sandbox, where only the standard library and
numpy can be relied on, so it must not import anything from mlgrade.
"""

import io
import json
import math
import struct

import numpy as np

HEADER = struct.Struct(">I")
MAX_DEPTH = 32
# Arrays travel as blobs, so the JSON header holds only small things (names, numbers, a few
# short lists, printed output of 64 KiB at most): 1 MiB is plenty. Parsed JSON takes about 50
# times its text in memory, so this cap is also what keeps a reply from costing the host GBs.
MAX_HEADER = 2**20
# Values (list items, dict entries, numbers, strings) in one header, and arrays in one message.
MAX_ITEMS = 100_000
MAX_BLOBS = 10_000
# JSON levels in a header: a value's MAX_DEPTH levels take up to 3 each ({"$dict": [[k, v]]}),
# plus the few of the header itself.
MAX_HEADER_DEPTH = 3 * MAX_DEPTH + 8
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
    Arrays adding up to more than ``max_bytes`` raise TooLarge before any is copied; so does a
    value the reader would refuse for its size (more than MAX_ITEMS values, MAX_BLOBS arrays or
    MAX_HEADER characters of text outside arrays), so that the sender can say why.
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
            if len(blobs) >= MAX_BLOBS:
                raise TooLarge(f"it holds more than {MAX_BLOBS:,} arrays")
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

    encoded = enc(value, 0)
    items, _, chars = _size(encoded)
    if items > MAX_ITEMS:
        raise TooLarge(
            f"it holds more than {MAX_ITEMS:,} values outside numpy arrays (list items, dict entries, "
            "numbers); return large data as numpy arrays"
        )
    if chars > MAX_HEADER:
        raise TooLarge(f"it holds more than {MAX_HEADER // 2**20} MiB of text outside numpy arrays")
    return encoded, blobs


def decode(obj, blobs, on_handle=lambda h: h):
    """Inverse of encode; arrays are checked and handles passed through ``on_handle``.

    Bounded like the reader: more than MAX_ITEMS values, MAX_DEPTH levels or MAX_BLOBS arrays
    is a ProtocolError, so decoding costs time linear in a bounded size.
    """
    if len(blobs) > MAX_BLOBS:
        raise ProtocolError(f"message holds more than {MAX_BLOBS:,} arrays")
    arrays = [load_array(b) for b in blobs]
    seen = [0]

    def dec(v, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError(f"value nested deeper than {MAX_DEPTH} levels")
        seen[0] += 1
        if seen[0] > MAX_ITEMS:
            raise ProtocolError(f"value holds more than {MAX_ITEMS:,} items outside numpy arrays")
        if v is None or isinstance(v, (bool, str, int, float)):
            return v
        if isinstance(v, list):
            return [dec(x, depth + 1) for x in v]
        if isinstance(v, dict) and len(v) >= 1:
            if "$array" in v:
                index = v["$array"]
                if type(index) is not int or not 0 <= index < len(arrays):
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
            if "$handle" in v and type(v["$handle"]) is int:
                return on_handle(Handle(v["$handle"], str(v.get("type", "object"))[:200]))
        raise ProtocolError(f"unknown value in message: {str(v)[:80]}")

    return dec(obj, 0)


# The longest .npy preamble read (magic, version, length, header): numpy's own default cap on
# the header is 10,000 bytes.
_NPY_PREAMBLE = 10_000 + 12


def load_array(blob):
    """Read one ``.npy`` blob without pickle and insist on a plain, allowed dtype.

    The blob's header (shape, dtype) is checked against the blob's length before anything is
    allocated, so a forged header cannot make the reader allocate more than the blob holds;
    the array then uses the blob's own memory (a ``bytes`` blob is copied once, to be writable).
    """
    shape, fortran_order, dtype, offset = _npy_header(blob)
    if dtype.hasobject:
        raise ProtocolError("malformed array: object arrays are refused (reading them needs pickle)")
    if dtype.kind not in ARRAY_KINDS or dtype.fields or dtype.itemsize == 0:
        raise ProtocolError(f"array of dtype {dtype} is not allowed")
    count = math.prod(shape)
    if offset + count * dtype.itemsize != len(blob):
        raise ProtocolError("malformed array: its data is not as long as its shape and dtype say")
    buffer = bytearray(blob) if isinstance(blob, bytes) else blob
    try:
        array = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset)
        return array.reshape(shape, order="F" if fortran_order else "C")
    except (ValueError, TypeError) as exc:
        raise ProtocolError(f"malformed array: {str(exc)[:200]}") from None


def _npy_header(blob):
    """``(shape, fortran_order, dtype, data offset)`` from a blob's ``.npy`` header."""
    stream = io.BytesIO(bytes(memoryview(blob)[:_NPY_PREAMBLE]))
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f".npy version {version} is not supported")
    except Exception as exc:  # a malformed blob is the sender's fault, never ours
        raise ProtocolError(f"malformed array: {str(exc)[:200]}") from None
    return shape, fortran_order, dtype, stream.tell()


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

    The header is refused before it is read if longer than MAX_HEADER, and after parsing if it
    holds more than MAX_ITEMS values or MAX_HEADER_DEPTH levels. Raises EOFError if the peer
    closed the connection before a whole frame arrived. The socket's own timeout applies to
    each read.
    """
    (length,) = HEADER.unpack(_recv_exact(sock, HEADER.size))
    limit = min(max_bytes, MAX_HEADER)
    if length > limit:
        raise ProtocolError(
            f"message header of {length:,} bytes exceeds the limit of {limit:,} bytes (lists, dicts, "
            "numbers and text travel in the header: large data must be numpy arrays)"
        )
    header = parse_header(_recv_exact(sock, length))
    sizes = header.get("blobs")
    if not isinstance(sizes, list) or len(sizes) > MAX_BLOBS or not all(type(n) is int and n >= 0 for n in sizes):
        raise ProtocolError("message header is malformed")
    total = length + sum(sizes)
    if total > max_bytes:
        raise ProtocolError(f"message of {total} bytes exceeds the limit of {max_bytes} bytes")
    return header, [_recv_exact(sock, n) for n in sizes]


def parse_header(text):
    """The header dict of a frame's JSON text; ProtocolError for anything else or too much."""
    try:
        header = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ProtocolError("message header is not valid JSON") from None
    if not isinstance(header, dict):
        raise ProtocolError("message header is malformed")
    items, depth, _ = _size(header)
    if items > MAX_ITEMS:
        raise ProtocolError(f"message header holds more than {MAX_ITEMS:,} values")
    if depth > MAX_HEADER_DEPTH:
        raise ProtocolError(f"message header is nested deeper than {MAX_HEADER_DEPTH} levels")
    return header


def _size(value):
    """``(values, levels, characters of text)`` of a JSON value, counted up to just past the caps.

    Iterative, so that the walk itself cannot run out of stack, and linear in the value; it
    stops as soon as a count passes its cap (MAX_ITEMS, MAX_HEADER_DEPTH).
    """
    pending = [(value, 0)]
    items = deepest = chars = 0
    while pending and items <= MAX_ITEMS and deepest <= MAX_HEADER_DEPTH:
        value, depth = pending.pop()
        items += 1
        deepest = max(deepest, depth)
        if isinstance(value, str):
            chars += len(value)
        elif isinstance(value, dict):
            chars += sum(len(key) for key in value)
            pending.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            pending.extend((v, depth + 1) for v in value)
    return items, deepest, chars


def _recv_exact(sock, n):
    """``n`` bytes from the socket, in one buffer (no chunks joined: a blob is held once)."""
    buffer = bytearray(n)
    view = memoryview(buffer)
    got = 0
    while got < n:
        received = sock.recv_into(view[got:], min(n - got, 1 << 20))
        if not received:
            raise EOFError("connection closed")
        got += received
    view.release()
    return buffer

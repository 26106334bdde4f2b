"""The channel's wire format: plain data round-trips, nothing else crosses."""

import io
import socket
import threading
import time

import numpy as np
import pytest

from mlgrade.sandbox.harness import protocol


def roundtrip(value, max_bytes=2**20):
    header, blobs = protocol.encode(value)
    left, right = socket.socketpair()
    with left, right:
        left.sendall(protocol.pack({"value": header}, blobs))
        got_header, got_blobs = protocol.recv_frame(right, max_bytes)
    return protocol.decode(got_header["value"], got_blobs)


def test_plain_values_round_trip():
    value = {
        "loss": 0.5,
        "grads": {"W": np.arange(6.0).reshape(2, 3)},
        "n": 3,
        "ok": True,
        "names": ["a", "b"],
        "pair": (1, None),
        7: "int key",
    }
    got = roundtrip(value)
    assert got["loss"] == 0.5 and got["n"] == 3 and got["ok"] is True and got[7] == "int key"
    assert got["names"] == ["a", "b"] and got["pair"] == (1, None)
    np.testing.assert_array_equal(got["grads"]["W"], value["grads"]["W"])
    assert got["grads"]["W"].dtype == np.float64


@pytest.mark.parametrize("dtype", ["int64", "float32", "bool", "uint8", "complex128", "<U5"])
def test_arrays_keep_dtype_and_shape(dtype):
    array = np.zeros((3, 2), dtype=dtype)
    got = roundtrip(array)
    assert got.dtype == array.dtype and got.shape == (3, 2) and type(got) is np.ndarray


def test_numpy_scalars_become_python_numbers():
    got = roundtrip([np.float32(1.5), np.int64(2)])
    assert got == [1.5, 2] and type(got[0]) is float and type(got[1]) is int


def test_ndarray_subclass_arrives_as_plain_array():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, dtype=bool)

    liar = np.zeros(4).view(Liar)
    got = roundtrip(liar)
    assert type(got) is np.ndarray
    assert not (got == np.ones(4)).any()


def test_object_array_and_unknown_objects_are_refused_without_a_handle_maker():
    with pytest.raises(protocol.ProtocolError):
        protocol.encode(np.array([1, "x"], dtype=object))
    with pytest.raises(protocol.ProtocolError):
        protocol.encode(object())


def test_unknown_objects_become_handles_when_allowed():
    seen = []

    def make_handle(obj):
        seen.append(obj)
        return protocol.Handle(1, type(obj).__name__)

    header, _ = protocol.encode([object()], on_object=make_handle)
    got = protocol.decode(header, [])
    assert isinstance(got[0], protocol.Handle) and got[0].type == "object" and len(seen) == 1


def test_pickled_array_blob_is_refused():
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(protocol.ProtocolError, match="malformed array"):
        protocol.decode({"$array": 0}, [buf.getvalue()])


def test_oversized_frame_is_refused_before_reading_it():
    left, right = socket.socketpair()
    with left, right:
        left.sendall(protocol.pack({"x": 1}, [b"\0" * 5000]))
        with pytest.raises(protocol.ProtocolError, match="exceeds the limit"):
            protocol.recv_frame(right, 1000)


def test_arrays_past_the_budget_fail_before_being_copied():
    huge = np.broadcast_to(np.float64(0), (2**28,))  # 2 GiB that were never allocated
    with pytest.raises(protocol.TooLarge):
        protocol.encode(huge, max_bytes=2**20)


@pytest.mark.parametrize("garbage", [b"\x00\x00\x00\x05hello", b"\x00\x00\x00\x02[]"])
def test_garbage_frames_raise_protocol_errors(garbage):
    left, right = socket.socketpair()
    with left, right:
        left.sendall(garbage)
        with pytest.raises(protocol.ProtocolError):
            protocol.recv_frame(right, 2**20)


def test_deep_nesting_is_refused():
    value = []
    for _ in range(protocol.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(protocol.ProtocolError, match="nested"):
        protocol.encode(value)


def test_a_tampered_reply_is_a_failed_call_not_a_grader_crash(tmp_path):
    """A student can replace the harness's reply with anything; the host must stay up."""
    from mlgrade.sandbox import Submission, errors
    from mlgrade.sandbox.process_backend import ProcessBackend

    (tmp_path / "solution.py").write_text(
        "import gc, protocol\n"
        "def tamper():\n"
        "    harness = next(o for o in gc.get_objects() if type(o).__name__ == 'Harness')\n"
        "    def reply(request_id, result):\n"
        "        harness.sock.sendall(protocol.pack({'id': request_id, 'ok': 'yes', 'stats': [1],\n"
        "                                            'error': 'x', 'value': {'$array': 9}}))\n"
        "    harness.reply = reply\n"
    )
    with Submission(ProcessBackend(), tmp_path, speed_factor=1.0) as session:
        with pytest.raises(errors.SubmissionError):
            session.call("tamper")
        with pytest.raises(errors.SubmissionError):
            session.call("tamper")


# ------------------------------------------------- a hostile frame costs the reader little


def frame(text):
    """A raw frame of JSON header ``text`` (bytes), without blobs."""
    return protocol.HEADER.pack(len(text)) + text


def received(data, max_bytes=256 * 2**20):
    """What ``recv_frame`` makes of ``data`` sent on a socket (by a thread: it may not fit the
    socket's buffer)."""
    left, right = socket.socketpair()
    with left, right:
        right.settimeout(5)  # a reader that waits for bytes never sent fails rather than hangs
        sender = threading.Thread(target=_send_quietly, args=(left, data))
        sender.start()
        try:
            return protocol.recv_frame(right, max_bytes)
        finally:
            right.close()  # a reader that refused the frame early leaves the sender blocked
            sender.join()


def _send_quietly(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass


def test_a_header_past_the_cap_is_refused_before_it_is_read():
    # Only the length is sent: a reader that tried to read the header would time out.
    with pytest.raises(
        protocol.ProtocolError, match="message header of 62,914,560 bytes exceeds the limit of 1,048,576"
    ):
        received(protocol.HEADER.pack(60 * 2**20))
    assert protocol.MAX_HEADER == 2**20


def test_a_header_at_the_cap_is_read():
    padding = b" " * (protocol.MAX_HEADER - len(b'{"blobs":[],"x":1}'))
    header, blobs = received(frame(b'{"blobs":[],"x":1}' + padding))
    assert header["x"] == 1 and blobs == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (b'{"blobs":[],"v":' + b"[" * 400_000 + b"]" * 400_000 + b"}", "not valid JSON"),  # RecursionError
        (b'{"blobs":[],"v":' + b"[" * 200 + b"]" * 200 + b"}", "nested deeper"),
        (b'{"blobs":[],"v":[' + b"[]," * 200_000 + b"[]]}", "more than 100,000 values"),
        (b'{"blobs":[],"v":"\xff\xfe"}', "not valid JSON"),  # UnicodeDecodeError
        (b'{"blobs":[],"v":' + b"9" * 5000 + b"}", "not valid JSON"),  # past Python's int digits limit
        (b'{"blobs":[' + b"0," * 20_000 + b"0]}", "malformed"),  # more blobs than MAX_BLOBS
        (b'{"blobs":[true]}', "malformed"),
        (b"[1, 2]", "malformed"),
    ],
    ids=["deep-json", "deep", "wide", "not-utf8", "huge-int", "many-blobs", "bool-size", "not-a-dict"],
)
def test_malformed_headers_are_protocol_errors(text, why):
    with pytest.raises(protocol.ProtocolError, match=why):
        received(frame(text))


def test_decode_is_bounded_in_values_and_arrays():
    with pytest.raises(protocol.ProtocolError, match="more than 100,000 items"):
        protocol.decode([0] * (protocol.MAX_ITEMS + 1), [])
    blob = protocol.encode(np.zeros(1))[1][0]
    with pytest.raises(protocol.ProtocolError, match="more than 10,000 arrays"):
        protocol.decode(None, [blob] * (protocol.MAX_BLOBS + 1))
    assert len(protocol.decode([0] * (protocol.MAX_ITEMS - 1), [])) == protocol.MAX_ITEMS - 1


def test_encode_refuses_what_the_reader_would_refuse_and_says_why():
    with pytest.raises(protocol.TooLarge, match="more than 100,000 values outside numpy arrays"):
        protocol.encode(list(range(protocol.MAX_ITEMS + 1)))
    with pytest.raises(protocol.TooLarge, match="MiB of text"):
        protocol.encode(["x" * 2**19] * 3)
    with pytest.raises(protocol.TooLarge, match="more than 10,000 arrays"):
        protocol.encode([np.zeros(1)] * (protocol.MAX_BLOBS + 1))


def npy(shape, dtype="<f8", data=b""):
    """A .npy blob whose header says ``shape`` and ``dtype``, followed by ``data``."""
    header = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape!r}, }}".encode()
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + data


def test_an_array_header_cannot_claim_more_than_its_blob_holds():
    # 2^40 float64 (8 TiB) announced, 8 bytes sent: refused before anything is allocated.
    with pytest.raises(protocol.ProtocolError, match="not as long as its shape"):
        protocol.load_array(npy((2**40,), data=b"\0" * 8))
    with pytest.raises(protocol.ProtocolError, match="not allowed"):
        protocol.load_array(npy((10**15,), dtype="<U0"))  # zero bytes a value, any count
    with pytest.raises(protocol.ProtocolError, match="malformed array"):
        protocol.load_array(b"\x93NUMPY\x01\x00garbage")
    array = protocol.load_array(npy((2, 2), data=np.arange(4.0).tobytes()))
    np.testing.assert_array_equal(array, [[0.0, 1.0], [2.0, 3.0]])


def test_arrays_read_from_a_socket_are_writable():
    _, (blob,) = protocol.encode(np.arange(3.0))
    _, blobs = received(protocol.pack({"v": 1}, [blob]))
    array = protocol.decode({"$array": 0}, blobs)
    array += 1  # graders and students may change what they receive in place
    np.testing.assert_array_equal(array, [1.0, 2.0, 3.0])


# -------------------------------------------------------------- reading what a reply says


def test_blocked_imports_are_capped_and_read_in_linear_time():
    from mlgrade.sandbox.replies import MAX_BLOCKED, blocked_imports

    names = [f"m{i % 500_000}" for i in range(2_000_000)]  # once: hours of list look-ups
    start = time.perf_counter()
    new = blocked_imports({"blocked_imports": names}, [])
    assert new == [f"m{i}" for i in range(MAX_BLOCKED)]
    assert blocked_imports({"blocked_imports": names}, new) == []
    assert time.perf_counter() - start < 5
    assert blocked_imports({"blocked_imports": ["a", "a", 3, None, "b" * 1000]}, ["x"]) == [
        "a",
        "b" * 100 + "... (truncated)",
    ]


def test_reply_stats_keep_only_sane_figures_and_bounded_text():
    from mlgrade.sandbox.limits import Limits
    from mlgrade.sandbox.replies import call_stats

    forged = {"peak_memory": 10**4000, "output_bytes": -5, "output": "x" * 100_000 + "\ud800"}
    stats = call_stats("predict", 0.1, forged, Limits(output_keep=1000))
    assert stats.peak_memory is None and stats.output_bytes == 0
    assert stats.output == "x" * 1000 + "... (truncated)"
    assert call_stats("predict", 0.1, {"output": ["not", "text"], "peak_memory": True}, Limits()).output == ""
    assert call_stats("p", 0.1, {"output": "a\ud800b"}, Limits()).output == "a\ufffdb"


def test_error_fields_of_a_reply_are_truncated():
    from mlgrade.sandbox import errors

    error = errors.from_reply(
        {"type": "E" * 10**6, "message": "m" * 10**6, "traceback": "t" * 10**6 + "END", "exit_code": [0] * 10},
        "MLP.fit",
    )
    assert len(str(error)) < 13_000 and str(error).count("(truncated)") == 3
    assert str(error).endswith("tEND")  # a traceback keeps its end
    unfinished = errors.from_reply({"type": "NotImplementedError", "function": "f" * 10**6}, "MLP.fit")
    assert str(unfinished).startswith("`" + "f" * 200 + "... (truncated)` is not implemented yet")
    exited = errors.from_reply({"type": "SystemExit", "exit_code": "9" * 10**6}, "MLP.fit")
    assert len(str(exited)) < 200

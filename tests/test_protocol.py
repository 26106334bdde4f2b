"""The channel's wire format: plain data round-trips, nothing else crosses."""

import io
import socket

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

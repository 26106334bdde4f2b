# Appended to the reference of 01-mlp-classifier. The reply to fit has a JSON header under
# 1 MiB that the test makes "deep" (nested 400,000 levels, past the JSON parser's recursion
# limit) or "wide" (300,000 numbers, past the cap on values).
import gc

SHAPE = "deep"
_VALUES = {"deep": b"[" * 400_000 + b"]" * 400_000, "wide": b"[" + b"0," * 300_000 + b"0]"}
_harness = next(o for o in gc.get_objects() if type(o).__name__ == "Harness")
_reply = _harness.reply
_armed = []


def _forged_reply(request_id, result):
    if not _armed:
        return _reply(request_id, result)
    _armed.clear()
    text = b'{"id":%d,"ok":true,"blobs":[],"value":' % request_id + _VALUES[SHAPE] + b"}"
    _harness.sock.sendall(len(text).to_bytes(4, "big") + text)


_harness.reply = _forged_reply


class MLP(globals()["MLP"]):
    def fit(self, X, y, *args, **kwargs):
        _armed.append(True)
        return super().fit(X, y, *args, **kwargs)

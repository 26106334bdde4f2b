# Looks everywhere for the grader, the reference and the digits data at import time; if it
# finds any of them it fails loudly (so a leak shows as a lost score, not a silent pass).
import os as _os

_found = []
for _top, _dirs, _files in _os.walk("/"):
    _dirs[:] = [d for d in _dirs if _os.path.join(_top, d) not in ("/proc", "/sys", "/dev")]
    _found += [_os.path.join(_top, f) for f in _files if f in ("test_hidden.py", "digits.csv.gz", "expected.py")]
for _path in ("GRADER_DIR/data.py", "GRADER_DIR/reference.py", "GRADER_DIR/test_hidden.py"):
    if _os.path.exists(_path):
        _found.append(_path)
if _found:
    raise RuntimeError(f"found grader files: {_found}")

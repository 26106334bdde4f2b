"""A submission that searches the whole sandbox for the grader's secrets while it is imported,
and fails with what it found, so that the report carries the list.

The test that grades it fills FINGERPRINTS ({size: [sha256, ...]} of every file of graders/
and of the digits) before grading. Expected: "secrets found: []".
"""

import hashlib
import os

FINGERPRINTS = {}
NAMES = {"test_hidden.py", "digits.csv.gz", "digits.csv"}


def _seek():
    hits = []
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
        hits += [os.path.join(top, d) + "/" for d in dirs if d == "graders"]
        for name in files:
            path = os.path.join(top, name)
            try:
                size = os.lstat(path).st_size
                if name in NAMES and size > 0:
                    hits.append(path)
                elif size in FINGERPRINTS:
                    with open(path, "rb") as f:
                        if hashlib.sha256(f.read()).hexdigest() in FINGERPRINTS[size]:
                            hits.append(path)
            except OSError:
                pass
    return hits


raise RuntimeError(f"secrets found: {_seek()}")

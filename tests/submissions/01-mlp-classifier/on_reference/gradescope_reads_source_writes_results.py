"""On Gradescope, tries to read the hidden grader and to write its own results.json.

It prints what it managed (the report shows output printed at import), and is otherwise the
reference (it is appended to it), so the score (100) is the grader's, and results.json is mlgrade's, not "HACKED"."""

import json
import os

SOURCE = "/autograder/source/content/graders/01-mlp-classifier/reference.py"
RESULTS = "/autograder/results/results.json"


def _try(action, path):
    try:
        if action == "read":
            with open(path) as f:
                f.read(10)
        else:
            with open(path, "w") as f:
                json.dump({"score": 1000, "output": "HACKED", "tests": []}, f)
        return "ok"
    except OSError:
        return "denied"


print(f"read /autograder/source: {_try('read', SOURCE)}")
print(f"write /autograder/results: {_try('write', RESULTS)}")
print(f"running as uid {os.getuid()}")

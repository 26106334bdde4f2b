"""The harness's own behaviour, in the process backend (fast, no Docker needed)."""

import pytest

from mlgrade.sandbox import Submission, errors
from mlgrade.sandbox.process_backend import ProcessBackend

SOURCE = """
import importlib


def optimiser():
    import torch
    model = torch.nn.Linear(2, 1)
    torch.optim.Adam(model.parameters()).step()  # torch probes find_spec("sklearn") here
    return "ok"


def sneaky():
    return importlib.import_module("skl" + "earn")


class Wrapper:
    def __init__(self):
        import torch
        shared = torch.nn.Linear(3, 3)
        self.parts = {"encoder": torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), shared), "head": [shared]}
        self.steps = 7


def wrapped():
    return Wrapper()


def library_import():
    import torch.utils._import_utils as iu
    return iu.import_dill() is None  # a library's own optional import of a forbidden module
"""


@pytest.fixture
def session(tmp_path):
    (tmp_path / "solution.py").write_text(SOURCE)
    with Submission(ProcessBackend(), tmp_path, forbidden_imports=["sklearn", "pandas", "dill"], speed_factor=1.0) as s:
        yield s


def test_library_probes_of_forbidden_modules_are_not_blamed_on_the_student(session):
    assert session.call("optimiser") == "ok"
    assert session.blocked_imports == []


def test_a_library_importing_a_forbidden_module_is_refused_but_not_blamed(session):
    assert session.call("library_import") is True
    assert session.blocked_imports == []


def test_the_students_own_forbidden_import_is_refused_and_recorded(session):
    with pytest.raises(errors.CallRaised, match="forbidden import: importing sklearn is not allowed"):
        session.call("sneaky")
    assert session.blocked_imports == ["sklearn"]


def test_describe_finds_modules_inside_wrappers_and_counts_shared_parameters_once(session):
    info = session.describe(session.call("wrapped"))
    assert {"Conv2d", "Linear", "Sequential"} <= set(info["layers"])
    assert info["parameters"] == (2 * 1 * 3 * 3 + 2) + (3 * 3 + 3)

"""A forbidden package is absent from the sandbox's filesystem, not merely refused by an import
hook that the student's code can remove (issue 8, item 1).

Graded end to end through `mlgrade grade` in a child process, and probed from inside the
sandbox with the import blocker taken out.
"""

import json
import os
import uuid

import pytest

from mlgrade.core.catalogue import find_exercise
from mlgrade.sandbox import Limits, Submission, mounts
from mlgrade.sandbox.docker_backend import DockerBackend, remove_leftovers
from mlgrade.sandbox.image import DEFAULT_IMAGE

from helpers import ROOT, grade_with_cli, submission_dir

ATTACKS = ROOT / "tests" / "attacks" / "submissions"
# Exercise 03 forbids these while its students use torch.
TORCH_EXERCISE = find_exercise("03", root=ROOT)


@pytest.fixture
def sandbox(tmp_path, docker_client):
    """Opens probe sessions on backends whose containers carry this test's label; fails the test
    if one is left behind."""
    label = uuid.uuid4().hex
    sessions = []

    def open_probe(forbidden):
        backend = DockerBackend(docker_client, DEFAULT_IMAGE, labels={"mlgrade.test": label}, forbidden=forbidden)
        folder = submission_dir(tmp_path / uuid.uuid4().hex, ATTACKS / "fs_probe.py")
        limits = Limits(call_timeout=60, submission_timeout=300)
        session = Submission(backend, folder, limits=limits, forbidden_imports=forbidden)
        sessions.append(session)
        return session

    yield open_probe
    for session in sessions:
        session.close()
    left = remove_leftovers(docker_client, f"mlgrade.test={label}")
    assert not left, f"{left} sandbox container(s) left behind"


def graded(exercise, name, tmp_path):
    code, report, stderr = grade_with_cli(exercise, (ATTACKS / name).read_text(), tmp_path)
    assert report is not None, f"no report written (exit {code}): {stderr[-2000:]}"
    return code, json.loads(report)


def all_feedback(report):
    return "\n".join([report.get("output", "")] + [t.get("output", "") for t in report["tests"]])


# -- graded as an instructor grades -------------------------------------------------------------


@pytest.mark.docker
@pytest.mark.slow
def test_removing_the_blocker_and_importing_sklearn_by_a_built_name_scores_zero(tmp_path):
    code, report = graded("02", "fs_blocker_removed_sklearn.py", tmp_path)
    assert code == 0
    assert (report["score"], report["extra_data"]["mlgrade"]["max_score"]) == (0, 100)
    # Why: scikit-learn's KMeans is simply not there.
    assert "No module named 'sklearn.cluster'" in all_feedback(report)


@pytest.mark.docker
@pytest.mark.slow
def test_loading_sklearn_from_its_files_or_scipy_cluster_by_getattr_scores_zero(tmp_path):
    code, report = graded("02", "fs_routes_around_the_blocker.py", tmp_path)
    assert code == 0
    assert (report["score"], report["extra_data"]["mlgrade"]["max_score"]) == (0, 100)
    feedback = all_feedback(report)
    assert "no forbidden route worked" in feedback
    assert "_sklearn_from_its_files: FileNotFoundError" in feedback
    assert "_scipy_cluster: AttributeError" in feedback or "_scipy_cluster: ModuleNotFoundError" in feedback


@pytest.mark.docker
@pytest.mark.slow
def test_allowed_part_of_a_partly_forbidden_package_still_works(tmp_path):
    """Control: scipy.spatial beside a hidden scipy.cluster gets the reference's full marks."""
    code, report = graded("02", "fs_allowed_scipy_spatial.py", tmp_path)
    assert code == 0
    assert (report["score"], report["extra_data"]["mlgrade"]["max_score"]) == (100, 100), all_feedback(report)


# -- probed from inside, blocker removed ---------------------------------------------------------


@pytest.mark.docker
def test_forbidden_packages_are_absent_whatever_the_spelling(sandbox):
    probe = sandbox(["sklearn", "scipy.cluster", "pandas"])
    assert probe.call("remove_blocker") == 1
    # An empty folder is all that is left: a namespace package with nothing in it.
    assert probe.call("try_import", "sklearn", "cluster").startswith(("AttributeError", "ModuleNotFoundError"))
    assert probe.call("try_import", "sklearn.cluster").startswith("ModuleNotFoundError")
    assert probe.call("try_import", "pandas", "DataFrame").startswith(("AttributeError", "ModuleNotFoundError"))
    assert probe.call("getattr_chain", "scipy", "cluster", "vq").startswith(("AttributeError", "ModuleNotFoundError"))
    # Nothing of them can be read or loaded by path either: no code, no metadata, no .libs.
    for package in ("sklearn", "pandas", "scipy/cluster"):
        assert probe.call("files_under", package) == [], package
        assert all("loaded" not in v for v in probe.call("load_from_path", package).values())
    site = probe.call("getattr_chain", "numpy", "__file__").split("/numpy/")[0].removeprefix("reached '")
    hidden = [e for e in probe.call("entries", site) if e.startswith(("scikit_learn", "pandas-"))]
    assert hidden, "the .dist-info and .libs folders should still be listed (empty)"
    for folder in hidden:
        assert probe.call("entries", f"{site}/{folder}") == [], folder
    # The parts of scipy that are allowed are untouched.
    assert probe.call("try_import", "scipy.spatial", "distance").startswith("imported from")


@pytest.mark.docker
def test_allowed_libraries_work_beside_hidden_ones_with_and_without_the_blocker(sandbox):
    """torch probes optional modules (find_spec, try-import); scikit-learn, scipy and pandas
    are absent here, as in exercises 03 and 04."""
    probe = sandbox(list(TORCH_EXERCISE.forbidden_imports))
    assert probe.call("torch_trains") < 1.0
    assert probe.call("numpy_works") == pytest.approx(14**0.5)
    assert probe.call("remove_blocker") == 1
    assert probe.call("torch_trains") < 1.0
    assert probe.call("try_import", "torchvision", "models").startswith(("AttributeError", "ModuleNotFoundError"))


@pytest.mark.docker
def test_a_forbidden_torch_leaves_numpy_alone(sandbox):
    """Exercise 01 forbids torch itself: the harness and numpy must not need it."""
    probe = sandbox(list(find_exercise("01", root=ROOT).forbidden_imports))
    assert probe.call("remove_blocker") == 1
    assert probe.call("numpy_works") == pytest.approx(14**0.5)
    assert probe.call("try_import", "torch", "nn").startswith(("AttributeError", "ModuleNotFoundError"))
    assert probe.call("files_under", "torch") == []


# -- what the plan hides, on a made-up installation ---------------------------------------------------


def test_the_plan_hides_every_form_of_a_forbidden_module_and_nothing_else(tmp_path):
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    files = {
        "sklearn/__init__.py": "",
        "scikit_learn-1.9.dist-info/RECORD": "sklearn/__init__.py,,\nscikit_learn.libs/libgomp.so,,\n",
        "scikit_learn.libs/libgomp.so": "",
        "scipy/__init__.py": "",
        "scipy/cluster/__init__.py": "",
        "scipy/spatial/__init__.py": "",
        "scipy-1.16.dist-info/RECORD": "scipy/__init__.py,,\n",
        "six.py": "",
        "__pycache__/six.cpython-311.pyc": "",
        "_fast.cpython-311-x86_64-linux-gnu.so": "",
        "sixteen.py": "",
        "numpy/__init__.py": "",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    inventory = mounts.scan([str(tmp_path)], [str(site)])
    hidden = mounts.forbidden_paths(
        ["sklearn", "scipy.cluster", "six", "_fast", "absent"], inventory["package_dirs"], inventory["dists"]
    )
    assert sorted(os.path.relpath(p, site) for p in hidden) == sorted(
        [
            "sklearn",
            "scikit_learn-1.9.dist-info",
            "scikit_learn.libs",
            "scipy/cluster",
            "six.py",
            "__pycache__/six.cpython-311.pyc",
            "_fast.cpython-311-x86_64-linux-gnu.so",
        ]
    )

"""Nothing the grader keeps hidden is readable inside the sandbox: no copy of the digits, nothing
of graders/ (references, hidden tests, seeds), searched for from inside by content (issue 8,
item 2: a copy of the digits under the mounted base prefix was readable)."""

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from mlgrade.sandbox import Limits, Submission, mounts
from mlgrade.sandbox.docker_backend import DockerBackend, remove_leftovers
from mlgrade.sandbox.image import DEFAULT_IMAGE

from helpers import ROOT, submission_dir

ATTACKS = ROOT / "tests" / "attacks" / "submissions"
DIGITS_NAMES = ["digits.csv.gz", "digits.csv"]


def fingerprints(paths):
    """{size: [sha256, ...]} of the files (tiny ones left out: an empty __init__.py is everywhere)."""
    found = {}
    for path in paths:
        data = path.read_bytes()
        if len(data) >= 64:
            found.setdefault(len(data), []).append(hashlib.sha256(data).hexdigest())
    return found


def grader_files(root=ROOT):
    return [p for p in (root / "graders").rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def digits_copy():
    """scikit-learn's digits.csv.gz, found on the host (the grader's side)."""
    import sklearn

    return os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "digits.csv.gz")


def digits_fingerprints():
    with open(digits_copy(), "rb") as f:
        data = f.read()
    raw = gzip.decompress(data)
    return {len(data): [hashlib.sha256(data).hexdigest()], len(raw): [hashlib.sha256(raw).hexdigest()]}


@pytest.fixture
def sandbox(tmp_path, docker_client):
    """Opens probe sessions (of fs_probe.py) on backends labelled for this test; fails the test
    if a container is left behind."""
    label = uuid.uuid4().hex
    sessions = []

    def open_probe(**backend_options):
        backend = DockerBackend(docker_client, DEFAULT_IMAGE, labels={"mlgrade.test": label}, **backend_options)
        folder = submission_dir(tmp_path / uuid.uuid4().hex, ATTACKS / "fs_probe.py")
        session = Submission(backend, folder, limits=Limits(call_timeout=300, submission_timeout=900))
        sessions.append(session)
        return session

    yield open_probe
    for session in sessions:
        session.close()
    left = remove_leftovers(docker_client, f"mlgrade.test={label}")
    assert not left, f"{left} sandbox container(s) left behind"


@pytest.mark.docker
def test_no_grader_file_and_no_digits_copy_is_readable_anywhere(sandbox):
    """Nothing is forbidden here (as in exercise 09), so scikit-learn is there and only its
    data folder is hidden."""
    probe = sandbox(protected=[ROOT / "graders"])
    secrets = {**fingerprints(grader_files()), **digits_fingerprints()}
    assert probe.call("find_secrets", secrets, ["test_hidden.py", *DIGITS_NAMES], _timeout=600) == []
    assert set(probe.call("read_bytes", [digits_copy()]).values()) <= {"FileNotFoundError", "PermissionError"}
    assert probe.call("try_import", "sklearn", "datasets").startswith("imported from")


def make_venv(folder):
    """A real virtual environment over this interpreter (no pip: fast, no downloads)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(folder)], check=True, timeout=120
    )
    python = folder / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return python, site


@pytest.mark.docker
def test_copies_of_the_digits_elsewhere_are_hidden_too(tmp_path, sandbox, monkeypatch):
    """A copy in a package's data folder, one beside a package's code, and a renamed one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    python, site = make_venv(tmp_path / "venv")
    copies = [f"{site}/wheelpkg/data/digits.csv.gz", f"{site}/wheelpkg/digits.csv.gz", f"{site}/other/res/d8.csv.gz"]
    for path in copies:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copy(digits_copy(), path)
    (tmp_path / "venv" / site / "wheelpkg" / "__init__.py").write_text("VALUE = 1\n")
    for folder in (tmp_path, tmp_path / "venv"):
        os.chmod(folder, 0o755)
    probe = sandbox(runtime=mounts.Runtime.of(str(python)))
    assert probe.call("find_secrets", digits_fingerprints(), [], _timeout=600) == []
    assert set(probe.call("read_bytes", copies).values()) <= {0, "FileNotFoundError"}
    # The package beside the copy still imports.
    assert probe.call("try_import", "wheelpkg", "VALUE").startswith("imported from")


def test_the_search_is_cached_until_a_mounted_folder_changes(tmp_path, monkeypatch):
    walks = []
    walk = mounts.scan
    monkeypatch.setattr(mounts, "scan", lambda *args: walks.append(args) or walk(*args))
    runtime = mounts.Runtime.of()
    cache = tmp_path / "cache"
    start = time.perf_counter()
    first = mounts.plan_mounts(runtime, ["sklearn"], cache_dir=cache)
    walked = time.perf_counter() - start
    start = time.perf_counter()
    assert mounts.plan_mounts(runtime, ["sklearn"], cache_dir=cache) == first
    cached = time.perf_counter() - start
    print(f"data and package search: {walked:.2f} s walking, {cached * 1000:.0f} ms from the cache")
    assert len(walks) == 1
    # A folder that changes (a package installed into it) is walked again.
    extra = tmp_path / "extra"
    extra.mkdir()
    mounts.load_inventory([str(extra)], [], cache)
    mounts.load_inventory([str(extra)], [], cache)
    assert len(walks) == 2
    (extra / "new-package").mkdir()
    mounts.load_inventory([str(extra)], [], cache)
    assert len(walks) == 3

"""The whole hidden-grader tree is unreachable from the sandbox in both layouts of a checkout and
a virtual environment: beside it, and inside it (issue 8, item 10: ``pip install -e git+URL``
puts the checkout in <venv>/src/, and mounting whole prefixes showed its SEED and reference.py).

The sandbox mounts only what the runtime needs (the interpreter, its shared libraries, the
stdlib and site-packages folders), so a checkout in <venv>/src/ is not mounted at all; and when
the graders do lie under a mounted folder (a checkout inside site-packages), mlgrade refuses
to grade. Each layout is a real venv over this interpreter, run as the sandbox's runtime.
"""

import json
import os
import shutil
import subprocess
import uuid

import pytest

from mlgrade.sandbox import Limits, Submission, mounts
from mlgrade.sandbox.docker_backend import DockerBackend, remove_leftovers
from mlgrade.sandbox.image import DEFAULT_IMAGE

from helpers import ROOT, submission_dir

ATTACKS = ROOT / "tests" / "attacks" / "submissions"
SLUG = "01-mlp-classifier"


def make_venv(folder):
    """A real virtual environment over this interpreter (no pip: fast, no downloads)."""
    import sys

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


def place_content(checkout):
    """A copy of exercise 01's content (exercises/ and graders/) at ``checkout``."""
    for part in ("exercises", "graders"):
        shutil.copytree(ROOT / part / SLUG, checkout / part / SLUG, ignore=shutil.ignore_patterns("__pycache__"))
    return checkout


def secrets_of(checkout):
    """{size: [sha256]} of every file of the copied graders/ (tiny ones left out)."""
    import hashlib

    found = {}
    for path in (checkout / "graders").rglob("*"):
        if path.is_file() and path.stat().st_size >= 64:
            found.setdefault(path.stat().st_size, []).append(hashlib.sha256(path.read_bytes()).hexdigest())
    return found


@pytest.fixture
def layout(tmp_path, monkeypatch):
    """A venv and a place for the content; the inventory cache goes to tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    os.chmod(tmp_path, 0o755)
    python, site = make_venv(tmp_path / "venv")
    return tmp_path, python, site


@pytest.fixture
def sandbox(tmp_path, docker_client):
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


def grade_with(python, checkout, source, tmp_path):
    """``mlgrade grade 01`` run by ``python`` on the content at ``checkout``; (exit code, report
    or None, stderr). Fails if a container of the run is left behind."""
    path = tmp_path / "solution.py"
    path.write_text(source)
    out = tmp_path / "report.json"
    label = uuid.uuid4().hex
    command = [python, "-m", "mlgrade.cli.main", "grade", "01", str(path), "--format", "json", "--output", str(out)]
    env = dict(os.environ, MLGRADE_ROOT=str(checkout))
    done = subprocess.run(
        [*command, f"--label=mlgrade.test={label}"], env=env, capture_output=True, text=True, timeout=900
    )
    from mlgrade.sandbox.engine import connect

    left = remove_leftovers(connect(), f"mlgrade.test={label}")
    assert not left, f"{left} sandbox container(s) left behind"
    return done.returncode, (out.read_text() if out.is_file() else None), done.stderr


# -- what is mounted ------------------------------------------------------------------------------


def test_only_what_the_runtime_needs_is_mounted_never_a_whole_prefix(layout):
    tmp_path, python, site = layout
    venv = tmp_path / "venv"
    runtime = mounts.Runtime.of(str(python))
    plan = mounts.plan_mounts(runtime, cache_dir=tmp_path / "cache")
    assert str(venv) not in plan.binds and str(venv / "src") not in plan.binds
    assert site in plan.binds and str(venv / "pyvenv.cfg") in plan.binds
    assert runtime.executable == str(python) and str(python) in plan.binds
    for prefix in {os.path.realpath(p) for p in (venv, runtime.import_dirs[0].rsplit("/lib/", 1)[0])}:
        assert prefix not in plan.binds, f"the whole prefix {prefix} is mounted"


@pytest.mark.docker
def test_graders_under_a_mounted_folder_are_refused(layout, docker_client):
    tmp_path, python, site = layout
    checkout = place_content(tmp_path / "venv" / site / "course")
    with pytest.raises(mounts.ProtectedFolderMounted, match="refusing to grade: the hidden graders folder"):
        DockerBackend(
            docker_client,
            DEFAULT_IMAGE,
            protected=[checkout / "graders"],
            runtime=mounts.Runtime.of(str(python)),
        )


# -- from inside the sandbox -----------------------------------------------------------------------


@pytest.mark.docker
def test_beside_the_venv_the_sandbox_sees_nothing_of_the_graders(layout, sandbox):
    tmp_path, python, _ = layout
    checkout = place_content(tmp_path / "checkout")
    probe = sandbox(runtime=mounts.Runtime.of(str(python)), protected=[checkout / "graders"])
    assert probe.call("find_secrets", secrets_of(checkout), ["test_hidden.py"], _timeout=600) == []
    reference = str(checkout / "graders" / SLUG / "reference.py")
    assert probe.call("read_bytes", [reference]) == {reference: "FileNotFoundError"}
    assert probe.call("numpy_works") == pytest.approx(14**0.5)  # the venv's runtime works


@pytest.mark.docker
def test_inside_the_venv_the_sandbox_sees_nothing_of_the_graders(layout, sandbox):
    tmp_path, python, _ = layout
    checkout = place_content(tmp_path / "venv" / "src" / "checkout")
    probe = sandbox(runtime=mounts.Runtime.of(str(python)), protected=[checkout / "graders"])
    assert probe.call("find_secrets", secrets_of(checkout), ["test_hidden.py"], _timeout=600) == []
    assert probe.call("entries", str(tmp_path / "venv")) == ["bin", "lib", "pyvenv.cfg"]
    assert probe.call("numpy_works") == pytest.approx(14**0.5)


# -- graded as an instructor grades, by the venv's own mlgrade --------------------------------------


@pytest.mark.docker
@pytest.mark.slow
def test_grading_from_inside_the_venv_finds_no_secret(layout, docker_client):
    """A submission that walks the whole sandbox while it is imported reports what it found."""
    tmp_path, python, _ = layout
    checkout = place_content(tmp_path / "venv" / "src" / "checkout")
    seeker = (
        (ATTACKS / "fs_seeker.py").read_text().replace("FINGERPRINTS = {}", f"FINGERPRINTS = {secrets_of(checkout)}")
    )
    code, report, stderr = grade_with(python, checkout, seeker, tmp_path)
    assert code == 0 and report is not None, stderr[-2000:]
    report = json.loads(report)
    assert report["score"] == 0
    assert "secrets found: []" in json.dumps(report), report


@pytest.mark.docker
def test_grading_with_the_graders_inside_site_packages_is_refused_with_exit_3(layout, docker_client):
    tmp_path, python, site = layout
    checkout = place_content(tmp_path / "venv" / site / "course")
    code, report, stderr = grade_with(python, checkout, "def fit(X, y):\n    pass\n", tmp_path)
    assert code == 3 and report is None
    message = stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "refusing to grade" in message and str(checkout / "graders") in message, message

"""Helpers for the tests (conftest.py is not importable under --import-mode=importlib)."""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
# The JUnit schema our XML must validate against (a copy of shared/junit/junit-10.xsd, kept
# here so that the tests do not depend on a folder outside the repository).
JUNIT_XSD = ROOT / "tests" / "data" / "junit-10.xsd"


def submission_dir(tmp_path, source_file, name="solution.py"):
    """A world-readable folder holding ``source_file`` as ``name`` (the sandbox user is not us)."""
    folder = tmp_path / "submission"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source_file, folder / name)
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o755)
    os.chmod(folder / name, 0o644)
    return folder


def grade_with_cli(exercise, source, tmp_path, *, root=ROOT, fmt="json"):
    """Grade ``source`` (text) as an instructor does, ``mlgrade grade`` in a child process.

    Returns ``(exit code, report text or None, stderr)``. The run's containers carry a label
    of their own, and the helper fails if any of them is left behind.
    """
    import subprocess
    import sys
    import uuid

    from mlgrade.sandbox.docker_backend import remove_leftovers
    from mlgrade.sandbox.engine import connect

    path = tmp_path / "solution.py"
    path.write_text(source)
    out = tmp_path / f"report.{fmt}"
    label = uuid.uuid4().hex
    command = [
        sys.executable,
        "-m",
        "mlgrade.cli.main",
        "grade",
        exercise,
        str(path),
        "--format",
        fmt,
        "--output",
        str(out),
        f"--label=mlgrade.test={label}",
    ]
    env = dict(os.environ, MLGRADE_ROOT=str(root))
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    left = remove_leftovers(connect(), f"mlgrade.test={label}")
    assert not left, f"{left} sandbox container(s) left behind"
    return done.returncode, (out.read_text() if out.is_file() else None), done.stderr


def load_module(path, name):
    """The module in file ``path``, imported under ``name`` (several graders have a data.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(report, start):
    """The report's check whose name starts with ``start``."""
    return next(t for t in report.tests if t.name.startswith(start))


def short_of_full(report, starts):
    """The checks that did not get full points, named by which of ``starts`` begins their name."""
    return {next(s for s in starts if t.name.startswith(s)) for t in report.tests if t.score < t.max_score}


def this_python_read_only():
    """Docker volumes that show a container this machine's Python and this checkout, read-only
    at their own paths, and nothing else of the host: a machine with mlgrade installed, as
    root, for tests of what runs without the Docker sandbox (Gradescope, the process backend)."""
    import sys

    from mlgrade.sandbox.mounts import Runtime, plan_mounts

    paths = [*plan_mounts(Runtime.of(sys.executable)).binds, str(ROOT)]
    return {path: {"bind": path, "mode": "ro"} for path in paths}

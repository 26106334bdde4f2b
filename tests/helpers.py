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

"""The wheel ships the code and nothing of the course content (no grader, no exercise)."""

import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Built from a copy, so that the build leaves nothing in the checkout.
    source = tmp_path_factory.mktemp("source")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("mlgrade-*.whl")
    return path


def test_wheel_holds_the_code_and_no_course_content(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    code = [n for n in names if not n.startswith("mlgrade-")]
    assert code and all(n.startswith("mlgrade/") for n in code), code
    for module in (
        "core/config.py",
        "grading/__init__.py",
        "grading/plugin.py",
        "sandbox/harness/server.py",
        "cli/main.py",
    ):
        assert f"mlgrade/{module}" in names
    content = [
        n
        for n in names
        if "graders/" in n or "exercises/" in n or "reference" in n or "test_hidden" in n or "/tests/" in n
    ]
    assert not content, f"course content in the wheel: {content}"


def test_version_has_one_source(wheel):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert wheel.name.startswith(f"mlgrade-{declared}-")
    from mlgrade.core.version import VERSION

    assert declared == VERSION

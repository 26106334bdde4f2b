"""The `mlgrade` command, end to end through click's CliRunner.

Gradings in the Docker sandbox need a Docker engine with the sandbox image: locally a missing
engine skips them, in CI (CI=true) it fails them. Each full grading takes a few seconds, so
there are only a handful.
"""

import json
import os
import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from mlgrade.cli.main import main

from helpers import JUNIT_XSD

REPO = Path(__file__).resolve().parents[1]
EXERCISE = REPO / "exercises" / "01-mlp-classifier"
REFERENCE = REPO / "graders" / "01-mlp-classifier" / "reference.py"
STUB = EXERCISE / "solution.py"
XSD_PATH = JUNIT_XSD


def mlgrade(*args):
    """Run the CLI against this checkout's exercises, whatever the environment says."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"MLGRADE_ROOT": str(REPO)}, catch_exceptions=False)


@pytest.fixture(scope="module")
def sandbox_image():
    """The Docker sandbox image; a skip locally without it, a failure in CI."""
    from mlgrade.core.errors import MlgradeError
    from mlgrade.sandbox.engine import connect
    from mlgrade.sandbox.image import get_image

    try:
        return get_image(connect())
    except MlgradeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test the Docker sandbox, but: {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def reference(tmp_path):
    path = tmp_path / "solution.py"
    shutil.copy(REFERENCE, path)
    return path


@pytest.fixture
def stub(tmp_path):
    path = tmp_path / "stub.py"
    shutil.copy(STUB, path)
    return path


# ----------------------------------------------------------------------------- list


def test_list_shows_points_and_time_budgets():
    config = tomllib.loads((EXERCISE / "exercise.toml").read_text())
    result = mlgrade("list")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("01-mlp-classifier ")]
    assert len(rows) == 1, result.output
    _slug, points, per_call, in_all, *title = rows[0].split()
    assert points == "100"
    assert per_call == f"{config['limits']['call_timeout']:g}s"
    assert in_all == f"{config['limits']['submission_timeout']:g}s"
    assert " ".join(title) == config["title"]


# ----------------------------------------------------------------------------- init


def test_init_copies_stub_readme_and_public_tests(tmp_path):
    target = tmp_path / "work"
    result = mlgrade("init", "01", target)
    assert result.exit_code == 0, result.output
    for name in ("solution.py", "README.md", "tests/test_public.py"):
        assert (target / name).read_bytes() == (EXERCISE / name).read_bytes(), name
    assert "mlgrade check 01" in result.output


def test_init_refuses_to_overwrite_a_solution(tmp_path):
    target = tmp_path / "work"
    target.mkdir()
    (target / "solution.py").write_text("# my work of three nights\n")
    result = mlgrade("init", "01", target)
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert (target / "solution.py").read_text() == "# my work of three nights\n"


@pytest.mark.parametrize("key", ["1", "01-mlp-classifier"])
def test_init_accepts_number_and_slug(tmp_path, key):
    result = mlgrade("init", key, tmp_path / "work")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "work" / "solution.py").read_bytes() == STUB.read_bytes()


def test_init_without_directory_uses_the_slug(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(main, ["init", "01"], env={"MLGRADE_ROOT": str(REPO)})
        assert result.exit_code == 0, result.output
        assert Path("01-mlp-classifier", "solution.py").read_bytes() == STUB.read_bytes()


def test_init_unknown_exercise_lists_the_known_ones(tmp_path):
    result = mlgrade("init", "99", tmp_path / "work")
    assert result.exit_code == 2
    assert "99" in result.output and "01-mlp-classifier" in result.output
    assert not (tmp_path / "work").exists()


# ---------------------------------------------------------------------------- grade


@pytest.mark.docker
@pytest.mark.slow
def test_grade_reference_scores_full_marks(sandbox_image, reference):
    result = mlgrade("grade", "01", reference)
    assert result.exit_code == 0, result.output
    assert re.search(r"^score 100 / 100\b", result.stdout, re.MULTILINE), result.stdout
    assert "FAIL" not in result.stdout
    assert "sandbox: docker (isolated)" in result.stdout


@pytest.mark.docker
@pytest.mark.slow
def test_grade_stub_is_graded_zero_as_json(sandbox_image, stub):
    result = mlgrade("grade", "01", stub, "--format", "json")
    assert result.exit_code == 0, result.output  # graded, whatever the score
    report = json.loads(result.stdout)  # Gradescope's results.json, ours under extra_data
    assert report["extra_data"]["mlgrade"]["exercise"] == "01-mlp-classifier"
    assert report["score"] == 0
    assert report["extra_data"]["mlgrade"]["max_score"] == 100
    assert report["tests"], report
    for test in report["tests"]:
        assert test["status"] == "failed", test
        assert test["score"] == 0, test
        assert "not implemented" in test["output"], test
    assert sum(test["max_score"] for test in report["tests"]) == 100


@pytest.mark.docker
@pytest.mark.slow
def test_grade_junit_output_is_valid_and_carries_points(sandbox_image, reference, tmp_path):
    if not XSD_PATH.is_file():
        pytest.fail(f"JUnit XSD not found at {XSD_PATH}: the JUnit output cannot be validated")
    out = tmp_path / "report.xml"
    result = mlgrade("grade", "01", reference, "--format", "junit", "--output", out)
    assert result.exit_code == 0, result.output
    assert "100 / 100 points" in result.output
    assert "<testsuite" not in result.output  # the report went to the file
    xmlschema.XMLSchema(str(XSD_PATH)).validate(str(out))
    root = ET.parse(out).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {"score": "100", "max_score": "100"}
    cases = list(suite.iter("testcase"))
    assert len(cases) == 7  # the seven checks of exercise 01
    assert all(re.search(r"\[(\d+(\.\d+)?)/\1 pts\]$", case.get("name")) for case in cases), [
        case.get("name") for case in cases
    ]
    assert not list(suite.iter("failure")) and not list(suite.iter("error"))


def test_grade_missing_file_is_a_usage_error(tmp_path):
    result = mlgrade("grade", "01", tmp_path / "missing.py")
    assert result.exit_code == 2
    assert "missing.py" in result.output and "no such file" in result.output


@pytest.mark.docker
def test_grade_with_a_missing_image_names_the_fix(sandbox_image, reference):
    result = mlgrade("grade", "01", reference, "--sandbox", "docker", "--image", "mlgrade-nope:none")
    assert result.exit_code == 3, result.output
    assert "mlgrade-nope:none" in result.output
    assert "mlgrade sandbox build" in result.output


# ---------------------------------------------------------------------------- check


@pytest.mark.docker
@pytest.mark.slow
def test_check_passes_the_reference(sandbox_image, reference):
    result = mlgrade("check", "01", reference)
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.stdout
    assert "sandbox: docker (isolated)" in result.stdout


@pytest.mark.docker
@pytest.mark.slow
def test_check_fails_the_stub(sandbox_image, stub):
    result = mlgrade("check", "01", stub)
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.stdout and "not implemented" in result.stdout


# ---------------------------------------------------------------------- no isolation


@pytest.mark.slow
def test_process_sandbox_grades_but_warns_it_is_not_isolated(reference):
    result = mlgrade("grade", "01", reference, "--sandbox", "process")
    assert result.exit_code == 0, result.output
    assert re.search(r"^score 100 / 100\b", result.stdout, re.MULTILINE), result.stdout
    assert "sandbox: process (NOT isolated)" in result.stdout
    assert "WARNING: process backend: the submission was NOT isolated" in result.stdout


# ------------------------------------------------------- engine errors become exit code 3


class FailingEngine:
    """A docker-py client whose engine fails every operation as docker-py reports it."""

    def __init__(self, error):
        self.error = error
        self.images = self.containers = self
        self.api = self

    def build(self, **kwargs):
        raise self.error

    def import_image_from_data(self, *args, **kwargs):
        raise self.error

    def list(self, **kwargs):
        raise self.error


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (["sandbox", "build", "--dockerfile"], "build"),
        (["sandbox", "build"], "api"),
        (["sandbox", "cleanup"], "connection"),
    ],
)
def test_engine_failures_are_one_line_and_exit_3(monkeypatch, command, error):
    import docker
    import requests

    errors = {
        "build": docker.errors.BuildError("pull access denied for python", [{"stream": "Step 1/6 : FROM python"}]),
        "api": docker.errors.APIError("500 Server Error: disk full"),
        "connection": requests.exceptions.ConnectionError("Connection aborted"),
    }
    monkeypatch.setattr("mlgrade.sandbox.engine.connect", lambda: FailingEngine(errors[error]))
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and result.output.startswith("Error: ")
    assert str(errors[error]).splitlines()[0][:40] in result.output

"""Gradescope: the autograder zip, run as Gradescope runs it (as root, in /autograder, no Docker
inside), in a container that reproduces its layout. The student's code runs as an unprivileged
user: it can neither read the hidden grader nor write the results."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mlgrade.cli.main import main
from mlgrade.integrations.gradescope import STUDENT_USER
from mlgrade.sandbox.docker_backend import leftover_containers
from mlgrade.sandbox.image import DEFAULT_IMAGE

from helpers import ROOT, SUBMISSIONS, this_python_read_only

SCHEMA = json.loads((ROOT / "tests" / "data" / "gradescope-results.schema.json").read_text())
REFERENCE = ROOT / "graders" / "01-mlp-classifier" / "reference.py"
STUB = ROOT / "exercises" / "01-mlp-classifier" / "solution.py"
HOSTILE = SUBMISSIONS / "01-mlp-classifier" / "on_reference" / "gradescope_reads_source_writes_results.py"
LABEL = "mlgrade.test=gradescope"


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    result = CliRunner().invoke(main, ["gradescope", "01", "--output", str(out)], env={"MLGRADE_ROOT": str(ROOT)})
    assert result.exit_code == 0, result.output
    return out


def test_zip_holds_the_scripts_and_the_hidden_grader(autograder_zip):
    archive = zipfile.ZipFile(autograder_zip)
    names = set(archive.namelist())
    assert {
        "setup.sh",
        "run_autograder",
        "content/exercises/01-mlp-classifier/exercise.toml",
        "content/graders/01-mlp-classifier/test_hidden.py",
        "content/graders/01-mlp-classifier/reference.py",
    } <= names
    for script in ("setup.sh", "run_autograder"):
        assert archive.getinfo(script).external_attr >> 16 & 0o111, f"{script} is not executable"
    assert "--sandbox process --format json" in archive.read("run_autograder").decode()
    assert "pip install --quiet mlgrade" in archive.read("setup.sh").decode()
    for script in ("setup.sh", "run_autograder"):
        check = subprocess.run(["bash", "-n"], input=archive.read(script), capture_output=True)
        assert check.returncode == 0, check.stderr.decode()


def run_autograder(docker_client, autograder_zip, tmp_path, submission):
    """Unpack the zip into /autograder as Gradescope does, and run run_autograder as root."""
    autograder = tmp_path / "autograder"
    for folder in ("source", "submission", "results"):
        (autograder / folder).mkdir(parents=True)
    zipfile.ZipFile(autograder_zip).extractall(autograder / "source")
    for script in ("setup.sh", "run_autograder"):
        os.chmod(autograder / "source" / script, 0o755)
    (autograder / "submission" / "solution.py").write_text(submission)
    os.chmod(autograder, 0o755)
    # The container runs this machine's Python with mlgrade installed (setup.sh's job on
    # Gradescope, which needs apt and the network), read-only, and nothing else of the host.
    volumes = this_python_read_only()
    volumes[str(autograder)] = {"bind": "/autograder", "mode": "rw"}
    # The user setup.sh makes with useradd (the image has no useradd to run).
    (tmp_path / "passwd").write_text(f"root:x:0:0::/root:/bin/sh\n{STUDENT_USER}:x:999:999::/nonexistent:/bin/false\n")
    (tmp_path / "group").write_text(f"root:x:0:\n{STUDENT_USER}:x:999:\n")
    for name in ("passwd", "group"):
        volumes[str(tmp_path / name)] = {"bind": f"/etc/{name}", "mode": "ro"}
    mlgrade = os.path.join(os.path.dirname(sys.executable), "mlgrade")
    interpreter = Path(mlgrade).read_text().splitlines()[0][2:].strip()  # the console script's shebang
    for path in (mlgrade, interpreter):
        volumes[path] = {"bind": path, "mode": "ro"}
    try:
        logs = docker_client.containers.run(
            DEFAULT_IMAGE,
            ["/bin/bash", "/autograder/source/run_autograder"],
            user="0:0",
            environment={
                "MLGRADE": mlgrade,
                "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
                "HOME": "/root",
                "TMPDIR": "/tmp",
            },
            volumes=volumes,
            tmpfs={"/tmp": "size=512m,mode=1777,exec", "/root": "size=16m"},
            network_mode="none",
            working_dir="/autograder",
            labels=dict([LABEL.split("=")]),
            remove=True,
            stdout=True,
            stderr=True,
        ).decode("utf-8", "replace")
    finally:
        for container in leftover_containers(docker_client, LABEL):
            container.remove(force=True)
    results = autograder / "results" / "results.json"
    assert results.is_file(), logs
    data = json.loads(results.read_text())
    jsonschema.validate(data, SCHEMA)
    return data, logs


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize(("source", "score"), [(REFERENCE, 100), (STUB, 0)], ids=["reference", "stub"])
def test_run_autograder_grades_as_root_into_results_json(docker_client, autograder_zip, tmp_path, source, score):
    data, logs = run_autograder(docker_client, autograder_zip, tmp_path, source.read_text())
    assert data["score"] == score, logs
    assert data["extra_data"]["mlgrade"]["exercise"] == "01-mlp-classifier"
    sandbox = data["extra_data"]["mlgrade"]["sandbox"]
    assert sandbox["backend"] == "process" and sandbox["user"] == STUDENT_USER and sandbox["uid"] == 999


@pytest.mark.docker
@pytest.mark.slow
def test_the_students_code_cannot_read_the_grader_nor_write_the_results(docker_client, autograder_zip, tmp_path):
    source = REFERENCE.read_text() + "\n\n" + HOSTILE.read_text()
    data, logs = run_autograder(docker_client, autograder_zip, tmp_path, source)
    text = json.dumps(data)
    assert "HACKED" not in text and data["score"] == 100, logs
    # What the submission found, printed at import and shown in the report: nothing.
    assert "read /autograder/source: denied" in data["output"], data["output"]
    assert "write /autograder/results: denied" in data["output"], data["output"]

"""GitHub Classroom: the starter repository, its workflow, and the runner payload its reporter reads
(INTEGRATIONS.md). The workflow's shell steps are run here, without GitHub, on a fresh clone."""

import base64
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from mlgrade.cli.main import main
from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.report import Report, TestResult
from mlgrade.integrations.classroom import runner_payload, step_id

from helpers import ROOT, SUBMISSIONS

REFERENCE = ROOT / "graders" / "01-mlp-classifier" / "reference.py"
STUB = ROOT / "exercises" / "01-mlp-classifier" / "solution.py"
TEST_FIELDS = {"name", "status", "score", "message", "test_code", "filename", "line_no", "duration"}


def starter(tmp_path, *keys, install="mlgrade"):
    target = tmp_path / "starter"
    result = CliRunner().invoke(
        main, ["classroom", *keys, str(target), "--install", install], env={"MLGRADE_ROOT": str(ROOT)}
    )
    assert result.exit_code == 0, result.output
    return target


def test_workflow_has_the_structure_classroom_reads(tmp_path):
    target = starter(tmp_path, "01", "02")
    flow = yaml.safe_load((target / ".github" / "workflows" / "classroom.yml").read_text())
    assert flow["name"] == "Autograding Tests"
    assert set(flow["on"]) >= {"push"}
    (job_id, job), *others = flow["jobs"].items()
    assert job_id == "run-autograding-tests" and not others
    steps = job["steps"]
    runners = [s for s in steps if "id" in s]
    assert [s["id"] for s in runners] == ["ex01-mlp-classifier", "ex02-kmeans-segmentation"]
    for step in runners:
        slug = step["id"].removeprefix("ex")
        assert step["run"] == f"mlgrade check {slug} {slug}/solution.py --format classroom --output-github result"
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"] == "ex01-mlp-classifier,ex02-kmeans-segmentation"
    assert reporter["env"] == {
        f"{s['id'].upper()}_RESULTS": f"${{{{ steps.{s['id']}.outputs.result }}}}" for s in runners
    }
    install = next(s for s in steps if s.get("name") == "Install mlgrade")
    assert install["run"] == "python -m pip install mlgrade"


def test_starter_repository_holds_the_public_part_only(tmp_path):
    target = starter(tmp_path, "01", install="git+https://example.org/course/mlgrade.git")
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert {
        "01-mlp-classifier/solution.py",
        "01-mlp-classifier/README.md",
        "01-mlp-classifier/exercise.toml",
        "01-mlp-classifier/tests/test_public.py",
        ".github/workflows/classroom.yml",
        "README.md",
    } <= files
    hidden = {p.name for p in (ROOT / "graders" / "01-mlp-classifier").iterdir()}
    assert not {f.rsplit("/", 1)[-1] for f in files} & (hidden - {"README.md"})
    assert "git+https://example.org/course/mlgrade.git" in (target / ".github/workflows/classroom.yml").read_text()


def report_with(scores, output=""):
    tests = [
        TestResult(
            name=f"check {i}",
            score=s,
            max_score=m,
            status="passed" if s >= m else "failed",
            output="" if s >= m else "measured 0.5; needed 0.9",
        )
        for i, (s, m) in enumerate(scores)
    ]
    return Report(
        exercise="01-mlp-classifier",
        score=sum(s for s, _ in scores),
        max_score=sum(m for _, m in scores),
        tests=tests,
        output=output,
    )


@pytest.mark.parametrize(
    ("scores", "status", "total"),
    [([(3, 3), (2, 2)], "pass", 5), ([(1.5, 3), (2, 2)], "fail", 3.5), ([(0, 3), (0, 2)], "fail", 0)],
    ids=["full", "partial", "zero"],
)
def test_payload_shape_follows_the_score(scores, status, total):
    payload = runner_payload(report_with(scores), find_exercise("01", ROOT))
    decoded = json.loads(base64.b64decode(base64.b64encode(json.dumps(payload).encode())))
    assert decoded["version"] == 1 and decoded["status"] == status and decoded["max_score"] == 5
    assert sum(t["score"] for t in decoded["tests"]) == total
    assert all(set(t) == TEST_FIELDS for t in decoded["tests"])
    assert [t["status"] for t in decoded["tests"]] == ["pass" if s >= m else "fail" for s, m in scores]


def test_a_failed_feedback_only_check_is_a_fail_worth_nothing():
    report = report_with([(3, 3), (2, 2)])
    report.tests.append(
        TestResult(name="structure (feedback)", score=0, max_score=0, status="failed", output="no LSTM")
    )
    payload = runner_payload(report, find_exercise("01", ROOT))
    assert payload["status"] == "pass" and payload["max_score"] == 5
    assert [t["status"] for t in payload["tests"]] == ["pass", "pass", "fail"]


def test_payload_of_a_run_that_graded_nothing_is_an_error_with_a_nonzero_max_score():
    report = Report(exercise="01-mlp-classifier", score=0, max_score=0, output="the grader could not start")
    payload = runner_payload(report, find_exercise("01", ROOT))
    assert payload["status"] == "error" and payload["max_score"] == 100
    assert payload["tests"][0]["status"] == "error" and "could not start" in payload["tests"][0]["message"]


def run_shell_steps(clone, environ):
    """The workflow's `run` steps, in order, as GitHub would run them (bash, in the checkout)."""
    flow = yaml.safe_load((clone / ".github" / "workflows" / "classroom.yml").read_text())
    for step in flow["jobs"]["run-autograding-tests"]["steps"]:
        if "run" not in step or step["name"] == "Install mlgrade":
            continue  # mlgrade is installed here already; `uses:` steps are GitHub's own actions
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=clone, env=environ, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"step {step['name']!r} failed:\n{done.stdout}\n{done.stderr}"
        yield step, done.stdout


@pytest.mark.docker
@pytest.mark.parametrize(
    ("source", "status", "score", "message"),
    [
        (REFERENCE, "pass", None, None),
        (SUBMISSIONS / "01-mlp-classifier" / "no_softmax.py", "fail", None, None),
        (STUB, "fail", 0, "not implemented yet"),
        (SUBMISSIONS / "01-mlp-classifier" / "syntax_error.py", "error", 0, "could not be imported"),
    ],
    ids=["reference", "partial", "stub", "does-not-import"],
)
def test_workflow_steps_on_a_fresh_clone_produce_the_payload(tmp_path, docker_client, source, status, score, message):
    target = starter(tmp_path, "01")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "starter"], cwd=target, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(target), str(clone)], check=True)
    shutil.copy(source, clone / "01-mlp-classifier" / "solution.py")
    empty = tmp_path / "no-course-content"  # the student's machine has no exercises/ or graders/
    empty.mkdir()
    outputs, summary = tmp_path / "github_output", tmp_path / "step_summary"
    environ = dict(
        os.environ,
        GITHUB_ACTIONS="true",
        GITHUB_OUTPUT=str(outputs),
        GITHUB_STEP_SUMMARY=str(summary),
        MLGRADE_ROOT=str(empty),
        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
    )
    logs = {step["name"]: out for step, out in run_shell_steps(clone, environ)}
    name, _, value = outputs.read_text().strip().partition("=")
    assert name == "result"
    payload = json.loads(base64.b64decode(value).decode("utf-8"))
    assert payload["version"] == 1 and payload["status"] == status and payload["max_score"] > 0
    assert all(set(t) == TEST_FIELDS for t in payload["tests"])
    total = sum(t["score"] for t in payload["tests"])
    if score is not None:
        assert total == score
    if status == "pass":
        assert total == payload["max_score"] and "::error" not in logs["01-mlp-classifier"]
    else:
        assert (
            total < payload["max_score"] and "::error file=01-mlp-classifier/solution.py" in logs["01-mlp-classifier"]
        )
    if message:
        assert any(message in t["message"] for t in payload["tests"])
    assert "| check | points | result |" in summary.read_text()
    assert step_id(find_exercise("01", ROOT)) == "ex01-mlp-classifier"

"""The Docker sandbox holds: isolation, limits and clean-up, tested against a real engine."""

import glob
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest

from mlgrade.sandbox import Limits, Submission, errors, mounts
from mlgrade.sandbox.docker_backend import leftover_containers

from helpers import ROOT, SUBMISSIONS, submission_dir

pytestmark = pytest.mark.docker


@pytest.fixture
def probe(tmp_path, backend):
    folder = submission_dir(tmp_path, SUBMISSIONS / "probe" / "solution.py")
    limits = Limits(call_timeout=10, submission_timeout=120, memory=512 * 2**20)
    with Submission(backend, folder, limits=limits) as session:
        yield session


def test_runs_as_unprivileged_user_without_capabilities(probe):
    who = probe.call("identity")
    assert who["uid"] != 0 and who["gid"] != 0
    assert int(who["cap_eff"], 16) == 0
    assert who["no_new_privs"] == "1"


def test_has_no_network(probe):
    assert probe.call("interfaces") == ["lo"]
    # A server on the host's loopback is not reachable: the sandbox has its own, empty one.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        assert probe.call("try_connect", "127.0.0.1", port) != "connected"
    assert probe.call("try_resolve", "pypi.org").startswith("gaierror")


def test_cannot_write_outside_tmp(probe, tmp_path):
    outcome = probe.call(
        "try_write",
        [
            "/etc/passwd",
            "/usr/evil",
            "/mlgrade/submission/solution.py",
            "/mlgrade/harness/server.py",
            "/evil",
            "/tmp/ok",
        ],
    )
    assert outcome.pop("/tmp/ok") == "written"
    assert set(outcome.values()) <= {"OSError", "PermissionError"}, outcome


def test_cannot_read_graders_references_or_hidden_data(probe, backend):
    digits = [p for d in backend.plan.hidden_dirs for p in glob.glob(os.path.join(d, "digits.csv*"))]
    digits += [p for p in backend.plan.hidden_files if "digits" in os.path.basename(p)]
    secret_paths = [
        str(ROOT / "graders" / "01-mlp-classifier" / "reference.py"),
        str(ROOT / "graders" / "01-mlp-classifier" / "data.py"),
        str(ROOT / "tests" / "conftest.py"),
        *digits,
    ]
    assert digits, "scikit-learn's copy of the digits should be found and hidden"
    outcome = probe.call("try_read", secret_paths)
    assert all(v in ("FileNotFoundError", "PermissionError") for v in outcome.values()), outcome
    # Names only our content has: a walk of everything the sandbox can see finds none of them.
    assert probe.call("find_files", ["test_hidden.py", "digits.csv.gz", "expected.py"], _timeout=120) == []


def test_no_mounted_folder_holds_the_checkout(backend):
    """Only what the runtime needs is mounted (no whole prefix), so the checkout is not."""
    mounts.refuse_protected(backend.plan.binds, [ROOT])
    assert sys.executable in backend.plan.binds or any(sys.executable.startswith(b + "/") for b in backend.plan.binds)
    assert sys.prefix not in backend.plan.binds


def test_cannot_see_another_submission(tmp_path, backend):
    first = submission_dir(tmp_path / "a", SUBMISSIONS / "probe" / "solution.py")
    second = submission_dir(tmp_path / "b", SUBMISSIONS / "probe" / "solution.py")
    with Submission(backend, first) as a, Submission(backend, second) as b:
        a.call("echo", 1)
        outcome = b.call("try_read", [str(first / "solution.py")])
        assert outcome[str(first / "solution.py")] == "FileNotFoundError"


def test_timeout_kills_and_next_call_gets_a_fresh_sandbox(probe):
    start = time.monotonic()
    with pytest.raises(errors.CallTimedOut, match="did not finish within"):
        probe.call("spin", _timeout=2)
    assert time.monotonic() - start < 2 * probe.speed_factor + 10
    assert probe.call("echo", 5) == 5


def test_memory_limit_is_reported_in_plain_words(probe):
    with pytest.raises(errors.SandboxDied, match="out of memory"):
        probe.call("allocate", 2 * 2**30)
    assert probe.call("echo", "alive") == "alive"


def test_fork_bomb_is_contained(probe):
    with pytest.raises(errors.SubmissionError):
        probe.call("fork_bomb", _timeout=10)
    assert probe.call("echo", 1) == 1


def test_output_flood_is_capped_and_counted(probe):
    assert probe.call("flood", 300 * 2**20, _timeout=60) == "done"
    stats = probe.stats[-1]
    assert stats.output_bytes >= 300 * 2**20 - 2**20
    assert len(stats.output) <= probe.limits.output_keep


def test_exit_in_a_call_is_reported(probe):
    with pytest.raises(errors.SandboxDied, match="exited with code 3"):
        probe.call("exit_now", 3)


def test_oversized_result_is_refused_and_sandbox_survives(tmp_path, backend):
    folder = submission_dir(tmp_path, SUBMISSIONS / "probe" / "solution.py")
    limits = Limits(max_message=8 * 2**20)
    with Submission(backend, folder, limits=limits) as session:
        with pytest.raises(errors.BadReply, match="too large"):
            session.call("zeros", 2 * 2**20)  # 16 MiB of float64
        assert session.call("echo", 2) == 2


def test_threads_and_hash_seed_are_set(probe):
    settings = probe.call("thread_settings")
    assert settings == {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}


def test_torch_threads_match_the_cpu_limit(probe):
    assert probe.limits.cpus == 1.0
    assert probe.call("torch_threads") == 1


def test_arrays_can_arrive_as_tensors_and_tensors_return_as_arrays(probe):
    import numpy as np

    kind, dtype, doubled = probe.call("tensor_kind", np.arange(3, dtype=np.int64), _tensors=True)
    assert (kind, dtype) == ("Tensor", "torch.int64")
    assert type(doubled) is np.ndarray and doubled.tolist() == [0, 2, 4]
    assert probe.call("tensor_kind", np.arange(3))[0] == "ndarray"


def test_overall_budget_stops_a_submission(tmp_path, backend):
    folder = submission_dir(tmp_path, SUBMISSIONS / "probe" / "solution.py")
    limits = Limits(call_timeout=30, submission_timeout=4)
    with Submission(backend, folder, limits=limits, speed_factor=1.0) as session:
        with pytest.raises(errors.BudgetExhausted):
            session.call("sleep", 20)
        with pytest.raises(errors.BudgetExhausted, match="overall time budget"):
            session.call("echo", 1)


GRADE_IN_CHILD = """
import sys
from mlgrade.core.catalogue import find_exercise
from mlgrade.grading.runner import grade_submission
grade_submission(find_exercise("01"), sys.argv[1], sandbox="docker", labels={"mlgrade.test": sys.argv[2]})
"""


def test_container_removed_when_the_grader_is_terminated(tmp_path, docker_client):
    slow = tmp_path / "slow.py"
    slow.write_text(
        (ROOT / "graders" / "01-mlp-classifier" / "reference.py")
        .read_text()
        .replace(
            "        X = np.asarray(X, dtype=np.float64)\n        y = np.asarray(y, dtype=np.int64)\n        rng",
            "        import time; time.sleep(600)\n        X = np.asarray(X, dtype=np.float64)\n        y = np.asarray(y, dtype=np.int64)\n        rng",
        )
    )
    run = uuid.uuid4().hex
    grader = subprocess.Popen(
        [sys.executable, "-c", GRADE_IN_CHILD, str(slow), run], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not leftover_containers(docker_client, f"mlgrade.test={run}"):
            assert time.monotonic() < deadline, "no container with the run's label appeared"
            assert grader.poll() is None, "grading ended before it reached the sleeping fit"
            time.sleep(0.2)
        time.sleep(2)  # let it reach the sleeping fit
        grader.send_signal(signal.SIGTERM)
        grader.wait(timeout=60)
        deadline = time.monotonic() + 30
        while leftover_containers(docker_client, f"mlgrade.test={run}"):
            assert time.monotonic() < deadline, "the container outlived the grader"
            time.sleep(0.2)
    finally:
        grader.kill()

"""`mlgrade batch --scheduler`: a real `dask scheduler` and two `dask worker` processes (their CLIs,
loopback only) grade a small class; the gradebook is the local run's, and a worker killed
mid-batch costs no submission its grade, nor grades one twice.
"""

import csv
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

import psutil
import pytest

from helpers import ROOT, SUBMISSIONS

pytestmark = [pytest.mark.docker, pytest.mark.slow]

MLP = "01-mlp-classifier"
CLASS = {
    "alice": ROOT / "graders" / MLP / "reference.py",
    "bob": ROOT / "exercises" / MLP / "solution.py",
    "carol": SUBMISSIONS / MLP / "wrong_gradient_sign.py",
    "erin": SUBMISSIONS / MLP / "syntax_error.py",
}
EXPECTED = [["student", MLP, "total"], ["alice", "100", "100"], ["bob", "0", "0"], ["carol", "30", "30"]]
EXPECTED += [["erin", "0", "0"]]


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    """One folder per student: SUBMISSIONS/<student>/solution.py."""
    folder = tmp_path_factory.mktemp("dask") / "subs"
    for student, source in CLASS.items():
        (folder / student).mkdir(parents=True)
        shutil.copy(source, folder / student / "solution.py")
    return folder


def run_batch(submissions, out, *args):
    command = [sys.executable, "-c", "from mlgrade.cli.main import main; main()", "batch", str(submissions)]
    command += ["--out", str(out), "--exercise", "01", *args]
    env = dict(os.environ, MLGRADE_ROOT=str(ROOT))
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def gradebook(out):
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def stored(out):
    with sqlite3.connect(out / "results.sqlite") as db:
        return db.execute("SELECT student, status FROM results ORDER BY student").fetchall()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dask_cluster(tmp_path, workers=2):
    """A `dask scheduler` and ``workers`` single-threaded `dask worker` processes on 127.0.0.1.

    No nanny: a worker is one process, so killing it kills the worker, not a restartable child.
    """
    from distributed import Client

    address = f"tcp://127.0.0.1:{free_port()}"
    env = dict(os.environ, MLGRADE_ROOT=str(ROOT))
    log = (tmp_path / "dask.log").open("w")
    port = address.rsplit(":", 1)[1]
    processes = [
        subprocess.Popen(
            ["dask", "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], env=env, stderr=log
        )
    ]
    try:
        for number in range(workers):
            command = ["dask", "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny"]
            command += ["--no-dashboard", "--name", f"worker-{number}"]
            processes.append(subprocess.Popen(command, env=env, stderr=log))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, processes[1:]
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def grading_children(worker):
    """The grading processes (pytest) a worker process has started."""
    try:
        return [p for p in psutil.Process(worker.pid).children(recursive=True) if "pytest" in " ".join(p.cmdline())]
    except psutil.Error:
        return []


def test_the_cluster_gives_the_local_gradebook(submissions, tmp_path, docker_client):
    with dask_cluster(tmp_path) as (address, _):
        remote = run_batch(submissions, tmp_path / "remote", "--scheduler", address)
        local = run_batch(submissions, tmp_path / "local", "-j2")
        remote_out, _ = remote.communicate(timeout=900)
        local_out, _ = local.communicate(timeout=900)
    assert remote.returncode == 0, remote_out
    assert local.returncode == 0, local_out
    assert f"on the cluster at {address}" in remote_out
    assert gradebook(tmp_path / "remote") == gradebook(tmp_path / "local") == EXPECTED


def test_a_worker_killed_mid_batch_costs_no_grade(submissions, tmp_path, docker_client):
    with dask_cluster(tmp_path) as (address, workers):
        batch = run_batch(submissions, tmp_path / "out", "--scheduler", address)
        deadline = time.monotonic() + 300
        victim = None
        while victim is None and time.monotonic() < deadline and batch.poll() is None:
            victim = next((worker for worker in workers if grading_children(worker)), None)
            time.sleep(0.2)
        assert victim is not None, "no worker ever started a grading"
        victim.send_signal(signal.SIGKILL)
        output, _ = batch.communicate(timeout=900)
    assert batch.returncode == 0, output
    lines = [line.split(":")[0].split("] ")[1] for line in output.splitlines() if line.startswith("[")]
    assert sorted(lines) == [f"{student} {MLP}" for student in CLASS], "each submission graded once"
    assert stored(tmp_path / "out") == [(student, "graded") for student in CLASS]
    assert gradebook(tmp_path / "out") == EXPECTED

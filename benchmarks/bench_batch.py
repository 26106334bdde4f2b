"""What batch grading costs: -j1 against -j2, and a submission in a batch against a single `mlgrade grade`.

Measured, in one run:
  batch_j1, batch_j2  `mlgrade batch --exercise 01` of 20 submissions (a mix of the reference,
                      the stub and tests/submissions/01-mlp-classifier/), -j1 and -j2, each into
                      a fresh output folder: wall time; the speed-up is j1 / j2. The two
                      gradebooks must be equal (scores do not depend on -j).
  batch_fixed         the same batch run again, nothing to grade: the cost of a batch itself
                      (interpreter, Dask LocalCluster, image check on the workers, hashing, outputs).
  per_submission      (batch_j1 - batch_fixed) / 20: what one submission costs inside a batch.
  task_mean           the mean time of a grading as its worker measured it (results store, -j1);
                      per_submission - task_mean is the batch's own cost per submission
                      (scheduling, storing, progress).
  task_reference      the same for the reference's copies alone (like for like with grade_cli).
  grade_cli           `mlgrade grade 01 reference.py` in a fresh process (median of --repeat).
  runner              grade_submission() in this process on the same file (median): the batch's
                      task minus the queueing.
  in_report           the report's execution_time: the grading process from pytest's configure
                      to its report (collection with the grader's imports, sandbox, tests);
                      runner - in_report is interpreter, pytest start and exit, the runner's own work.
  grader_imports      a fresh interpreter importing pytest, numpy and mlgrade's grading plugin:
                      the floor of starting the grading process.
  grader_module       a fresh interpreter importing exercise 01's hidden test module (and so its
                      data module, and scikit-learn through it), as every grading's collection does.
  sandbox_start       a docker Submission on a trivial solution.py, creation to first reply:
                      container start, speed calibration, harness, import.
  cli_imports         a fresh interpreter importing mlgrade's CLI (paid once per `mlgrade grade`).
  cluster_start       a fresh interpreter that starts a LocalCluster as the batch does, runs one
                      task and closes it, against the same with a ThreadPoolExecutor.

The machine may be shared: read the figures next to the load average printed with them.

    python3 benchmarks/bench_batch.py [--repeat N] [--json PATH]
"""

import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "01-mlp-classifier"
CASES = ROOT / "tests" / "submissions" / SLUG
MIX = [
    ROOT / "graders" / SLUG / "reference.py",
    ROOT / "exercises" / SLUG / "solution.py",
    CASES / "honest_float32_xavier.py",
    CASES / "no_softmax.py",
    CASES / "wrong_gradient_sign.py",
    CASES / "syntax_error.py",
]
COUNT = 20
CLI = [sys.executable, "-c", "from mlgrade.cli.main import main; main()"]

CLUSTER = """
import time; start = time.perf_counter()
import logging
from distributed import Client, LocalCluster
cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address="127.0.0.1:0",
                       scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR)
client = Client(cluster); client.submit(abs, -1).result(); client.close(); cluster.close()
print(time.perf_counter() - start)
"""
POOL = """
import time; start = time.perf_counter()
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(2) as pool: pool.submit(abs, -1).result()
print(time.perf_counter() - start)
"""


def wall(command, **kwargs):
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start, done.stdout


def make_class(folder):
    folder.mkdir()
    for number in range(COUNT):
        shutil.copy(MIX[number % len(MIX)], folder / f"student{number:02d}.py")
    return folder


def batch(submissions, out, jobs):
    seconds, _ = wall(CLI + ["batch", str(submissions), "--exercise", "01", "--out", str(out), f"-j{jobs}"])
    with (out / "gradebook.csv").open(encoding="utf-8") as handle:
        return seconds, list(csv.reader(handle))


def sandbox_start(root):
    from mlgrade.sandbox import Submission, make_backend

    folder = Path(root) / "trivial"
    folder.mkdir()
    (folder / "solution.py").write_text("def echo(x):\n    return x\n")
    for path, mode in ((Path(root), 0o755), (folder, 0o755), (folder / "solution.py", 0o644)):
        os.chmod(path, mode)  # the sandbox user is not us
    backend = make_backend("docker")
    start = time.perf_counter()
    with Submission(backend, folder) as session:
        session.call("echo", 1)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the small measurements (default 3)")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers to PATH")
    args = parser.parse_args()

    from mlgrade.core.catalogue import find_exercise
    from mlgrade.grading.runner import grade_submission

    exercise = find_exercise("01")
    figures = {"load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="mlgrade-bench-batch-") as root:
        root = Path(root)
        submissions = make_class(root / "subs")
        figures["batch_j1"], book_j1 = batch(submissions, root / "out-j1", 1)
        print(f"-j1: {figures['batch_j1']:.1f} s", file=sys.stderr)
        figures["batch_j2"], book_j2 = batch(submissions, root / "out-j2", 2)
        print(f"-j2: {figures['batch_j2']:.1f} s", file=sys.stderr)
        figures["same_gradebook"] = book_j1 == book_j2
        figures["batch_fixed"], _ = batch(submissions, root / "out-j2", 2)
        figures["speedup"] = figures["batch_j1"] / figures["batch_j2"]
        figures["per_submission"] = (figures["batch_j1"] - figures["batch_fixed"]) / COUNT
        with sqlite3.connect(root / "out-j1" / "results.sqlite") as db:
            seconds = dict(db.execute("SELECT student, seconds FROM results").fetchall())
        figures["task_mean"] = statistics.fmean(seconds.values())
        reference = [s for student, s in seconds.items() if int(student[-2:]) % len(MIX) == 0]
        figures["task_reference"] = statistics.fmean(reference)

        small = {name: [] for name in ("grade_cli", "runner", "in_report", "grader_imports", "grader_module")}
        small.update(cli_imports=[], sandbox_start=[], cluster_start=[], pool_start=[])
        for _ in range(args.repeat):
            small["grade_cli"].append(wall(CLI + ["grade", "01", str(MIX[0])])[0])
            start = time.perf_counter()
            report = grade_submission(exercise, MIX[0])
            small["runner"].append(time.perf_counter() - start)
            small["in_report"].append(report.execution_time)
            small["grader_imports"].append(
                wall([sys.executable, "-c", "import pytest, numpy, mlgrade.grading.plugin"])[0]
            )
            grader = ROOT / "graders" / SLUG
            small["grader_module"].append(wall([sys.executable, "-c", "import test_hidden"], cwd=grader)[0])
            small["cli_imports"].append(wall([sys.executable, "-c", "import mlgrade.cli.main"])[0])
            small["sandbox_start"].append(sandbox_start(tempfile.mkdtemp(dir=root)))
            small["cluster_start"].append(float(wall([sys.executable, "-c", CLUSTER])[1]))
            small["pool_start"].append(float(wall([sys.executable, "-c", POOL])[1]))
        figures.update({name: statistics.median(values) for name, values in small.items()})
    figures["load_after"] = os.getloadavg()[0]

    rows = [
        ("batch_j1", f"batch of {COUNT}, -j1", "s"),
        ("batch_j2", f"batch of {COUNT}, -j2", "s"),
        ("speedup", "speed-up -j2 over -j1", "x"),
        ("same_gradebook", "gradebooks of -j1 and -j2 equal", ""),
        ("batch_fixed", "batch with nothing to grade", "s"),
        ("per_submission", "per submission in a -j1 batch", "s"),
        ("task_mean", "  of which the grading itself (worker's clock)", "s"),
        ("task_reference", "a reference's grading in the -j1 batch", "s"),
        ("grade_cli", "one `mlgrade grade` (reference)", "s"),
        ("runner", "grade_submission() (reference)", "s"),
        ("in_report", "  of which pytest configure to report", "s"),
        ("grader_imports", "  interpreter + pytest, numpy, plugin", "s"),
        ("grader_module", "  interpreter + 01's hidden test module", "s"),
        ("sandbox_start", "  sandbox: container start to first reply", "s"),
        ("cli_imports", "CLI interpreter + imports", "s"),
        ("cluster_start", "LocalCluster start, 1 task, close", "s"),
        ("pool_start", "ThreadPoolExecutor start, 1 task, close", "s"),
        ("load_before", "load average (1 min) before", ""),
        ("load_after", "load average (1 min) after", ""),
    ]
    for key, label, unit in rows:
        value = figures[key]
        text = str(value) if isinstance(value, bool) else f"{value:.2f}{unit}"
        print(f"{label:<45} {text:>10}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

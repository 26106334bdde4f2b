"""What grading through mlgrade costs, next to running the same code plainly.

Measured, in one run:
  grade     grading the reference of exercise 01 end to end (runner.grade_submission, docker backend):
            wall time of the call, pytest subprocess and container included.
  plain     the same reference code in a plain `python3` subprocess: import reference.py and
            data.py by path, fit MLP(64, 64, 10, seed=0) on the hidden train split (default
            arguments), predict the test split; wall time of the whole subprocess.
  startup   the fixed cost of a sandbox: a Submission on a trivial solution.py, from its creation
            to the first call returning (container or process start, calibration, harness,
            import), for the docker and the process backend. The backend object (engine
            connection, image lookup) is built once beforehand and is not counted.
  echo      channel round trip on an open docker session: median of 1000 calls of
            s.call("echo", 1), and of 100 calls echoing a 1 MiB float64 array.

The machine is shared and noisy, so the variants are interleaved: each repeat runs every
variant once, in an order rotated from repeat to repeat, so that a slow spell of the machine
hits all variants alike instead of one. Each number is reported as the min (the best the
machine can do) and the median over repeats.

    python3 benchmarks/bench_grading.py [--repeat N] [--json PATH]
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from mlgrade.core.catalogue import find_exercise
from mlgrade.grading import runner
from mlgrade.sandbox import Submission, make_backend

GRADER = Path(__file__).resolve().parents[1] / "graders" / "01-mlp-classifier"
SMALL_CALLS, BIG_CALLS = 1000, 100
AIM_STARTUP, AIM_ROUND_TRIP_MS = 3.0, 1.0

PLAIN = """
import importlib.util, sys
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
reference, data = load("reference", sys.argv[1]), load("data", sys.argv[2])
d = data.hidden_digits()
model = reference.MLP(64, 64, 10, seed=0).fit(d.X_train, d.y_train)
print((model.predict(d.X_test) == d.y_test).mean())
"""


def bench_grade(ctx):
    start = time.perf_counter()
    report = runner.grade_submission(ctx["exercise"], GRADER / "reference.py", sandbox="docker")
    seconds = time.perf_counter() - start
    if report.score != report.max_score:
        print(f"warning: the reference scored {report.score}/{report.max_score}", file=sys.stderr)
    return {"grade": seconds}


def bench_plain(ctx):
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PLAIN, str(GRADER / "reference.py"), str(GRADER / "data.py")],
        check=True,
        capture_output=True,
    )
    return {"plain": time.perf_counter() - start}


def bench_process(ctx):
    start = time.perf_counter()
    with Submission(ctx["process"], ctx["trivial"]) as s:
        s.call("echo", 1)
        return {"startup_process": time.perf_counter() - start}


def bench_docker(ctx):
    start = time.perf_counter()
    with Submission(ctx["docker"], ctx["trivial"]) as s:
        s.call("echo", 1)
        results = {"startup_docker": time.perf_counter() - start}
        results["echo_small_ms"] = round_trip_ms(s, 1, SMALL_CALLS)
        results["echo_1mb_ms"] = round_trip_ms(s, np.random.default_rng(0).random(2**17), BIG_CALLS)
        return results


def round_trip_ms(session, value, calls):
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        session.call("echo", value)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


VARIANTS = [bench_grade, bench_plain, bench_docker, bench_process]
ROWS = [  # key, label, unit
    ("grade", "grade 01 reference (runner.grade_submission, docker)", "s"),
    ("plain", "same code, plain python3 subprocess", "s"),
    ("startup_docker", "fixed cost: docker session to 1st call", "s"),
    ("startup_process", "fixed cost: process session to 1st call", "s"),
    ("echo_small_ms", f"round trip echo(1), median of {SMALL_CALLS}", "ms"),
    ("echo_1mb_ms", f"round trip echo(1 MiB array), median of {BIG_CALLS}", "ms"),
]


def trivial_submission(root):
    folder = Path(root) / "submission"
    folder.mkdir()
    (folder / "solution.py").write_text("def echo(x):\n    return x\n")
    os.chmod(root, 0o755)  # the container runs as uid 65534
    os.chmod(folder, 0o755)
    os.chmod(folder / "solution.py", 0o644)
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds of all variants (default 3)")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers to PATH")
    args = parser.parse_args()

    runs = {key: [] for key, _, _ in ROWS}
    with tempfile.TemporaryDirectory(prefix="mlgrade-bench-") as root:
        ctx = {
            "exercise": find_exercise("01"),
            "trivial": trivial_submission(root),
            "docker": make_backend("docker"),
            "process": make_backend("process"),
        }
        for r in range(args.repeat):
            order = VARIANTS[r % len(VARIANTS) :] + VARIANTS[: r % len(VARIANTS)]
            for variant in order:
                for key, value in variant(ctx).items():
                    runs[key].append(value)
            print(f"repeat {r + 1}/{args.repeat}: " + ", ".join(v.__name__[6:] for v in order), file=sys.stderr)

    summary = {key: {"min": min(v), "median": statistics.median(v), "runs": v} for key, v in runs.items()}
    print(f"\n{'':52} {'min':>12} {'median':>12}")
    for key, label, unit in ROWS:
        s = summary[key]
        print(f"{label:52} {s['min']:9.3f} {unit:2} {s['median']:9.3f} {unit}")

    ratios = {
        "grade/plain": summary["grade"]["median"] / summary["plain"]["median"],
        "startup docker/process": summary["startup_docker"]["median"] / summary["startup_process"]["median"],
    }
    mins = {
        "grade/plain": summary["grade"]["min"] / summary["plain"]["min"],
        "startup docker/process": summary["startup_docker"]["min"] / summary["startup_process"]["min"],
    }
    print()
    for name, value in ratios.items():
        print(f"ratio {name:29} {mins[name]:6.2f}x (min)  {value:6.2f}x (median)")

    aims = {
        f"docker fixed cost < {AIM_STARTUP:g} s": summary["startup_docker"]["median"] < AIM_STARTUP,
        f"round trip < {AIM_ROUND_TRIP_MS:g} ms": summary["echo_small_ms"]["median"] < AIM_ROUND_TRIP_MS,
    }
    print()
    for name, holds in aims.items():
        print(f"aim {name:31} {'holds' if holds else 'MISSED'} (on the median)")

    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "date": datetime.datetime.now().isoformat(timespec="seconds"),
                    "machine": {
                        "cores": os.cpu_count(),
                        "python": platform.python_version(),
                        "platform": platform.platform(),
                    },
                    "repeat": args.repeat,
                    "results": summary,
                    "ratios": {"median": ratios, "min": mins},
                    "aims": aims,
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

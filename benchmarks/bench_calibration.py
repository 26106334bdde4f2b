"""The speed factor, quiet and under load: CPU time against wall time.

Each sample is a fresh docker Submission on a trivial solution.py: the sandbox times the
calibration workload (the fastest of its runs counts) as CPU time, which sets the speed
factor, and as wall time, which set it before. Samples are taken with 0, 1, ... CPU-bound
busy loops running on the host beside the sandbox, interleaved level by level so that a slow
spell of the machine hits every level alike.

    python3 benchmarks/bench_calibration.py [--samples N] [--loads 0,2] [--json PATH]

The last lines give REFERENCE_SECONDS as this machine measures it: the median CPU time of the
quiet samples (the constant in sandbox/harness/calibration.py is that, rounded).
"""

import argparse
import json
import multiprocessing
import statistics
import tempfile
from pathlib import Path

from mlgrade.sandbox import Submission, make_backend
from mlgrade.sandbox.harness import calibration


def busy_loop():
    while True:
        pass


def start_load(n):
    procs = [multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(n)]
    for proc in procs:
        proc.start()
    return procs


def stop_load(procs):
    for proc in procs:
        proc.kill()
        proc.join()


def sample(backend, folder):
    with Submission(backend, folder) as session:
        session.call("ping")
        return {
            "cpu": session.calibration_seconds,
            "wall": session.calibration_wall_seconds,
            "clock": session.calibration_clock,
            "speed_factor": session.speed_factor,
        }


def summary(rows):
    factors = [r["speed_factor"] for r in rows]
    return {
        "cpu_median": statistics.median(r["cpu"] for r in rows),
        "wall_median": statistics.median(r["wall"] for r in rows),
        "factor_min": min(factors),
        "factor_max": max(factors),
        "wall_factor_max": max(r["wall"] for r in rows) / calibration.REFERENCE_SECONDS,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--loads", default="0,2", help="busy loops beside the sandbox, comma-separated")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    loads = [int(n) for n in args.loads.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="mlgrade-bench-"))
    (folder / "solution.py").write_text("def ping():\n    return 1\n")
    folder.chmod(0o755)
    (folder / "solution.py").chmod(0o644)
    backend = make_backend("docker", labels={"mlgrade.bench": "calibration"})
    rows = {n: [] for n in loads}
    for _ in range(args.samples):
        for n in loads:
            procs = start_load(n)
            try:
                rows[n].append(sample(backend, folder))
            finally:
                stop_load(procs)
    results = {n: summary(r) for n, r in rows.items()}
    print(f"{'busy loops':>10} {'CPU s':>8} {'wall s':>8} {'factor (CPU)':>14} {'max wall / ref.':>17}")
    for n, s in results.items():
        print(
            f"{n:>10} {s['cpu_median']:>8.4f} {s['wall_median']:>8.4f} "
            f"{s['factor_min']:>6.2f}-{s['factor_max']:<6.2f} {s['wall_factor_max']:>16.2f}"
        )
    if 0 in results:
        print(f"REFERENCE_SECONDS measured here (median CPU time, quiet): {results[0]['cpu_median']:.4f}")
    if args.json:
        args.json.write_text(json.dumps({"samples": rows, "summary": results}, indent=2))


if __name__ == "__main__":
    main()

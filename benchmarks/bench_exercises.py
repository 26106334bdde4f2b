"""Grading time per exercise, next to the reference's own run outside mlgrade.

For every exercise whose grader folder has a ``plain_run.py`` (the reference's training and
prediction on the hidden data, as a plain script), measured in one run:

  grade   ``runner.grade_submission`` of the reference, docker backend: container start to report
  plain   ``python3 graders/<slug>/plain_run.py``: the same work with no sandbox, no channel

and their ratio, with the number of sandbox calls one grading makes and the wall time spent in
them (the channel's round trips plus the submission's own work). The machine is shared and noisy, so within each repeat every exercise's two
variants run back to back, in an order that alternates between repeats; min and median are
reported.

    python3 benchmarks/bench_exercises.py [--repeat N] [--only 01 --only 03] [--json PATH]
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

from mlgrade.core.catalogue import all_exercises
from mlgrade.grading import runner

CALLS = {}  # slug -> the last grading's {"count", "wall_seconds"}


def time_grade(exercise):
    start = time.perf_counter()
    report = runner.grade_submission(exercise, exercise.grader_dir / "reference.py", sandbox="docker")
    seconds = time.perf_counter() - start
    if report.score != report.max_score:
        print(f"warning: {exercise.slug} reference scored {report.score}/{report.max_score}", file=sys.stderr)
    CALLS[exercise.slug] = report.sandbox.get("calls", {})
    return seconds


def time_plain(exercise):
    start = time.perf_counter()
    subprocess.run([sys.executable, str(exercise.grader_dir / "plain_run.py")], check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], help="exercise number or slug (repeatable)")
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args()
    exercises = [
        e
        for e in all_exercises()
        if (e.grader_dir / "plain_run.py").is_file()
        and (not args.only or any(k in (e.slug, f"{e.number:02d}", str(e.number)) for k in args.only))
    ]
    times = {e.slug: {"grade": [], "plain": []} for e in exercises}
    for repeat in range(args.repeat):
        for exercise in exercises:
            order = [("grade", time_grade), ("plain", time_plain)]
            for name, measure in order if repeat % 2 == 0 else reversed(order):
                times[exercise.slug][name].append(measure(exercise))
        print(f"repeat {repeat + 1}/{args.repeat} done", file=sys.stderr)
    print(
        f"{'exercise':<28} {'grade min':>10} {'median':>8} {'plain min':>10} {'median':>8} {'ratio':>6}"
        f" {'calls':>6} {'in calls':>9}"
    )
    summary = {}
    for slug, t in times.items():
        row = {k: {"min": min(v), "median": statistics.median(v)} for k, v in t.items()}
        row["ratio_median"] = row["grade"]["median"] / row["plain"]["median"]
        row["calls"] = CALLS.get(slug, {})
        summary[slug] = row
        print(
            f"{slug:<28} {row['grade']['min']:>9.2f}s {row['grade']['median']:>7.2f}s "
            f"{row['plain']['min']:>9.2f}s {row['plain']['median']:>7.2f}s {row['ratio_median']:>5.2f}x"
            f" {row['calls'].get('count', '?'):>6} {row['calls'].get('wall_seconds', float('nan')):>8.2f}s"
        )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()

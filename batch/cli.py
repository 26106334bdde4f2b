"""The ``mlgrade batch`` command: parse, call the batch library, render.

Registered in ``mlgrade.cli.main``; mlgrade's errors become exit codes there, in one place.
"""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from mlgrade.batch.gradebook import EXTENSIONS

# The exit status of a batch stopped by Ctrl-C or SIGTERM, as a shell reports an interrupted command.
INTERRUPTED = 130


@click.command("batch")
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--exercise",
    "exercise_keys",
    multiple=True,
    help="Exercise to grade (slug or number; repeatable). Needed when each student has one file "
    "or one folder; by default, every exercise found in <student>/<slug>/ folders.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("mlgrade-batch"),
    show_default=True,
    help="Folder for the results store, gradebook.csv, reports/ and summary.html. Rerunning with the "
    "same folder grades only what changed.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Gradings at once (default: CPUs / sandbox CPUs).")
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", help="Grade on the workers of this Dask scheduler instead of here."
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with an `identifier` column (GitHub Classroom's export): every student on it gets a row.",
)
@click.option("--regrade", is_flag=True, help="Grade every submission again, changed or not.")
@click.option(
    "--format",
    "formats",
    type=click.Choice(sorted(EXTENSIONS)),
    multiple=True,
    default=["json"],
    show_default=True,
    help="Format of the per-submission reports in reports/<student>/ (repeatable).",
)
@click.option(
    "--sandbox",
    type=click.Choice(["docker", "process"]),
    default="docker",
    show_default=True,
    help="docker isolates the submissions; process does NOT (for machines without Docker).",
)
@click.option("--image", default=None, help="Sandbox image (default mlgrade-sandbox:latest).")
def batch(submissions, exercise_keys, out, jobs, scheduler, roster, regrade, formats, sandbox, image):
    """Grade a class: every submission in SUBMISSIONS, into a gradebook.

    \b
    Layouts (detected):
      SUBMISSIONS/<student>.py                  one exercise (--exercise)
      SUBMISSIONS/<student>/solution.py         one exercise (--exercise)
      SUBMISSIONS/<student>/<slug>/solution.py  several exercises (what `mlgrade init` makes)
      SUBMISSIONS/<assignment>-<login>/...      GitHub Classroom's download; the student is the login

    Exits 0 when every submission was graded, whatever the scores; 3 when some could not be
    graded (they are retried on the next run); 130 when stopped by Ctrl-C or SIGTERM.
    """
    from rich.console import Console

    from mlgrade.batch import cluster, gradebook, layouts, run, summary
    from mlgrade.batch.progress import BatchProgress, print_table
    from mlgrade.batch.store import Store
    from mlgrade.core.catalogue import all_exercises, find_exercise
    from mlgrade.core.errors import InfrastructureError

    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 120  # a log has no width; rich's 80 would fold the closing table
    chosen = [find_exercise(key) for key in dict.fromkeys(exercise_keys)]
    found = layouts.find_submissions(submissions, chosen, all_exercises(), exclude=[out])
    entries = layouts.read_roster(roster) if roster else []
    names = layouts.match_roster(entries, found.students)
    files = sum(1 for sub in found.submissions if sub.path is not None)
    console.print(
        f"layout: {found.description}; {len(found.students)} students, {files} files, "
        f"exercises {', '.join(e.slug for e in found.exercises)}",
        markup=False,
    )
    unknown = sorted({names[s] for s in found.students} - {e.identifier for e in entries}) if entries else []
    if unknown:
        console.print(f"not on the roster (graded all the same): {', '.join(unknown)}", markup=False)
    parallelism = jobs or cluster.default_parallelism(found.exercises)
    store = Store(out)
    interrupted = stopped = None
    try:
        with _sigterm_as_interrupt(), cluster.dask_client(scheduler, parallelism) as client:
            plan = run.prepare(client, found, store, regrade=regrade, sandbox=sandbox, image=image)
            where = f"on the cluster at {scheduler}" if scheduler else f"{parallelism} at a time"
            console.print(
                f"{len(plan.tasks)} to grade ({where}); {plan.cached} unchanged since the last run", markup=False
            )
            try:
                with BatchProgress(console, len(plan.tasks)) as progress:
                    run.grade_all(client, plan, store, progress)
            except KeyboardInterrupt:
                interrupted = True
            except run.BatchStopped as exc:
                stopped = exc
            book = gradebook.collect(found, store, plan, names, entries)
    except KeyboardInterrupt:
        # Before grading began (setting up the cluster): nothing to write.
        sys.exit(INTERRUPTED)
    finally:
        store.close()
    out.mkdir(parents=True, exist_ok=True)
    gradebook.write_gradebook(book, out / "gradebook.csv")
    gradebook.write_reports(book, out / "reports", formats)
    summary.write_summary(book, out / "summary.html", layout=f"Layout: {found.description}.")
    print_table(console, book)
    console.print(f"gradebook: {out / 'gradebook.csv'}; summary: {out / 'summary.html'}", markup=False)
    if interrupted:
        console.print("stopped; every finished result is kept: run the same command again to finish", markup=False)
        sys.exit(INTERRUPTED)
    if stopped:
        raise InfrastructureError(f"{stopped}. Finished results are kept; fix the machine and run again")
    not_graded = sum(1 for cell in book.cells.values() if cell.status == "not graded")
    if not_graded:
        raise InfrastructureError(
            f"{not_graded} submission(s) could not be graded (see {out / 'summary.html'}); run again to retry them"
        )


@contextmanager
def _sigterm_as_interrupt():
    """SIGTERM (a CI cancel, `kill`) stops the batch as Ctrl-C does: finished results kept, containers removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

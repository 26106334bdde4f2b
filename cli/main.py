"""The `mlgrade` command. Thin: parse, call the library, render.

Exit codes:
  0  graded (whatever the score); `check`: every public check passed
  1  `check`: some public check failed
  2  bad usage (unknown exercise, missing file, bad option)
  3  the machine cannot grade (no Docker engine, no sandbox image, a grader missing or broken,
     a malformed exercise.toml)

Every mlgrade error becomes a one-line message and its exit code in one place,
``Commands.invoke``, as click itself does for its own errors in ``Command.main``.
"""

import json
import logging
import sys
from pathlib import Path

import click

from mlgrade.batch.cli import batch
from mlgrade.core.catalogue import all_exercises, copy_public_files, exercise_for, find_exercise
from mlgrade.core.errors import MlgradeError, UsageError
from mlgrade.core.version import VERSION

SANDBOXES = click.Choice(["docker", "process"])


class DomainError(click.ClickException):
    """A domain error shown as one line, with the error's own exit code."""

    def __init__(self, error):
        super().__init__(str(error))
        self.exit_code = error.exit_code


class Commands(click.Group):
    """The command group; it translates mlgrade's errors for every command and subcommand."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MlgradeError as exc:
            raise DomainError(exc) from None


@click.group(cls=Commands)
@click.version_option(VERSION, prog_name="mlgrade")
@click.option("-v", "--verbose", is_flag=True, help="Log what grading does, the grading process's own output included.")
def main(verbose):
    """Grade machine-learning exercises. Student code runs in a sandbox; scoring stays outside."""
    if verbose:
        # For instructors: the full log of a grading that wrote no report (it may hold the
        # grader's source lines, which student-facing text never does).
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")


@main.command("list")
def list_exercises():
    """List the exercises with their points and time budgets."""
    exercises = all_exercises()
    click.echo(f"{'exercise':<28} {'points':>6}  {'per call':>8}  {'in all':>6}  title")
    for ex in exercises:
        click.echo(
            f"{ex.slug:<28} {ex.points:>6g}  {ex.limits.call_timeout:>7g}s  "
            f"{ex.limits.submission_timeout:>5g}s  {ex.title}"
        )


@main.command()
@click.argument("exercise")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def init(exercise, directory):
    """Start EXERCISE (slug or number) in DIRECTORY: the stub, its README and public tests."""
    ex = find_exercise(exercise)
    target = directory or Path(ex.slug)
    if (target / f"{ex.module}.py").exists():
        raise click.ClickException(f"{target / (ex.module + '.py')} already exists; not overwriting your work")
    copy_public_files(ex, target)
    click.echo(
        f"Started {ex.slug} in {target}/. Edit {ex.module}.py, then run:\n"
        f"  mlgrade check {ex.number:02d} {target / (ex.module + '.py')}"
    )


@main.command()
@click.argument("exercise")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--sandbox",
    type=SANDBOXES,
    default="docker",
    show_default=True,
    help="docker isolates your code; process runs it as a plain process (no isolation).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "classroom"]),
    default="text",
    show_default=True,
    help="classroom: the runner JSON GitHub Classroom's reporter reads.",
)
@click.option(
    "--output-github",
    metavar="NAME",
    default=None,
    help="Inside GitHub Actions: write the classroom payload, base64-encoded, to the step output NAME.",
)
def check(exercise, file, sandbox, fmt, output_github):
    """Run the public checks of EXERCISE on FILE.

    Exits 0 when every public check passed and 1 when one failed; with --output-github, 0
    whenever the checks ran (GitHub Classroom's reporter decides from the payload).
    """
    from mlgrade.grading.runner import grade_submission
    from mlgrade.grading.writers import write_text

    ex = exercise_for(exercise, file)
    report = grade_submission(ex, file, sandbox=sandbox, public=True)
    if fmt == "classroom" or output_github:
        _report_to_classroom(report, ex, file, output_github)
    else:
        click.echo(write_text(report))
    if not report.tests and not output_github:
        sys.exit(3)  # nothing ran (a broken test file, a crashed run): the report says why
    sys.exit(0 if output_github or report.score >= report.max_score else 1)


def _report_to_classroom(report, exercise, file, output_name):
    from mlgrade.grading.writers import write_text
    from mlgrade.integrations import actions, classroom

    payload = classroom.runner_payload(report, exercise)
    if output_name is None:
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    actions.write_output(output_name, classroom.encode(payload))
    click.echo(write_text(report))  # the step's log shows the checks as a student reads them
    if actions.in_actions():
        actions.append_summary(actions.step_summary(report))
        for line in actions.annotations(report, str(file)):
            click.echo(line)


@main.command()
@click.argument("exercise")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout."
)
@click.option(
    "--sandbox",
    type=SANDBOXES,
    default="docker",
    show_default=True,
    help="docker isolates the submission; process does NOT (for machines without Docker).",
)
@click.option("--image", default=None, help="Sandbox image (default mlgrade-sandbox:latest).")
@click.option("--label", "labels", multiple=True, hidden=True, help="KEY=VALUE label for the sandbox containers.")
def grade(exercise, file, fmt, output, sandbox, image, labels):
    """Grade FILE against the hidden grader of EXERCISE (slug or number).

    Exits 0 whenever the submission was graded, whatever its score.
    """
    from mlgrade.grading.runner import grade_submission
    from mlgrade.grading.writers import WRITERS

    ex = find_exercise(exercise)
    labels = dict(label.partition("=")[::2] for label in labels)
    # Files the grader makes for a reader (a picture, say) go beside a report written to a file.
    artifacts = output.parent / f"{output.stem}." if output else None
    report = grade_submission(ex, file, sandbox=sandbox, image=image, labels=labels, artifacts=artifacts)
    text = WRITERS[fmt](report)
    if output:
        output.write_text(text)
        click.echo(f"{ex.slug}: {report.score:g} / {report.max_score:g} points; report in {output}", err=True)
    else:
        click.echo(text)
    if not report.tests:
        sys.exit(3)  # not graded (a broken grader, a crashed run): the report says why


@main.command()
@click.argument("exercises", nargs=-1, required=True)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install",
    default="mlgrade",
    show_default=True,
    help="What the workflow installs with pip: a package name, a git URL (git+https://...) or a wheel's URL.",
)
def classroom(exercises, directory, install):
    """Write a GitHub Classroom starter repository for EXERCISES (one or more) into DIRECTORY.

    It holds each exercise's stub, README and public tests, and a workflow that runs the
    public checks on every push and reports their points to Classroom. Hidden graders never
    go into it: grade with `mlgrade batch` over the downloaded repositories.
    """
    from mlgrade.integrations.classroom import write_starter

    chosen = [find_exercise(key) for key in exercises]
    write_starter(chosen, directory, install)
    click.echo(f"Wrote a starter repository for {', '.join(e.slug for e in chosen)} in {directory}/")


@main.command()
@click.argument("exercise")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("autograder.zip"),
    show_default=True,
    help="Where to write the zip.",
)
@click.option(
    "--install",
    default="mlgrade",
    show_default=True,
    help="What setup.sh installs with pip: a package name, a git URL (git+https://...) or a wheel's URL.",
)
def gradescope(exercise, output, install):
    """Write a Gradescope autograder for EXERCISE: setup.sh, run_autograder and the hidden grader.

    Gradescope runs it without Docker: the student's code runs as an unprivileged user that
    cannot read the grader or the results (see the README's Gradescope section).
    """
    from mlgrade.integrations.gradescope import autograder_zip

    ex = find_exercise(exercise)
    if not ex.has_grader:
        raise UsageError(f"{ex.grader_dir}: the hidden grader of {ex.slug} is not on this machine")
    output.write_bytes(autograder_zip(ex, install))
    click.echo(f"Wrote the Gradescope autograder of {ex.slug} to {output}")


@main.group()
def sandbox():
    """Manage the Docker sandbox image and containers."""


@sandbox.command("build")
@click.option("--dockerfile", is_flag=True, help="Build sandbox/Dockerfile (needs a registry) instead.")
@click.option("--image", default=None, help="Image name (default mlgrade-sandbox:latest).")
def sandbox_build(dockerfile, image):
    """Make the sandbox image. By default no registry and no download is needed."""
    from mlgrade.sandbox import image as images
    from mlgrade.sandbox.engine import connect

    build = images.build_dockerfile_image if dockerfile else images.build_host_image
    image_id = build(connect(), image or images.DEFAULT_IMAGE)
    click.echo(f"{image or images.DEFAULT_IMAGE}: {image_id}")


@sandbox.command("cleanup")
def sandbox_cleanup():
    """Remove sandbox containers left behind by a grader that was killed."""
    from mlgrade.sandbox.docker_backend import remove_leftovers
    from mlgrade.sandbox.engine import connect

    click.echo(f"removed {remove_leftovers(connect())} sandbox container(s)")


main.add_command(batch)

if __name__ == "__main__":
    main()

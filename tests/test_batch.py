"""`mlgrade batch`: layouts and the results store in-process, whole batches against real Docker.

The Docker tests grade one class of six students and two exercises once (a module fixture),
then check reruns, a changed file, a batch killed with SIGKILL, the summary page, a Classroom
download with a roster, and a machine that cannot grade.
"""

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import psutil
import pytest

from mlgrade.batch.gradebook import Cell, Gradebook, collect, write_gradebook
from mlgrade.batch.jobs import Task, grade_task, grader_digest
from mlgrade.batch.layouts import find_submissions, match_roster, read_roster, safe_name
from mlgrade.batch.run import Plan
from mlgrade.batch.store import GRADED, NOT_GRADED, REJECTED, Result, Store
from mlgrade.core.catalogue import all_exercises, find_exercise
from mlgrade.core.errors import UsageError
from mlgrade.grading.report import Report
from mlgrade.grading.runner import MAX_SOURCE_BYTES

from helpers import ROOT, SUBMISSIONS

MLP, KMEANS = "01-mlp-classifier", "02-kmeans-segmentation"
REFERENCE = {slug: ROOT / "graders" / slug / "reference.py" for slug in (MLP, KMEANS)}
STUB = {slug: ROOT / "exercises" / slug / "solution.py" for slug in (MLP, KMEANS)}
SYNTAX_ERROR = SUBMISSIONS / MLP / "syntax_error.py"

# student -> exercise -> the file handed in (None: none); EXPECTED gives the scores.
CLASS = {
    "alice": {MLP: REFERENCE[MLP], KMEANS: REFERENCE[KMEANS]},
    "bob": {MLP: STUB[MLP], KMEANS: STUB[KMEANS]},
    "carol": {MLP: SUBMISSIONS / MLP / "wrong_gradient_sign.py", KMEANS: SUBMISSIONS / KMEANS / "grey_level_only.py"},
    # Hostile: the reference plus a hunt for the grader's files; imports scikit-learn, which is forbidden.
    "dave": {MLP: "reads_grader_files.py", KMEANS: SUBMISSIONS / KMEANS / "uses_sklearn.py"},
    "erin": {MLP: SYNTAX_ERROR, KMEANS: SYNTAX_ERROR},
    "frank": {MLP: None, KMEANS: SUBMISSIONS / KMEANS / "single_random_init.py"},
}
EXPECTED = [
    ["student", MLP, KMEANS, "total"],
    ["alice", "100", "100", "200"],
    ["bob", "0", "0", "0"],
    ["carol", "30", "65", "95"],
    ["dave", "100", "0", "100"],
    ["erin", "0", "0", "0"],
    ["frank", "missing", "58.62", "58.62"],
]


def make_class(folder):
    """The per-student-folder layout: SUBMISSIONS/<student>/<slug>/solution.py (frank has no 01)."""
    for student, row in CLASS.items():
        for slug, source in row.items():
            target = folder / student / slug
            target.mkdir(parents=True)
            if source is None:
                continue
            if isinstance(source, str):  # a hostile addition to the reference
                text = REFERENCE[slug].read_text() + (SUBMISSIONS / slug / "on_reference" / source).read_text()
                (target / "solution.py").write_text(text)
            else:
                shutil.copy(source, target / "solution.py")
    return folder


def run_batch(submissions, out, *args, root=ROOT, timeout=600):
    """``mlgrade batch`` in a child process (its output is not a terminal: one line per grading)."""
    command = [sys.executable, "-c", "from mlgrade.cli.main import main; main()", "batch", str(submissions)]
    command += ["--out", str(out), *args]
    env = dict(os.environ, MLGRADE_ROOT=str(root))
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def start_batch(submissions, out, *args):
    command = [sys.executable, "-c", "from mlgrade.cli.main import main; main()", "batch", str(submissions)]
    command += ["--out", str(out), *args]
    env = dict(os.environ, MLGRADE_ROOT=str(ROOT))
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def gradebook(out):
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def graded_lines(output):
    """The per-grading lines of a non-terminal run: "[3/11] alice 01-mlp-classifier: 100/100 (5.1 s)"."""
    return [line for line in output.splitlines() if line.startswith("[")]


def stored(out):
    with sqlite3.connect(out / "results.sqlite") as db:
        return db.execute("SELECT student, exercise, status FROM results ORDER BY student, exercise").fetchall()


def run_label(out):
    with sqlite3.connect(out / "results.sqlite") as db:
        return db.execute("SELECT value FROM meta WHERE key = 'label'").fetchone()[0]


def assert_nothing_left(out):
    """No container and no grading process of the batch's label remains."""
    from mlgrade.sandbox.docker_backend import remove_leftovers
    from mlgrade.sandbox.engine import connect

    label = f"mlgrade.batch={run_label(out)}"
    processes = [p for p in psutil.process_iter(["cmdline"]) if f"--mlgrade-label={label}" in (p.info["cmdline"] or [])]
    assert not processes, f"{len(processes)} grading process(es) left"
    left = remove_leftovers(connect(), label)
    assert not left, f"{left} sandbox container(s) left behind"


# --------------------------------------------------------------------------- layouts, in-process


@pytest.fixture(scope="module")
def catalogue():
    return all_exercises(ROOT)


def touch(path, text="x = 1\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_one_file_per_student_needs_the_exercise(tmp_path, catalogue):
    touch(tmp_path / "ann.py")
    touch(tmp_path / "ben.py")
    with pytest.raises(UsageError, match="--exercise"):
        find_submissions(tmp_path, [], catalogue)
    found = find_submissions(tmp_path, [find_exercise("01", ROOT)], catalogue)
    assert found.layout == "files"
    assert [(s.student, s.exercise, s.path.name) for s in found.submissions] == [
        ("ann", MLP, "ann.py"),
        ("ben", MLP, "ben.py"),
    ]


def test_one_folder_per_student_lists_a_missing_file(tmp_path, catalogue):
    touch(tmp_path / "ann" / "solution.py")
    (tmp_path / "ben").mkdir()
    touch(tmp_path / "grades" / "gradebook.csv")  # the output folder, among the submissions
    found = find_submissions(tmp_path, [find_exercise("1", ROOT)], catalogue, exclude=[tmp_path / "grades"])
    assert found.layout == "folders"
    assert [(s.student, s.path is not None) for s in found.submissions] == [("ann", True), ("ben", False)]


def test_exercise_folders_find_every_exercise_handed_in(tmp_path, catalogue):
    touch(tmp_path / "ann" / MLP / "solution.py")
    touch(tmp_path / "ben" / KMEANS / "solution.py")
    found = find_submissions(tmp_path, [], catalogue)
    assert found.layout == "exercise folders"
    assert [e.slug for e in found.exercises] == [MLP, KMEANS]
    assert {(s.student, s.exercise): s.path is not None for s in found.submissions} == {
        ("ann", MLP): True,
        ("ann", KMEANS): False,
        ("ben", MLP): False,
        ("ben", KMEANS): True,
    }


def test_classroom_download_names_students_by_login(tmp_path, catalogue):
    touch(tmp_path / "hw1-ann-lee" / "solution.py")
    touch(tmp_path / "hw1-ben" / "solution.py")
    found = find_submissions(tmp_path, [find_exercise("01", ROOT)], catalogue)
    assert found.layout == "classroom"
    assert found.students == ["ann-lee", "ben"]


def test_roster_maps_logins_to_identifiers(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        '\ufeff"identifier","github_username","github_id","name"\n'
        '"ann@uni.edu","Ann-Lee","1","Ann"\n"ben@uni.edu","","",""\n',
        encoding="utf-8",
    )
    entries = read_roster(roster)
    assert [(e.identifier, e.login) for e in entries] == [("ann@uni.edu", "Ann-Lee"), ("ben@uni.edu", "")]
    assert match_roster(entries, ["ann-lee", "zoe"]) == {"ann-lee": "ann@uni.edu", "zoe": "zoe"}
    (tmp_path / "bad.csv").write_text("name\nAnn\n")
    with pytest.raises(UsageError, match="identifier"):
        read_roster(tmp_path / "bad.csv")


def test_student_names_become_safe_path_components():
    assert safe_name("../../etc/passwd") == "_.._etc_passwd"
    assert safe_name("ann@uni.edu") == "ann@uni.edu"


# --------------------------------------------------------------------------- store, in-process


def result(sha="a", fingerprint="f", status=GRADED, score=10.0):
    return Result("ann", MLP, sha, fingerprint, status, score, 100.0, 1.0)


def test_store_keeps_one_current_result_per_student_and_exercise(tmp_path):
    store = Store(tmp_path)
    label = store.run_label
    assert not store.is_current("ann", MLP, "a", "f")
    store.put(result())
    assert store.is_current("ann", MLP, "a", "f")
    assert not store.is_current("ann", MLP, "b", "f"), "a changed file is graded again"
    assert not store.is_current("ann", MLP, "a", "g"), "a changed grader grades again"
    store.put(result(status=NOT_GRADED, score=None))
    assert not store.is_current("ann", MLP, "a", "f"), "not graded is retried"
    store.close()
    again = Store(tmp_path)
    assert again.run_label == label
    assert again.get("ann", MLP).status == NOT_GRADED


def test_gradebook_total_is_not_a_number_when_a_cell_is_not_graded(tmp_path):
    exercises = [find_exercise("01", ROOT), find_exercise("02", ROOT)]
    cells = {
        ("ann", MLP): Cell("ann", MLP, GRADED, 50.0, 100.0),
        ("ann", KMEANS): Cell("ann", KMEANS, "missing"),
        ("ben", MLP): Cell("ben", MLP, GRADED, 12.345, 100.0),
        ("ben", KMEANS): Cell("ben", KMEANS, NOT_GRADED),
    }
    write_gradebook(Gradebook(["ann", "ben"], exercises, cells), tmp_path / "g.csv")
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert rows == [
        ["student", MLP, KMEANS, "total"],
        ["ann", "50", "missing", "50"],
        ["ben", "12.35", "not graded", "not graded"],
    ]


def test_roster_students_without_submissions_are_missing(tmp_path, catalogue):
    touch(tmp_path / "subs" / "ann.py")
    found = find_submissions(tmp_path / "subs", [find_exercise("01", ROOT)], catalogue)
    store = Store(tmp_path / "out")
    plan = Plan({MLP: "f"}, {("ann", MLP): "a"})
    store.put(result())
    roster = [type("Entry", (), {"identifier": "ann"})(), type("Entry", (), {"identifier": "cid"})()]
    book = collect(found, store, plan, {}, roster)
    assert book.students == ["ann", "cid"]
    assert book.cells["cid", MLP].status == "missing"
    assert book.cells["ann", MLP].score == 10.0


# --------------------------------------------------------------------------- a worker's task, progress


def task(source=b"x = 1\n", digest=None):
    exercise = find_exercise("01", ROOT)
    return Task("ann", MLP, "ann.py", source, digest or grader_digest(exercise), "test-label")


def test_a_file_too_large_is_rejected_as_the_students_not_the_machines(monkeypatch):
    monkeypatch.setenv("MLGRADE_ROOT", str(ROOT))
    outcome = grade_task(task(source=b"#" * (MAX_SOURCE_BYTES + 1)))
    assert outcome.status == REJECTED
    assert outcome.reason.startswith("ann.py: "), outcome.reason


def test_a_worker_with_another_grader_does_not_grade(monkeypatch):
    monkeypatch.setenv("MLGRADE_ROOT", str(ROOT))
    outcome = grade_task(task(digest="0" * 64))
    assert outcome.status == NOT_GRADED
    assert "another grader" in outcome.reason


def test_progress_on_a_terminal_is_a_bar_and_in_a_log_a_line_per_grading():
    from rich.console import Console

    from mlgrade.batch.progress import BatchProgress

    done = Result("ann", MLP, "a", "f", GRADED, 58.625, 100.0, 4.2)
    failed = Result("ben", MLP, "b", "f", NOT_GRADED, None, None, 1.0, reason="grading stopped\nengine gone")
    log = io.StringIO()
    with BatchProgress(Console(file=log, width=120), 2) as progress:
        progress.advance(done)
        progress.advance(failed)
    assert log.getvalue().splitlines() == [
        f"[1/2] ann {MLP}: 58.62/100 (4.2 s)",
        f"[2/2] ben {MLP}: not graded: engine gone (1.0 s)",
    ]
    screen = io.StringIO()
    with BatchProgress(Console(file=screen, width=120, force_terminal=True), 2) as progress:
        progress.advance(done)
        progress.advance(failed)
    assert "2/2" in screen.getvalue() and "1 not graded" in screen.getvalue() and "/min" in screen.getvalue()


# --------------------------------------------------------------------------- whole batches, Docker


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, docker_client):
    """The class graded once, uninterrupted, two at a time: (submissions, out, process result)."""
    base = tmp_path_factory.mktemp("batch")
    submissions = make_class(base / "subs")
    out = base / "out"
    done = run_batch(submissions, out, "-j2", "--format", "json", "--format", "junit")
    assert done.returncode == 0, done.stdout + done.stderr
    return submissions, out, done


@pytest.mark.docker
@pytest.mark.slow
def test_batch_gives_the_expected_gradebook(graded_class):
    _, out, done = graded_class
    assert done.stdout.splitlines()[0].startswith(
        "layout: one folder per student and exercise (SUBMISSIONS/<student>/<slug>/solution.py); 6 students, 11 files"
    )
    assert gradebook(out) == EXPECTED
    assert len(graded_lines(done.stdout)) == 11
    assert {status for *_, status in stored(out)} == {GRADED}
    report = Report.from_json((out / "reports" / "alice" / f"{MLP}.json").read_text())
    assert report.score == 100
    assert (out / "reports" / "erin" / f"{KMEANS}.xml").read_text().startswith("<?xml")
    assert not (out / "reports" / "frank" / f"{MLP}.json").exists()
    assert_nothing_left(out)


@pytest.mark.docker
@pytest.mark.slow
def test_summary_is_well_formed_with_one_histogram_per_exercise(graded_class):
    _, out, _ = graded_class
    root = ET.parse(out / "summary.html").getroot()  # XML-parsable: well-formed
    svg = "{http://www.w3.org/2000/svg}"
    plots = root.findall(f".//{svg}svg")
    assert len(plots) == 2
    for plot in plots:
        assert plot.findall(f".//{svg}path"), "a histogram draws its bars as paths"
    text = "".join(root.itertext())
    assert "full marks" in text and "alice" in text
    assert "missing (nothing handed in): frank" in text.lower()
    assert "<script" not in (out / "summary.html").read_text()


@pytest.mark.docker
@pytest.mark.slow
def test_rerun_grades_nothing_and_a_changed_file_is_graded_alone(graded_class, tmp_path):
    submissions, out, _ = graded_class
    # A copy, so the other tests keep the class as it was.
    shutil.copytree(submissions, tmp_path / "subs")
    shutil.copytree(out, tmp_path / "out")
    again = run_batch(tmp_path / "subs", tmp_path / "out", "-j2")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 to grade" in again.stdout and "11 unchanged" in again.stdout
    assert graded_lines(again.stdout) == []
    assert gradebook(tmp_path / "out") == EXPECTED

    shutil.copy(REFERENCE[MLP], tmp_path / "subs" / "carol" / MLP / "solution.py")
    changed = run_batch(tmp_path / "subs", tmp_path / "out", "-j2")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert [line.split(":")[0] for line in graded_lines(changed.stdout)] == [f"[1/1] carol {MLP}"]
    expected = [row[:] for row in EXPECTED]
    expected[3] = ["carol", "100", "65", "165"]
    assert gradebook(tmp_path / "out") == expected


@pytest.mark.docker
@pytest.mark.slow
def test_kill_9_mid_batch_then_rerun_gives_the_uninterrupted_gradebook(graded_class, tmp_path):
    submissions, _, _ = graded_class
    out = tmp_path / "out"
    batch = start_batch(submissions, out, "-j2")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and batch.poll() is None:
        if (out / "results.sqlite").exists() and len(stored(out)) >= 2:
            break
        time.sleep(0.2)
    assert batch.poll() is None, "the batch finished before it could be killed"
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    batch.stdout.close()
    kept = len(stored(out))
    assert 2 <= kept < 11

    resumed = run_batch(submissions, out, "-j2")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"{11 - kept} to grade" in resumed.stdout
    assert gradebook(out) == EXPECTED
    assert_nothing_left(out)


@pytest.mark.docker
@pytest.mark.slow
def test_sigterm_stops_within_seconds_keeping_results_and_no_container(graded_class, tmp_path):
    submissions, out, _ = graded_class
    shutil.copytree(out, tmp_path / "out")
    batch = start_batch(submissions, tmp_path / "out", "-j2", "--regrade")
    time.sleep(8)  # gradings are running
    assert batch.poll() is None
    started = time.monotonic()
    batch.send_signal(signal.SIGTERM)
    output, _ = batch.communicate(timeout=60)
    assert time.monotonic() - started < 15
    assert batch.returncode == 130, output
    assert "run the same command again" in output
    assert len(stored(tmp_path / "out")) == 11, "every earlier result is kept"
    assert_nothing_left(tmp_path / "out")


@pytest.mark.docker
@pytest.mark.slow
def test_classroom_download_with_a_roster_gives_a_row_per_student(tmp_path, docker_client):
    subs = tmp_path / "hw1-submissions"
    for login, source in (("ann-lee", REFERENCE[MLP]), ("Ben", SYNTAX_ERROR), ("zoe", STUB[MLP])):
        (subs / f"hw1-{login}").mkdir(parents=True)
        shutil.copy(source, subs / f"hw1-{login}" / "solution.py")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        '"identifier","github_username","github_id","name"\n'
        '"ann@uni.edu","ann-lee","1","Ann"\n"ben@uni.edu","ben","2","Ben"\n"cid@uni.edu","","",""\n'
    )
    done = run_batch(subs, tmp_path / "out", "--exercise", "01", "--roster", str(roster), "-j2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("layout: GitHub Classroom download")
    assert "not on the roster (graded all the same): zoe" in done.stdout
    assert gradebook(tmp_path / "out") == [
        ["student", MLP, "total"],
        ["ann@uni.edu", "100", "100"],
        ["ben@uni.edu", "0", "0"],
        ["cid@uni.edu", "missing", "0"],
        ["zoe", "0", "0"],
    ]
    assert (tmp_path / "out" / "reports" / "ann@uni.edu" / f"{MLP}.json").is_file()


@pytest.mark.docker
@pytest.mark.slow
def test_a_machine_that_cannot_grade_is_not_a_zero(tmp_path, docker_client):
    # A content root whose grader of exercise 01 is broken: every grading fails on the machine's side.
    root = tmp_path / "root"
    for kind in ("exercises", "graders"):
        shutil.copytree(ROOT / kind / MLP, root / kind / MLP, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "graders" / MLP / "test_hidden.py").write_text("import this_module_does_not_exist\n")
    subs = tmp_path / "subs"
    for student in ("ann", "ben", "cid", "dan", "eve"):
        (subs / student).mkdir(parents=True)
        shutil.copy(STUB[MLP], subs / student / "solution.py")
    done = run_batch(subs, tmp_path / "out", "--exercise", "01", "-j1", root=root)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "3 gradings in a row could not run" in done.stderr
    rows = gradebook(tmp_path / "out")
    assert all(row[1:] == ["not graded", "not graded"] for row in rows[1:]), rows
    assert [status for *_, status in stored(tmp_path / "out")] == [NOT_GRADED] * 3
    assert "not graded" in (tmp_path / "out" / "summary.html").read_text()

    retried = run_batch(subs, tmp_path / "out", "--exercise", "01", "-j1", root=root)
    assert "5 to grade" in retried.stdout, "not graded is retried, never kept as a score"

    missing_image = run_batch(subs, tmp_path / "out2", "--exercise", "01", "--image", "mlgrade-no-such-image:1")
    assert missing_image.returncode == 3
    assert "mlgrade sandbox build" in missing_image.stderr
    assert json.dumps(stored(tmp_path / "out2")) == "[]"

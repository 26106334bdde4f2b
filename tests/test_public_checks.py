"""The public checks a student runs with `mlgrade check`, for every exercise: the reference
passes all of them and the untouched stub none, each failure naming what is missing. (The
hidden graders are tested in test_exercise_NN.py; these are the students' own first feedback.)"""

import pytest

from mlgrade.core.catalogue import all_exercises
from mlgrade.grading.runner import grade_submission

from helpers import ROOT

pytestmark = [pytest.mark.docker, pytest.mark.slow]

EXERCISES = [e for e in all_exercises(ROOT) if e.public_tests.is_dir() and (e.grader_dir / "reference.py").is_file()]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_the_stub_fails_every_public_check_saying_what_is_missing(exercise, docker_client):
    report = grade_submission(exercise, exercise.public_dir / "solution.py", public=True)
    assert report.tests and report.score == 0, report.to_json()
    for test in report.tests:
        assert test.status == "failed" and "is not implemented yet" in test.output, (test.name, test.output)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_the_reference_passes_every_public_check(exercise, docker_client):
    report = grade_submission(exercise, exercise.grader_dir / "reference.py", public=True)
    failed = [(t.name, t.output) for t in report.tests if t.status != "passed"]
    assert report.tests and not failed and report.score == report.max_score, failed or report.to_json()

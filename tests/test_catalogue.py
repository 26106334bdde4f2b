"""Every exercise in the catalogue is complete and consistent (the helpers' ones included)."""

import ast

import pytest

from mlgrade.core.catalogue import all_exercises, find_exercise

from helpers import ROOT

EXERCISES = all_exercises(ROOT)


def points_markers(path):
    """Sum of the literal ``@pytest.mark.points(n)`` decorators in a test file."""
    total = 0
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr == "points"
                ):
                    total += decorator.args[0].value
    return total


def test_catalogue_is_found_in_number_order():
    assert EXERCISES and [e.number for e in EXERCISES] == sorted(e.number for e in EXERCISES)
    assert find_exercise("1", ROOT).slug == "01-mlp-classifier"


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_exercise_has_every_part(exercise):
    for part in ("solution.py", "README.md", "tests/test_public.py"):
        assert (exercise.public_dir / part).is_file(), f"{exercise.slug}: no {part}"
    assert (exercise.grader_dir / "reference.py").is_file(), f"{exercise.slug}: no reference"
    assert (exercise.grader_dir / "plain_run.py").is_file(), f"{exercise.slug}: no plain_run.py for the benchmark"
    assert list(exercise.grader_dir.glob("test_*.py")), f"{exercise.slug}: no hidden grader"
    for name in exercise.support_files:
        assert (exercise.public_dir / name).is_file(), f"{exercise.slug}: support file {name} missing"


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_declared_points_match_the_grader(exercise):
    graded = sum(points_markers(p) for p in exercise.grader_dir.glob("test_*.py"))
    assert graded == exercise.points, (
        f"{exercise.slug}: exercise.toml says {exercise.points}, the grader gives {graded}"
    )


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_stub_only_raises_not_implemented(exercise):
    """Every function body of the stub is a docstring and `raise NotImplementedError`."""
    tree = ast.parse((exercise.public_dir / "solution.py").read_text())
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert functions, f"{exercise.slug}: the stub defines no function"
    for function in functions:
        body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        assert len(body) == 1 and isinstance(body[0], ast.Raise), (
            f"{exercise.slug}: {function.name} in the stub does more than raise NotImplementedError"
        )


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.slug for e in EXERCISES])
def test_budgets_and_limits_are_sane(exercise):
    assert 0 < exercise.limits.call_timeout <= exercise.limits.submission_timeout
    for name, budget in exercise.budgets.items():
        assert 0 < budget.full_at < budget.zero_at, f"{exercise.slug}: budget {name} is not full < zero"

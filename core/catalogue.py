"""The exercise catalogue: content folders found at run time, each described by ``exercise.toml``.

An exercise is two folders: ``exercises/<slug>/`` (public: stub, README, public tests,
``exercise.toml``) and ``graders/<slug>/`` (hidden tests, reference, data). Adding an
exercise is adding the folders; no code here changes.
"""

import os
import shutil
from pathlib import Path

from mlgrade.core.config import Exercise, load_exercise
from mlgrade.core.errors import UsageError

ROOT_ENV = "MLGRADE_ROOT"


def content_root(start=None) -> Path:
    """The folder holding ``exercises/`` and ``graders/``.

    ``$MLGRADE_ROOT`` wins; then the nearest folder above ``start`` (the working directory)
    that has both; then the checkout this package was installed from.
    """
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir() and (folder / "graders").is_dir():
            return folder
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "exercises").is_dir():
        return checkout
    raise UsageError(f"no exercises found above {here}; set {ROOT_ENV} to the folder that holds exercises/")


def all_exercises(root=None) -> list[Exercise]:
    """Every exercise under the content root, in number order."""
    root = Path(root) if root else content_root()
    if not (root / "exercises").is_dir():
        raise UsageError(f"{root} has no exercises/ folder; set {ROOT_ENV} to the folder that holds exercises/")
    folders = sorted(p for p in (root / "exercises").iterdir() if (p / "exercise.toml").is_file())
    return [load_exercise(p, root) for p in folders]


def find_exercise(key, root=None) -> Exercise:
    """An exercise by slug (``01-mlp-classifier``) or number (``01`` or ``1``)."""
    exercises = all_exercises(root)
    for exercise in exercises:
        if key == exercise.slug or (key.isdigit() and int(key) == exercise.number):
            return exercise
    known = ", ".join(e.slug for e in exercises) or "none"
    raise UsageError(f"no exercise {key!r}; the exercises are: {known}")


def exercise_for(key, file) -> Exercise:
    """The exercise a student's ``file`` belongs to.

    A folder made by ``mlgrade init`` or ``mlgrade classroom`` carries its exercise's public
    part (``exercise.toml``, public tests) beside the file, so that ``mlgrade check`` works
    with only mlgrade installed; otherwise the exercise comes from the catalogue.
    """
    folder = Path(file).resolve().parent
    number = folder.name.split("-", 1)[0]
    matches = key == folder.name or (key.isdigit() and number.isdigit() and int(key) == int(number))
    if matches and (folder / "exercise.toml").is_file():
        return load_exercise(folder, folder.parent)
    return find_exercise(key)


def copy_public_files(exercise: Exercise, target: Path) -> None:
    """Copy what a student gets (stub, README, public tests, settings) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in (f"{exercise.module}.py", "README.md", "exercise.toml", *exercise.support_files):
        shutil.copy(exercise.public_dir / name, target / name)
    if exercise.public_tests.is_dir():
        shutil.copytree(
            exercise.public_tests, target / "tests", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
        )

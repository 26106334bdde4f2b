"""The exercise catalogue: content folders found at run time, each described by ``exercise.toml``.

An exercise is two folders: ``exercises/<slug>/`` (public: stub, README, public tests,
``exercise.toml``) and ``graders/<slug>/`` (hidden tests, reference, data). Adding an
exercise is adding the folders; no code here changes.
"""

import os
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

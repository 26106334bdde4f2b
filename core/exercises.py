"""The exercise catalogue: content folders found at run time, described by ``exercise.toml``.

An exercise is two folders: ``exercises/<slug>/`` (public: stub, README, public tests,
``exercise.toml``) and ``graders/<slug>/`` (hidden tests, reference, data). Adding an
exercise is adding the folders; no code here changes.
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mlgrade.errors import UsageError
from mlgrade.sandbox.limits import Limits

ROOT_ENV = "MLGRADE_ROOT"


@dataclass(frozen=True)
class Budget:
    """A scored runtime: full credit within ``full_at`` seconds, none beyond ``zero_at``.

    Both are seconds on the reference machine; graders scale them to the grading machine.
    """

    full_at: float
    zero_at: float


@dataclass(frozen=True)
class Exercise:
    slug: str
    number: int
    title: str
    points: float
    public_dir: Path
    grader_dir: Path
    allowed: tuple = ()
    forbidden_imports: tuple = ()
    support_files: tuple = ()
    limits: Limits = field(default_factory=Limits)
    budgets: dict = field(default_factory=dict)
    module: str = "solution"

    @property
    def public_tests(self):
        return self.public_dir / "tests"

    @property
    def has_grader(self):
        return self.grader_dir.is_dir()


def content_root(start=None):
    """The folder holding ``exercises/`` and ``graders/``.

    ``$MLGRADE_ROOT`` wins; then the nearest folder above ``start`` (the working directory)
    that has ``exercises/``; then the checkout this package was installed from.
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


def load_exercise(public_dir, root):
    """Read one exercise's ``exercise.toml``; raise ValueError naming the file on bad content."""
    public_dir = Path(public_dir)
    config_path = public_dir / "exercise.toml"
    try:
        config = tomllib.loads(config_path.read_text())
        slug = public_dir.name
        budgets = {name: Budget(**spec) for name, spec in config.get("budgets", {}).items()}
        return Exercise(
            slug=slug,
            number=int(slug.split("-", 1)[0]),
            title=config["title"],
            points=float(config["points"]),
            public_dir=public_dir,
            grader_dir=Path(root) / "graders" / slug,
            allowed=tuple(config.get("allowed", ())),
            forbidden_imports=tuple(config.get("forbidden_imports", ())),
            support_files=tuple(config.get("support_files", ())),
            limits=Limits.from_config(config.get("limits", {})),
            budgets=budgets,
        )
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{config_path}: {exc}") from None


def all_exercises(root=None):
    """Every exercise under the content root, in number order."""
    root = Path(root) if root else content_root()
    folders = sorted(p for p in (root / "exercises").iterdir() if (p / "exercise.toml").is_file())
    return [load_exercise(p, root) for p in folders]


def find_exercise(key, root=None):
    """An exercise by slug (``01-mlp-classifier``) or number (``01`` or ``1``)."""
    exercises = all_exercises(root)
    for exercise in exercises:
        if key == exercise.slug or (key.isdigit() and int(key) == exercise.number):
            return exercise
    known = ", ".join(e.slug for e in exercises) or "none"
    raise UsageError(f"no exercise {key!r}; the exercises are: {known}")

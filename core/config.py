"""``exercise.toml``: one typed dataclass per table, and one loader that refuses what it does not know.

A typo in a security rule must not switch it off quietly (``forbiden_imports = [...]`` would
forbid nothing), so unknown keys are errors with a close-match hint, every value is checked
against its field's type, and the invariants between values are checked once, here. Every
error names the file and the key. ``graders/README.md`` documents each key (a test keeps the
two in step).
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path

from mlgrade.core.errors import ConfigError
from mlgrade.sandbox.limits import SIZE_FIELDS, Limits, parse_size


@dataclass(frozen=True)
class Budget:
    """A scored runtime (a ``[budgets]`` entry): full credit within ``full_at``, none beyond ``zero_at``.

    Both are seconds on the reference machine; graders scale them to the grading machine.
    """

    full_at: float
    zero_at: float


@dataclass(frozen=True)
class Exercise:
    """One exercise: its ``exercise.toml`` and where its two folders are."""

    slug: str
    number: int
    title: str
    points: float
    public_dir: Path
    grader_dir: Path
    allowed: tuple[str, ...] = ()
    forbidden_imports: tuple[str, ...] = ()
    support_files: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    budgets: dict[str, Budget] = field(default_factory=dict)
    module: str = "solution"

    @property
    def public_tests(self) -> Path:
        return self.public_dir / "tests"

    @property
    def has_grader(self) -> bool:
        return self.grader_dir.is_dir()


# The keys of the top-level table and their types; `limits` and `budgets` are tables.
TOP_LEVEL = {
    "title": str,
    "points": float,
    "allowed": tuple,
    "forbidden_imports": tuple,
    "support_files": tuple,
    "limits": dict,
    "budgets": dict,
}
REQUIRED = ("title", "points")
MAX_OUTPUT_KEEP = 128 * 1024


def load_exercise(public_dir, root) -> Exercise:
    """Read ``public_dir/exercise.toml``; raise ConfigError naming the file and the key."""
    public_dir = Path(public_dir)
    path = public_dir / "exercise.toml"
    try:
        table = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    where = _Where(path)
    _refuse_unknown(table, TOP_LEVEL, where)
    for key in REQUIRED:
        if key not in table:
            raise where.error(key, "is missing; every exercise needs it")
    values = {key: _typed(table[key], kind, where, key) for key, kind in TOP_LEVEL.items() if key in table}
    slug = public_dir.name
    number, _, _ = slug.partition("-")
    if not number.isdigit():
        raise ConfigError(f"{public_dir}: an exercise folder is named NN-slug (01-mlp-classifier)")
    if values["points"] <= 0:
        raise where.error("points", f"is {values['points']:g}; it must be more than 0")
    return Exercise(
        slug=slug,
        number=int(number),
        title=values["title"],
        points=values["points"],
        public_dir=public_dir,
        grader_dir=Path(root) / "graders" / slug,
        allowed=values.get("allowed", ()),
        forbidden_imports=values.get("forbidden_imports", ()),
        support_files=values.get("support_files", ()),
        limits=_limits(values.get("limits", {}), where),
        budgets={name: _budget(spec, where, name) for name, spec in values.get("budgets", {}).items()},
    )


def _limits(table, where) -> Limits:
    known = {f.name: f for f in fields(Limits)}
    _refuse_unknown(table, known, where, "limits")
    values = {}
    for key, value in table.items():
        name = f"limits.{key}"
        if key in SIZE_FIELDS:
            try:
                values[key] = parse_size(value)
            except ValueError:
                raise where.error(name, f'is {value!r}; expected a size in bytes or like "2g", "256m"') from None
        else:
            values[key] = _typed(value, type(getattr(Limits(), key)), where, name)
        if values[key] <= 0:
            raise where.error(name, f"is {value!r}; it must be more than 0")
    limits = replace(Limits(), **values)
    if limits.output_keep > MAX_OUTPUT_KEEP:
        # Kept output travels in the reply's JSON header (capped at 1 MiB), escaped.
        raise where.error("limits.output_keep", f"is {limits.output_keep}; at most {MAX_OUTPUT_KEEP} bytes")
    if limits.call_timeout > limits.submission_timeout:
        raise where.error(
            "limits.call_timeout",
            f"is {limits.call_timeout:g} s, more than limits.submission_timeout ({limits.submission_timeout:g} s): "
            "one call cannot take longer than all of them",
        )
    return limits


def _budget(spec, where, name) -> Budget:
    key = f"budgets.{name}"
    if not isinstance(spec, dict):
        raise where.error(key, f"is {spec!r}; expected a table like {{ full_at = 5.0, zero_at = 15.0 }}")
    known = {f.name: f for f in fields(Budget)}
    _refuse_unknown(spec, known, where, key)
    for required in known:
        if required not in spec:
            raise where.error(f"{key}.{required}", "is missing")
    budget = Budget(**{k: _typed(v, float, where, f"{key}.{k}") for k, v in spec.items()})
    if not 0 < budget.full_at < budget.zero_at:
        raise where.error(
            key,
            f"has full_at = {budget.full_at:g} and zero_at = {budget.zero_at:g}; a runtime budget needs "
            "0 < full_at < zero_at (full credit for the faster runs)",
        )
    return budget


def _typed(value, kind, where, key):
    """``value`` as ``kind`` (str, float, int, tuple of strings or a table), or a ConfigError."""
    if kind is float or kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise where.error(key, f"is {value!r}; expected a number")
        if kind is int and value != int(value):
            raise where.error(key, f"is {value!r}; expected a whole number")
        return kind(value)
    if kind is str:
        if not isinstance(value, str) or not value.strip():
            raise where.error(key, f"is {value!r}; expected a text")
        return value
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise where.error(key, f'is {value!r}; expected a list of names like ["torch", "sklearn"]')
        return tuple(value)
    if kind is dict:
        if not isinstance(value, dict):
            raise where.error(key, f"is {value!r}; expected a table ([{key}])")
        return value
    raise TypeError(f"no rule for {kind}")


def _refuse_unknown(table, known, where, prefix=""):
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            name = f"{prefix}.{key}" if prefix else key
            full = (lambda k: f"{prefix}.{k}") if prefix else (lambda k: k)
            hint = (
                f": did you mean `{full(close[0])}`?"
                if close
                else f"; the known keys are {', '.join(full(k) for k in sorted(known))}"
            )
            raise ConfigError(f"{where.path}: unknown key `{name}`{hint}")


class _Where:
    def __init__(self, path):
        self.path = path

    def error(self, key, message):
        return ConfigError(f"{self.path}: `{key}` {message}")


def documented_keys() -> list[str]:
    """Every key ``exercise.toml`` accepts, as ``graders/README.md`` must list them."""
    keys = [k for k in TOP_LEVEL if k not in ("limits", "budgets")]
    keys += [f"limits.{f.name}" for f in fields(Limits)]
    keys += [f"budgets.<name>.{f.name}" for f in fields(Budget) if f.default is MISSING]
    return keys

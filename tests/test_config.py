"""exercise.toml is checked when it is read: a typo or a wrong type is an error naming the file
and the key, shown by the CLI as one line with exit code 3 (the course content cannot be graded)."""

import re

import pytest
from click.testing import CliRunner

from mlgrade.cli.main import main
from mlgrade.core.config import documented_keys, load_exercise
from mlgrade.core.errors import ConfigError

from helpers import ROOT

GOOD = """\
title = "Demo"
points = 10
allowed = ["numpy"]
forbidden_imports = ["sklearn"]

[limits]
call_timeout = 30
submission_timeout = 120
memory = "1g"

[budgets]
fit = { full_at = 1.0, zero_at = 3.0 }
"""

BROKEN = [
    # (what is changed, the file, words the message must contain)
    (
        "misspelled key",
        GOOD.replace("forbidden_imports", "forbiden_imports"),
        "unknown key `forbiden_imports`: did you mean `forbidden_imports`?",
    ),
    (
        "misspelled limit",
        GOOD.replace("memory =", "memroy ="),
        "unknown key `limits.memroy`: did you mean `limits.memory`?",
    ),
    (
        "unknown key, nothing close",
        GOOD.replace('title = "Demo"', 'title = "Demo"\ncolour = "red"'),
        "unknown key `colour`; the known keys are",
    ),
    ("missing points", GOOD.replace("points = 10\n", ""), "`points` is missing"),
    (
        "timeout as text",
        GOOD.replace("call_timeout = 30", 'call_timeout = "fast"'),
        "`limits.call_timeout` is 'fast'; expected a number",
    ),
    ("points as text", GOOD.replace("points = 10", 'points = "ten"'), "`points` is 'ten'; expected a number"),
    (
        "forbidden imports not a list",
        GOOD.replace('forbidden_imports = ["sklearn"]', 'forbidden_imports = "sklearn"'),
        "`forbidden_imports` is 'sklearn'; expected a list",
    ),
    ("bad size", GOOD.replace('memory = "1g"', 'memory = "lots"'), "`limits.memory` is 'lots'; expected a size"),
    (
        "negative limit",
        GOOD.replace("call_timeout = 30", "call_timeout = -1"),
        "`limits.call_timeout` is -1; it must be more than 0",
    ),
    (
        "call longer than all calls",
        GOOD.replace("call_timeout = 30", "call_timeout = 300"),
        "`limits.call_timeout` is 300 s, more than limits.submission_timeout (120 s)",
    ),
    (
        "budget upside down",
        GOOD.replace("full_at = 1.0, zero_at = 3.0", "full_at = 3.0, zero_at = 1.0"),
        "`budgets.fit` has full_at = 3 and zero_at = 1; a runtime budget needs 0 < full_at < zero_at",
    ),
    (
        "budget key misspelled",
        GOOD.replace("zero_at = 3.0", "zero_a = 3.0"),
        "unknown key `budgets.fit.zero_a`: did you mean `budgets.fit.zero_at`?",
    ),
    (
        "budget not a table",
        GOOD.replace("fit = { full_at = 1.0, zero_at = 3.0 }", "fit = 3.0"),
        "`budgets.fit` is 3.0; expected a table",
    ),
    ("not TOML", GOOD + "this is not toml\n", "cannot be read"),
]


def write_exercise(root, text):
    public = root / "exercises" / "99-demo"
    public.mkdir(parents=True)
    (root / "graders" / "99-demo").mkdir(parents=True)
    (public / "exercise.toml").write_text(text)
    return public


def test_a_good_file_loads_with_its_types(tmp_path):
    exercise = load_exercise(write_exercise(tmp_path, GOOD), tmp_path)
    assert exercise.points == 10.0 and exercise.forbidden_imports == ("sklearn",)
    assert exercise.limits.memory == 2**30 and exercise.limits.call_timeout == 30.0
    assert exercise.budgets["fit"].zero_at == 3.0


@pytest.mark.parametrize(("case", "text", "words"), BROKEN, ids=[case for case, _, _ in BROKEN])
def test_a_broken_file_is_refused_by_the_cli_naming_file_and_key(tmp_path, case, text, words):
    public = write_exercise(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_exercise(public, tmp_path)
    assert words in str(raised.value)
    for command in (["list"], ["init", "99", str(tmp_path / "work")]):
        result = CliRunner().invoke(main, command, env={"MLGRADE_ROOT": str(tmp_path)})
        assert result.exit_code == 3, result.output
        assert "Traceback" not in result.output
        assert str(public / "exercise.toml") in result.output and words in result.output


def test_the_guide_documents_every_key_and_no_other():
    guide = (ROOT / "graders" / "README.md").read_text()
    rows = re.findall(r"^\| `([^`]+)` \|", guide, flags=re.MULTILINE)
    assert sorted(rows) == sorted(documented_keys()), "graders/README.md's key table and exercise.toml's keys differ"

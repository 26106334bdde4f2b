"""Gradescope: the autograder zip.

``results.json`` is the report's own JSON (``Report.to_json``), which is exactly Gradescope's
format, mlgrade's fields under ``extra_data``; ``run_autograder`` has ``mlgrade grade --format
json`` write it.

The zip's ``setup.sh`` runs once, as root, when Gradescope builds its image: it installs
mlgrade and makes an unprivileged user. ``run_autograder`` runs as root for each submission:
Gradescope's container has no Docker, so it grades with the process backend, which runs the
student's code as that unprivileged user; it cannot read ``/autograder/source`` (the hidden
grader travels there) nor write ``/autograder/results``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from mlgrade.core.config import Exercise

STUDENT_USER = "mlgrade-student"
SETUP_SH = """\
#!/usr/bin/env bash
# Made by `mlgrade gradescope`: runs once, as root, when Gradescope builds the autograder image.
set -euo pipefail
apt-get update -q >/dev/null
apt-get install -y -q python3 python3-pip python3-venv >/dev/null
python3 -m venv /opt/mlgrade
/opt/mlgrade/bin/pip install --quiet {install}
# The student's code runs as this user: no access to /autograder/source or the results.
id -u {user} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin {user}
"""
RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Made by `mlgrade gradescope`: grades /autograder/submission/{module}.py with the hidden grader.
# Runs as root; mlgrade runs the student's code as the unprivileged user {user}.
set -uo pipefail
AUTOGRADER="${{AUTOGRADER:-/autograder}}"
MLGRADE="${{MLGRADE:-/opt/mlgrade/bin/mlgrade}}"
# Only root may read the hidden grader and write the results.
chmod -R go-rwx "$AUTOGRADER/source" "$AUTOGRADER/results"
export MLGRADE_ROOT="$AUTOGRADER/source/content"
export MLGRADE_SANDBOX_USER={user}
"$MLGRADE" grade {slug} "$AUTOGRADER/submission/{module}.py" --sandbox process --format json \\
    --output "$AUTOGRADER/results/results.json"
code=$?
if [ ! -s "$AUTOGRADER/results/results.json" ]; then
    # Gradescope shows "The autograder failed to execute correctly" for a missing file; say why.
    printf '{{"score": 0, "output": "The autograder could not grade this submission (mlgrade exit code %s). Tell your instructor.", "tests": []}}\\n' "$code" \\
        > "$AUTOGRADER/results/results.json"
fi
"""


def autograder_zip(exercise: Exercise, install: str) -> bytes:
    """The zip an instructor uploads: the two scripts, and the exercise with its hidden grader."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "setup.sh", SETUP_SH.format(install=install, user=STUDENT_USER), executable=True)
        _add(
            archive,
            "run_autograder",
            RUN_AUTOGRADER.format(slug=exercise.slug, module=exercise.module, user=STUDENT_USER),
            executable=True,
        )
        for kind, folder in (("exercises", exercise.public_dir), ("graders", exercise.grader_dir)):
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    name = f"content/{kind}/{exercise.slug}/{path.relative_to(folder).as_posix()}"
                    _add(archive, name, path.read_bytes())
    return buffer.getvalue()


def _add(archive, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)

"""Files a grader makes for a reader (07's picture of generated digits), saved beside the report.

The runner says where through an environment variable of the grading process, on the host (the
sandbox never sees it); a grader asks ``artifacts_folder()`` and makes nothing when it is None,
so that a grading nobody will look at pays nothing for pictures.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "MLGRADE_ARTIFACTS"


def artifacts_folder() -> Path | None:
    """The folder to save files for a reader in, or None when the caller did not ask for them."""
    folder = os.environ.get(ENV)
    return Path(folder) if folder else None

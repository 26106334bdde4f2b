"""Texts and numbers that the harness (inside the sandbox) and the host must agree on.

Imported by the harness by its bare name (the harness folder is not a package inside the
sandbox), and by the host as ``mlgrade.sandbox.harness.contract``. Standard library only.
"""

# The ImportError message the harness gives for a forbidden module contains this text; the
# host recognises a forbidden import by it (for feedback only: the static scan and the
# container's filesystem decide).
FORBIDDEN_IMPORT = "is not allowed in this exercise"


def forbidden_import_message(module):
    return f"importing {module} {FORBIDDEN_IMPORT}"

"""Domain errors that the CLI turns into one-line messages and exit codes."""


class MlgradeError(Exception):
    """Base of the errors mlgrade reports to its user (never a traceback)."""

    exit_code = 1


class UsageError(MlgradeError):
    """The user asked for something that does not exist or cannot be done as asked."""

    exit_code = 2


class InfrastructureError(MlgradeError):
    """The grading machine cannot grade (no container engine, no image, a broken grader)."""

    exit_code = 3


class ConfigError(InfrastructureError):
    """Course content is broken (a malformed ``exercise.toml``): nothing of it can be graded."""

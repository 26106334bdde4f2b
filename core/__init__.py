"""mlgrade: grade machine-learning exercises with the student's code in a sandbox."""

__version__ = "0.1.0"

"""Batch grading of a class: ``mlgrade batch``.

Uses only the grading API (``grade_submission`` and the ``Report``). The parts, each in a
module named for what it holds:

- ``layouts``: finding the submissions in a folder (and reading a roster);
- ``store``: the SQLite results store, one committed row per graded (student, exercise);
- ``jobs``: what a worker runs (one grading; stopping a run's gradings), and fingerprints;
- ``cluster``: the Dask cluster the gradings run on (one made here, or an existing one);
- ``run``: deciding what to grade, sending it, storing what comes back;
- ``gradebook``, ``summary``: the outputs (gradebook.csv, reports/, summary.html);
- ``progress``: the terminal's progress bar or log lines, and the closing table;
- ``cli``: the ``batch`` command.
"""

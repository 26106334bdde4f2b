"""What a sandbox backend provides to a Session."""

import os
from dataclasses import dataclass

HARNESS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness")


@dataclass(frozen=True)
class ExitStatus:
    """How a sandbox process ended."""

    code: int | None
    oom_killed: bool = False


def harness_environment(limits):
    """Environment of the harness process: determinism and thread counts matching the CPUs."""
    threads = str(limits.threads)
    env = {
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "HOME": "/tmp",
        "MPLCONFIGDIR": "/tmp",
        "MLGRADE_MAX_MESSAGE": str(limits.max_message),
        "MLGRADE_OUTPUT_KEEP": str(limits.output_keep),
    }
    # Some machines pin OpenBLAS's kernel because older builds compute wrong results there.
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env

"""Where gradings run: a Dask distributed cluster, either an existing one or one made here.

One code path for both: on one machine the batch starts a ``distributed.LocalCluster`` in this
process (one worker with N threads, no worker processes, no dashboard, nothing open beyond loopback), which
costs well under a second; every grading is a pytest process of its own anyway, so threads
are all a worker needs. With ``--scheduler`` the same tasks go to the workers of an existing
cluster.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager

from mlgrade.core.errors import InfrastructureError


def default_parallelism(exercises) -> int:
    """How many gradings fit at once on this machine: its CPUs over the sandbox's CPU limit."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    per_grading = max((exercise.limits.cpus for exercise in exercises), default=1.0)
    return max(1, int(cpus // max(per_grading, 1e-9)))


@contextmanager
def dask_client(scheduler=None, parallelism=1):
    """A ``distributed.Client`` of the scheduler at ``scheduler``, or of a cluster in this process."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InfrastructureError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with `dask scheduler` "
                f"and workers with `dask worker {scheduler}`"
            ) from None
        try:
            if not client.scheduler_info()["workers"]:
                client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            client.close()
            raise InfrastructureError(f"the Dask scheduler at {scheduler} has no workers (waited 60 s)") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=1,
        threads_per_worker=parallelism,
        processes=False,
        # The scheduler always serves HTTP (health, metrics); keep it to a loopback port of
        # its own, so that a batch neither takes :8787 nor opens anything to the network.
        dashboard_address="127.0.0.1:0",
        scheduler_kwargs={"dashboard": False},
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()

"""Where packet jobs run: worker threads sharing one warm kernel pool here, or a Dask cluster.

Local: ``workers`` threads share one :class:`~cohort_tools.notebooks.kernels.KernelPool` of the same
size; on Ctrl-C the pool is closed first, which kills the running kernels, so running jobs end at
once.

Scale-out: with a Dask scheduler address the same jobs run on a Dask distributed cluster; each
worker keeps its own warm kernel pool (a worker plugin), and pages come back to this process to be
written. Workers must see the cities' data folders at the same paths (a shared file system).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from cohort_tools.coaching_packets.jobs import Job, JobResult, execute_job, failed_result
from cohort_tools.notebooks.kernels import WARM_PROVIDERS, KernelPool

PLUGIN_NAME = "cda-kernel-pool"

OnResult = Callable[[JobResult], None]


def _outcome(fut: Any, job: Job) -> JobResult:
    try:
        result: JobResult = fut.result()
    except Exception as exc:
        return failed_result(job, exc)
    return result


def run_local(jobs: list[Job], workers: int, on_result: OnResult) -> None:
    """Run jobs on ``workers`` threads sharing one kernel pool; kill everything on interrupt."""
    with (
        KernelPool(
            workers,
            warm=WARM_PROVIDERS,
            preload=sorted({Path(j.city.data_dir).resolve() for j in jobs}),
        ) as pool,
        ThreadPoolExecutor(workers, "cda-packet") as ex,
    ):
        submitted = {ex.submit(execute_job, j, pool): j for j in jobs}
        futures: set[Future[JobResult]] = set(submitted)
        try:
            while futures:
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    on_result(_outcome(fut, submitted[fut]))
        except BaseException:
            for fut in futures:
                fut.cancel()
            pool.close()  # kills running kernels, so running jobs end at once
            raise


class KernelPoolPlugin:
    """Dask worker plugin: one warm kernel pool per worker, sized to the worker's threads."""

    name = PLUGIN_NAME

    def __init__(self) -> None:
        self.pool: KernelPool | None = None

    def setup(self, worker: Any) -> None:
        self.pool = KernelPool(max(1, int(worker.state.nthreads)), warm=WARM_PROVIDERS).start()

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def __getstate__(self) -> dict[str, Any]:
        return {"pool": None}


def _dask_execute(job: Job) -> JobResult:
    from distributed import get_worker

    worker = get_worker()
    plugin: Any = worker.plugins.get(PLUGIN_NAME)
    if plugin is None or plugin.pool is None:
        raise RuntimeError("the cda kernel-pool plugin is not set up on this Dask worker")
    return execute_job(job, plugin.pool)


def run_dask(jobs: list[Job], scheduler: str, on_result: OnResult) -> None:
    """Run jobs on the Dask cluster at ``scheduler`` (``tcp://host:8786``)."""
    from distributed import Client, WorkerPlugin, as_completed

    plugin_cls = type("CdaKernelPoolPlugin", (KernelPoolPlugin, WorkerPlugin), {})
    with Client(scheduler, set_as_default=False) as client:
        client.register_plugin(plugin_cls(), name=PLUGIN_NAME)
        submitted = {client.submit(_dask_execute, j, pure=False): j for j in jobs}
        futures = list(submitted)
        try:
            for fut in as_completed(futures, loop=client.loop):
                on_result(_outcome(fut, submitted[fut]))
        except BaseException:
            client.cancel(futures)
            raise


__all__ = ["PLUGIN_NAME", "KernelPoolPlugin", "OnResult", "run_dask", "run_local"]

"""Benchmark: a learner's notebook through the warm sandbox pool, a cold sandbox per job, and the
unsandboxed forked kernels the grader uses today.

    .venv/bin/python bench/sandbox.py [--n 20] [--cold-n 5] [--jobs 1]

The notebook is the real Module 1 workshop A (workshops/m1_workshop_a_data_routines.md, read with
jupytext) with its solutions in place and its checkpoint cells removed, as the grader will send it,
for the demo city riverton. Timed per method, in this one process:

1. warm: one :class:`SandboxPool` (one bubblewrap with a warm zygote; each job a fork that drops to its
   slot's uid), ``--n`` jobs, ``--jobs`` at a time;
2. cold: the same pool API with ``isolation="cold"`` (one bubblewrap and one Python per job);
3. unsandboxed: :class:`cohort_tools.notebooks.kernels.KernelPool` (a warm ipykernel zygote) and
   nbclient, the same cells with the city injected by papermill.

It prints the start-up time of each pool, the time per job and the ratio to the unsandboxed kernels,
and checks that the three give the same answers. A benchmark, not a test: machines are noisy.

``--stall-runs 200`` instead runs that many consecutive jobs through one warm pool and counts the
stalls (a job slower than ten times the median, or not completed): the grader's intermittent
60-180 s widget-cell stall must not happen in the sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from papermill.parameterize import parameterize_notebook

from cohort_tools.core import paths
from cohort_tools.course.answers import answer_names, dump_code
from cohort_tools.model.cohort import city_only_cohort, load_cohort
from cohort_tools.notebooks.kernels import KernelPool
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.notebooks.sandbox import SandboxPool

REPO = Path(__file__).resolve().parents[1]
WORKSHOP = REPO / "workshops" / "m1_workshop_a_data_routines.md"
CITY = paths.DEMO_DIR / "cities" / "riverton"


def learner_copy() -> nbformat.NotebookNode:
    nb = read_myst(WORKSHOP.read_text(encoding="utf-8"))
    nb.cells = [
        c
        for c in nb.cells
        if not (
            c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")
        )
    ]
    return nb


def timed(
    n: int, jobs: int, run: Callable[[int], dict[str, Any]]
) -> tuple[float, list[float], dict[str, Any]]:
    """Seconds for ``n`` runs, ``jobs`` at a time; each run's own seconds; the last answers."""
    durations: list[float] = []

    def one(i: int) -> dict[str, Any]:
        start = time.perf_counter()
        answers = run(i)
        durations.append(time.perf_counter() - start)
        return answers

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(jobs) as workers:
        results = list(workers.map(one, range(n)))
    return time.perf_counter() - start, durations, results[-1]


def sandboxed(
    isolation: str, nb: nbformat.NotebookNode, n: int, jobs: int
) -> tuple[float, float, list[float], dict[str, Any]]:
    names = answer_names(nb)
    start = time.perf_counter()
    # the city's team, as the grader gives it (the stat meeting's chair is a role on the team)
    team = city_only_cohort(load_cohort(None), "riverton", data_folder="city")
    with SandboxPool(
        CITY,
        jobs=jobs,
        isolation=isolation,  # type: ignore[arg-type]
        cohort=team,
    ) as pool:
        started = time.perf_counter() - start

        def run(_: int) -> dict[str, Any]:
            outcome = pool.run(nb, answers=names)
            if outcome.status != "completed":
                raise RuntimeError(f"{isolation}: {outcome.message} {outcome.notes()}")
            return outcome.answers

        seconds, durations, answers = timed(n, jobs, run)
    return started, seconds, durations, answers


def unsandboxed(
    nb: nbformat.NotebookNode, n: int, jobs: int
) -> tuple[float, float, list[float], dict[str, Any]]:
    names = answer_names(nb)
    start = time.perf_counter()
    with KernelPool(jobs) as pool:
        started = time.perf_counter() - start

        def run(i: int) -> dict[str, Any]:
            with tempfile.TemporaryDirectory() as tmp:
                saved = Path(tmp) / "answers.json"
                job = parameterize_notebook(
                    nbformat.from_dict(nb),
                    {"city": "riverton"},
                    kernel_name="python3",
                    language="python",
                )
                job.cells.append(nbformat.v4.new_code_cell(dump_code(names, str(saved))))
                kernel = pool.fork_kernel(cwd=Path(tmp))
                try:
                    client = NotebookClient(
                        job, km=kernel.km, allow_errors=True, timeout=180, kernel_name="python3"
                    )
                    asyncio.run(client.async_execute())
                finally:
                    if client.kc is not None:
                        client.kc.stop_channels()
                    pool.discard(kernel)
                data: dict[str, Any] = json.loads(saved.read_text())
                return data

        seconds, durations, answers = timed(n, jobs, run)
    return started, seconds, durations, answers


def stall_check(nb: nbformat.NotebookNode, runs: int) -> None:
    names = answer_names(nb)
    times = []
    failed = 0
    with SandboxPool(CITY, jobs=1, isolation="warm") as pool:
        for _ in range(runs):
            start = time.perf_counter()
            outcome = pool.run(nb, answers=names)
            times.append(time.perf_counter() - start)
            failed += outcome.status != "completed" or bool(outcome.missing)
    median = statistics.median(times)
    stalls = sum(t > 10 * median for t in times)
    print(
        f"{runs} consecutive warm-sandbox runs of {WORKSHOP.name}: median {median:.3f} s, "
        f"slowest {max(times):.3f} s, not completed {failed}"
    )
    print(f"stalls (slower than 10x the median): {stalls}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20, help="jobs for the warm pool and the kernels")
    parser.add_argument("--cold-n", type=int, default=5, help="jobs for the cold sandbox (slow)")
    parser.add_argument("--jobs", type=int, default=1, help="jobs run at the same time")
    parser.add_argument("--stall-runs", type=int, default=0, help="only count stalls in N runs")
    args = parser.parse_args()
    nb = learner_copy()
    if args.stall_runs:
        stall_check(nb, args.stall_runs)
        return
    results = {
        "unsandboxed forked kernels (KernelPool + nbclient)": (
            args.n,
            unsandboxed(nb, args.n, args.jobs),
        ),
        "warm sandbox pool (zygote in bubblewrap)": (
            args.n,
            sandboxed("warm", nb, args.n, args.jobs),
        ),
        "cold sandbox (one bubblewrap per job)": (
            args.cold_n,
            sandboxed("cold", nb, args.cold_n, args.jobs),
        ),
    }
    print(f"{WORKSHOP.name}, city riverton, {args.jobs} job(s) at a time")
    print(
        f"{'method':<52} {'start s':>8} {'jobs':>5} {'s/job':>7} {'median':>7} {'stalls':>6} "
        f"{'vs kernels (s/job, median)':>27}"
    )
    base_mean = base_median = 0.0
    for name, (n, (start, seconds, durations, _answers)) in results.items():
        mean = seconds / n
        median = statistics.median(durations)
        stalls = sum(d > 10 * median for d in durations)
        if not base_mean:
            base_mean, base_median = mean, median
        print(
            f"{name:<52} {start:8.2f} {n:5d} {mean:7.3f} {median:7.3f} {stalls:6d} "
            f"{mean / base_mean:13.2f}x {median / base_median:11.2f}x"
        )
    answers = [r[1][3] for r in results.values()]
    print(
        f"answers equal across the three: {'yes' if all(a == answers[0] for a in answers) else 'NO'}"
    )
    print("s/job: wall time / jobs; median: of each job's own time; stalls: jobs > 10x the median")


if __name__ == "__main__":
    main()

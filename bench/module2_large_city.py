"""Benchmark: every Module 2 notebook on a large city, against the packet engine's time budget.

    .venv/bin/python bench/module2_large_city.py [--seed 1] [--data /tmp/bench/module2] [--cold]

Generates the large demo city once (3 million service requests, 6,000 survey respondents; cached
under ``--data`` so reruns are fast), then executes each Module 2 notebook that exists
(``curriculum/m2_*.md`` and ``workshops/m2_*.md``, with their solutions) on it, one after another,
each in a fresh kernel forked from the packet engine's warm pool (:class:`KernelPool`), with the
engine's per-cell timeout (the ``timeout`` default of ``run_packets``: that is the budget).

Prints, per notebook: status, total seconds, the slowest cell and its share of the budget. The
loader's Parquet cache is kept between notebooks (as in a real cohort); ``--cold`` empties it
first, so the first notebook pays for validating and caching the tables. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cohort_tools.coaching_packets.engine import run_packets
from cohort_tools.core import paths
from cohort_tools.notebooks.kernels import KernelPool
from cohort_tools.notebooks.myst import load_template, parameterize
from cohort_tools.notebooks.run import run

BUDGET = int(inspect.signature(run_packets).parameters["timeout"].default)
DEFAULT_DATA = Path(tempfile.gettempdir()) / "bench" / "module2"


def prepare(data: Path, seed: int) -> Path:
    """The large city under ``data``, generated on the first run only."""
    city = data / f"large-seed{seed}"
    if not (city / "city.yaml").exists():
        from cohort_tools.citydata.demo import generate_city

        data.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        generate_city("large", seed, city)
        print(f"generated {city} in {time.perf_counter() - start:.1f} s", flush=True)
    return city


def notebooks() -> list[Path]:
    root = paths.curriculum_dir().parent
    found = [*root.glob("curriculum/m2_*.md"), *root.glob("workshops/m2_*.md")]
    return sorted(found, key=lambda p: (p.parent.name, p.name))


def _seconds(cell: Any) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    began, ended = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (began and ended):
        return 0.0
    from datetime import datetime

    return (datetime.fromisoformat(ended) - datetime.fromisoformat(began)).total_seconds()


def run_one(path: Path, city: Path, pool: KernelPool) -> dict[str, Any]:
    """Execute one notebook in a forked kernel with the engine's per-cell timeout."""
    nb = parameterize(load_template(path), {"city": str(city), "cohort_file": ""})
    scratch = Path(tempfile.mkdtemp(prefix="cda-bench-m2-"))
    start = time.perf_counter()
    try:
        outcome = run(nb, pool=pool, cwd=scratch, timeout=BUDGET, sys_path=[str(path.parent)])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    status = outcome.kind
    detail = {
        "ok": "",
        "error": outcome.describe()[:300],
        "timeout": f"a cell ran past {BUDGET} s",
        "died": outcome.kernel_log[-300:],
        "not_started": outcome.message[:300],
    }[outcome.kind]
    total = time.perf_counter() - start
    code = [(i, c) for i, c in enumerate(c for c in nb.cells if c.cell_type == "code")]
    slowest_index, slowest = max(((i, _seconds(c)) for i, c in code), key=lambda t: t[1])
    return {
        "name": f"{path.parent.name}/{path.name}",
        "status": status,
        "seconds": total,
        "slowest_cell": slowest_index + 1,
        "slowest_seconds": slowest,
        "detail": detail,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cold", action="store_true", help="empty the loader cache first")
    args = parser.parse_args()
    city = prepare(args.data, args.seed)
    if args.cold:
        shutil.rmtree(city / ".cda-cache", ignore_errors=True)
    found = notebooks()
    if not found:
        sys.exit("no Module 2 notebook found (curriculum/m2_*.md, workshops/m2_*.md)")
    size = sum(p.stat().st_size for p in city.iterdir() if p.is_file())
    print(
        f"city: {city} ({size / 2**20:.0f} MiB on disk); loader cache: "
        f"{'cold' if not (city / '.cda-cache').exists() else 'as left by earlier runs'}"
    )
    print(f"budget: {BUDGET} s per cell (the packet engine's default timeout)")
    print(f"{len(found)} Module 2 notebook(s), one after another, each in a forked kernel\n")
    results = []
    with KernelPool(1) as pool:
        for path in found:
            r = run_one(path, city, pool)
            results.append(r)
            fits = r["status"] == "ok" and r["slowest_seconds"] <= BUDGET
            print(
                f"{r['name']:<45} {r['status']:<8} {r['seconds']:>8.1f} s  slowest cell "
                f"#{r['slowest_cell']:<3} {r['slowest_seconds']:>7.1f} s "
                f"({100 * r['slowest_seconds'] / BUDGET:>5.1f}% of budget)  "
                f"{'fits' if fits else 'DOES NOT FIT'}",
                flush=True,
            )
            if r["detail"]:
                print(f"    {r['detail']}")
    total = sum(r["seconds"] for r in results)
    ok = sum(r["status"] == "ok" for r in results)
    print(f"\n{ok}/{len(results)} ran without error; total {total:.1f} s")


if __name__ == "__main__":
    main()

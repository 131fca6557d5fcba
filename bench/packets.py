"""Benchmark: the packet engine against the papermill CLI run once per notebook.

    .venv/bin/python bench/packets.py [--cities 20] [--templates 3] [--jobs N]

Builds N synthetic cities (a small CSV of service requests each) and M small MyST templates (read
the CSV with pandas, group, draw an altair chart), then times, in this one process:

1. the engine: ``run_jobs`` for every city x template (execution, HTML pages, one PDF per city,
   index), from an empty output folder;
2. the engine again with nothing changed (the cache);
3. the ``papermill`` CLI once per notebook, one after another (subprocess, same parameters, same
   working directory). The .ipynb inputs it needs are converted with jupytext beforehand, untimed.

It prints both times and the throughput ratio. A benchmark, not a test: machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext

from cohort_tools.coaching_packets.engine import CityTarget, run_jobs
from cohort_tools.notebooks.myst import discover_templates

#: The benchmark's coaching template, a MyST fixture shared with the tests (tests/fixtures/myst/).
TEMPLATE = string.Template(
    (Path(__file__).resolve().parents[1] / "tests/fixtures/myst/bench_packet.md").read_text("utf-8")
)


def build_inputs(root: Path, n_cities: int, n_templates: int) -> tuple[list[CityTarget], Path]:
    import random

    templates = root / "templates"
    templates.mkdir(parents=True)
    for i in range(n_templates):
        (templates / f"bench_{i + 1}.md").write_text(TEMPLATE.substitute(n=i + 1), encoding="utf-8")
    cities = []
    rng = random.Random(7)
    for i in range(n_cities):
        data = root / "data" / f"city-{i + 1:02d}"
        data.mkdir(parents=True)
        rows = ["department,days"] + [
            f"{rng.choice(['Streets', 'Parks', 'Water', 'Permits'])},{rng.randint(1, 40)}"
            for _ in range(300)
        ]
        (data / "requests.csv").write_text("\n".join(rows) + "\n")
        cities.append(CityTarget(f"city-{i + 1:02d}", f"City {i + 1}", data))
    return cities, templates


def run_papermill_cli(cities: list[CityTarget], templates: Path, work: Path) -> float:
    papermill = Path(sys.executable).with_name("papermill")
    inputs = []
    for md in sorted(templates.glob("*.md")):  # conversion is preparation, not timed
        ipynb = work / f"{md.stem}.ipynb"
        jupytext.write(jupytext.read(md), ipynb)
        inputs.append(ipynb)
    start = time.perf_counter()
    for city in cities:
        for ipynb in inputs:
            out = work / f"{city.id}-{ipynb.name}"
            subprocess.run(
                [
                    *(str(papermill), str(ipynb), str(out), "-k", "python3"),
                    *("--cwd", str(templates), "-p", "city", city.id, "-p", "cohort_file", ""),
                    *("-p", "city_name", city.name, "-p", "data_dir", str(city.data_dir)),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--templates", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="engine workers (default: cores)")
    parser.add_argument("--skip-papermill", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cda-bench-"))
    try:
        cities, templates = build_inputs(root, args.cities, args.templates)
        n = len(cities) * args.templates
        print(
            f"{len(cities)} cities x {args.templates} templates = {n} notebooks, "
            f"{os.cpu_count()} cores",
            flush=True,
        )
        found = discover_templates(templates)
        start = time.perf_counter()
        report = run_jobs(cities, found, out=root / "out", jobs=args.jobs, quiet=True)
        engine = time.perf_counter() - start
        assert report.ok, report.summary()
        print(f"engine (pages + PDFs + index): {engine:.1f} s  ({engine / n:.2f} s/notebook)")
        start = time.perf_counter()
        again = run_jobs(cities, found, out=root / "out", jobs=args.jobs, quiet=True)
        rerun = time.perf_counter() - start
        print(
            f"engine rerun, nothing changed: {rerun:.2f} s  ({100 * rerun / engine:.1f}% of first;"
            f" {len(again.cached)} cached)"
        )
        if args.skip_papermill:
            return
        work = root / "papermill"
        work.mkdir()
        paper = run_papermill_cli(cities, templates, work)
        print(f"papermill CLI, once per notebook: {paper:.1f} s  ({paper / n:.2f} s/notebook)")
        print(f"ratio (papermill CLI time / engine time): {paper / engine:.1f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

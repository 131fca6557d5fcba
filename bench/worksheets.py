"""Benchmark: the demo cohort's printed worksheets, PDFs rendered in place against PDF workers.

    .venv/bin/python bench/worksheets.py [--repeat N] [--course DIR]

Times, in this one process, ``build_worksheets`` for every demo city and worksheet (execution,
pages, one PDF per page, index) from an empty output folder, twice per round:

1. baseline: every PDF rendered in this process as its page comes back (``PDF_WORKERS_FROM``
   raised past the number of pages, as before the workers existed);
2. product: PDFs rendered by ``render.page.PdfWorkers`` processes while the next notebooks run.

It prints each time, the best of each, the ratio baseline / product and the load average (the
machine's other work shares its two cores). A benchmark, not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from cohort_tools.coaching_packets import api, engine


def one_run(out: Path, course: Path | None, *, in_place: bool) -> float:
    shutil.rmtree(out, ignore_errors=True)
    saved = engine.PDF_WORKERS_FROM
    engine.PDF_WORKERS_FROM = 10**9 if in_place else saved
    try:
        start = time.perf_counter()
        report = api.build_worksheets(out=out, quiet=True, course=course)
        seconds = time.perf_counter() - start
    finally:
        engine.PDF_WORKERS_FROM = saved
    if not report.ok:
        raise SystemExit(report.summary())
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="rounds (best of each is kept)")
    parser.add_argument("--course", type=Path, default=None, help="course folder (optional)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"in place": [], "workers": []}
    with tempfile.TemporaryDirectory(prefix="cda-bench-worksheets-") as tmp:
        out = Path(tmp) / "worksheets"
        for round_ in range(max(1, args.repeat)):
            for label in times:
                seconds = one_run(out, args.course, in_place=label == "in place")
                times[label].append(seconds)
                print(f"round {round_ + 1}: {label:<9} {seconds:6.1f} s")
        pages = len(list(out.glob("*/*.pdf")))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    best = {label: min(values) for label, values in times.items()}
    print(f"\n{pages} worksheet PDFs; load average after: {load} (2 cores)")
    print(f"PDFs in place (baseline): {best['in place']:.1f} s; PDF workers: "
          f"{best['workers']:.1f} s; ratio {best['in place'] / best['workers']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()

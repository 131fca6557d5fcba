"""The main job's time, step by step: a warm run into a fresh folder, then a rerun with nothing changed.

    .venv/bin/python bench/demo.py [--out DIR]

"Warm" means the environment is installed and imported once (this process) and the machine's
file caches are warm; the output folder starts empty. The rerun uses the same folder, so every
cache the job keeps (packets, course answers, book pages) can be reused. Targets (issue 21): warm
at or under 90 s; a no-change rerun in seconds.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from cohort_tools.pipeline import run_demo, timing_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: a temp dir)"
    )
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="cda-bench-demo-")) / "demo-output"
    shutil.rmtree(out, ignore_errors=True)
    runs: list[tuple[str, float]] = []
    for label in ("warm, empty output folder", "rerun, nothing changed"):
        start = time.perf_counter()
        ctx = run_demo(out=out, echo=lambda _line: None)
        total = time.perf_counter() - start
        runs.append((label, ctx.elapsed))
        print(f"== {label}: {total:.1f} s")
        for line in timing_table(ctx.timings, elapsed=ctx.elapsed):
            print(line)
    (_, warm_s), (_, rerun_s) = runs
    print(f"warm total {warm_s:.1f} s (target <= 90 s); no-change rerun {rerun_s:.1f} s")
    print(f"rerun / warm = {rerun_s / warm_s:.2f}")


if __name__ == "__main__":
    main()

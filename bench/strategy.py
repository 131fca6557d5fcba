"""Benchmark: where the time goes when `cda strategy` builds each city's documents.

    .venv/bin/python bench/strategy.py --course demo-output/course [--repeat 2]

Needs a graded course (run `cda demo` first). For every city of the demo cohort it times, in this
one process: reading the content without the chart (what packets and the cohort view call),
assembling with the roadmap chart, then each output (HTML, tagged PDF, Word, the public summary's
PDF). It prints the best of ``--repeat`` runs per step and each step's share of a city's total.
A benchmark, not a test: machines are noisy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cohort_tools.model.cohort import load_cohort
from cohort_tools.model.programme import load_programme
from cohort_tools.render.page import pdf_from_pages
from cohort_tools.strategy import review
from cohort_tools.strategy.build import assemble
from cohort_tools.strategy.collect import collect_team_answers
from cohort_tools.strategy.document import Strategy
from cohort_tools.strategy.render import pdf_html, public_html, to_docx, to_html


def _pdf(strategy: Strategy) -> bytes:
    return pdf_from_pages([pdf_html(strategy)])


def _public_pdf(strategy: Strategy) -> bytes:
    return pdf_from_pages([public_html(strategy)])


def best(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = step()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, default=Path("demo-output/course"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cohort, programme = load_cohort(None), load_programme()
    print(f"{'city':<12} {'step':<22} {'seconds':>8} {'share':>7}")
    for city in cohort.cities:
        team, _ = collect_team_answers(city.id, course_dir=args.course, programme=programme)
        rows: list[tuple[str, float]] = []
        t, _ = best(args.repeat, lambda c=city: review(city=c.id, course_dir=args.course))
        rows.append(("content (no chart)", t))
        t, strategy = best(args.repeat, lambda c=city, tm=team: assemble(c, tm, programme, cohort))
        rows.append(("content + chart", t))
        for name, step in (
            ("HTML", to_html),
            ("PDF (tagged)", _pdf),
            ("Word", to_docx),
            ("public summary PDF", _public_pdf),
        ):
            t, _ = best(args.repeat, lambda s=step, doc=strategy: s(doc))
            rows.append((name, t))
        total = sum(t for name, t in rows if name != "content (no chart)")
        for name, t in rows:
            print(f"{city.id:<12} {name:<22} {t:8.2f} {t / total:7.0%}")
        print(f"{city.id:<12} {'total (cda strategy)':<22} {total:8.2f}")


if __name__ == "__main__":
    main()

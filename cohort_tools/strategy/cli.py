"""``cda strategy``: a thin layer over :func:`cohort_tools.strategy.build_strategy`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors


@reports_errors
def strategy_command(
    city: Annotated[
        str | None,
        typer.Option("--city", help="City id in the cohort. Without it: every city."),
    ] = None,
    cohort: Annotated[
        Path | None, typer.Option("--cohort", help="Cohort file (YAML). Default: the demo cohort.")
    ] = None,
    course: Annotated[
        Path, typer.Option("--course", help="Course folder holding the graded submissions.")
    ] = Path("course"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the strategies.")] = Path(
        "strategy"
    ),
) -> None:
    """Assemble the citywide data strategy (HTML, PDF, Word) and its completeness report."""
    from cohort_tools.strategy import build_strategies, build_strategy

    if city:
        results = [build_strategy(city=city, cohort=cohort, course_dir=course, out=out)]
    else:
        results = build_strategies(cohort=cohort, course_dir=course, out=out)
    for result in results:
        typer.echo(result.summary())
        for name in ("strategy.html", "strategy.pdf", "strategy.docx"):
            typer.echo(f"    wrote {result.folder / name}")

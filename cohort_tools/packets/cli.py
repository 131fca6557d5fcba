"""``cda packets``: a thin typer layer over :func:`cohort_tools.packets.engine.run_packets`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors


@reports_errors
def packets_command(
    cohort: Annotated[
        Path | None,
        typer.Option("--cohort", help="Cohort file (YAML). Default: the embedded demo cohort."),
    ] = None,
    city: Annotated[
        list[str] | None,
        typer.Option("--city", help="Only this city id (repeatable). Default: every city."),
    ] = None,
    template: Annotated[
        list[str] | None,
        typer.Option(
            "--template", help="Only this coaching template name (repeatable). Default: all."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("packets"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Notebooks run at once. Default: the number of cores."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address (tcp://host:8786) to run on a cluster."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-run every packet, even unchanged ones.")
    ] = False,
    show_code: Annotated[
        bool, typer.Option("--show-code", help="Show the code cells in the pages.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="No progress bar (for CI); the summary is printed.")
    ] = False,
    timeout: Annotated[
        int, typer.Option("--timeout", min=1, help="Seconds one notebook cell may run.")
    ] = 300,
    course: Annotated[
        Path | None,
        typer.Option(
            "--course",
            help="Course folder with the graded workshops (strategy review, maturity, mayor "
            "brief). Default: ./course when it exists.",
        ),
    ] = None,
) -> None:
    """Make the coaching packets: one page per template and one PDF per city, plus an index."""
    from cohort_tools.course.layout import course_or_default
    from cohort_tools.packets.engine import run_packets

    try:
        report = run_packets(
            cohort=cohort,
            cities=city or None,
            templates=template or None,
            out=out,
            jobs=jobs,
            scheduler=scheduler,
            force=force,
            show_code=show_code,
            quiet=quiet,
            timeout=timeout,
            course_dir=course_or_default(course),
        )
    except KeyboardInterrupt:
        typer.echo(
            "Interrupted. Pages already made are kept and the index lists them; "
            "run the same command again to finish.",
            err=True,
        )
        raise typer.Exit(130) from None
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)

"""`cda kit ...`: a typer sub-app over :mod:`cohort_tools.kit.api` (registered in cli.py as `kit`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors

kit_app = typer.Typer(
    help="The facilitation kit: printable pages, showcase feedback forms, the skills survey.",
    no_args_is_help=True,
)


@kit_app.command("build")
@reports_errors
def build(
    out: Annotated[Path, typer.Option("--out", help="Folder for the printable kit.")] = Path("kit"),
    cohort: Annotated[
        Path | None, typer.Option("--cohort", help="Cohort file (YAML). Default: the demo cohort.")
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write HTML only.")] = False,
) -> None:
    """Write every kit page as HTML and PDF, the cohort view, blank forms and the survey template."""
    from cohort_tools.kit.api import build_kit

    result = build_kit(out=out, cohort=cohort, pdf=not no_pdf)
    typer.echo(result.summary())
    typer.echo(f"Open {result.index} in a browser.")


@kit_app.command("feedback")
@reports_errors
def feedback(
    path: Annotated[Path, typer.Argument(help="A filled-in showcase feedback form (YAML).")],
    city: Annotated[
        str | None, typer.Option("--city", help="The city whose folder holds the form.")
    ] = None,
) -> None:
    """Check a showcase feedback form; list every problem; exit 1 if there is one."""
    from cohort_tools.kit.api import check_feedback_file

    typer.echo(check_feedback_file(path=path, city=city))

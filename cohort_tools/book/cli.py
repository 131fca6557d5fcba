"""`cda book ...`: a typer sub-app (the lead registers it in cohort_tools/cli.py as `book`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors

book_app = typer.Typer(
    help="The curriculum book (a static, offline website).", no_args_is_help=True
)


@book_app.command("build")
@reports_errors
def build(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the built site (replaced on success).")
    ] = Path("_build/book"),
    city: Annotated[
        str, typer.Option("--city", help="Demo city the session notebooks run on.")
    ] = "riverton",
    no_strict: Annotated[
        bool, typer.Option("--no-strict", help="Do not treat Sphinx warnings as errors.")
    ] = False,
) -> None:
    """Build the curriculum book offline (warnings are errors); print where to open it."""
    from cohort_tools.book.build import build_book_report

    result = build_book_report(out=out, strict=not no_strict, execute_city=city, echo=typer.echo)
    typer.echo(f"Open {result.index} in a browser (works offline).")

"""The `cda` command: one subcommand per verb, each a thin layer over a plain Python function."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools import __version__, verbs
from cohort_tools.book.cli import book_app
from cohort_tools.citydata.cli import data_app
from cohort_tools.cliutil import reports_errors
from cohort_tools.course.cli import COMMANDS as COURSE_COMMANDS
from cohort_tools.course.cli import course_app
from cohort_tools.errors import CdaError
from cohort_tools.packet.cli import packets_command
from cohort_tools.strategy.cli import strategy_command

app = typer.Typer(
    help="Run the City Data Alliance Accelerator curriculum for a cohort of cities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
programme_app = typer.Typer(help="The six-month programme.", no_args_is_help=True)
cohort_app = typer.Typer(help="Cohorts of cities and their teams.", no_args_is_help=True)
app.add_typer(programme_app, name="programme")
app.add_typer(cohort_app, name="cohort")
app.add_typer(data_app, name="data")
app.add_typer(book_app, name="book")
app.command("packets")(packets_command)
app.command("strategy")(strategy_command)
app.add_typer(course_app, name="course")
for _name, _command in COURSE_COMMANDS:  # cda release | autograde | feedback | progress
    app.command(_name)(_command)

CohortArg = Annotated[
    Path | None,
    typer.Argument(help="Cohort file (YAML). Without it, the embedded demo cohort is used."),
]
ProgrammeOpt = Annotated[
    Path | None,
    typer.Option("--programme", help="Programme file; default curriculum/programme.yaml."),
]


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


@programme_app.command("show")
@reports_errors
def programme_show(programme: ProgrammeOpt = None) -> None:
    """Print the programme as a readable outline."""
    typer.echo(verbs.programme_show(programme=programme), nl=False)


@cohort_app.command("check")
@reports_errors
def cohort_check(cohort: CohortArg = None, programme: ProgrammeOpt = None) -> None:
    """Check a cohort file against the programme's rules; list every problem; exit 1 on errors."""
    result = verbs.cohort_check(cohort=cohort, programme=programme)
    if result.ok and result.cohort is not None:
        for p in result.problems:
            typer.echo(f"warning: {p}", err=True)
        typer.echo(result.summary)
        typer.echo("The cohort is valid.")
        return
    raise CdaError(result.problems, headline=f"{cohort or 'The demo cohort'} has problems.")


@app.command("schedule")
@reports_errors
def schedule(
    cohort: CohortArg = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Write the calendar here (.ics).")
    ] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write a table (.csv).")] = None,
    city: Annotated[
        str | None, typer.Option("--city", help="Only this city's events and the cohort-wide ones.")
    ] = None,
    programme: ProgrammeOpt = None,
) -> None:
    """Lay out the six months for every city (working days only) and write ICS and/or CSV."""
    from cohort_tools.schedule import summarise

    result = verbs.schedule(cohort=cohort, ics=ics, csv=csv, city=city, programme=programme)
    typer.echo(summarise(result.calendar, result.events))
    for path in result.written:
        typer.echo(f"wrote {path}")


@app.command("demo")
@reports_errors
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for everything the demo makes.")
    ] = Path("demo-output"),
    cohort: Annotated[
        Path | None, typer.Option("--cohort", help="Run on this cohort instead of the demo cohort.")
    ] = None,
) -> None:
    """Run the main job end to end on the embedded demo cohort."""
    from cohort_tools.pipeline import run_demo

    run_demo(out=out, cohort=cohort, echo=typer.echo)


def main() -> None:
    app(prog_name="cda")


if __name__ == "__main__":  # pragma: no cover
    main()

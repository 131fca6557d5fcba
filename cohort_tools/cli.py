"""The `cda` command: one subcommand per verb, each a thin layer over a plain Python function."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cohort_tools import __version__, verbs
from cohort_tools.book.cli import book_app
from cohort_tools.citydata.cli import data_app
from cohort_tools.core.cliutil import reports_errors
from cohort_tools.core.errors import CdaError
from cohort_tools.course.cli import COMMANDS as COURSE_COMMANDS
from cohort_tools.course.cli import course_app
from cohort_tools.hub.cli import hub_app
from cohort_tools.model.cohort import load_cohort
from cohort_tools.packets.cli import packets_command
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
coaching_app = typer.Typer(help="The coaching record of each city.", no_args_is_help=True)
app.add_typer(coaching_app, name="coaching")
app.add_typer(hub_app, name="hub")
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


@cohort_app.command("view")
@reports_errors
def cohort_view(
    cohort: CohortArg = None,
    course: Annotated[
        Path | None,
        typer.Option("--course", help="Course folder (progress, answers). Default: ./course."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the page.")] = Path("cohort-view"),
) -> None:
    """One page across the cohort: progress, maturity, strategy, commitments, showcases."""
    from cohort_tools.cohort_view.page import write_cohort_view
    from cohort_tools.course.layout import course_or_default

    course_dir = course_or_default(course)
    typer.echo(f"wrote {write_cohort_view(cohort=cohort, course_dir=course_dir, out=out)}")


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
    from cohort_tools.model.schedule import summarise

    result = verbs.schedule(cohort=cohort, ics=ics, csv=csv, city=city, programme=programme)
    typer.echo(summarise(result.calendar, result.events))
    for path in result.written:
        typer.echo(f"wrote {path}")


CohortOpt = Annotated[
    Path | None, typer.Option("--cohort", help="Cohort file (YAML). Default: the demo cohort.")
]
CityOpt = Annotated[str, typer.Option("--city", help="City id in the cohort.")]
DateOpt = Annotated[str, typer.Option("--date", help="Session date, YYYY-MM-DD.")]


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CdaError.single(
            option, f"'{value}' is not a date.", "write it as YYYY-MM-DD, e.g. 2027-02-01."
        ) from None


@coaching_app.command("log")
@reports_errors
def coaching_log(
    city: CityOpt,
    date: DateOpt,
    attendee: Annotated[
        list[str], typer.Option("--attendee", help="A role that attended (repeat the option).")
    ],
    discussion: Annotated[str, typer.Option("--discussion", help="What was discussed.")],
    commitment: Annotated[
        list[str] | None,
        typer.Option(
            "--commitment",
            help='"what | owner_role | YYYY-MM-DD" (repeat for each commitment).',
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="coaching, or a showcase or check-in id.")
    ] = "coaching",
    cohort: CohortOpt = None,
) -> None:
    """Add one session to the city's coaching log (validated; nothing is written if it is bad)."""
    from cohort_tools.model.coaching import add_entry

    target = load_cohort(cohort).city(city)
    path = add_entry(
        city_dir=target.data_dir,
        city=city,
        date=_date(date, "--date"),
        attendees=attendee,
        discussion=discussion,
        commitments=commitment or [],
        kind=kind,
    )
    typer.echo(f"added the {date} session to {path}")


@coaching_app.command("check")
@reports_errors
def coaching_check(
    cohort: CohortOpt = None,
    city: Annotated[str | None, typer.Option("--city", help="Only this city.")] = None,
) -> None:
    """Validate the coaching logs of the cohort's cities; list every problem."""
    from cohort_tools.model.coaching import LOG_FILE, check_log

    loaded = load_cohort(cohort)
    cities = [loaded.city(city)] if city else loaded.cities
    problems = []
    for c in cities:
        path = c.data_dir / LOG_FILE
        if not path.is_file():
            typer.echo(f"{c.name}: no coaching log yet")
            continue
        log, found = check_log(path, city=c.id)
        problems += found
        if log is not None:
            typer.echo(
                f"{c.name}: {len(log.sessions)} session(s), "
                f"{len(log.open_commitments())} open commitment(s)"
            )
    if problems:
        raise CdaError(problems, headline="Some coaching logs have problems.")


@coaching_app.command("update")
@reports_errors
def coaching_update(
    city: CityOpt,
    date: DateOpt,
    commitment: Annotated[
        int, typer.Option("--commitment", min=1, help="Its number in that session, from 1.")
    ],
    status: Annotated[str, typer.Option("--status", help="open, done or dropped.")],
    cohort: CohortOpt = None,
) -> None:
    """Change the status of one commitment."""
    from cohort_tools.model.coaching import update_commitment

    target = load_cohort(cohort).city(city)
    c = update_commitment(
        city_dir=target.data_dir,
        city=city,
        date=_date(date, "--date"),
        number=commitment,
        status=status,
    )
    typer.echo(f"'{c.text}' is now {c.status}")


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

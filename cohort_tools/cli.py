"""The `cda` command: one typer app, made from ONE table of commands (:data:`COMMANDS`).

Grammar: ``cda <noun> <verb> [ARGS] [--options]``, e.g. ``cda course build``, ``cda packets build``,
``cda cohort check``. The noun is the thing worked on, so ``cda <noun> --help`` lists everything that
can be done with it, and a new verb never collides with an existing command. Making a product is
always ``build``.

Each row names the api function the command calls (``cohort_tools/<product>/api.py``: keyword-only,
typed). The options, their types and their defaults are read from that function's signature
(:mod:`cohort_tools.core.cliutil`), so a default is written once; tests/unit/test_cli_defaults.py
compares them. Old spellings (``cda release``, ``cda packets --city X``, ``cda demo``...) still work
for one release and print a one-line note on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from cohort_tools import __version__, pipeline
from cohort_tools.book import api as book
from cohort_tools.citydata import api as data
from cohort_tools.coaching_packets import api as packets
from cohort_tools.cohort_view import api as cohort_view
from cohort_tools.core.cliutil import LANGUAGE_VARIABLE, Command, RootGroup, build_app, help_texts
from cohort_tools.core.errors import CdaError, language_option
from cohort_tools.core.i18n import N_, _, reader_language, set_reader_language, speaking
from cohort_tools.course import api as course
from cohort_tools.hub import api as hub
from cohort_tools.kit import api as kit
from cohort_tools.model import api as model
from cohort_tools.strategy import api as strategy

# -- how each result is shown (the default, cliutil.show_result, prints text or .summary()) ----------


def _text(result: str, _params: Mapping[str, Any]) -> None:
    typer.echo(result, nl=False)


def _cohort_check(result: model.CohortCheck, params: Mapping[str, Any]) -> None:
    if not (result.ok and result.cohort is not None):
        headline = (
            _("{cohort} has problems.").format(cohort=params["cohort"])
            if params["cohort"]
            else _("The demo cohort has problems.")
        )
        raise CdaError(result.problems, headline=headline)
    for p in result.problems:
        typer.echo(_("warning: {problem}").format(problem=p), err=True)
    typer.echo(result.summary)
    typer.echo(_("The cohort is valid."))


def _schedule(result: model.ScheduleResult, _params: Mapping[str, Any]) -> None:
    typer.echo(result.summary())
    with speaking(reader_language(result.language)):
        for path in result.written:
            typer.echo(_("wrote {path}").format(path=path))


def _wrote(result: Path, _params: Mapping[str, Any]) -> None:
    typer.echo(_("wrote {path}").format(path=result))


def _coaching_check(result: model.CoachingCheck, _params: Mapping[str, Any]) -> None:
    for line in result.lines():
        typer.echo(line)
    if result.problems:
        with speaking(reader_language(result.language)):
            raise CdaError(result.problems, headline=result.headline())


def _city_check(result: data.CityCheck, _params: Mapping[str, Any]) -> int:
    typer.echo(result.report(), err=not result.ok)
    return 0 if result.ok else 1


def _imported(result: Any, _params: Mapping[str, Any]) -> None:
    for line, to_stderr in result.report():
        typer.echo(line, err=to_stderr)


def _dictionary(result: str, params: Mapping[str, Any]) -> None:
    if params["out"] is None:
        typer.echo(result, nl=False)
    else:
        typer.echo(_("Wrote {path}.").format(path=params["out"]))


def _demo_city(result: Path, _params: Mapping[str, Any]) -> None:
    typer.echo(_("Wrote the demo city to {folder}.").format(folder=result))


def _feedback(result: list[Path], params: Mapping[str, Any]) -> None:
    typer.echo(
        _("{count} feedback page(s) in {folder}").format(
            count=len(result), folder=params["course"] / "feedback"
        )
    )


def _strategies(result: list[Any], _params: Mapping[str, Any]) -> None:
    for item in result:
        typer.echo(item.summary())
        for name in ("strategy.html", "strategy.pdf", "strategy.docx"):
            typer.echo("    " + _("wrote {path}").format(path=item.folder / name))


def _book(result: Any, _params: Mapping[str, Any]) -> None:
    typer.echo(_("Open {page} in a browser (works offline).").format(page=result.index))


def _kit(result: Any, _params: Mapping[str, Any]) -> None:
    typer.echo(result.summary())
    typer.echo(_("Open {page} in a browser.").format(page=result.index))


def _text_line(result: str, _params: Mapping[str, Any]) -> None:
    typer.echo(result)


def _quiet(_result: Any, _params: Mapping[str, Any]) -> None:
    return None


# -- the table -------------------------------------------------------------------------------------

#: The nouns, in the order `cda --help` lists them.
NOUNS = {
    "programme": "The six-month program.",
    "cohort": "Cohorts of cities and their teams: check, schedule, view.",
    "data": "City data folders: import real exports, check them, print the data dictionary, "
    "generate demo cities.",
    "course": "The nbgrader course: build, release, autograde, feedback, progress.",
    "coaching": "The coaching record of each city.",
    "packets": "The coaching packets (one page per template and city, and a PDF per city).",
    "worksheets": "Printed worksheets: each workshop and the mayor's workbook on paper, per city.",
    "strategy": "Each city's citywide data strategy.",
    "book": "The curriculum book (a static, offline website).",
    "hub": "The live cohort: a multi-user JupyterHub where learners work and coaches grade.",
    "kit": "The facilitation kit: printable pages, showcase feedback forms, the skills survey.",
    "demo": "The main job, end to end, on the embedded demo cohort.",
}

#: Help for options many commands share (a command's own ``helps`` win).
COMMON_HELP = {
    "cohort": "Cohort file (YAML). Default: the embedded demo cohort.",
    "programme": "Program file. Default: curriculum/programme.yaml.",
    "course": "Course folder.",
    "out": "Folder to write to.",
    "city": "City id in the cohort.",
    "jobs": "Notebooks run at once. Default: the number of cores.",
    "timeout": "Seconds one notebook cell may run.",
    "force": "Replace what is there.",
}

_CITY_LANGUAGE = "Language of the messages (en, es). Default: the language in city.yaml, else en."
_NEAREST_COURSE = "Course folder with the graded workshops. Default: ./course when it exists."

COMMANDS: tuple[Command, ...] = (
    Command("programme show", model.programme_show, "Print the program as a readable outline.",
            _text),
    Command("cohort check", model.cohort_check,
            "Check a cohort file against the program's rules; list every problem; exit 1 on "
            "errors.", _cohort_check, arguments=("cohort",)),
    Command("cohort schedule", model.cohort_schedule,
            "Lay out the six months for every city (working days only) and write ICS and/or CSV.",
            _schedule, arguments=("cohort",), old=("schedule",),
            helps={"ics": "Write the calendar here (.ics).", "csv": "Also write a table (.csv).",
                   "city": "Only this city's events and the cohort-wide ones."}),
    Command("cohort view", cohort_view.view,
            "One page across the cohort: progress, maturity, strategy, commitments, showcases.",
            _wrote, arguments=("cohort",),
            helps={"course": "Course folder (progress, answers). Default: ./course when it "
                   "exists.", "out": "Folder for the page."}),
    Command("data check", data.check,
            "Validate every table of a city folder; list every problem; exit 1 on errors.",
            _city_check, arguments=("city_dir",),
            helps={"city_dir": "The city data folder (holding city.yaml).",
                   "language": _CITY_LANGUAGE}),
    Command("data import", data.import_file,
            "Normalize and validate an export, then write it into a city folder as TABLE.",
            _imported, arguments=("source",),
            helps={"source": "The export to import (CSV, xlsx, Parquet, JSON).",
                   "city_dir": "The city data folder to write into.",
                   "table": "Which table the file holds.",
                   "format": "File format; auto goes by the file extension.",
                   "preset": "Named column map, e.g. socrata_nyc_311.",
                   "encoding": "Text encoding, or auto.", "delimiter": "CSV delimiter, or auto.",
                   "sheet": "Excel sheet name.",
                   "date_format": "strptime format if dates are not ISO.",
                   "output_format": "csv, or parquet for large tables.",
                   "force": "Replace an existing table.", "language": _CITY_LANGUAGE}),
    Command("data dictionary", data.dictionary,
            "Print (or write) the data dictionary generated from the schemas.", _dictionary,
            helps={"out": "Write the Markdown here instead of printing it."}),
    Command("data demo", data.demo, "Generate a realistic, clearly fictional demo city folder.",
            _demo_city,
            helps={"size": "How big a city.", "seed": "Random seed (same seed, same bytes).",
                   "out": "Folder to create.",
                   "city_id": "City id (default: made from the invented name)."}),
    Command("course build", course.build,
            "Make the nbgrader course folder from the MyST workshops (one assignment per city).",
            flags={"per_city": "--per-city"},
            helps={"workshops": "Workshops folder (MyST). Default: workshops/.",
                   "timeout": "Seconds a cell may run when the course grades.",
                   "per_city": "One nbgrader course per city (course/<city>/), as on the hub."}),
    Command("course release", course.release,
            "Register every senior team member and release each city's notebooks.",
            old=("release",)),
    Command("course autograde", course.autograde,
            "Grade every submission; bad submissions are listed, only system failures exit "
            "non-zero.", old=("autograde",),
            helps={"timeout": "Seconds a cell may run. Default: the course's own.",
                   "jobs": "Notebooks graded at once. Default: two per core (a grading waits "
                   "for a third of its time).",
                   "trusted": "No sandbox: learner code runs with the checkpoints and can reach "
                   "the whole course. Only to grade your own notebooks (prints a warning)."}),
    Command("course feedback", course.feedback,
            "Write each learner's HTML feedback (no names, no hidden tests).", _feedback,
            old=("feedback",)),
    Command("course progress", course.progress,
            "Completion and scores by city, learner and module (table; chart with --out).",
            old=("progress",), helps={"out": "Save the table and an SVG chart here."}),
    Command("coaching log", model.coaching_log,
            "Add one session to the city's coaching log (validated; nothing is written if it is "
            "bad).", flags={"attendees": "--attendee", "commitments": "--commitment"},
            helps={"date": "Session date.", "attendees": "A role that attended (repeat the "
                   "option).", "discussion": "What was discussed.",
                   "commitments": '"what | owner_role | YYYY-MM-DD" (repeat for each).',
                   "kind": "coaching, or a showcase or check-in id."}),
    Command("coaching check", model.coaching_check,
            "Validate the coaching logs of the cohort's cities; list every problem.",
            _coaching_check, helps={"city": "Only this city."}),
    Command("coaching update", model.coaching_update, "Change the status of one commitment.",
            helps={"date": "Session date.", "commitment": "Its number in that session, from 1.",
                   "status": "Where it stands now."}),
    Command("packets build", packets.build,
            "Make the coaching packets: one page per template and one PDF per city, plus an "
            "index.", flags={"cities": "--city", "templates": "--template"}, old=("packets",),
            interrupted=N_("Pages already made are kept and the index lists them; run the same "
            "command again to finish."),
            helps={"cities": "Only this city id (repeatable). Default: every city.",
                   "templates": "Only this coaching template (repeatable). Default: all.",
                   "scheduler": "Dask scheduler address (tcp://host:8786) to run on a cluster.",
                   "force": "Re-run every packet, even unchanged ones.",
                   "show_code": "Show the code cells in the pages.",
                   "quiet": "No progress bar (for CI); the summary is printed.",
                   "course": _NEAREST_COURSE}),
    Command("worksheets build", packets.build_worksheets,
            "Print each city's worksheets: the convening workbook and every workshop on the "
            "city's data, one page and one PDF each, with blanks to fill in by hand.",
            flags={"cities": "--city", "workshops": "--workshop"},
            interrupted=N_(
                "Worksheets already made are kept; run the same command again to finish."
            ),
            helps={"cities": "Only this city id (repeatable). Default: every city.",
                   "workshops": "Only this workshop (repeatable), e.g. m1_workshop_a_data_routines."
                   " Default: all.",
                   "force": "Re-run every worksheet, even unchanged ones.",
                   "quiet": "No progress bar (for CI); the summary is printed.",
                   "course": _NEAREST_COURSE}),
    Command("strategy build", strategy.build,
            "Assemble the citywide data strategy (HTML, PDF, Word) and its completeness report.",
            _strategies, old=("strategy",),
            helps={"city": "City id in the cohort. Without it: every city.",
                   "course": "Course folder holding the graded submissions.",
                   "out": "Folder for the strategies."}),
    Command("book build", book.build,
            "Build the curriculum book offline (warnings are errors); print where to open it.",
            _book, flags={"strict": "--strict/--no-strict"}, fixed={"echo": typer.echo},
            helps={"out": "Folder for the built site (replaced on success).",
                   "city": "Demo city the English edition's notebooks run on (each other "
                           "edition runs on the cohort's city of its language).",
                   "strict": "Treat Sphinx warnings as errors.",
                   "languages": "Editions to build (en, es). Default: every language with a "
                                "translated home page; English always in --out, others in "
                                "--out/<language>."}),
    Command("hub install", hub.install,
            "Make the hub environment (a virtualenv every user can read) and install the proxy "
            "(npm).",
            helps={"prefix": "Where the hub environment goes.",
                   "python": "A Python every user can run (not one under /root).",
                   "project": "The cohort-tools checkout to install. Default: this one."}),
    Command("hub start", hub.start,
            "Set up and start the cohort's hub; print its address, the accounts and how to log in.",
            arguments=("cohort",),
            helps={"state_root": "Folder for the hubs' state (one sub-folder per cohort).",
                   "prefix": "The hub environment (made by `cda hub install`).",
                   "ip": "Address to listen on (this machine only by default).",
                   "port": "Public port.",
                   "mem_limit": "Memory per user, e.g. 2G; 'none' for no limit.",
                   "idle_timeout": "Seconds before an idle server is stopped.",
                   "ssl_cert": "TLS certificate (PEM), with --ssl-key.",
                   "ssl_key": "TLS private key (PEM).",
                   "home_root": "Folder for the users' home folders.",
                   "workshops": "Workshops folder (MyST). Default: workshops/."}),
    Command("hub stop", hub.stop,
            "Stop the cohort's hub and every server it started; check nothing is left running.",
            arguments=("cohort",),
            helps={"state_root": "Folder for the hubs' state (one sub-folder per cohort)."}),
    Command("hub status", hub.status, "Whether the cohort's hub is running, and whose servers are.",
            arguments=("cohort",),
            helps={"state_root": "Folder for the hubs' state (one sub-folder per cohort)."}),
    Command("hub grade", hub.grade,
            "Collect new submissions, grade them and release feedback (the grading page's "
            "buttons), for one city's course or all.", arguments=("cohort",),
            helps={"state_root": "Folder for the hubs' state (one sub-folder per cohort).",
                   "city": "Only this city's course. Default: every city."}),
    Command("hub remove", hub.remove,
            "Stop the hub and delete its system users (with their home folders) and its state.",
            arguments=("cohort",), flags={"yes": "--yes"},
            helps={"state_root": "Folder for the hubs' state (one sub-folder per cohort).",
                   "yes": "Really delete the users and their work."}),
    Command("kit build", kit.build_kit,
            "Write every kit page as HTML and PDF, the cohort view, blank forms and the survey "
            "template.", _kit, flags={"languages": "--language"},
            helps={"out": "Folder for the printable kit.",
                   "pdf": "Also print each page to PDF.",
                   "languages": "Language of the kit (repeatable: en, es). Default: every "
                                "language of the cohort; the cohort's language in --out, others "
                                "in --out/<language>."}),
    Command("kit feedback", kit.check_feedback_file,
            "Check a showcase feedback form; list every problem; exit 1 if there is one.",
            _text_line, arguments=("path",),
            helps={"path": "A filled-in showcase feedback form (YAML).",
                   "city": "The city whose folder holds the form."}),
    Command("demo run", pipeline.run_demo,
            "Run the main job end to end on the embedded demo cohort (or --cohort).", _quiet,
            old=("demo",), fixed={"echo": typer.echo},
            helps={"out": "Folder for everything the demo makes.",
                   "cohort": "Run on this cohort instead of the demo cohort."}),
)  # fmt: skip

app = typer.Typer(
    cls=RootGroup,
    help="Run the City Data Alliance Accelerator curriculum for a cohort of cities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Language of the command's messages (en, es), whatever the cities' languages. "
            "Default: a command about cities of one language speaks it; English otherwise.",
            envvar=LANGUAGE_VARIABLE,
            show_envvar=False,
        ),
    ] = None,
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)
    try:
        set_reader_language(language_option(language) if language is not None else None)
    except CdaError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    ctx.call_on_close(lambda: set_reader_language(None))  # a test's next call starts afresh


GROUPS = build_app(app, COMMANDS, nouns=NOUNS, common_help=COMMON_HELP)


def command_function(path: str) -> Callable[..., None]:
    """The typer function registered for ``path`` (e.g. to mount one command in a test app)."""
    noun, name = path.split()
    for info in GROUPS[noun].registered_commands:
        if info.name == name and info.callback is not None:
            return info.callback
    raise KeyError(path)


# The groups and commands tests and other apps mount by themselves.
data_app = GROUPS["data"]
book_app = GROUPS["book"]
packets_command = command_function("packets build")


def extract_help(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel's extractor for this file (babel.cfg): its ``_()`` messages, then every help text of
    the ``cda`` command as built (a noun's, a command's, an option's), so ``make catalogs`` puts
    them in the catalog without each being marked."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in help_texts(typer.main.get_command(app)):
        yield 0, None, text, []


def main() -> None:
    app(prog_name="cda")


if __name__ == "__main__":  # pragma: no cover
    main()

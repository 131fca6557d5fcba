"""The verbs of the `cda` command as plain typed functions (the CLI in cli.py is a thin layer).

Each verb takes keyword arguments, returns what it produced, and raises CdaError on bad input before
writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cohort_tools.core.errors import CdaError, Problem, errors_only
from cohort_tools.model.cohort import Cohort, check_cohort, load_cohort, summary
from cohort_tools.model.programme import Programme, load_programme, outline
from cohort_tools.model.schedule import Calendar, Event, build_calendar, write_calendar


def programme_show(*, programme: Path | None = None) -> str:
    """The programme as a readable outline."""
    return outline(load_programme(programme))


@dataclass
class CohortCheck:
    cohort: Cohort | None
    problems: list[Problem]
    summary: str = ""  # a readable summary of a valid cohort

    @property
    def ok(self) -> bool:
        return not errors_only(self.problems)


def cohort_check(*, cohort: Path | None = None, programme: Path | None = None) -> CohortCheck:
    """Validate a cohort file (None = the embedded demo cohort) against the programme's rules."""
    prog = load_programme(programme)
    found, problems = check_cohort(cohort, prog)
    return CohortCheck(found, problems, summary(found, prog) if found else "")


@dataclass
class ScheduleResult:
    calendar: Calendar
    events: list[Event]
    written: list[Path]


def schedule(
    *,
    cohort: Path | None = None,
    ics: Path | None = None,
    csv: Path | None = None,
    city: str | None = None,
    programme: Path | None = None,
) -> ScheduleResult:
    """Lay out the programme calendar for a cohort and write it as ICS and/or CSV."""
    prog: Programme = load_programme(programme)
    valid = load_cohort(cohort, prog)
    if ics is None and csv is None:
        raise CdaError.single(
            "command line", "nothing to write.", "give --ics OUT.ics and/or --csv OUT.csv."
        )
    calendar = build_calendar(valid, prog)
    events = write_calendar(calendar, ics=ics, csv_path=csv, city=city)
    return ScheduleResult(calendar, events, [p for p in (ics, csv) if p is not None])

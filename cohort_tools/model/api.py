"""The verbs on the programme, cohorts, the calendar and the coaching record.

Keyword-only typed functions: ``cda programme show``, ``cda cohort check``, ``cda cohort schedule``
and ``cda coaching log|check|update`` call them (cohort_tools/cli.py), and so can any Python code.
Each returns what it produced and raises :class:`~cohort_tools.core.errors.CdaError` on bad input
before writing anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import Field

from cohort_tools.core.errors import CdaError, Problem, errors_only
from cohort_tools.model.coaching import (
    LOG_FILE,
    CoachingLog,
    Commitment,
    CommitmentStatus,
    add_entry,
    check_log,
    update_commitment,
)
from cohort_tools.model.cohort import Cohort, check_cohort, load_cohort, summary
from cohort_tools.model.programme import Programme, load_programme, outline
from cohort_tools.model.schedule import (
    Calendar,
    Event,
    build_calendar,
    summarise,
    write_calendar,
)


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

    def summary(self) -> str:
        return summarise(self.calendar, self.events)


def cohort_schedule(
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


def coaching_log(
    *,
    city: str,
    date: dt.date,
    attendees: list[str],
    discussion: str,
    commitments: list[str] | None = None,
    kind: str = "coaching",
    cohort: Path | None = None,
) -> Path:
    """Add one session to the city's coaching log (validated; nothing is written if it is bad).

    ``commitments`` are ``"what | owner_role | YYYY-MM-DD"``; ``kind`` is ``coaching`` or a showcase
    or mayor check-in id from the programme. Returns the log's path.
    """
    target = load_cohort(cohort).city(city)
    return add_entry(
        city_dir=target.data_dir,
        city=city,
        date=date,
        attendees=attendees,
        discussion=discussion,
        commitments=commitments or [],
        kind=kind,
    )


@dataclass
class CityLog:
    """One city's coaching log as checked: None when it has none yet or it is invalid."""

    city: str  # the city's name
    log: CoachingLog | None
    exists: bool


@dataclass
class CoachingCheck:
    cities: list[CityLog] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors_only(self.problems)

    def lines(self) -> list[str]:
        out = []
        for c in self.cities:
            if not c.exists:
                out.append(f"{c.city}: no coaching log yet")
            elif c.log is not None:
                out.append(
                    f"{c.city}: {len(c.log.sessions)} session(s), "
                    f"{len(c.log.open_commitments())} open commitment(s)"
                )
        return out


def coaching_check(*, cohort: Path | None = None, city: str | None = None) -> CoachingCheck:
    """Validate the coaching logs of the cohort's cities (or one city); collect every problem."""
    loaded = load_cohort(cohort)
    cities = [loaded.city(city)] if city else loaded.cities
    result = CoachingCheck()
    for c in cities:
        path = c.data_dir / LOG_FILE
        if not path.is_file():
            result.cities.append(CityLog(c.name, None, exists=False))
            continue
        log, found = check_log(path, city=c.id)
        result.problems += found
        result.cities.append(CityLog(c.name, log, exists=True))
    return result


def coaching_update(
    *,
    city: str,
    date: dt.date,
    commitment: Annotated[int, Field(ge=1)],
    status: CommitmentStatus,
    cohort: Path | None = None,
) -> Commitment:
    """Change the status of commitment number ``commitment`` (from 1) of the session on ``date``."""
    target = load_cohort(cohort).city(city)
    return update_commitment(
        city_dir=target.data_dir, city=city, date=date, number=commitment, status=status
    )

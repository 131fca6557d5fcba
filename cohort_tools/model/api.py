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
from cohort_tools.core.i18n import N_, _, format_date, reader_language, shared_language, speaking
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
    language: str | None = None  # the cities' language when the calendar is about one language

    def summary(self) -> str:
        return summarise(self.calendar, self.events, reader_language(self.language))


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
            _("command line"), _("nothing to write."), _("give --ics OUT.ics and/or --csv OUT.csv.")
        )
    calendar = build_calendar(valid, prog)
    events = write_calendar(calendar, ics=ics, csv_path=csv, city=city)
    shared = shared_language(c.lang for c in ([valid.city(city)] if city else valid.cities))
    return ScheduleResult(calendar, events, [p for p in (ics, csv) if p is not None], shared)


@dataclass
class LoggedSession:
    """A session added to a city's coaching log (what ``cda coaching log`` did)."""

    path: Path
    date: dt.date
    city: str  # the city's name
    language: str  # the city's

    def summary(self) -> str:
        with speaking(reader_language(self.language)):
            return _("Added the session of {date} to the coaching log of {city}: {path}").format(
                date=format_date(self.date), city=self.city, path=self.path
            )


def coaching_log(
    *,
    city: str,
    date: dt.date,
    attendees: list[str],
    discussion: str,
    commitments: list[str] | None = None,
    kind: str = "coaching",
    cohort: Path | None = None,
) -> LoggedSession:
    """Add one session to the city's coaching log (validated; nothing is written if it is bad).

    ``commitments`` are ``"what | owner_role | YYYY-MM-DD"``; ``kind`` is ``coaching`` or a showcase
    or mayor check-in id from the programme. Its problems are in the city's language (unless
    ``cda --language`` asked for another).
    """
    target = load_cohort(cohort).city(city)
    with speaking(reader_language(target.lang)):
        path = add_entry(
            city_dir=target.data_dir,
            city=city,
            date=date,
            attendees=attendees,
            discussion=discussion,
            commitments=commitments or [],
            kind=kind,
        )
    return LoggedSession(path, date, target.name, target.lang)


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
    language: str | None = None  # the cities' language when they share one

    @property
    def ok(self) -> bool:
        return not errors_only(self.problems)

    def lines(self) -> list[str]:
        out = []
        with speaking(reader_language(self.language)):
            for c in self.cities:
                if not c.exists:
                    out.append(_("{city}: no coaching log yet").format(city=c.city))
                elif c.log is not None:
                    out.append(
                        _("{city}: {sessions} session(s), {open} open commitment(s)").format(
                            city=c.city,
                            sessions=len(c.log.sessions),
                            open=len(c.log.open_commitments()),
                        )
                    )
        return out

    def headline(self) -> str:
        with speaking(reader_language(self.language)):
            return _("Some coaching logs have problems.")


def coaching_check(*, cohort: Path | None = None, city: str | None = None) -> CoachingCheck:
    """Validate the coaching logs of the cohort's cities (or one city); collect every problem.

    Problems and lines are in the cities' language when they share one (else English)."""
    loaded = load_cohort(cohort)
    cities = [loaded.city(city)] if city else loaded.cities
    result = CoachingCheck(language=shared_language(c.lang for c in cities))
    with speaking(reader_language(result.language)):
        for c in cities:
            path = c.data_dir / LOG_FILE
            if not path.is_file():
                result.cities.append(CityLog(c.name, None, exists=False))
                continue
            log, found = check_log(path, city=c.id)
            result.problems += found
            result.cities.append(CityLog(c.name, log, exists=True))
    return result


#: A commitment's status as a reader sees it (the log keeps the English word).
STATUS_WORDS = {"open": N_("open"), "done": N_("done"), "dropped": N_("dropped")}


@dataclass
class UpdatedCommitment:
    """A commitment whose status ``cda coaching update`` changed."""

    commitment: Commitment
    language: str  # the city's

    def summary(self) -> str:
        with speaking(reader_language(self.language)):
            return _("'{text}' is now {status}.").format(
                text=self.commitment.text, status=_(STATUS_WORDS[self.commitment.status])
            )


def coaching_update(
    *,
    city: str,
    date: dt.date,
    commitment: Annotated[int, Field(ge=1)],
    status: CommitmentStatus,
    cohort: Path | None = None,
) -> UpdatedCommitment:
    """Change the status of commitment number ``commitment`` (from 1) of the session on ``date``."""
    target = load_cohort(cohort).city(city)
    with speaking(reader_language(target.lang)):
        changed = update_commitment(
            city_dir=target.data_dir, city=city, date=date, number=commitment, status=status
        )
    return UpdatedCommitment(changed, target.lang)

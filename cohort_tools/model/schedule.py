"""The programme calendar: every session of the six months, laid out per city from the start date.

Rules (tested in tests/unit/test_schedule.py):
- Only working days: no weekends, and no public holiday of the city concerned (for cohort-wide
  sessions, of any city in the cohort), using the ``holidays`` package with each city's country and
  state.
- The convening is three consecutive working days (Monday-Wednesday or similar, never split by a
  weekend or holiday), from the first such run on or after the start date.
- Keynotes, workshops and the studio are cohort-wide, at the programme's session time in the cohort's
  time zone, on the preferred weekday of their week (or the next working day), in programme order.
- Coaching, showcases and mayor check-ins are per city, in the city's own time zone, in the first
  programme slot where neither the city's team nor its coach is already busy. A coach with several
  cities is never double-booked.
- UIDs are stable (derived from cohort, city and session), so re-importing an updated calendar updates
  events instead of duplicating them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
import icalendar
from dateutil.relativedelta import relativedelta

from cohort_tools import __version__
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import write_all_or_nothing
from cohort_tools.core.i18n import (
    N_,
    SOURCE_LANGUAGE,
    _,
    current_language,
    format_date,
    gettext,
    speaking,
)
from cohort_tools.model.cohort import City, Cohort
from cohort_tools.model.programme import AUDIENCE_LABELS, Audience, CityMoment, Programme

#: What a calendar entry is.
EventKind = Literal[
    "convening", "keynote", "workshop", "studio", "coaching", "showcase", "mayor_checkin"
]

# Preferred weekday per kind of event (Monday = 0). Spreading kinds over the week keeps a team's
# calendar readable; the exact day moves forward past holidays.
PREFERRED_WEEKDAY: dict[EventKind, int] = {
    "keynote": 1,  # Tuesday
    "workshop": 3,  # Thursday
    "studio": 2,  # Wednesday
    "coaching": 2,  # Wednesday
    "showcase": 4,  # Friday
    "mayor_checkin": 0,  # Monday
}
MAX_SEARCH_DAYS = 60


@dataclass(frozen=True)
class Event:
    """One calendar entry. ``city_id`` is None for cohort-wide events."""

    uid: str
    kind: EventKind
    session_id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    city_id: str | None
    audience: tuple[Audience, ...]
    description: str
    location: str
    language: str = SOURCE_LANGUAGE  # a city's events are in its language, the rest the cohort's

    @property
    def audience_text(self) -> str:
        return ", ".join(gettext(AUDIENCE_LABELS[a], language=self.language) for a in self.audience)


@dataclass
class Calendar:
    cohort: Cohort
    events: list[Event]

    def for_city(self, city_id: str) -> list[Event]:
        return [e for e in self.events if e.city_id in (None, city_id)]


class _WorkingDays:
    """Weekends and public holidays for one city, or for all of them (cohort-wide sessions)."""

    def __init__(self, cities: Iterable[City], years: range) -> None:
        self._calendars: dict[str, holidays.HolidayBase] = {
            c.id: c.holiday_calendar(years) for c in cities
        }

    def is_working(self, day: dt.date, city_ids: Iterable[str] | None = None) -> bool:
        if day.weekday() >= 5:
            return False
        ids = list(city_ids) if city_ids is not None else list(self._calendars)
        return not any(day in self._calendars[i] for i in ids)

    def holiday_name(self, day: dt.date, city_id: str) -> str | None:
        return self._calendars[city_id].get(day)


@dataclass
class _Busy:
    """Busy intervals per participant key ('city:<id>' or 'coach:<email>')."""

    intervals: dict[str, list[tuple[dt.datetime, dt.datetime]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def free(self, keys: Iterable[str], start: dt.datetime, end: dt.datetime) -> bool:
        return all(not (s < end and start < e) for k in keys for s, e in self.intervals[k])

    def book(self, keys: Iterable[str], start: dt.datetime, end: dt.datetime) -> None:
        for k in keys:
            self.intervals[k].append((start, end))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "cohort"


def _at(day: dt.date, clock: str, zone: ZoneInfo) -> dt.datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def programme_end(cohort: Cohort, programme: Programme) -> dt.date:
    end: dt.date = cohort.start_date + relativedelta(months=programme.duration_months)
    return end


def _anchor(cohort: Cohort, month: int, week: int) -> dt.date:
    day: dt.date = (
        cohort.start_date + relativedelta(months=month - 1) + dt.timedelta(weeks=week - 1)
    )
    return day


def _on_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def build_calendar(cohort: Cohort, programme: Programme) -> Calendar:
    """Lay out every event of the programme for every city of the cohort."""
    end_date = programme_end(cohort, programme)
    years = range(cohort.start_date.year, end_date.year + 1)
    days = _WorkingDays(cohort.cities, years)
    busy = _Busy()
    zone = cohort.zone
    cohort_slug = _slug(cohort.name)
    all_keys = [f"city:{c.id}" for c in cohort.cities]
    events: list[Event] = []

    def uid(*parts: str) -> str:
        return f"{'-'.join(parts)}@{cohort_slug}.cda"

    # 1. The convening: the first run of three consecutive working days.
    conv = programme.convening
    day = _anchor(cohort, conv.month, 1)
    for _attempt in range(MAX_SEARCH_DAYS):
        run = [day + dt.timedelta(days=k) for k in range(conv.days)]
        if all(days.is_working(d) for d in run):
            break
        day += dt.timedelta(days=1)
    else:
        raise CdaError(
            [
                Problem(
                    file=str(cohort.path),
                    field="start_date",
                    message=f"there are no {conv.days} working days in a row within "
                    f"{MAX_SEARCH_DAYS} days of {day - dt.timedelta(days=MAX_SEARCH_DAYS)} for the "
                    "convening (weekends and the cities' public holidays are skipped).",
                    fix="check start_date, and each city's country and state (they decide its "
                    "public holidays).",
                )
            ],
            headline="The cohort cannot be scheduled.",
        )
    for n, d in enumerate(run, start=1):
        blocks = [b for b in conv.agenda if b.day == n]
        audience = tuple(dict.fromkeys(a for b in blocks for a in b.audience))
        agenda = "\n".join(f"{b.part.capitalize()}: {b.title}" for b in blocks)
        start, stop = _at(d, conv.start_time, zone), _at(d, conv.end_time, zone)
        busy.book(all_keys, start, stop)
        events.append(
            Event(
                uid=uid("convening", f"day{n}"),
                kind="convening",
                session_id=conv.id,
                title=f"{conv.title} - day {n} of {conv.days}",
                start=start,
                end=stop,
                city_id=None,
                audience=audience,
                description=agenda + "\n" + "\n".join(conv.rules),
                location="In person",
            )
        )
    last_day = run[-1]

    # 2. Cohort-wide sessions, in programme order, each after the previous one.
    for s in programme.sessions():
        d = max(
            _on_weekday(_anchor(cohort, s.month, s.week_of_month), PREFERRED_WEEKDAY[s.kind]),
            last_day + dt.timedelta(days=1),
        )
        while not days.is_working(d):
            d += dt.timedelta(days=1)
        start = _at(d, programme.session_start_time, zone)
        stop = start + dt.timedelta(minutes=s.duration_minutes)
        busy.book(all_keys, start, stop)
        objectives = "\n".join(f"- {o}" for o in s.objectives)
        events.append(
            Event(
                uid=uid(s.id),
                kind=s.kind,
                session_id=s.id,
                title=f"{s.kind.capitalize()}: {s.title}",
                start=start,
                end=stop,
                city_id=None,
                audience=tuple(s.audience),
                description=f"Learning objectives:\n{objectives}",
                location="Virtual",
            )
        )
        last_day = d

    # 3. Per-city events: mayor check-ins and showcases first (the mayor's diary is the hardest to
    #    move), then coaching, each in the first free slot for the city's team and its coach.
    requests: list[tuple[dt.date, EventKind, str, str, int, tuple[Audience, ...], str]] = []
    per_city: tuple[tuple[EventKind, list[CityMoment]], ...] = (
        ("mayor_checkin", programme.mayor_checkins),
        ("showcase", programme.showcases),
    )
    for kind, moments in per_city:
        for m in moments:
            earliest = _anchor(cohort, m.month, m.week_of_month)
            audience = tuple(m.audience)
            requests.append(
                (earliest, kind, m.id, m.title, m.duration_minutes, audience, m.purpose)
            )
    k = programme.coaching
    total_weeks = (end_date - cohort.start_date).days // 7
    for n, week in enumerate(range(k.first_week, total_weeks + 1, k.cadence_weeks), start=1):
        requests.append(
            (
                cohort.start_date + dt.timedelta(weeks=week - 1),
                "coaching",
                f"coaching-{n:02d}",
                f"Coaching session {n}",
                k.duration_minutes,
                tuple(k.audience),
                k.purpose,
            )
        )

    for city in cohort.cities:
        city_zone = ZoneInfo(city.timezone) if city.timezone else zone
        keys = [f"city:{city.id}", f"coach:{city.coach.email.lower()}"]
        lang = city.lang
        for earliest, kind, sid, title, minutes, audience, purpose in requests:
            slot = _book_city_slot(
                days,
                busy,
                city,
                keys,
                city_zone,
                programme.city_slots,
                minutes,
                _on_weekday(earliest, PREFERRED_WEEKDAY[kind]),
            )
            if slot is None:
                raise CdaError(
                    [_no_slot(cohort, programme, city, title, earliest)],
                    headline="The cohort cannot be scheduled.",
                )
            start, stop = slot, slot + dt.timedelta(minutes=minutes)
            if stop.date() > end_date:
                continue  # a final coaching slot that would fall after the programme ends
            events.append(
                Event(
                    uid=uid(city.id, sid),
                    kind=kind,
                    session_id=sid,
                    title=f"{city.name}: {_city_title(title, sid, lang)}",
                    start=start,
                    end=stop,
                    city_id=city.id,
                    audience=audience,
                    description=gettext(purpose.strip(), language=lang),
                    location=gettext("Virtual", language=lang),
                    language=lang,
                )
            )
    events.sort(key=lambda e: (e.start, e.city_id or "", e.uid))
    return Calendar(cohort=cohort, events=events)


def _book_city_slot(
    days: _WorkingDays,
    busy: _Busy,
    city: City,
    keys: list[str],
    zone: ZoneInfo,
    slots: list[str],
    minutes: int,
    earliest: dt.date,
) -> dt.datetime | None:
    """The first free slot for the city's team and coach, None if none within MAX_SEARCH_DAYS."""
    d = earliest
    for _attempt in range(MAX_SEARCH_DAYS):
        if days.is_working(d, [city.id]):
            for clock in slots:
                start = _at(d, clock, zone)
                stop = start + dt.timedelta(minutes=minutes)
                if busy.free(keys, start, stop):
                    busy.book(keys, start, stop)
                    return start
        d += dt.timedelta(days=1)
    return None


def _no_slot(
    cohort: Cohort, programme: Programme, city: City, title: str, earliest: dt.date
) -> Problem:
    """Why a city's session found no time, and what to change (the coach is named by role only)."""
    shared = [c for c in cohort.cities if c.coach.email.lower() == city.coach.email.lower()]
    busy = (
        f"its coach also coaches {len(shared) - 1} other cit{'y' if len(shared) == 2 else 'ies'} "
        "of the cohort, and "
        if len(shared) > 1
        else ""
    )
    return Problem(
        file=str(cohort.path),
        city=city.id,
        field="coach",
        message=f"{title} for {city.name} finds no free time within {MAX_SEARCH_DAYS} days of "
        f"{earliest}: {busy}per-city sessions may start only at "
        f"{', '.join(programme.city_slots)} on working days.",
        fix="give this city a coach with fewer cities in the cohort file, or add start times to "
        "city_slots in curriculum/programme.yaml.",
    )


def _city_title(title: str, session_id: str, language: str) -> str:
    """A per-city event's title in the city's language ("Coaching session 3" has its number)."""
    if session_id.startswith("coaching-"):
        number = int(session_id.removeprefix("coaching-"))
        return gettext(N_("Coaching session {number}"), language=language).format(number=number)
    return gettext(title, language=language)


def to_ics(calendar: Calendar, events: list[Event], stamp: dt.datetime | None = None) -> bytes:
    """RFC 5545 calendar: UID, DTSTAMP, DTSTART/DTEND with TZID, and the VTIMEZONE blocks."""
    cohort = calendar.cohort
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//GovEx City Data Alliance//cohort-tools {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", cohort.name)
    cal.add("x-wr-timezone", cohort.timezone)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end)
        ev.add("summary", e.title)
        who = gettext("Who attends: {audience}", language=e.language)
        ev.add("description", f"{e.description}\n\n{who.format(audience=e.audience_text)}")
        ev.add("location", e.location)
        ev.add("categories", [e.kind])
        cal.add_component(ev)
    if events:
        first = min(e.start for e in events).date().replace(month=1, day=1)
        last = max(e.end for e in events).date().replace(month=12, day=31)
        cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data


CSV_COLUMNS = [
    "date",
    "start",
    "end",
    "timezone",
    "city_id",
    "kind",
    "session_id",
    "title",
    "audience",
    "location",
    "uid",
]


def to_csv(events: list[Event]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            [
                e.start.date().isoformat(),
                e.start.strftime("%H:%M"),
                e.end.strftime("%H:%M"),
                str(e.start.tzinfo),
                e.city_id or "all",
                e.kind,
                e.session_id,
                e.title,
                e.audience_text,
                e.location,
                e.uid,
            ]
        )
    return buf.getvalue().encode("utf-8")


#: How the summary counts each kind of event ("12 coaching sessions").
KIND_COUNTS: dict[EventKind, str] = {
    "convening": N_("{count} convening day(s)"),
    "keynote": N_("{count} keynote(s)"),
    "workshop": N_("{count} workshop(s)"),
    "studio": N_("{count} strategy studio(s)"),
    "coaching": N_("{count} coaching session(s)"),
    "showcase": N_("{count} showcase(s)"),
    "mayor_checkin": N_("{count} mayor check-in(s)"),
}


def summarise(calendar: Calendar, events: list[Event], language: str | None = None) -> str:
    """What the calendar holds, in ``language`` (else the current one): dates, counts per kind
    of event and per city."""
    with speaking(language or current_language()):
        kinds: dict[EventKind, int] = defaultdict(int)
        for e in events:
            kinds[e.kind] += 1
        first, last = events[0].start.date(), events[-1].end.date()
        lines = [
            _("{count} events from {first} to {last}:").format(
                count=len(events),
                first=format_date(first, short=True),
                last=format_date(last, short=True),
            )
        ]
        counts = [_(KIND_COUNTS[k]).format(count=n) for k, n in sorted(kinds.items())]
        lines.append("  " + ", ".join(counts))
        for c in calendar.cohort.cities:
            mine = [e for e in events if e.city_id == c.id]
            if mine:
                coaching = sum(e.kind == "coaching" for e in mine)
                line = _("{city}: {coaching} coaching session(s), {count} city events in all")
                lines.append("  " + line.format(city=c.name, coaching=coaching, count=len(mine)))
        return "\n".join(lines)


def write_calendar(
    calendar: Calendar,
    *,
    ics: Path | None = None,
    csv_path: Path | None = None,
    city: str | None = None,
) -> list[Event]:
    """Write the calendar (optionally one city's view) as ICS and/or CSV, all or nothing."""
    events = calendar.for_city(calendar.cohort.city(city).id) if city else calendar.events
    outputs: dict[Path, bytes] = {}
    if ics is not None:
        outputs[Path(ics)] = to_ics(calendar, events)
    if csv_path is not None:
        outputs[Path(csv_path)] = to_csv(events)
    write_all_or_nothing(outputs)
    return events

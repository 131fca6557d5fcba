"""The calendar: working days only, a three-day convening, coaching for every city, valid ICS."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import holidays
import icalendar
import pytest

from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.model.programme import Programme
from cohort_tools.model.schedule import Calendar, build_calendar, programme_end, to_csv, to_ics
from tests.conftest import CohortFactory


@pytest.fixture(scope="module")
def demo() -> tuple[Cohort, Programme, Calendar]:
    from cohort_tools.model.programme import load_programme

    programme = load_programme()
    cohort = load_cohort(None, programme)
    return cohort, programme, build_calendar(cohort, programme)


def _holiday_calendars(cohort: Cohort) -> dict[str, holidays.HolidayBase]:
    years = range(cohort.start_date.year, cohort.start_date.year + 2)
    return {c.id: c.holiday_calendar(years) for c in cohort.cities}


def test_no_event_falls_on_a_weekend(demo: tuple[Cohort, Programme, Calendar]) -> None:
    _, _, cal = demo
    assert all(e.start.weekday() < 5 for e in cal.events)


def test_no_event_falls_on_a_public_holiday_of_a_city_it_concerns(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, _, cal = demo
    hol = _holiday_calendars(cohort)
    for e in cal.events:
        concerned = [e.city_id] if e.city_id else list(hol)
        for cid in concerned:
            assert e.start.date() not in hol[cid], (e.title, e.start, hol[cid].get(e.start.date()))


def test_convening_is_three_consecutive_working_days_at_the_start(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, _, cal = demo
    days = sorted(e.start.date() for e in cal.events if e.kind == "convening")
    assert len(days) == 3
    assert days[1] - days[0] == days[2] - days[1] == dt.timedelta(days=1)
    assert days[0] >= cohort.start_date
    assert min(e.start for e in cal.events).date() == days[0]


def test_convening_skips_a_holiday_week_start(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    # Start on Martin Luther King Jr. Day 2027 (Monday 18 January): Mon is out, so Tue-Thu.
    def edit(d: dict[str, Any]) -> None:
        d["start_date"] = "2027-01-18"

    cohort = load_cohort(make_cohort(edit), programme)
    days = sorted(
        e.start.date() for e in build_calendar(cohort, programme).events if e.kind == "convening"
    )
    assert days == [dt.date(2027, 1, 19), dt.date(2027, 1, 20), dt.date(2027, 1, 21)]


def test_convening_is_never_split_by_a_weekend(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["start_date"] = "2027-01-14"  # a Thursday: Thu, Fri, Mon would straddle a weekend

    cohort = load_cohort(make_cohort(edit), programme)
    days = sorted(
        e.start.date() for e in build_calendar(cohort, programme).events if e.kind == "convening"
    )
    assert days[-1] - days[0] == dt.timedelta(days=2)


def test_every_city_gets_its_coaching_sessions_at_the_cadence(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, programme, cal = demo
    end = programme_end(cohort, programme)
    weeks = (end - cohort.start_date).days // 7
    expected = len(
        range(programme.coaching.first_week, weeks + 1, programme.coaching.cadence_weeks)
    )
    for city in cohort.cities:
        sessions = sorted(
            e.start for e in cal.events if e.city_id == city.id and e.kind == "coaching"
        )
        assert len(sessions) == expected, city.id
        gaps = [(b.date() - a.date()).days for a, b in itertools.pairwise(sessions)]
        assert all(7 <= g <= 21 for g in gaps), gaps
        assert sessions[-1].date() <= end


def test_every_city_gets_every_showcase_and_mayor_checkin(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, programme, cal = demo
    wanted = {m.id for m in programme.showcases} | {m.id for m in programme.mayor_checkins}
    for city in cohort.cities:
        got = {e.session_id for e in cal.events if e.city_id == city.id and e.kind != "coaching"}
        assert got == wanted


def test_cohort_sessions_keep_programme_order_within_six_months(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, programme, cal = demo
    order = [s.id for s in programme.sessions()]
    dated = {
        e.session_id: e.start for e in cal.events if e.city_id is None and e.kind != "convening"
    }
    starts = [dated[i] for i in order]
    assert starts == sorted(starts)
    assert max(e.end for e in cal.events).date() <= programme_end(cohort, programme)


def test_no_city_team_or_coach_is_double_booked(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, _, cal = demo
    busy: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = defaultdict(list)
    coach_of = {c.id: c.coach.email for c in cohort.cities}
    for e in cal.events:
        cities = [e.city_id] if e.city_id else [c.id for c in cohort.cities]
        for cid in cities:
            busy[f"city:{cid}"].append((e.start, e.end, e.title))
        if e.city_id and "coach" in e.audience:
            busy[f"coach:{coach_of[e.city_id]}"].append((e.start, e.end, e.title))
    for key, items in busy.items():
        items.sort()
        for (_s1, e1, t1), (s2, _, t2) in itertools.pairwise(items):
            assert e1 <= s2, f"{key}: '{t1}' overlaps '{t2}'"


def test_city_events_use_the_city_time_zone_and_cohort_events_the_cohort_zone(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, _, cal = demo
    for e in cal.events:
        zone = cohort.city(e.city_id).timezone if e.city_id else cohort.timezone
        assert str(e.start.tzinfo) == zone


def test_ics_parses_back_with_the_same_events(demo: tuple[Cohort, Programme, Calendar]) -> None:
    _, _, cal = demo
    parsed = icalendar.Calendar.from_ical(to_ics(cal, cal.events))
    vevents = list(parsed.walk("VEVENT"))
    assert len(vevents) == len(cal.events)
    uids = [str(v["UID"]) for v in vevents]
    assert len(set(uids)) == len(uids)
    for v, e in zip(vevents, cal.events, strict=True):
        assert "DTSTAMP" in v
        assert v["DTSTART"].params["TZID"] == str(e.start.tzinfo)
        assert v.decoded("DTSTART") == e.start
    zones = {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")}
    assert zones == {str(e.start.tzinfo) for e in cal.events}


def test_uids_are_stable_between_runs(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    cohort, programme, cal = demo
    again = build_calendar(cohort, programme)
    assert [e.uid for e in again.events] == [e.uid for e in cal.events]


def test_csv_has_one_row_per_event(demo: tuple[Cohort, Programme, Calendar]) -> None:
    _, _, cal = demo
    rows = to_csv(cal.events).decode().strip().splitlines()
    assert len(rows) == len(cal.events) + 1
    assert rows[0].startswith("date,start,end,timezone,city_id")


def test_city_view_has_cohort_sessions_and_only_that_city(
    demo: tuple[Cohort, Programme, Calendar],
) -> None:
    _, _, cal = demo
    mine = cal.for_city("riverton")
    assert {e.city_id for e in mine} == {None, "riverton"}


def test_calendar_contains_no_names_or_emails(
    demo: tuple[Cohort, Programme, Calendar], tmp_path: Path
) -> None:
    cohort, _, cal = demo
    text = to_ics(cal, cal.events).decode() + to_csv(cal.events).decode()
    for city in cohort.cities:
        for person in [city.mayor, city.cda_lead, city.coach, *city.senior_team]:
            assert person.email not in text
            assert person.name not in text

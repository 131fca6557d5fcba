"""Colombian public holidays (holidays package, country CO) apply to Puerto Arrayán's sessions: a
city session moves past them for Puerto Arrayán and not for a US city, and a cohort-wide session
avoids them for everyone."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.schedule import Calendar, build_calendar


@pytest.fixture(scope="module")
def demo() -> tuple[Cohort, Calendar]:
    programme: Programme = load_programme()
    cohort = load_cohort(None, programme)
    return cohort, build_calendar(cohort, programme)


def _day(cal: Calendar, city: str, session: str) -> dt.date:
    (event,) = [e for e in cal.events if e.city_id == city and e.session_id == session]
    return event.start.date()


def test_puerto_arrayan_uses_colombian_holidays(demo: tuple[Cohort, Calendar]) -> None:
    cohort, _ = demo
    city = next(c for c in cohort.cities if c.id == "puerto-arrayan")
    assert city.country == "CO" and city.language == "es"
    calendar = city.holiday_calendar(range(2027, 2028))
    assert dt.date(2027, 3, 26) in calendar  # Viernes Santo
    assert dt.date(2027, 6, 7) in calendar  # Sagrado Corazón (observed on Monday)


def test_a_colombian_holiday_moves_a_puerto_arrayan_session_and_not_a_us_citys(
    demo: tuple[Cohort, Calendar],
) -> None:
    _, cal = demo
    co = holidays.country_holidays("CO", years=[2027])
    # Good Friday (2027-03-26) is a public holiday in Colombia, not in Ohio.
    assert _day(cal, "riverton", "showcase-routine") == dt.date(2027, 3, 26)
    moved = _day(cal, "puerto-arrayan", "showcase-routine")
    assert moved > dt.date(2027, 3, 26) and moved not in co
    # The Sacred Heart holiday (observed Monday 2027-06-07) moves the mayor's check-in.
    assert _day(cal, "cedar-bend", "mayor-standard") == dt.date(2027, 6, 7)
    assert _day(cal, "puerto-arrayan", "mayor-standard") == dt.date(2027, 6, 8)


def test_a_colombian_holiday_moves_a_cohort_wide_session_for_everyone(
    demo: tuple[Cohort, Calendar],
) -> None:
    cohort, cal = demo
    # Epiphany (Reyes Magos) is observed on Monday 2027-01-11, the cohort's start date: the
    # convening, which concerns every city, starts the next working day.
    assert cohort.start_date == dt.date(2027, 1, 11)
    assert dt.date(2027, 1, 11) in holidays.country_holidays("CO", years=[2027])
    days = sorted(e.start.date() for e in cal.events if e.kind == "convening")
    assert days == [dt.date(2027, 1, 12), dt.date(2027, 1, 13), dt.date(2027, 1, 14)]

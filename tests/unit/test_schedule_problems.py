"""A cohort that cannot be scheduled is a problem with its file, city, field and fix (not a crash)."""

from __future__ import annotations

import pytest

from cohort_tools.core.errors import CdaError
from cohort_tools.model.cohort import load_cohort
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.schedule import build_calendar


def test_a_coach_with_too_many_cities_is_a_problem_naming_the_city_and_the_fix() -> None:
    programme: Programme = load_programme().model_copy(update={"city_slots": ["13:00"]})
    demo = load_cohort(None, programme)
    first = demo.cities[0]
    # Twenty cities share one coach, who can meet a city only at 13:00 on working days.
    cities = [first.model_copy(update={"id": f"city-{i:02d}"}) for i in range(20)]
    crowded = demo.model_copy(update={"cities": cities})
    with pytest.raises(CdaError) as caught:
        build_calendar(crowded, programme)
    (problem,) = caught.value.problems
    assert problem.file == str(demo.path) and problem.field == "coach"
    assert problem.city is not None and problem.city.startswith("city-")
    assert "also coaches 19 other cities" in problem.message
    assert "city_slots in curriculum/programme.yaml" in problem.fix
    assert first.coach.email not in str(caught.value) and first.coach.name not in str(caught.value)
    assert "cannot be scheduled" in str(caught.value)


def test_a_start_with_no_three_working_days_in_reach_names_the_start_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cohort_tools.model import schedule

    monkeypatch.setattr(schedule, "MAX_SEARCH_DAYS", 0)  # as if two months were all holidays
    programme = load_programme()
    with pytest.raises(CdaError, match="start_date") as caught:
        build_calendar(load_cohort(None, programme), programme)
    assert "public holidays" in caught.value.problems[0].fix

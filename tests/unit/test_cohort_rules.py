"""Cohort rules: each rule of the programme has a case that breaks it, reported plainly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.model.cohort import check_cohort, load_cohort
from cohort_tools.model.programme import Programme
from tests.conftest import CohortFactory

Edit = Callable[[dict[str, Any]], None]


def problems_for(make_cohort: CohortFactory, programme: Programme, edit: Edit) -> list[Problem]:
    cohort, problems = check_cohort(make_cohort(edit), programme)
    assert cohort is None, "an invalid cohort must not load"
    return problems


def test_demo_cohort_is_valid(programme: Programme) -> None:
    cohort, problems = check_cohort(None, programme)
    assert problems == []
    assert cohort is not None and [c.id for c in cohort.cities] == [
        "riverton",
        "cedar-bend",
        "port-alder",
        "puerto-arrayan",
    ]
    assert all(c.fictional for c in cohort.cities)


def test_data_dir_is_resolved_relative_to_the_cohort_file(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    path = make_cohort()
    cohort = load_cohort(path, programme)
    assert cohort.city("riverton").data_dir == (path.parent / "cities/riverton").resolve()


def add_member(n: int) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        team = d["cities"][0]["senior_team"]
        for k in range(n):
            team.append(
                {
                    "name": f"Extra {k}",
                    "email": f"extra{k}@riverton.example",
                    "role": "other",
                    "title": "Adviser",
                }
            )

    return edit


def test_five_team_members_is_an_error_naming_city_and_count(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    [p] = problems_for(make_cohort, programme, add_member(2))
    assert p.city == "riverton" and p.field == "cities[0].senior_team"
    assert "5 members" in p.message and "3 to 4" in p.message
    assert p.line is not None and p.fix


def test_two_team_members_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][0]["senior_team"] = d["cities"][0]["senior_team"][:2]

    [p] = problems_for(make_cohort, programme, edit)
    assert "2 members" in p.message and "add 1 more" in p.fix


def test_unknown_role_is_an_error_listing_allowed_roles(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][1]["senior_team"][0]["role"] = "wizard"

    [p] = problems_for(make_cohort, programme, edit)
    assert p.city == "cedar-bend" and "'wizard'" in p.message
    assert "chief_of_staff" in p.fix and "other" in p.fix


def test_role_other_needs_a_title(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        del d["cities"][2]["senior_team"][2]["title"]

    [p] = problems_for(make_cohort, programme, edit)
    assert p.city == "port-alder" and p.field.endswith(".title")


def test_missing_mayor_is_an_error_explaining_no_surrogates(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        del d["cities"][1]["mayor"]

    [p] = problems_for(make_cohort, programme, edit)
    assert p.city == "cedar-bend" and p.field == "cities[1].mayor"
    assert "required" in p.message and "in person" in p.fix


def test_missing_cda_lead_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        del d["cities"][0]["cda_lead"]

    [p] = problems_for(make_cohort, programme, edit)
    assert p.field == "cities[0].cda_lead" and "CDA lead" in p.fix


def test_duplicate_city_id_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][2]["id"] = "riverton"
        for m in d["cities"][2]["senior_team"]:
            m["email"] = m["email"].replace("portalder", "riverton2")

    problems = problems_for(make_cohort, programme, edit)
    assert any("used twice" in p.message and p.field == "cities[2].id" for p in problems)


def test_same_email_in_two_cities_is_an_error(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][1]["senior_team"][1] = dict(d["cities"][0]["senior_team"][0])

    problems = problems_for(make_cohort, programme, edit)
    assert any("more than one city" in p.message for p in problems)


def test_one_email_for_two_different_people_is_an_error(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][0]["senior_team"][1]["email"] = d["cities"][0]["senior_team"][0]["email"]

    problems = problems_for(make_cohort, programme, edit)
    assert any("belongs to different people" in p.message for p in problems)


def test_shared_coach_across_cities_is_allowed(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    path = make_cohort()  # riverton and cedar-bend share a coach in the demo cohort
    assert load_cohort(path, programme)


def test_invalid_email_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][0]["coach"]["email"] = "morgan at coach"

    [p] = problems_for(make_cohort, programme, edit)
    assert p.field == "cities[0].coach.email" and "email" in p.message


def test_missing_data_folder_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][0]["data_folder"] = "cities/nowhere"

    [p] = problems_for(make_cohort, programme, edit)
    assert "does not exist" in p.message and "cities/nowhere" in p.message


def test_malformed_start_date_is_an_error_with_the_format(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["start_date"] = "11/01/2027"

    [p] = problems_for(make_cohort, programme, edit)
    assert p.field == "start_date" and "YYYY-MM-DD" in p.message + p.fix


def test_impossible_date_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["start_date"] = "2027-02-30"

    [p] = problems_for(make_cohort, programme, edit)
    assert p.field == "start_date"


def test_unknown_time_zone_is_an_error(make_cohort: CohortFactory, programme: Programme) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["timezone"] = "Eastern"

    [p] = problems_for(make_cohort, programme, edit)
    assert p.field == "timezone" and "America/New_York" in p.message


def test_unknown_country_and_state_are_errors(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][0]["country"] = "XX"
        d["cities"][1]["state"] = "ZZ"

    problems = problems_for(make_cohort, programme, edit)
    fields = {p.field for p in problems}
    assert {"cities[0].country", "cities[1].state"} <= fields


def test_mayor_listed_in_senior_team_is_an_error(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        mayor = d["cities"][0]["mayor"]
        d["cities"][0]["senior_team"][2] = {**mayor, "role": "other", "title": "Mayor"}

    problems = problems_for(make_cohort, programme, edit)
    assert any("mayor is listed in the senior team" in p.message for p in problems)


def test_every_problem_is_reported_in_one_run(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        add_member(2)(d)
        del d["cities"][1]["mayor"]
        d["cities"][2]["id"] = "riverton"
        d["start_date"] = "not a date"

    problems = problems_for(make_cohort, programme, edit)
    text = "\n".join(str(p) for p in problems)
    assert "5 members" in text and "mayor" in text and "used twice" in text
    assert "start_date" in text
    assert len(problems) >= 4


def test_unknown_field_is_reported_not_ignored(
    make_cohort: CohortFactory, programme: Programme
) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["cities"][0]["populaton"] = 5

    [p] = problems_for(make_cohort, programme, edit)
    assert p.field == "cities[0].populaton" and "not a known field" in p.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("   \n# only a comment\n", "is empty"),
        ("name: [unclosed\nstart_date: 2027-01-01\n", "not valid YAML"),
        ("- a\n- list\n", "set of 'key: value' fields"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
    ids=["empty", "comment-only", "not-yaml", "a-list", "binary"],
)
def test_unreadable_cohort_file_raises_a_plain_error(
    tmp_path: Path, programme: Programme, content: str | bytes, expected: str
) -> None:
    path = tmp_path / "cohort.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CdaError) as err:
        check_cohort(path, programme)
    assert expected in str(err.value) and str(path) in str(err.value)


def test_missing_cohort_file_raises_a_plain_error(tmp_path: Path, programme: Programme) -> None:
    with pytest.raises(CdaError) as err:
        load_cohort(tmp_path / "nope.yaml", programme)
    assert "does not exist" in str(err.value)


def test_unknown_city_lookup_lists_known_ids(programme: Programme) -> None:
    cohort = load_cohort(None, programme)
    with pytest.raises(CdaError) as err:
        cohort.city("atlantis")
    assert "riverton" in str(err.value)

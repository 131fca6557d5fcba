"""Decisions checked for sense (issue 19: fair checkpoints): a free-text decision refers to the
city's own data, names a role (never a person) and says when."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cohort_tools.lessons import sense

DEPARTMENTS = pd.DataFrame(
    {"department_id": ["PW", "HCD"], "department": ["Public Works", "Housing"]}
)
INVENTORY = pd.DataFrame({"dataset_id": ["DS003"], "dataset": ["Building permits"]})


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("chief of staff", True),
        ("Budget Office", True),
        ("the data stewards", True),
        ("Priya Raman", False),
        ("priya@city.gov", False),
        ("", False),
        (None, False),
    ],
)
def test_a_role_or_a_body_is_told_from_a_person(text: object, role: bool) -> None:
    assert sense.looks_like_role(text) is role


def test_a_team_members_name_is_never_a_role_even_with_a_role_word() -> None:
    assert not sense.looks_like_role("Dana Lead", person_names=["Dana Lead"])


@pytest.mark.parametrize(
    ("text", "refers"),
    [
        ("Building permits are late", True),
        ("Public Works repairs", True),
        ("311 requests by area", True),
        ("12 tables fail the standard", True),
        ("we need better tools", False),
        ("", False),
    ],
)
def test_a_decision_refers_to_the_citys_own_data(text: str, refers: bool) -> None:
    terms = sense.data_terms(departments=DEPARTMENTS, inventory=INVENTORY)
    assert sense.refers_to_data(text, terms) is refers


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("month 4, then every quarter", True),
        ("in June", True),
        ("this quarter", True),
        ("by 2027", True),
        ("month 40", False),
        ("soon-ish", False),
        ("", False),
        (5, True),
        (0, False),
    ],
)
def test_a_decision_says_when_inside_the_strategy(text: object, when: bool) -> None:
    assert sense.says_when(text) is when


def test_dates_are_read_in_the_usual_forms() -> None:
    assert sense.a_date("2025-03-01") == dt.date(2025, 3, 1)
    assert sense.a_date("March 1, 2025") == dt.date(2025, 3, 1)
    assert sense.a_date("next spring") is None
    assert sense.mentions("Public works and housing", ["Public Works", "Fire"]) == ["Public Works"]

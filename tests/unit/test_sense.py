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


# -- Spanish answers (the Spanish edition's hints) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("El equipo del programa", True),
        ("jefe de gabinete", True),
        ("la responsable de equidad", True),
        ("Directora de datos", True),
        ("Secretaría de Hacienda", True),
        ("coordinadores de datos", True),
        ("María López", False),
        ("maria@ciudad.gov.co", False),
        ("personal", False),  # also an English word: not a role on its own
        ("nosotros", False),
    ],
)
def test_a_spanish_role_or_body_is_told_from_a_person(text: str, role: bool) -> None:
    assert sense.looks_like_role(text) is role


def test_a_team_members_spanish_name_is_never_a_role() -> None:
    assert not sense.looks_like_role("Ana Director", person_names=["Ana Director"])


@pytest.mark.parametrize(
    ("text", "refers"),
    [
        ("solicitudes a la 311 por barrio", True),
        ("siete conjuntos de datos están desactualizados", True),
        ("el tablero de obras", True),
        ("lo que mostró el inventario", True),
        ("Obras Públicas repara", True),
        ("necesitamos mejores herramientas", False),
        ("hay que mejorar", False),
    ],
)
def test_a_spanish_decision_refers_to_the_citys_own_data(text: str, refers: bool) -> None:
    departments = pd.DataFrame({"department_id": ["OP"], "department": ["Obras Publicas"]})
    terms = sense.data_terms(departments=departments)
    assert sense.refers_to_data(text, terms) is refers


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("mes 4, luego cada trimestre", True),
        ("en el mes 12", True),
        ("este trimestre", True),
        ("antes de junio", True),
        ("a más tardar en septiembre", True),
        ("el próximo año", True),
        ("cada dos semanas", True),
        ("mensual", True),
        ("en 2027", True),
        ("mes 40", False),
        ("pronto", False),
        ("lo antes posible", False),
        ("cuando se pueda", False),
    ],
)
def test_a_spanish_decision_says_when_inside_the_strategy(text: str, when: bool) -> None:
    assert sense.says_when(text) is when


@pytest.mark.parametrize(
    "text", ["a person", "as soon as possible", "we will see", "Dana Lopez", "personal opinion"]
)
def test_spanish_words_leave_english_answers_judged_as_before(text: str) -> None:
    assert not sense.says_when(text)
    assert not sense.looks_like_role(text)
    assert not sense.refers_to_data(text)


def test_spanish_dates_and_day_first_dates_in_spanish() -> None:
    from cohort_tools.core.i18n import speaking

    assert sense.a_date("1 de marzo de 2025") == dt.date(2025, 3, 1)
    assert sense.a_date("15 de Septiembre de 2026") == dt.date(2026, 9, 15)
    assert sense.a_date("01/03/2025") == dt.date(2025, 1, 3)  # US English: month first
    with speaking("es"):
        assert sense.a_date("01/03/2025") == dt.date(2025, 3, 1)
        assert sense.a_date("2025-03-01") == dt.date(2025, 3, 1)

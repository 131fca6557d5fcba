"""Demographic standards per country: the registry, the dataset checker and the Module 3 checks
against Colombia's DANE CNPV 2018 categories, and the Colombian demo city that uses them."""

from __future__ import annotations

import pandas as pd
import pytest

from cohort_tools.citydata.demo import DEMO_CITIES_DIR
from cohort_tools.citydata.demo.profiles import REFERENCES
from cohort_tools.citydata.validate import check_city
from cohort_tools.lessons import standards_audit as sa
from cohort_tools.policy.standards import (
    DANE_2018,
    SPD15,
    UnknownCountryStandard,
    check_city_standard,
    standard_for,
)
from cohort_tools.policy.standards.checker import assess_dataset

CITY = DEMO_CITIES_DIR / "puerto-arrayan"


def test_a_city_standard_is_chosen_by_its_country() -> None:
    assert standard_for("US") is SPD15 and standard_for("CO") is DANE_2018
    assert standard_for(None) is SPD15  # a folder without a country, as before
    assert list(DANE_2018.categories) == [
        "INDIGENA", "RROM", "RAIZAL", "PALENQUERO", "AFRO", "NINGUNO",
    ]  # fmt: skip
    assert DANE_2018.categories["RAIZAL"].label == (
        "Raizal del Archipiélago de San Andrés, Providencia y Santa Catalina"
    )
    assert DANE_2018.reporting_codes[-1] == "NO_INFORMA"
    assert DANE_2018.multiple_selections is None  # not verified: unknown, not guessed
    assert SPD15.disability == DANE_2018.disability == "washington_group_short_set"


def test_an_unknown_country_names_itself_and_the_choices() -> None:
    with pytest.raises(UnknownCountryStandard) as info:
        standard_for("MX")
    text = str(info.value)
    assert "'MX'" in text and "US (SPD 15 (2024))" in text and "CO (DANE CNPV 2018)" in text


@pytest.mark.parametrize(
    ("fmt", "fields", "personal", "verdict"),
    [
        ("dane_cnpv_2018", "age;race_ethnicity", True, "meets"),
        ("custom", "race_ethnicity", True, "partly meets"),
        ("spd15_2024_combined", "race_ethnicity", True, "partly meets"),
        ("none", "age", True, "misses"),
        ("none", "", False, "not applicable"),
    ],
)
def test_the_checker_judges_a_colombian_dataset_by_dane_2018(
    fmt: str, fields: str, personal: bool, verdict: str
) -> None:
    row = {"dataset_id": "DS1", "dataset": "x", "race_ethnicity_format": fmt,
           "demographic_fields": fields, "contains_personal_data": personal}  # fmt: skip
    judged = assess_dataset(row, DANE_2018)
    assert judged.verdict == verdict
    if verdict in ("meets", "misses") and fields:
        assert "DANE CNPV 2018" in judged.reasons[0] or "race_ethnicity" in judged.reasons[0]


def test_a_us_dataset_is_judged_exactly_as_before() -> None:
    from cohort_tools.policy.standards.spd15 import assess_dataset as spd15_assess

    row = {"dataset_id": "DS1", "dataset": "x", "race_ethnicity_format": "dane_cnpv_2018",
           "demographic_fields": "race_ethnicity", "contains_personal_data": True}  # fmt: skip
    assert assess_dataset(row) == spd15_assess(row)


def test_the_demo_city_is_fictional_colombian_and_clean() -> None:
    text = (CITY / "city.yaml").read_text(encoding="utf-8")
    assert "ciudad ficticia" in text and "country: CO" in text and "currency: COP" in text
    assert [p for p in check_city(CITY) if p.severity == "error"] == []
    demo = pd.read_csv(CITY / "neighbourhood_demographics.csv")
    codes = set(demo.loc[demo["dimension"] == "race_ethnicity", "category"])
    assert codes == set(DANE_2018.reporting_codes)
    assert REFERENCES["CO"].race_codes == list(DANE_2018.reporting_codes)
    size = sum(p.stat().st_size for p in CITY.iterdir() if p.is_file())
    assert size < 2_000_000


def test_the_demo_city_is_audited_against_dane_2018() -> None:
    verdicts = check_city_standard(CITY)
    assert {v.verdict for v in verdicts} >= {"meets", "partly meets", "not applicable"}
    inventory = pd.read_csv(CITY / "data_inventory.csv")
    national = standard_for("CO")
    todo = sa.datasets_to_update(inventory, national)
    audit = sa.inventory_audit(inventory, national)
    assert todo and all(audit.loc[d, "race_format"] != "dane_cnpv_2018" for d in todo)
    assert "dane_cnpv_2018" in set(audit["race_format"])


def test_the_standard_checks_follow_the_city_country() -> None:
    good = {
        "race_ethnicity_format": "dane_cnpv_2018",
        "fields": ["race_ethnicity", "age", "disability", "language"],
        "age": "census_5_year_bands",
        "disability": "washington_group_short_set",
        "language": "home_language_and_spanish_ability",
        "optional": True,
        "when_collected": "al inscribirse",
        "small_numbers_threshold": 11,
        "access": {"public": "tablas sin cifras pequeñas", "analysts": "registros sin nombres"},
        "review_cadence": "every two years",
    }
    assert sa.standard_problems(good, national=DANE_2018) == []
    assert sa.standard_problems(good) == []  # the answer names a registered standard
    assert sa.recommended(DANE_2018)["race_ethnicity_format"] == "dane_cnpv_2018"
    assert sa.recommended(DANE_2018)["language"] == "home_language_and_spanish_ability"
    us = dict(good, race_ethnicity_format="spd15_2024_combined")
    (what, fix), *_ = sa.standard_problems(us, national=DANE_2018)
    assert "DANE CNPV 2018" in what and "'dane_cnpv_2018'" in fix
    # a US city is still held to SPD 15
    problems = sa.standard_problems(good, national=SPD15)
    assert any("2024 combined question" in w for w, _ in problems)
    assert any("'language'" in w for w, _ in problems)

"""Module 3 helpers: the inventory audit, outcome gaps with small numbers hidden, and the checkers
for the demographic standard, the publication plan and the transparency targets."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from cohort_tools.lessons import standards_audit as audit


def _inventory() -> pd.DataFrame:
    rows = [
        # id, frequency, last_updated, published, personal, documented, fields, format
        ("DS1", "daily", "2026-01-15", True, False, True, None, "none"),
        ("DS2", "monthly", "2025-12-20", False, False, True, None, "none"),
        (
            "DS3",
            "weekly",
            "2026-01-10",
            False,
            True,
            True,
            "age;race_ethnicity",
            "two_question_1997",
        ),
        ("DS4", "quarterly", "2025-12-01", False, True, False, "race_ethnicity;language", "custom"),
        (
            "DS5",
            "monthly",
            "2026-01-01",
            False,
            True,
            True,
            "race_ethnicity",
            "spd15_2024_combined",
        ),
        ("DS6", "ad_hoc", "2024-01-01", False, False, False, None, "none"),
        ("DS7", "annually", "2025-06-01", False, True, True, "age;sex", "none"),
    ]
    return pd.DataFrame(
        [
            {
                "dataset_id": r[0],
                "dataset": f"Dataset {r[0]}",
                "owner_department_id": "PW",
                "update_frequency": r[1],
                "last_updated": pd.Timestamp(r[2]),
                "published_openly": r[3],
                "contains_personal_data": r[4],
                "documented": r[5],
                "demographic_fields": r[6],
                "race_ethnicity_format": r[7],
            }
            for r in rows
        ]
    )


def _outcomes() -> pd.DataFrame:
    rows = [
        # programme, dimension, group, participants, successes
        ("A", "limited_english", "lep", 100, 30),
        ("A", "limited_english", "not_lep", 300, 240),
        ("A", "race_ethnicity", "AIAN", 5, 1),  # small: hidden, although its rate is the lowest
        ("A", "race_ethnicity", "WHITE", 200, 140),
        ("A", "race_ethnicity", "BLACK", 195, 129),
        ("B", "limited_english", "lep", 100, 78),
        ("B", "limited_english", "not_lep", 300, 240),
    ]
    return pd.DataFrame(
        [
            {
                "programme_id": p,
                "programme": f"Programme {p}",
                "period": "2025",
                "dimension": d,
                "group": g,
                "participants": n,
                "successes": s,
                "outcome_measure": "employed",
            }
            for p, d, g, n, s in rows
        ]
    )


def good_standard(threshold: int = 11) -> dict[str, Any]:
    return {
        "race_ethnicity_format": "spd15_2024_combined",
        "fields": ["race_ethnicity", "age", "disability", "language"],
        "age": "census_5_year_bands",
        "disability": "washington_group_short_set",
        "language": "acs_language_and_english_ability",
        "optional": True,
        "when_collected": "at enrolment",
        "small_numbers_threshold": threshold,
        "access": {"public": "tables with small counts hidden", "analysts": "records, no names"},
        "review_cadence": "every two years",
    }


# --- the inventory audit ----------------------------------------------------------------------


def test_datasets_asking_the_old_way_or_a_custom_list_need_the_new_question() -> None:
    assert audit.datasets_to_update(_inventory()) == ["DS3", "DS4"]


def test_audit_marks_each_demographic_field_and_the_spd15_verdict() -> None:
    table = audit.inventory_audit(_inventory())
    assert bool(table.loc["DS4", "language"]) and not bool(table.loc["DS4", "age"])
    assert table.loc["DS5", "verdict"] == "meets"
    assert not bool(table.loc["DS7", "collects_race"])


def test_audit_of_an_empty_inventory_is_empty() -> None:
    empty = _inventory().iloc[0:0]
    assert audit.inventory_audit(empty).empty
    assert audit.datasets_to_update(empty) == []


# --- outcome gaps -----------------------------------------------------------------------------


def test_a_small_group_is_hidden_and_never_the_lowest() -> None:
    rates = audit.outcome_rates(_outcomes(), threshold=11)
    aian = rates[(rates["programme_id"] == "A") & (rates["group"] == "AIAN")].iloc[0]
    assert not aian["shown"] and pd.isna(aian["rate"])
    gaps = audit.gap_summary(_outcomes(), threshold=11)
    assert gaps.loc["A", "lowest_group"] == "lep"
    assert gaps.loc["A", "widest_gap_dimension"] == "limited_english"
    assert gaps.loc["A", "gap_points"] == pytest.approx(50.0)


def test_the_overall_rate_can_hide_the_widest_gap() -> None:
    gaps = audit.gap_summary(_outcomes(), threshold=11)
    assert gaps["gap_points"].idxmax() == "A"
    assert gaps.loc["B", "overall_rate"] > gaps.loc["A", "overall_rate"] - 20


def test_outcome_rates_carry_no_counts_of_people() -> None:
    rates = audit.outcome_rates(_outcomes(), threshold=11)
    assert not {"participants", "successes"} & set(rates.columns)


def test_a_stricter_threshold_hides_more() -> None:
    loose = audit.outcome_rates(_outcomes(), threshold=5)
    strict = audit.outcome_rates(_outcomes(), threshold=40)
    assert strict["shown"].sum() < loose["shown"].sum()


# --- the demographic standard -----------------------------------------------------------------


def test_a_complete_consistent_standard_has_no_problems() -> None:
    assert audit.standard_problems(good_standard(), city_threshold=11) == []
    json.dumps(good_standard())


@pytest.mark.parametrize(
    "change,expected",
    [
        ({"race_ethnicity_format": "two_question_1997"}, "not the 2024 combined question"),
        ({"small_numbers_threshold": 5}, "looser than the city's rule"),
        ({"small_numbers_threshold": 11.0}, "should be a whole number"),
        ({"optional": False}, "would not be optional"),
        ({"fields": ["race_ethnicity", "age"]}, "leaves out disability, language"),
        ({"fields": ["ethnicity"]}, "not demographic fields: ethnicity"),
        ({"disability": "yes_no_question"}, "'disability' is 'yes_no_question'"),
        ({"access": {"analysts": "records"}}, "does not say what the public may see"),
        ({"review_cadence": "never"}, "'review_cadence' is 'never'"),
        ({"when_collected": None}, "no value for when_collected"),
    ],
)
def test_each_gap_in_the_standard_is_named(change: dict[str, Any], expected: str) -> None:
    problems = audit.standard_problems({**good_standard(), **change}, city_threshold=11)
    assert any(expected in what for what, _ in problems), problems


def test_the_compliance_date_in_the_advice_is_the_facts_file_date_in_us_style() -> None:
    from cohort_tools.policy.facts import fact
    from cohort_tools.policy.standards.spd15 import assess_dataset

    shown = fact("spd15-compliance").shown_value
    assert shown == "September 28, 2029"
    problems = audit.standard_problems(
        {**good_standard(), "race_ethnicity_format": "custom"}, city_threshold=11
    )
    assert any(f"full compliance by {shown}" in fix for _, fix in problems), problems
    verdict = assess_dataset(
        {"race_ethnicity_format": "custom", "demographic_fields": "race_ethnicity"}
    )
    assert shown in " ".join(verdict.reasons), verdict.reasons


def test_the_standard_follows_the_city_threshold() -> None:
    assert audit.standard_problems(good_standard(11), city_threshold=15)
    assert audit.standard_problems(good_standard(15), city_threshold=15) == []


# --- the publication plan and targets ---------------------------------------------------------


def good_plan() -> list[dict[str, Any]]:
    return [
        {"dataset_id": "DS2", "year": 1, "frequency": "monthly", "aggregated": False},
        {"dataset_id": "DS3", "year": 2, "frequency": "monthly", "aggregated": True},
        {"dataset_id": "DS6", "year": 3, "frequency": "annually", "aggregated": False},
    ]


def test_a_sound_plan_has_no_problems() -> None:
    assert audit.plan_problems(good_plan(), _inventory()) == []


@pytest.mark.parametrize(
    "entry,expected",
    [
        ({"dataset_id": "DS1"}, "DS1 is already published"),
        ({"dataset_id": "DS9"}, "DS9 is not in the data inventory"),
        ({"dataset_id": "DS3", "aggregated": False}, "holds data about people"),
        ({"frequency": "daily"}, "more often than it is updated"),
        ({"frequency": "ad_hoc"}, "no promised rhythm"),
        ({"year": 4}, "is not 1, 2 or 3"),
        ({"frequency": "hourly"}, "not one the inventory uses"),
    ],
)
def test_each_planning_mistake_is_named(entry: dict[str, Any], expected: str) -> None:
    plan = good_plan()
    plan[0] = {**plan[0], **entry}
    problems = audit.plan_problems(plan, _inventory())
    assert any(expected in what for what, _ in problems), problems


def test_a_plan_that_skips_a_year_is_told_to_spread_the_work() -> None:
    plan = [{**p, "year": 1} for p in good_plan()]
    assert any(
        "nothing is planned for year 2, 3" in w for w, _ in audit.plan_problems(plan, _inventory())
    )


def test_projected_share_grows_year_by_year() -> None:
    path = audit.projected_published(_inventory(), good_plan())
    assert path == {0: round(1 / 7, 3), 1: round(2 / 7, 3), 2: round(3 / 7, 3), 3: round(4 / 7, 3)}


def test_targets_the_plan_cannot_reach_are_refused() -> None:
    inv, plan = _inventory(), good_plan()
    ok = {"published": 0.571, "documented": 0.8, "fresh": 0.9}
    assert audit.target_problems(ok, inv, plan) == []
    too_high = audit.target_problems({**ok, "published": 0.9}, inv, plan)
    assert any("not reachable" in w for w, _ in too_high)
    percent = audit.target_problems({**ok, "fresh": 90}, inv, plan)
    assert any("looks like a percentage" in w for w, _ in percent)
    undocumented = audit.target_problems({**ok, "documented": 0.5}, inv, plan)
    assert any("documented target is lower" in w for w, _ in undocumented)
    backwards = audit.target_problems({**ok, "published": 0.1}, inv, plan)
    assert any("below today's" in w for w, _ in backwards)


# --- fair checkpoints: each part of the standard accepts its equivalent wordings ---------------


@pytest.mark.parametrize(
    "change",
    [
        {"race_ethnicity_format": "SPD 15 (2024) combined"},
        {"race_ethnicity_format": "the 2024 combined question"},
        {"race_ethnicity_format": "spd15 2024"},
        {"fields": ["Race and ethnicity", "Age", "Disability status", "Language spoken at home"]},
        {"fields": ["race/ethnicity", "age", "disability", "primary language", "gender identity"]},
        {"age": "Census five-year bands"},
        {"age": "5-year age bands"},
        {"age": "exact_date_of_birth"},
        {"age": "date of birth"},
        {"age": "DOB"},
        {"disability": "Washington Group short set"},
        {"disability": "the Washington Group questions"},
        {"language": "ACS language and English ability"},
        {"language": "census language questions"},
        {"review_cadence": "every 2 years"},
        {"review_cadence": "biennially"},
        {"review_cadence": "Every other year"},
        {"review_cadence": "yearly"},
        {"review_cadence": "once a year"},
    ],
)
def test_each_equivalent_wording_of_the_standard_passes(change: dict[str, Any]) -> None:
    assert audit.standard_problems({**good_standard(), **change}, city_threshold=11) == []


def test_a_date_of_birth_is_comparable_because_the_bands_can_be_worked_out_from_it() -> None:
    problems = audit.standard_problems(
        {**good_standard(), "age": "exact_date_of_birth"}, city_threshold=11
    )
    assert not any("not comparable" in what for what, _ in problems), problems
    only_adult = audit.standard_problems(
        {**good_standard(), "age": "adult or child"}, city_threshold=11
    )
    assert any("'age' is 'adult or child', which is not comparable" in w for w, _ in only_adult)
    assert any("A date of birth works too" in fix for _, fix in only_adult)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"race_ethnicity_format": "the 1997 two questions"}, "not the 2024 combined question"),
        ({"fields": ["race and ethnicity", "age"]}, "leaves out disability, language"),
        ({"disability": "a yes/no question"}, "is not comparable"),
        ({"review_cadence": "every five years"}, "'review_cadence' is 'every five years'"),
    ],
)
def test_a_wording_that_means_something_else_is_still_refused(
    change: dict[str, Any], expected: str
) -> None:
    problems = audit.standard_problems({**good_standard(), **change}, city_threshold=11)
    assert any(expected in what for what, _ in problems), problems


@pytest.mark.parametrize("said", ["Monthly", "every month", "once a month", "MONTHLY "])
def test_a_publication_frequency_in_other_words_passes(said: str) -> None:
    plan = good_plan()
    plan[0] = {**plan[0], "frequency": said}
    assert audit.plan_problems(plan, _inventory()) == []


def test_a_target_equal_to_today_is_refused_unless_today_is_everything() -> None:
    inv, plan = _inventory(), good_plan()
    today = audit.inventory_metrics(inv)
    same = audit.target_problems(
        {"published": 0.571, "documented": 0.8, "fresh": float(today.fresh)}, inv, plan
    )
    assert any("is the same as today's" in w for w, _ in same), same

"""Skills-survey logic for Module 2: level order, role needs, gaps, and no small group in any table."""

from __future__ import annotations

import pandas as pd
import pytest

from cohort_tools.citydata.schemas import ROLE_FAMILIES, SKILLS
from cohort_tools.lessons import skills


def _survey(groups: dict[tuple[str, str], tuple[int, str]]) -> pd.DataFrame:
    """(department, role) -> (respondents, level), every respondent rating every skill."""
    rows = []
    for (dept, role), (n, level) in groups.items():
        for i in range(n):
            for skill in SKILLS:
                rows.append(
                    {
                        "respondent_id": f"{dept}-{role}-{i}",
                        "department_id": dept,
                        "role_family": role,
                        "skill": skill,
                        "level": level,
                        "training_interest": i % 2 == 0,
                    }
                )
    return pd.DataFrame(rows)


def test_levels_score_in_order_from_awareness_to_expert() -> None:
    assert [skills.level_score(x) for x in ("awareness", "working", "practitioner", "expert")] == [
        1,
        2,
        3,
        4,
    ]


def test_an_unknown_level_names_the_allowed_levels() -> None:
    with pytest.raises(ValueError, match="awareness, working, practitioner, expert"):
        skills.level_score("guru")


def test_every_role_family_has_a_need_for_every_skill() -> None:
    assert set(skills.ROLE_NEEDS) == set(ROLE_FAMILIES)
    for needs in skills.ROLE_NEEDS.values():
        assert set(needs) == set(SKILLS) and all(1 <= v <= 4 for v in needs.values())


def test_gap_is_levels_short_of_the_role_need_and_never_negative() -> None:
    frame = skills.scored(
        _survey({("PW", "analyst"): (1, "awareness"), ("PW", "frontline"): (1, "expert")})
    )
    analyst = frame[(frame["role_family"] == "analyst") & (frame["skill"] == "data_literacy")]
    assert float(analyst["gap"].iloc[0]) == 3.0  # analysts need expert (4), have awareness (1)
    assert (frame[frame["role_family"] == "frontline"]["gap"] == 0).all()


def test_a_department_under_the_threshold_is_in_no_group_table() -> None:
    survey = _survey(
        {
            ("PW", "frontline"): (20, "working"),
            ("FIN", "analyst"): (15, "working"),
            ("HR", "manager"): (3, "expert"),
        }
    )
    table = skills.by_group(survey, "department_id", threshold=11)
    assert "HR" not in set(table.table["department_id"])
    assert table.withheld >= 1
    assert "HR" not in skills.priority_departments(survey, threshold=11, n=5)


def test_a_small_department_and_role_cell_is_withheld_but_its_department_is_shown() -> None:
    survey = _survey(
        {
            ("PW", "frontline"): (20, "working"),
            ("PW", "analyst"): (4, "expert"),
            ("FIN", "manager"): (30, "working"),
        }
    )
    by_dept = skills.by_group(survey, "department_id", threshold=11).table
    by_team = skills.by_group(survey, ["department_id", "role_family"], threshold=11).table
    assert "PW" in set(by_dept["department_id"])
    assert not ((by_team["department_id"] == "PW") & (by_team["role_family"] == "analyst")).any()


def test_gap_points_add_up_the_levels_missing() -> None:
    survey = _survey({("PW", "analyst"): (12, "working")})
    table = skills.by_group(survey, "department_id", threshold=11).table.set_index("skill")
    # analysts need expert (4) in data literacy: 12 people x 2 levels short
    assert table.loc["data_literacy", "gap_points"] == 24
    assert table.loc["data_literacy", "share_below_need"] == 1.0


def test_citywide_figures_are_empty_when_too_few_answered() -> None:
    survey = _survey({("PW", "analyst"): (5, "working")})
    assert skills.citywide(survey, threshold=11).empty
    assert skills.level_shares(survey, threshold=11).empty
    assert skills.priority_skills(survey, threshold=11) == []


def test_priority_skills_are_the_ones_with_most_gap_points() -> None:
    survey = _survey({("PW", "analyst"): (12, "working"), ("FIN", "frontline"): (12, "awareness")})
    table = skills.citywide(survey, threshold=11)
    top = skills.priority_skills(survey, threshold=11, n=2)
    assert table.loc[top, "gap_points"].min() >= table["gap_points"].drop(top).max()


def test_roles_to_hire_follow_the_thinnest_skills() -> None:
    assert skills.roles_for(["data_engineering", "statistics", "data_engineering"]) == [
        "data engineer",
        "data scientist",
    ]
    assert skills.role_covers("Senior Data Engineer", "data_engineering")
    assert not skills.role_covers("communications officer", "statistics")


def test_hiring_cost_pays_each_hire_until_the_end_of_year_three() -> None:
    plan = [
        {"role": "data engineer", "year": 1, "count": 2, "salary_usd": 100.0},
        {"role": "data analyst", "year": 3, "count": 1, "salary_usd": 50.0},
    ]
    assert skills.hiring_cost(plan) == 2 * 100 * 3 + 50
    assert skills.cumulative_hires(plan) == {"year_1": 2, "year_2": 2, "year_3": 3}
    assert skills.training_cost([{"cost_usd": 10.0}, {"cost_usd": 5}]) == 15.0

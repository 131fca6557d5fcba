"""The strategy's parts map to real workshop answers; the roadmap and cross-checks read them."""

from __future__ import annotations

import pytest

from cohort_tools.core import paths
from cohort_tools.course.answers import answer_names, checkpoint_for
from cohort_tools.model.programme import load_programme
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.strategy.document import blocks_for, cross_checks, is_empty, label
from cohort_tools.strategy.roadmap import roadmap_items

PROGRAMME = load_programme()
MAPPED = [
    (part.id, session, name)
    for part in PROGRAMME.deliverable.parts
    for session, names in part.answers.items()
    for name in names
]


def test_every_deliverable_part_is_built_from_named_answers_or_the_city_s_data() -> None:
    assert all(part.answers for part in PROGRAMME.deliverable.parts)


@pytest.mark.parametrize("part,session,name", MAPPED, ids=[f"{p}-{n}" for p, _, n in MAPPED])
def test_each_named_answer_is_assigned_in_an_answer_cell_with_a_checkpoint_after_it(
    part: str, session: str, name: str
) -> None:
    notebook = PROGRAMME.session(session).notebook
    assert notebook, f"{session} has no notebook"
    path = paths.workshops_dir().parent / notebook
    assert path.is_file(), f"{notebook} (for {part}) is not written"
    nb = read_myst(path.read_text(encoding="utf-8"))
    assert name in answer_names(nb), f"{notebook} has no answer cell assigning {name}"
    assert name in checkpoint_for(nb), f"no checkpoint follows the answer {name} in {notebook}"


def test_labels_and_emptiness_read_plainly() -> None:
    assert label("workforce_budget_usd") == "Workforce budget (USD)"
    assert label("year_1") == "Year 1"
    assert is_empty(None) and is_empty("  ") and is_empty([]) and is_empty(["", " "])
    assert not is_empty(0) and not is_empty(["x"])


def test_a_list_of_records_becomes_a_table_with_every_column() -> None:
    blocks = blocks_for("hiring_plan", [{"role": "analyst", "year": 1}, {"role": "x", "cost": 2}])
    table = blocks[1]
    assert table.columns == ["Role", "Year", "Cost"]  # type: ignore[union-attr]
    assert table.rows == [["analyst", "1", ""], ["x", "", "2"]]  # type: ignore[union-attr]


def test_cross_checks_find_roles_and_skills_the_plans_leave_out_and_a_low_threshold() -> None:
    answers = {
        "roles_to_hire": ["data engineer", "data analyst"],
        "hiring_plan": [{"role": "Senior data analyst", "year": 1, "count": 1}],
        "priority_skills": ["data_literacy", "statistics"],
        "upskilling_plan": [{"skill": "data_literacy", "year": 1}],
        "demographic_standard": {"small_numbers_threshold": 5},
    }
    found = {answer: problem for answer, _, problem in cross_checks(answers, threshold=11)}
    assert "data engineer" in found["hiring_plan"] and "data analyst" not in found["hiring_plan"]
    assert "statistics" in found["upskilling_plan"]
    assert "below the city's privacy threshold of 11" in found["demographic_standard"]
    assert cross_checks({"demographic_standard": {"small_numbers_threshold": 11}}, 11) == []


def test_roadmap_items_place_engagement_months_in_years_and_skip_undated_rows() -> None:
    items = roadmap_items(
        {
            "engagement_plan": [
                {"stakeholder": "council", "activity": "Briefing", "month": 14},
                {"stakeholder": "residents", "activity": "Forum", "month": "soon"},
            ],
            "hiring_plan": [{"role": "analyst", "count": 1, "year": 3}, {"role": "x"}],
        }
    )
    assert [(a.year, a.workstream) for a in items] == [(2, "Engagement"), (3, "Workforce")]

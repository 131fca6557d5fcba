"""Module 2 workshops A (skills) and B (workforce): common wrong answers fail with the matching plain
hint, an untouched learner copy fails plainly, and the named outputs have the shapes `cda strategy`
reads (JSON-serialisable)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from notebook_runs import (
    cell_text,
    check_wrong_answers,
    execute,
    run_graded,
    with_answers,
    wrong_answer_cases,
)

from cohort_tools.citydata.schemas import SKILLS
from cohort_tools.core import paths
from cohort_tools.notebooks.myst import read_myst

pytestmark = pytest.mark.slow

SKILLS_NB = paths.workshops_dir() / "m2_workshop_a_skills.md"
WORKFORCE_NB = paths.workshops_dir() / "m2_workshop_b_workforce.md"

# Riverton facts the sets rely on: executive staff and HR are withheld (fewer than 11 answered);
# frontline staff have the lowest levels but analysts have the widest gap against their needs.
COMMON_WRONG_SKILLS = [
    (
        {
            "answer-weakest-skill": 'weakest_skill = "awareness"',
            "answer-widest-gap-role": 'widest_gap_role = "executive"',
            "answer-priority-skills": 'priority_skills = ["Data ethics", "Statistics"]',
            "answer-upskilling-departments": 'upskilling_departments = ["Fire and Rescue"]',
            "answer-roles-to-hire": 'roles_to_hire = ["data_engineering"]',
        },
        {
            "check-weakest-skill": "is a level, not a skill",
            "check-widest-gap-role": "withheld to protect a small group",
            "check-priority-skills": "is a skill's name, not its code",
            "check-upskilling-departments": "is a department's name, not its id",
            "check-roles-to-hire": "is a skill, not a job title",
        },
    ),
    (
        {
            "answer-weakest-skill": 'weakest_skill = str(city_skills["mean_level"].idxmax())',
            "answer-widest-gap-role": (
                'widest_gap_role = str(by_role.wide("mean_level").mean(axis=1).idxmin())'
            ),
            "answer-priority-skills": "priority_skills = list(SKILLS)",
            "answer-upskilling-departments": 'upskilling_departments = ["HR"]',
            "answer-roles-to-hire": 'roles_to_hire = ["communications officer"]',
        },
        {
            "check-weakest-skill": "has the highest average, not the lowest",
            "check-widest-gap-role": "have the lowest levels, but their work needs less",
            "check-priority-skills": "it needs 2 to 4",
            "check-upskilling-departments": "withheld to protect a small group",
            "check-roles-to-hire": "none of these roles brings the skills",
        },
    ),
    (
        {
            "answer-priority-skills": 'priority_skills = skills.top(-city_skills["gap_points"], 2)',
            "answer-upskilling-departments": (
                "upskilling_departments = list(dept_points.index[-1:])"
            ),
        },
        {
            "check-priority-skills": "none of your skills is among the three",
            "check-upskilling-departments": "none of your departments is among the three",
            "check-weakest-skill": "'weakest_skill' is still empty",
        },
    ),
]

COMMON_WRONG_WORKFORCE = [
    (
        {
            "answer-workforce-budget": "workforce_budget_usd = 3.5",
            "answer-upskilling-plan": (
                'upskilling_plan = [{"who": "FIRE", "skill": "data_ethics", "how": '
                '"workshop series", "people": 12, "cost_usd": 1500.0, "year": 1}]'
            ),
            "answer-hiring-plan": (
                'hiring_plan = [{"role": "data engineer", "year": 1, "count": 2, '
                '"salary_usd": 140.0}]'
            ),
            "answer-retention-actions": "retention_actions = []",
            "answer-staffing-path": ('staffing_path = {"year_1": 50, "year_2": 60, "year_3": 70}'),
        },
        {
            "check-workforce-budget": "looks like thousands or millions",
            "check-upskilling-plan": "does not add up",
            "check-hiring-plan": "looks like thousands",
            "check-retention-actions": "has 0 entries; it needs 1 to 5",
            "check-staffing-path": "cannot be reached",
            "check-plan-fits-budget": "more than the budget",
        },
    ),
    (
        {
            "answer-workforce-budget": "workforce_budget_usd = 0.5 * 3 * yearly_budget",
            "answer-upskilling-plan": (
                'upskilling_plan = [{"who": "Fire", "skill": "ethics", "how": "course", '
                '"people": 5, "cost_usd": 2000.0, "year": 4}]'
            ),
            "answer-hiring-plan": (
                'hiring_plan = [{"role": "data engineer", "year": 1, "count": 1, '
                '"salary_usd": 11000.0}]'
            ),
            "answer-retention-actions": 'retention_actions = ["mentoring", "Mentoring "]',
            "answer-staffing-path": 'staffing_path = {"year_1": 1, "year_2": 1, "year_3": 1}',
        },
        {
            "check-workforce-budget": "stay between 0.1% and 5%",
            "check-upskilling-plan": "'Fire' is not a role family or department id",
            "check-hiring-plan": "looks like a monthly salary",
            "check-retention-actions": "the same action is listed twice",
            "check-staffing-path": "loses more than 30%",
        },
    ),
    (
        {
            "answer-workforce-budget": "workforce_budget_usd = 1_500_000.0",
            "answer-upskilling-plan": (
                'upskilling_plan = [{"who": "manager", "skill": "data_engineering", "how": '
                '"online course", "people": 10, "cost_usd": 4000.0, "year": 1}, {"who": "PW", '
                '"skill": "data_engineering", "how": "online course", "people": 500, '
                '"cost_usd": 200000.0, "year": 2}]'
            ),
            "answer-hiring-plan": (
                'hiring_plan = [{"role": "data engineer", "year": 1, "count": 10, '
                '"salary_usd": 140000.0}]'
            ),
        },
        {
            "check-upskilling-plan": "trains none of the skills where training pays most",
            "check-plan-fits-budget": "raise the budget in exercise 1",
            "check-staffing-path": "each year should be a whole number",
        },
    ),
]

CASES = wrong_answer_cases(
    skills=(SKILLS_NB, COMMON_WRONG_SKILLS), workforce=(WORKFORCE_NB, COMMON_WRONG_WORKFORCE)
)


@pytest.mark.parametrize("source,answers,hints", CASES)
def test_module2_common_wrong_answers_fail_with_the_matching_plain_hint(
    source: Path, answers: dict[str, str], hints: dict[str, str], tmp_path: Path
) -> None:
    check_wrong_answers(source, answers, hints, tmp_path)


def test_workforce_plan_that_adds_up_passes_every_checkpoint(tmp_path: Path) -> None:
    """The checkpoints judge consistency, not one right answer: a different sound plan passes."""
    answers = {
        # the plans below cost $920,000: a budget more than twice that would ask the mayor for
        # money no plan spends, which the budget checkpoint now refuses (issue 18, coherence)
        "answer-workforce-budget": "workforce_budget_usd = 1_000_000.0",
        "answer-upskilling-plan": (
            'upskilling_plan = [{"who": "manager", "skill": "data_ethics", "how": "data academy", '
            '"people": 10, "cost_usd": 50000.0, "year": 2}]'
        ),
        "answer-hiring-plan": (
            'hiring_plan = [{"role": "analytics engineer", "year": 1, "count": 2, '
            '"salary_usd": 120000.0}, {"role": "data analyst", "year": 3, "count": 1, '
            '"salary_usd": 100000.0}]'
        ),
        "answer-retention-actions": 'retention_actions = ["a community of practice"]',
        "answer-staffing-path": 'staffing_path = {"year_1": 10, "year_2": 9, "year_3": 11}',
    }
    out = run_graded(with_answers(answers, WORKFORCE_NB), "riverton", tmp_path)
    for gid, text in out.items():
        if gid.startswith("check-"):
            assert "Checkpoint passed" in text, (gid, text)


def test_an_untouched_skills_copy_fails_every_checkpoint_plainly(tmp_path: Path) -> None:
    out = run_graded(with_answers({}, SKILLS_NB), "cedar-bend", tmp_path)
    assert all(text == "" for gid, text in out.items() if gid.startswith("answer-")), out
    for gid in ("check-weakest-skill", "check-priority-skills", "check-roles-to-hire"):
        assert "is still empty" in out[gid] and "Traceback" not in out[gid], (gid, out[gid])


def _named_outputs(source: Path, names: list[str], city: str, tmp_path: Path) -> dict:
    nb = read_myst(source.read_text(encoding="utf-8"))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import json\nprint('NAMED=' + json.dumps({n: globals()[n] for n in "
            + repr(names)
            + "}))",
            metadata={"tags": []},
        )
    )
    executed = execute(nb, city, tmp_path)
    text = cell_text(executed.cells[-1])
    assert text.startswith("NAMED="), text
    return json.loads(text.removeprefix("NAMED="))


@pytest.mark.parametrize("city", ["riverton", "port-alder"])
def test_skills_named_outputs_have_the_shapes_the_strategy_reads(city: str, tmp_path: Path) -> None:
    out = _named_outputs(
        SKILLS_NB, ["priority_skills", "upskilling_departments", "roles_to_hire"], city, tmp_path
    )
    assert 2 <= len(out["priority_skills"]) <= 4 and set(out["priority_skills"]) <= set(SKILLS)
    assert 1 <= len(out["upskilling_departments"]) <= 5
    assert all(isinstance(d, str) for d in out["upskilling_departments"])
    assert 1 <= len(out["roles_to_hire"]) <= 5
    assert all(isinstance(r, str) and r not in SKILLS for r in out["roles_to_hire"])


def test_workforce_named_outputs_have_the_shapes_the_strategy_reads(tmp_path: Path) -> None:
    names = [
        "upskilling_plan",
        "hiring_plan",
        "retention_actions",
        "workforce_budget_usd",
        "staffing_path",
    ]
    out = _named_outputs(WORKFORCE_NB, names, "cedar-bend", tmp_path)
    assert all(
        set(x) == {"who", "skill", "how", "people", "cost_usd", "year"}
        and isinstance(x["people"], int)
        and isinstance(x["cost_usd"], float)
        and x["year"] in (1, 2, 3)
        for x in out["upskilling_plan"]
    )
    assert all(
        set(x) == {"role", "year", "count", "salary_usd"} and isinstance(x["count"], int)
        for x in out["hiring_plan"]
    )
    assert 1 <= len(out["retention_actions"]) <= 5
    assert isinstance(out["workforce_budget_usd"], float)
    assert set(out["staffing_path"]) == {"year_1", "year_2", "year_3"}
    assert all(isinstance(v, int) for v in out["staffing_path"].values())

"""Module 3 workshops A and B: common wrong answers fail with the matching plain hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from notebook_runs import (
    assert_hints,
    check_wrong_answers,
    run_graded,
    with_answers,
    wrong_answer_cases,
)

from cohort_tools.core import paths

pytestmark = pytest.mark.slow

STAKEHOLDERS = paths.workshops_dir() / "m3_workshop_a_stakeholders.md"
COMMUNICATING = paths.workshops_dir() / "m3_workshop_b_communicating.md"

ONLY_DEPARTMENTS = (
    'stakeholder_map = [{"stakeholder": "Public Works", "kind": "department", "holds": "repairs", '
    '"needs": "a rule", "ask": "what is personal", "show": "the inventory", "when": "month 4"}]'
)
PLAN_FOR_A_PERSON = (
    'engagement_plan = [{"stakeholder": "Public Works", "activity": "review", "month": 48, '
    '"owner": "Priya Raman"}]'
)
ASKED_ONCE = """
stakeholder_map = [
    {"stakeholder": str(departments.loc[d, "department"]), "kind": "department", "holds": "data",
     "needs": "a rule", "ask": "what is personal", "show": "the inventory", "when": "month 4"}
    for d in sorted(must_map)
] + [
    {"stakeholder": s, "kind": k, "holds": "x", "needs": "y", "ask": "z", "show": "w",
     "when": "month 5"}
    for s, k in [("City council", "council"), ("Tenants' union", "community_group"),
                 ("Residents of " + ", ".join(expected_quiet), "residents"),
                 ("Frontline staff", "staff")]
]
"""
PLAN_ASKED_ONCE = """
engagement_plan = [
    {"stakeholder": e["stakeholder"], "activity": e["ask"], "month": 9, "owner": "equity lead"}
    for e in stakeholder_map
] + [{"stakeholder": "Local paper", "activity": "briefing", "month": 10, "owner": "press office"}]
"""

COMMON_WRONG_STAKEHOLDERS = [
    (
        {
            "answer-departments-to-map": "departments_to_map = sorted(departments.index)",
            "answer-quiet-neighbourhoods": (
                'quiet_neighbourhoods = list(by_area.sort_values("per_1000")["name"].tail(3))'
            ),
            "answer-stakeholder-map": ONLY_DEPARTMENTS,
            "answer-engagement-plan": PLAN_FOR_A_PERSON,
        },
        {
            "check-departments-to-map": "own no personal or unpublished dataset",
            "check-quiet-neighbourhoods": "among the busiest, not the quietest",
            "check-stakeholder-map": "no one of the kind council, community group",
            "check-engagement-plan": "months run from 1 to 36",
        },
    ),
    (
        {
            "answer-departments-to-map": (
                'departments_to_map = sorted(owners.index[owners["personal"] > 0])'
            ),
            "answer-quiet-neighbourhoods": (
                'quiet_neighbourhoods = list(by_area.sort_values("requests")["name"].head(3))'
            ),
            "answer-stakeholder-map": ASKED_ONCE,
            "answer-engagement-plan": PLAN_ASKED_ONCE,
        },
        {
            "check-departments-to-map": "the list misses",
            "check-quiet-neighbourhoods": "compare requests per 1,000 residents",
            "check-engagement-plan": "the loop is not closed",
        },
    ),
]

PERSON_OWNER_HINT = "does not look like a role"
LEAKY_CHART = """
makeover_chart = alt.Chart(by_group.reset_index()).mark_bar(color="#0072B2").encode(
    x=alt.X("participants:Q", title="People served"), y=alt.Y("group:N", title="Group")
).properties(title="Half of the people served found work", description=chart_description)
"""

COMMON_WRONG_COMMUNICATING = [
    (
        {
            "answer-suppressed-groups": (
                "suppressed_groups = [label(g) for g in by_group.index"
                '[(by_group["participants"] > 0) & (by_group["participants"] < threshold)]]'
            ),
            "answer-chart-title": 'chart_title = "Success rate by group"',
            "answer-chart-description": 'chart_description = "A chart."',
            "answer-makeover-chart": "makeover_chart = before_chart",
            "answer-data-story": (
                'data_story = {"headline": "Results", "finding": "Most people did well.", '
                '"why_it_matters": "Fairness.", "what_we_will_do": "Look again.", '
                '"about_the_data": "From our records."}'
            ),
        },
        {
            "check-suppressed-groups": "the list misses",
            "check-chart-title": "does not say what it shows",
            "check-chart-description": "too short to replace the chart",
            "check-makeover-chart": "is drawn as zero",
            "check-data-story": "does not say that small numbers are suppressed",
        },
    ),
    (
        {
            "answer-suppressed-groups": 'suppressed_groups = ["AIAN"]',
            "answer-chart-description": (
                'chart_description = "Bar chart of success by group: most groups did well, and '
                '3 people in one group found work."'
            ),
            "answer-makeover-chart": LEAKY_CHART,
        },
        {
            "check-suppressed-groups": "not in the list",
            "check-chart-title": "'chart_title' is still empty",
            "check-chart-description": "under the threshold",
            "check-makeover-chart": "the chart's data holds a count under 11",
            "check-data-story": "'headline' is still empty",
        },
    ),
]

CASES = wrong_answer_cases(
    stakeholders=(STAKEHOLDERS, COMMON_WRONG_STAKEHOLDERS),
    communicating=(COMMUNICATING, COMMON_WRONG_COMMUNICATING),
)


@pytest.mark.parametrize("source,answers,hints", CASES)
def test_common_wrong_answers_fail_with_the_matching_plain_hint(
    source: Path, answers: dict[str, str], hints: dict[str, str], tmp_path: Path
) -> None:
    check_wrong_answers(source, answers, hints, tmp_path)


def test_a_person_named_as_owner_is_refused_without_repeating_the_name(tmp_path: Path) -> None:
    out = run_graded(
        with_answers({"answer-engagement-plan": PLAN_FOR_A_PERSON}, STAKEHOLDERS),
        "riverton",
        tmp_path,
    )
    assert_hints(out, {"check-engagement-plan": PERSON_OWNER_HINT})
    assert "Priya" not in out["check-engagement-plan"]


def test_an_untouched_learner_copy_fails_every_checkpoint_plainly(tmp_path: Path) -> None:
    for source in (STAKEHOLDERS, COMMUNICATING):
        out = run_graded(with_answers({}, source), "cedar-bend", tmp_path)
        checks = {gid: text for gid, text in out.items() if gid.startswith("check-")}
        assert checks and all("Checkpoint not passed yet" in t for t in checks.values()), checks
        assert not any("Traceback" in t for t in out.values())

"""The strategy studio's decisions, read into the strategy's answers (cohort_tools.strategy.studio):
changes and kept targets, priorities against the budget, goal leads, the summary and the sign-off;
anything malformed is skipped and said in words, never raised."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from cohort_tools.lessons import coherence
from cohort_tools.strategy.studio import (
    Point,
    action_key,
    apply_studio,
    describe_change,
    parse_sign_off,
    parse_summary,
    plan_cost,
    suggest,
)

TEAM = ["mayor", "chief of staff", "chief data officer", "equity and accountability lead"]
GOALS = ["use", "govern", "people", "open", "fair"]
VALUES: dict[str, Any] = {
    "workforce_budget_usd": 3_400_000.0,
    "target_days": 2.0,
    "baseline_days": 4.74,
    "upskilling_plan": [
        {"who": "PW", "skill": "data_ethics", "people": 10, "cost_usd": 15000.0, "year": 1},
        {"who": "manager", "skill": "data_literacy", "people": 20, "cost_usd": 8000.0, "year": 2},
    ],
    "hiring_plan": [
        {"role": "data engineer", "year": 1, "count": 1, "salary_usd": 140000.0},
        {"role": "data analyst", "year": 2, "count": 2, "salary_usd": 100000.0},
    ],
    "investment_priorities": [
        {"investment": "Data catalogue", "year": 2, "cost_usd": 60000.0},
        {"investment": "Shared data warehouse", "year": 3, "cost_usd": 150000.0},
    ],
    "stat_meeting": {"cadence": "monthly", "chair": "city manager"},
}


def point(number: int, check: str, answer: str, subject: str = "") -> Point:
    return Point(
        number,
        check,
        coherence.CHECKS[check],
        answer,
        answer,
        subject,
        "problem.",
        "fix.",
        "a workshop",
        "m1-workshop-a",
        check == "target-unsupported",
    )


POINTS = [
    point(1, "budget-unplanned", "workforce_budget_usd", "workforce budget"),
    point(2, "target-unsupported", "target_days", "median days to close"),
    point(3, "owner-not-on-team", "stat_meeting", "city manager"),
]


def apply(studio: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    return apply_studio(
        VALUES,
        studio,
        POINTS,
        changeable=list(VALUES),
        team=TEAM,
        goals=GOALS,
        years=3,
    )


def test_a_change_gives_the_answer_its_new_value_and_a_keep_needs_a_keepable_point_and_a_reason() -> (
    None
):
    values, made = apply(
        {
            "resolutions": [
                {"point": 1, "decision": "change", "answer": "workforce_budget_usd", "value": 1e6},
                {"point": 2, "decision": "keep", "why": "a second crew starts in March"},
                {"point": 3, "decision": "keep", "why": "the city manager agreed"},
            ]
        }
    )
    assert values["workforce_budget_usd"] == 1e6 and VALUES["workforce_budget_usd"] == 3.4e6
    assert [p.number for p, _ in made.kept] == [2]
    assert made.kept_keys == {("target-unsupported", "target_days", "median days to close")}
    assert made.changed == [("workforce_budget_usd", "")]
    assert any("must be changed" in u for u in made.unused)  # point 3 cannot be kept


def test_a_change_of_another_kind_or_to_an_unknown_answer_is_skipped_and_said() -> None:
    values, made = apply(
        {
            "resolutions": [
                {
                    "point": 1,
                    "decision": "change",
                    "answer": "workforce_budget_usd",
                    "value": "a lot",
                },
                {"decision": "change", "answer": "budget", "value": 5},
                "not a line",
                {"point": 1, "decision": "maybe"},
            ]
        }
    )
    assert values == VALUES
    assert len(made.unused) == 4, made.unused


def test_priorities_move_lines_to_another_year_and_leave_others_for_later() -> None:
    values, made = apply(
        {
            "strategy_budget_usd": 700000,
            "priorities": {
                "training 1": 1,
                "training 2": 3,
                "hire 1": 1,
                "hire 2": "later",
                "investment 1": 2,
                "investment 2": "later",
                "hire 9": 1,
                "training 1 ": 7,
            },
        }
    )
    assert [r["year"] for r in values["upskilling_plan"]] == [1, 3]
    assert [r["role"] for r in values["hiring_plan"]] == ["data engineer"]
    assert [r["investment"] for r in values["investment_priorities"]] == ["Data catalogue"]
    assert made.moved == [("training 2", 2, 3)]
    assert made.deferred == ["hire 2", "investment 2"]
    assert made.budget == 700000
    assert len(made.unused) == 2  # "hire 9" is not a line; 7 is not a year
    # What is kept: 15,000 + 8,000 training, 3 years of the engineer, the catalogue.
    assert plan_cost(values, 3) == 15000 + 8000 + 3 * 140000 + 60000


def test_goal_leads_must_be_roles_on_the_team_and_take_the_team_s_wording() -> None:
    _, made = apply({"goal_leads": {"people": "Chief Data Officer", "fair": "Jordan Smith"}})
    assert made.leads == {"people": "chief data officer"}
    assert any("fair" in u for u in made.unused)


def test_the_sign_off_is_a_role_a_date_and_a_decision_never_a_name() -> None:
    ok = parse_sign_off({"role": "Mayor", "date": "2027-07-06", "decision": "approve"})
    assert ok is not None and ok.signed and ok.date == dt.date(2027, 7, 6)
    assert (
        ok.sentence("Riverton") == "The mayor of Riverton approved this strategy on July 6, 2027."
    )
    not_yet = parse_sign_off(
        {"role": "mayor", "date": "2027-07-06", "decision": "not yet", "changes": "Cost it first."}
    )
    assert not_yet is not None and not not_yet.signed
    assert not_yet.sentence("Riverton").startswith("Not signed yet")
    for bad in (
        {"role": "Jordan Smith", "date": "2027-07-06", "decision": "approve"},
        {"role": "mayor", "date": "next week", "decision": "approve"},
        {"role": "mayor", "date": "2027-07-06", "decision": "yes"},
        {"role": "mayor", "date": "2027-07-06", "decision": "approve with changes"},
        "approved",
        None,
    ):
        assert parse_sign_off(bad) is None, bad


def test_the_summary_keeps_only_the_plan_s_goals_and_nothing_empty_is_a_summary() -> None:
    found = parse_summary(
        {"why": " Now.  ", "goals": {"use": "A sentence.", "moon": "No.", "fair": ""}}, GOALS
    )
    assert found is not None and found.why == "Now." and found.goals == {"use": "A sentence."}
    assert parse_summary({"why": "", "goals": {}, "residents": "", "ask": ""}, GOALS) is None


def test_action_keys_name_a_plan_and_a_line() -> None:
    assert action_key("hire 2") == ("hiring_plan", 1)
    assert action_key(" Training 1") == ("upskilling_plan", 0)
    assert action_key("hire 0") is None and action_key("bonus 1") is None and action_key(3) is None


def test_changes_are_described_in_short_lines() -> None:
    assert describe_change(3_426_000.0, 1_081_000.0) == ["3,426,000 -> 1,081,000"]
    assert describe_change(["A", "B"], ["A", "C"]) == ["remove 'B'", "add 'C'"]
    assert describe_change(
        {"chair": "x", "cadence": "monthly"}, {"chair": "y", "cadence": "monthly"}
    ) == ["chair: 'x' -> 'y'"]
    assert describe_change([{"owner": "x"}, {"owner": "y"}], [{"owner": "z"}, {"owner": "y"}]) == [
        "line 1: owner 'x' -> 'z'"
    ]


def test_suggestions_settle_the_points_they_are_made_for() -> None:
    def suggestion(answer: str, check: str) -> Any:
        finding = next(
            f
            for f in coherence.check_all(VALUES, team=TEAM, horizon=3)
            if f.answer == answer and f.check == check
        )
        return suggest(
            answer,
            [finding],
            VALUES,
            metrics=pd.DataFrame(),
            inventory=pd.DataFrame(),
            today=None,
            today_roles=None,
            team=TEAM,
            lead=lambda goal: {"use": "chief of staff"}.get(goal, "chief data officer"),
            threshold=11,
            years=3,
        )

    budget = suggestion("workforce_budget_usd", "budget-unplanned")
    assert budget == 928_000  # the plans cost 843,000 (training 23,000, pay 820,000), +10%
    assert not coherence.budget(budget, VALUES["upskilling_plan"], VALUES["hiring_plan"])
    meeting = suggestion("stat_meeting", "owner-not-on-team")
    assert meeting == {"cadence": "monthly", "chair": "chief of staff"}
    days = suggestion("target_days", "target-unsupported")
    assert days == round(0.85 * 4.74, 2) and not coherence.days_target(4.74, days)

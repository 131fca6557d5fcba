"""The mayor decision brief (issue 19 item 7): each decision gets the facts that bear on it, a
recommendation, and each option's cost and risk, from the city's data and the team's answers;
a plan the strategy would flag is never recommended as it stands."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pytest

from cohort_tools.citydata.loader import open_city
from cohort_tools.lessons import decisions
from tests.functional.strategy_helpers import coherent

RIVERTON_TEAM = [
    "mayor",
    "performance manager",
    "chief of staff",
    "chief data officer",
    "equity and accountability lead",
]


@pytest.fixture(scope="module")
def riverton() -> Any:
    return open_city("riverton")


def _answers() -> dict[str, Any]:
    return {k: v for workshop in coherent().values() for k, v in workshop.items()}


def _sound(brief: decisions.Brief) -> None:
    assert brief.facts and brief.options
    assert 0 <= brief.recommended < len(brief.options)
    for option in brief.options:
        assert option.cost.strip() and option.risk.strip() and option.what.strip(), option
    assert brief.because.strip()


def test_each_decision_has_its_own_facts(riverton: Any) -> None:
    answers = _answers()
    metrics = decisions.priorities_brief(
        answers, metrics=riverton.table("performance_metrics"), team=RIVERTON_TEAM
    )
    workforce = decisions.workforce_brief(
        answers, departments=riverton.table("departments"), survey=riverton.table("staff_survey")
    )
    standard = decisions.standard_brief(
        answers,
        inventory=riverton.table("data_inventory"),
        outcomes=riverton.table("programme_outcomes"),
    )
    for brief in (metrics, workforce, standard):
        _sound(brief)
    assert any("Potholes repaired within 3 business days" in f for f in metrics.facts)
    assert any("stat meeting" in f for f in metrics.facts)
    assert any("data roles" in f for f in workforce.facts)
    assert any("cost $982,000 over three years" in f for f in workforce.facts), workforce.facts
    assert any("race and ethnicity" in f for f in standard.facts)
    assert any("publication plan puts" in f for f in standard.facts)
    # no more "the same three facts for every decision"
    assert not set(metrics.facts) & set(workforce.facts)
    assert not set(workforce.facts) & set(standard.facts)
    assert {metrics.exhibit, workforce.exhibit, standard.exhibit} == {
        "metrics",
        "plan_cost",
        "publication",
    }


def test_a_coherent_plan_is_recommended_with_its_cost(riverton: Any) -> None:
    brief = decisions.workforce_brief(
        _answers(),
        departments=riverton.table("departments"),
        survey=riverton.table("staff_survey"),
    )
    assert not brief.findings
    assert brief.recommendation.name == "The team's plan"
    assert brief.recommendation.cost.startswith("$982,000 over three years")
    training_only = next(o for o in brief.options if o.name == "Training only")
    assert training_only.cost == "$62,000 over three years."
    assert "(data engineer and data scientist) stay unfilled" in training_only.risk


def test_a_budget_far_above_its_plans_is_not_recommended_as_it_stands(riverton: Any) -> None:
    answers = _answers()
    answers["workforce_budget_usd"] = 3_400_000.0
    brief = decisions.workforce_brief(
        answers, departments=riverton.table("departments"), survey=riverton.table("staff_survey")
    )
    assert [f.check for f in brief.findings] == ["budget-unplanned"]
    assert brief.because.startswith("approve it once these are settled: lower the budget")
    assert "Points to settle" in brief.recommendation.risk


def test_a_target_already_met_sends_the_metrics_back(riverton: Any) -> None:
    answers = _answers()
    answers["priority_metrics"] = ["CE-INSP", "PW-POT3", "HCD-RAP"]
    brief = decisions.priorities_brief(
        answers, metrics=riverton.table("performance_metrics"), team=RIVERTON_TEAM
    )
    assert brief.recommendation.name == "Ask for changes"
    assert any(f.check == "target-met" for f in brief.findings)


def test_a_chair_who_is_not_on_the_team_is_a_point_to_settle(riverton: Any) -> None:
    answers = _answers()
    answers["stat_meeting"] = {**answers["stat_meeting"], "chair": "city manager"}
    brief = decisions.priorities_brief(
        answers, metrics=riverton.table("performance_metrics"), team=RIVERTON_TEAM
    )
    assert [f.check for f in brief.findings] == ["owner-not-on-team"]
    assert brief.recommendation.name == "Ask for changes"


def test_a_standard_looser_than_the_privacy_rule_is_approved_only_with_changes(
    riverton: Any,
) -> None:
    answers = copy.deepcopy(_answers())
    answers["demographic_standard"] = {
        "race_ethnicity_format": "spd15_2024_combined",
        "fields": ["race_ethnicity", "age", "disability", "language"],
        "age": "census_5_year_bands",
        "disability": "washington_group_short_set",
        "language": "acs_language_and_english_ability",
        "optional": True,
        "when_collected": "at enrollment",
        "small_numbers_threshold": 5,
        "access": {"public": "tables", "analysts": "records without names"},
        "review_cadence": "every two years",
    }
    brief = decisions.standard_brief(
        answers,
        inventory=riverton.table("data_inventory"),
        outcomes=riverton.table("programme_outcomes"),
        threshold=11,
    )
    assert brief.recommendation.name == "Approve with changes"
    assert "looser than the city's rule" in brief.because + " ".join(
        f.problem for f in brief.findings
    )


@pytest.mark.parametrize(
    ("gaps", "points", "recommended"),
    [
        ([], [], "Sign"),
        ([], ["The chief of staff is not on the team."], "Sign with a deadline"),
        (["the demographic data standard"], [], "Return it to the team"),
    ],
)
def test_the_signature_follows_what_is_still_open(
    gaps: list[str], points: list[str], recommended: str
) -> None:
    brief = decisions.signoff_brief(
        sections=10,
        complete=10 - len(gaps),
        gaps=gaps,
        points=points,
        plan_cost=1_220_000.0,
        owned=20,
        actions=22,
    )
    _sound(brief)
    assert brief.recommendation.name == recommended
    assert "$1.22 million" in brief.options[0].cost


def test_without_answers_the_brief_says_what_the_team_must_do_first() -> None:
    empty = pd.DataFrame()
    brief = decisions.workforce_brief({}, departments=empty, survey=empty)
    _sound(brief)
    assert brief.recommendation.name == "Decide later"
    assert "Module 2, workshop B" in brief.because

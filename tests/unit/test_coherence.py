"""The coherence checks a workshop checkpoint and the strategy share (cohort_tools.lessons.coherence).

Each check is run on the smallest answers that break it, and on answers that hold up."""

from __future__ import annotations

import pandas as pd
import pytest

from cohort_tools.lessons import coherence
from cohort_tools.lessons.checkpoints import Checkpoint, CheckpointFailed


def metric_history(
    metric_id: str,
    values: list[float],
    target: float,
    *,
    unit: str = "percent",
    higher_is_better: bool = True,
    name: str = "Code complaints inspected within 10 days",
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric_id": metric_id,
            "metric": name,
            "department_id": "CE",
            "period": [f"2025-{m:02d}" for m in range(1, len(values) + 1)],
            "value": values,
            "target": target,
            "unit": unit,
            "higher_is_better": higher_is_better,
        }
    )


RISING = [57.0, 60, 62, 64, 66, 68, 70, 71, 72, 74, 75, 76.5]


@pytest.mark.parametrize(
    "today,target,higher,verdict",
    [
        (76.5, 75.0, True, "met"),  # the demo's code complaints: target below today
        (80.0, 80.0, True, "not-better"),  # "Datasets up to date 80% -> 80%"
        (78.4, 80.0, True, None),
        (4.9, 5.0, False, "met"),  # lower is better: 5.0 missed collections is worse than 4.9
        (33.2, 30.0, False, None),
        (4.74, 4.74, False, "not-better"),
    ],
)
def test_a_target_is_judged_in_the_direction_that_is_better(
    today: float, target: float, higher: bool, verdict: str | None
) -> None:
    assert coherence.compare_target(today, target, higher_is_better=higher) == verdict


def test_keeping_a_share_already_at_its_best_is_not_flagged() -> None:
    assert coherence.compare_target(1.0, 1.0, higher_is_better=True, best=1.0) is None
    targets = {"published": 1.0, "documented": 0.9, "fresh": 0.8}
    today = {"published": 1.0, "documented": 0.8, "fresh": 0.8}
    [finding] = coherence.transparency_targets(targets, today)
    assert finding.check == "target-not-better" and "datasets up to date" in finding.problem
    assert finding.answer == "transparency_targets"


def test_a_metric_target_already_met_is_flagged_by_the_metric_s_name() -> None:
    metrics = metric_history("CE-INSP", RISING, 75.0)
    [finding] = coherence.metric_targets(metrics, ["CE-INSP"])
    assert finding.check == "target-met" and finding.answer == "priority_metrics"
    assert "Code complaints inspected within 10 days" in finding.problem
    assert "76.5 percent" in finding.problem and "75 percent" in finding.problem
    assert "CE-INSP" not in finding.problem


def test_a_lower_is_better_metric_above_its_target_is_not_flagged_as_met() -> None:
    falling = [47.3, 45, 44, 42, 41, 40, 39, 38, 36, 35, 34, 33.2]
    metrics = metric_history("PLN-PRT", falling, 30.0, unit="days", higher_is_better=False)
    assert coherence.metric_targets(metrics, ["PLN-PRT"]) == []
    met = metric_history("PLN-PRT", falling, 35.0, unit="days", higher_is_better=False)
    assert [f.check for f in coherence.metric_targets(met, ["PLN-PRT"])] == ["target-met"]


def test_a_year_3_target_the_history_cannot_support_is_flagged() -> None:
    flat = [60.0, 60.5, 60, 61, 60.5, 61, 60, 61, 60.5, 61, 60, 61]
    metrics = metric_history("PW-POT3", flat, 99.0, name="Potholes repaired within 3 days")
    [finding] = coherence.metric_targets(metrics, ["PW-POT3"])
    assert finding.check == "target-unsupported" and "Potholes repaired" in finding.problem
    reachable = metric_history("PW-POT3", flat, 68.0, name="Potholes repaired within 3 days")
    assert coherence.metric_targets(reachable, ["PW-POT3"]) == []
    rising = metric_history("PW-POT3", RISING, 99.0)  # gains 19.5 points a year: supported
    assert coherence.metric_targets(rising, ["PW-POT3"]) == []


def test_a_percentage_target_over_100_is_never_supported() -> None:
    ok, _, _ = coherence.target_supported(
        90.0, 101.0, RISING, higher_is_better=True, unit="percent"
    )
    assert not ok


def test_the_days_to_close_target_must_be_faster_and_not_halve_the_wait() -> None:
    [slower] = coherence.days_target(4.5, 5.0)
    assert slower.check == "target-met" and slower.answer == "target_days"
    [same] = coherence.days_target(4.5, 4.5)
    assert same.check == "target-not-better"
    [halved] = coherence.days_target(4.5, 2.0)
    assert halved.check == "target-unsupported"
    assert coherence.days_target(4.5, 3.6) == []


HIRES = [{"role": "data engineer", "year": 1, "count": 1, "salary_usd": 140_000.0}]
TRAINING = [{"who": "PW", "skill": "data_ethics", "cost_usd": 18_000.0, "year": 1}]


def test_plans_that_cost_more_than_the_workforce_budget_are_an_overrun() -> None:
    [finding] = coherence.budget(300_000, TRAINING, HIRES)  # 18,000 + 3 x 140,000
    assert finding.check == "budget-overrun" and finding.answer == "workforce_budget_usd"
    assert "$438,000" in finding.problem and "$300,000" in finding.problem


def test_a_budget_more_than_twice_its_plans_is_flagged_and_one_that_fits_is_not() -> None:
    [finding] = coherence.budget(3_426_000, TRAINING, HIRES)
    assert finding.check == "budget-unplanned" and "13%" in finding.problem
    assert coherence.budget(480_000, TRAINING, HIRES) == []


def test_an_investment_without_a_cost_is_flagged() -> None:
    investments = [{"investment": "Data catalogue", "year": 2}]
    [finding] = coherence.budget(None, [], [], investments)
    assert finding.check == "cost-missing" and "Data catalogue" in finding.problem


def test_the_staffing_path_must_grow_and_stay_within_the_hires() -> None:
    [flat] = coherence.staffing({"year_1": 8, "year_2": 8, "year_3": 8}, 8, HIRES)
    assert flat.check == "target-not-better"
    [beyond] = coherence.staffing({"year_1": 9, "year_2": 10, "year_3": 12}, 8, HIRES)
    assert beyond.check == "staffing-vs-hiring" and "only 9" in beyond.problem
    assert coherence.staffing({"year_1": 9, "year_2": 9, "year_3": 9}, 8, HIRES) == []


INVENTORY = pd.DataFrame(
    {
        "dataset_id": ["DS001", "DS002", "DS003"],
        "dataset": ["311 service requests", "Rental assistance applications", "Permits"],
        "owner_department_id": ["CS", "HCD", "PLN"],
        "update_frequency": ["daily", "weekly", "daily"],
        "last_updated": ["2026-01-15", "2026-01-10", "2025-06-01"],
        "published_openly": [True, False, False],
        "contains_personal_data": [False, True, False],
        "documented": [True, True, False],
    }
)


def test_a_publication_plan_the_governance_decisions_do_not_back_is_flagged() -> None:
    plan = [
        {"dataset_id": "DS002", "year": 1, "frequency": "weekly", "aggregated": False},
        {"dataset_id": "DS003", "year": 1, "frequency": "daily", "aggregated": False},
    ]
    model = {"body": "Data board", "decides": ["data quality standard"]}
    found = coherence.publication_vs_governance(plan, model, {"timeliness_max_days": 60}, INVENTORY)
    by_answer = {f.answer: f.problem for f in found if f.answer == "governance_model"}
    assert "not charged with deciding what is published" in by_answer["governance_model"]
    problems = " ".join(f.problem for f in found if f.answer == "publication_plan")
    assert "Rental assistance applications holds data about people" in problems
    assert "Permits would go online in year 1" in problems
    backed = {"body": "Data board", "decides": ["what is published"]}
    fine = [{"dataset_id": "DS002", "year": 2, "frequency": "weekly", "aggregated": True}]
    assert coherence.publication_vs_governance(fine, backed, {}, INVENTORY) == []


TEAM = ["mayor", "performance manager", "chief of staff", "chief data officer", "equity lead"]


@pytest.mark.parametrize(
    "owner,team_role,same",
    [
        ("equity lead", "Equity and accountability lead", True),
        ("chief_of_staff", "Chief of staff", True),
        ("Chief data officer (or similar)", "chief data officer", True),
        ("city manager", "performance manager", False),  # "manager" alone is too vague
        ("parks director", "chief of staff", False),
    ],
)
def test_role_titles_match_on_their_words(owner: str, team_role: str, same: bool) -> None:
    assert coherence.same_role(owner, team_role) is same


SPANISH_TEAM = [
    "alcalde o alcaldesa",
    "directora de planeación estratégica",
    "jefe o jefa de gabinete",
    "director o directora de datos",
]


@pytest.mark.parametrize(
    "owner,on_team",
    [
        ("jefa de gabinete", True),  # one of the two forms of a gendered title
        ("Directora de planeacion estrategica", True),  # accents dropped when comparing
        ("chief of staff", True),  # the same program role, named in English
        ("Chief data officer (or similar)", True),
        ("mayor", True),
        ("responsable de comunicaciones", False),  # a program role this team does not have
        ("directora de obras", False),
    ],
)
def test_a_spanish_team_s_roles_match_in_either_language(owner: str, on_team: bool) -> None:
    assert coherence.on_team(owner, SPANISH_TEAM) is on_team


def test_a_model_answer_names_the_owner_in_the_team_s_own_words() -> None:
    wanted = ["chief of staff", "city manager", "chief data officer"]
    assert coherence.team_role(wanted, SPANISH_TEAM) == "jefe o jefa de gabinete"
    assert coherence.team_role(["city manager", "chief data officer"], SPANISH_TEAM) == (
        "director o directora de datos"
    )
    # the exact title first: "deputy chief of staff" also contains "chief of staff"
    assert coherence.team_role(wanted, ["deputy chief of staff", "chief of staff"]) == (
        "chief of staff"
    )
    assert coherence.team_role(["city manager"], SPANISH_TEAM, "nobody") == "nobody"


def test_a_spanish_governance_body_charged_with_publishing_backs_the_plan() -> None:
    backed = {"body": "Junta de datos", "decides": ["qué se publica"]}
    fine = [{"dataset_id": "DS002", "year": 2, "frequency": "weekly", "aggregated": True}]
    assert coherence.publication_vs_governance(fine, backed, {}, INVENTORY) == []
    unbacked = {"body": "Junta de datos", "decides": ["estándar de calidad de datos"]}
    assert coherence.publication_vs_governance(fine, unbacked, {}, INVENTORY) != []


def test_owners_must_be_named_and_on_the_team() -> None:
    answers = {
        "stat_meeting": {"cadence": "weekly", "chair": "chief of staff", "first_metric": "X"},
        "engagement_plan": [
            {
                "stakeholder": "Parks users",
                "activity": "Walk",
                "month": 4,
                "owner": "parks director",
            },
            {"stakeholder": "Libraries", "activity": "Ask", "month": 4, "owner": "parks director"},
            {"stakeholder": "Council", "activity": "Brief", "month": 5, "owner": " "},
        ],
    }
    found = {f.check: f for f in coherence.owners(answers, TEAM)}
    assert set(found) == {"owner-not-on-team", "action-no-owner"}
    stranger = found["owner-not-on-team"]
    assert stranger.answer == "engagement_plan" and "parks director" in stranger.problem
    assert "Parks users and Libraries" in stranger.problem  # one finding per role, not per row
    assert "Council" in found["action-no-owner"].problem


def test_plan_lines_without_a_date_are_flagged_with_their_line_numbers() -> None:
    answers = {
        "hiring_plan": [*HIRES, {"role": "data analyst", "count": 1, "salary_usd": 1.0}],
        "engagement_plan": [{"stakeholder": "Council", "activity": "Brief", "month": "soon"}],
        "publication_plan": [{"dataset_id": "DS002", "year": 7}],
    }
    found = {f.answer: f for f in coherence.dates(answers)}
    assert set(found) == {"hiring_plan", "engagement_plan", "publication_plan"}
    assert found["hiring_plan"].check == "action-no-date"
    assert "line 2 of the hire list has no year" in found["hiring_plan"].problem


def test_each_broken_answer_names_the_workshop_that_produces_it() -> None:
    assert coherence.producer("target_days") == "m1-workshop-a"
    assert coherence.producer("workforce_budget_usd") == "m2-workshop-b"
    assert coherence.producer("engagement_plan") == "m3-workshop-a"
    assert coherence.producer("hiring_plan") == "m2-workshop-b"
    assert coherence.producer("transparency_targets") == "m3-workshop-d"
    assert coherence.producer("not_an_answer") is None


def test_a_workshop_checkpoint_fails_on_a_finding_in_plain_words() -> None:
    metrics = metric_history("CE-INSP", RISING, 75.0)
    with pytest.raises(CheckpointFailed) as failed, Checkpoint("a target better than today") as cp:
        for finding in coherence.metric_targets(metrics, ["CE-INSP"]):
            cp.require(False, *finding.pair)
    assert "already beats the target" in str(failed.value)
    assert "Try: raise the target" in str(failed.value)


def test_check_all_runs_every_check_the_answers_allow() -> None:
    answers = {
        "baseline_days": 4.5,
        "target_days": 5.0,
        "workforce_budget_usd": 100_000.0,
        "upskilling_plan": TRAINING,
        "hiring_plan": HIRES,
        "roles_to_hire": ["data scientist"],
    }
    checks = {f.check for f in coherence.check_all(answers)}
    assert {"target-met", "budget-overrun", "roles-not-hired"} <= checks
    assert set(coherence.CHECKS) >= checks

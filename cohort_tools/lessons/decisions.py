"""The mayor decision brief's content: for each decision, the facts that bear on it, the options
with what each costs and risks, and a recommendation, from the city's data and the team's answers.

A mayor meets the team four times (programme.yaml ``mayor_checkins``): to confirm the priority
metrics, to set the workforce budget, to approve the demographic data standard and the
publication plan, and to sign the strategy. Each decision gets its own facts: the workforce
decision needs the plan's cost and the skills gap, not the share of datasets published. The
recommendation follows from the same coherence checks the workshops and the strategy use, so the
brief never recommends a plan the strategy would flag.

Costs are money where the team's answers price something (training, hires, investments) and staff
time where they do not (a stat meeting, a form to change); :data:`MEETING_HOURS` and
:data:`FORM_HOURS` are this program's planning figures, said so on the page.

Nothing here reads files or draws: the coaching template passes the tables and answers and shows
the result (``coaching_templates/mayor_decision_brief.md``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cohort_tools.lessons import coherence, skills, standards_audit
from cohort_tools.lessons.coherence import Finding
from cohort_tools.lessons.inventory import inventory_metrics
from cohort_tools.lessons.wording import canonical
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD

#: Meetings a year for each cadence the stat meeting may have.
MEETINGS_A_YEAR = {"weekly": 52, "every two weeks": 26, "monthly": 12}
#: Program planning figures (not quotes): a stat meeting's length, and the staff hours to change one
#: intake form and retrain the people who use it.
MEETING_HOURS = 1.0
FORM_HOURS = 40


@dataclass(frozen=True)
class Option:
    """One choice the mayor has: what it is, what it costs, what could go wrong."""

    name: str
    what: str
    cost: str
    risk: str


@dataclass(frozen=True)
class Brief:
    """A decision, its facts, its options and the one the brief recommends."""

    checkin: str
    decision: str
    facts: list[str]
    options: list[Option]
    recommended: int
    because: str
    exhibit: str  # the chart the page shows: "metrics", "plan_cost", "publication"
    findings: list[Finding] = field(default_factory=list)  # points to settle first

    @property
    def recommendation(self) -> Option:
        return self.options[self.recommended]


# -- small helpers --------------------------------------------------------------------------------


def money(usd: float) -> str:
    """``$1.2 million``, ``$62,000``."""
    if abs(usd) >= 1_000_000:
        return "$" + f"{usd / 1_000_000:,.2f}".rstrip("0").rstrip(".") + " million"
    return f"${usd:,.0f}"


def _num(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _list(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _problems(findings: Sequence[Finding]) -> str:
    return " ".join(f.problem[:1].upper() + f.problem[1:] for f in findings)


# -- 1. the priority metrics ----------------------------------------------------------------------


def priorities_brief(
    answers: Mapping[str, Any], *, metrics: pd.DataFrame, team: Collection[str] = ()
) -> Brief:
    """Confirm the priority metrics, their targets and the stat meeting."""
    chosen = [m for m in answers.get("priority_metrics") or [] if isinstance(m, str)]
    facts: list[str] = []
    latest = (
        metrics.sort_values("period").groupby("metric_id").tail(1).set_index("metric_id")
        if len(metrics)
        else pd.DataFrame()
    )
    for m in chosen:
        if m not in latest.index:
            continue
        row = latest.loc[m]
        unit = "" if str(row["unit"]) in ("count", "") else f" {row['unit']}"
        goal = (
            f"target {_num(float(row['target']))}{unit}" if pd.notna(row["target"]) else "no target"
        )
        facts.append(f"{row['metric']}: {_num(float(row['value']))}{unit} today, {goal}.")
    base, target = _number(answers.get("baseline_days")), _number(answers.get("target_days"))
    if base is not None and target is not None:
        cut = 100 * (base - target) / base if base else 0.0
        facts.append(
            f"The most-requested service closes in a median of {_num(base)} days; the team's "
            f"target is {_num(target)} days in a year, a cut of {cut:.0f}%."
        )
    findings = coherence.metric_targets(metrics, chosen) if len(metrics) else []
    findings += coherence.days_target(base, target)
    meeting = answers.get("stat_meeting")
    meeting = meeting if isinstance(meeting, Mapping) else {}
    findings += coherence.owners({"stat_meeting": meeting}, team) if meeting else []
    cadence = canonical(meeting.get("cadence"), list(MEETINGS_A_YEAR))
    people = max(len(team), 3)
    hours = MEETINGS_A_YEAR.get(cadence or "", 26) * MEETING_HOURS * people
    if meeting:
        facts.append(
            f"The stat meeting would meet {cadence or meeting.get('cadence') or 'on a rhythm to set'}"
            f", chaired by the {meeting.get('chair') or 'chair still to name'}."
        )
    named = ", ".join(str(latest.loc[m, "metric"]) for m in chosen if m in latest.index)
    confirm = Option(
        "Confirm",
        f"Confirm the team's metrics ({named or 'not chosen yet'}) and hold the first stat "
        "meeting this month.",
        f"About {hours:,.0f} senior staff hours a year ({people} people, "
        f"{_num(MEETING_HOURS)} hour, {MEETINGS_A_YEAR.get(cadence or '', 26)} meetings); "
        "no new money.",
        (
            "Low: each target improves on today and the city's own history can support it."
            if not findings
            else "The plan has points to settle: " + _problems(findings)
        ),
    )
    change = Option(
        "Ask for changes",
        "Send the metrics back to the team with the changes to make.",
        "One more two-hour team session; the first stat meeting moves back about a month.",
        "Weeks without a routine review of the mayor's priorities.",
    )
    if not chosen:
        return Brief(
            "mayor-priorities",
            "Confirm the priority metrics, their targets and the stat meeting.",
            facts or ["The team has not chosen its priority metrics yet (Module 1, workshop A)."],
            [change, confirm],
            0,
            "the team has not chosen its metrics yet: ask for them before the check-in.",
            "metrics",
        )
    recommended = 0 if not findings else 1
    because = (
        "every target improves on today, the history supports it, and the chair is on the team."
        if not findings
        else "settle these points first: " + "; ".join(f.fix for f in findings[:3])
    )
    return Brief(
        "mayor-priorities",
        "Confirm the priority metrics, their targets and the stat meeting.",
        facts,
        [confirm, change],
        recommended,
        because,
        "metrics",
        findings,
    )


# -- 2. the workforce budget ------------------------------------------------------------------------


def plan_costs(answers: Mapping[str, Any], horizon: int = skills.HORIZON_YEARS) -> pd.DataFrame:
    """The training and hiring plans' cost by year: ``year``, ``part``, ``usd``."""
    training, hiring = _rows(answers.get("upskilling_plan")), _rows(answers.get("hiring_plan"))
    rows = []
    for year in range(1, horizon + 1):
        rows.append(
            {
                "year": f"Year {year}",
                "part": "training",
                "usd": sum(
                    float(_number(r.get("cost_usd")) or 0)
                    for r in training
                    if r.get("year") == year
                ),
            }
        )
        rows.append(
            {
                "year": f"Year {year}",
                "part": "new hires' pay",
                "usd": sum(
                    float(_number(r.get("count")) or 0) * float(_number(r.get("salary_usd")) or 0)
                    for r in hiring
                    if isinstance(r.get("year"), int) and r["year"] <= year
                ),
            }
        )
    return pd.DataFrame(rows, columns=["year", "part", "usd"])


def workforce_brief(
    answers: Mapping[str, Any],
    *,
    departments: pd.DataFrame,
    survey: pd.DataFrame,
    threshold: int = DEFAULT_THRESHOLD,
) -> Brief:
    """Set the three-year budget for data training and hiring."""
    training, hiring = _rows(answers.get("upskilling_plan")), _rows(answers.get("hiring_plan"))
    budget = _number(answers.get("workforce_budget_usd"))
    facts: list[str] = []
    if len(departments):
        roles, staff = int(departments["data_roles"].sum()), int(departments["headcount"].sum())
        facts.append(
            f"{roles:,} of {staff:,} staff work in data roles today "
            f"({100 * roles / max(staff, 1):.1f} per 100)."
        )
    city = skills.citywide(survey, threshold=threshold) if len(survey) else pd.DataFrame()
    below = float(city["share_below_need"].mean()) if len(city) else None
    if below is not None:
        facts.append(
            f"{below:.0%} of staff skill ratings fall short of what their roles need "
            "(staff survey; small groups hidden)."
        )
    priority = [skills.SKILL_LABELS.get(s, s).lower() for s in answers.get("priority_skills") or []]
    if priority:
        facts.append(f"Training pays most in {_list(priority)} (Module 2, workshop A).")
    try:
        train_cost = skills.training_cost(training)
        hire_cost = skills.hiring_cost(hiring)
    except (TypeError, ValueError, KeyError):
        train_cost, hire_cost = 0.0, 0.0
    yearly_pay = sum(
        float(_number(r.get("count")) or 0) * float(_number(r.get("salary_usd")) or 0)
        for r in hiring
    )
    hires = int(sum(float(_number(r.get("count")) or 0) for r in hiring))
    if training or hiring:
        facts.append(
            f"The team's plans cost {money(train_cost + hire_cost)} over three years: "
            f"{money(train_cost)} of training and {money(hire_cost)} of pay for {hires} new "
            f"hire(s), whose pay of {money(yearly_pay)} a year goes on after year 3."
        )
    if budget is not None and len(departments) and float(departments["budget_usd"].sum()):
        share = budget / (3 * float(departments["budget_usd"].sum()))
        facts.append(
            f"The budget asked for, {money(budget)}, is {share:.2%} of three years of the "
            "departments' operating budget (this program's own guide accepts 0.1% to 5%)."
        )
    findings = coherence.budget(budget, training, hiring)
    findings += [
        f
        for f in coherence.roles_and_skills(answers, threshold)
        if f.check in ("roles-not-hired", "skills-not-trained")
    ]
    roles_wanted = [str(r) for r in answers.get("roles_to_hire") or []]
    plan = Option(
        "The team's plan",
        f"Approve {money(budget) if budget is not None else 'the budget'} over three years for "
        f"the training plan and {hires} hire(s).",
        f"{money(train_cost + hire_cost)} over three years, then {money(yearly_pay)} a year in pay.",
        (
            "The plans hold together; the pay of new hires is a lasting cost to carry in "
            "future budgets."
            if not findings
            else "Points to settle: " + _problems(findings)
        ),
    )
    training_only = Option(
        "Training only",
        "Fund the training plan and no new positions.",
        f"{money(train_cost)} over three years.",
        (
            f"The roles Workshop A found ({_list(roles_wanted)}) stay unfilled: "
            if roles_wanted
            else "The skills no one on staff has stay missing: "
        )
        + "training rarely takes a person from awareness to expert.",
    )
    later = Option(
        "Decide later",
        "Keep the plan for the next budget year.",
        "Nothing now.",
        (
            f"The gap stays for another year: {below:.0%} of skill ratings below what roles need."
            if below is not None
            else "The skills gap stays for another budget year."
        ),
    )
    if not (training or hiring):
        return Brief(
            "mayor-workforce",
            "Set the three-year budget for data training and hiring.",
            facts or ["The team has not drafted its workforce plans yet (Module 2, workshop B)."],
            [later, plan, training_only],
            0,
            "the team has not drafted its training and hiring plans yet (Module 2, workshop B).",
            "plan_cost",
        )
    if not findings:
        because = (
            f"the plans cost {money(train_cost + hire_cost)}, within the budget asked, and train "
            "the skills where training pays most."
        )
    else:
        because = "approve it once these are settled: " + "; ".join(f.fix for f in findings[:3])
    return Brief(
        "mayor-workforce",
        "Set the three-year budget for data training and hiring.",
        facts,
        [plan, training_only, later],
        0,
        because,
        "plan_cost",
        findings,
    )


# -- 3. the demographic data standard and the publication plan ------------------------------------


def standard_brief(
    answers: Mapping[str, Any],
    *,
    inventory: pd.DataFrame,
    outcomes: pd.DataFrame,
    threshold: int = DEFAULT_THRESHOLD,
    compliance: str = "",
) -> Brief:
    """Approve the demographic data standard and the publication plan."""
    facts: list[str] = []
    to_update = standard_audit_update(inventory)
    if len(inventory):
        facts.append(
            f"{len(to_update)} of the city's datasets ask about race and ethnicity in an older "
            "or a custom way; each needs a new question on its form."
        )
    if compliance:
        facts.append(compliance)
    gaps = standards_audit.gap_summary(outcomes, threshold=threshold) if len(outcomes) else None
    if gaps is not None and gaps["gap_points"].notna().any():
        top = gaps.loc[gaps["gap_points"].idxmax()]
        facts.append(
            f"{top['programme']} succeeds for {top['overall_rate']:.0f}% of participants overall, "
            f"but its groups differ by {top['gap_points']:.0f} points: results by group need "
            "the standard."
        )
    plan = _rows(answers.get("publication_plan"))
    path = standards_audit.projected_published(inventory, plan) if len(inventory) else {}
    if plan and path:
        facts.append(
            f"The publication plan puts {len(plan)} datasets online over three years, taking the "
            f"share published from {path[0]:.0%} to {path[3]:.0%}."
        )
    standard = answers.get("demographic_standard")
    findings: list[Finding] = []
    if isinstance(standard, Mapping):
        findings += [
            Finding("demographic-standard", "demographic_standard", what, fix)
            for what, fix in standards_audit.standard_problems(standard, city_threshold=threshold)
        ]
    findings += coherence.publication_vs_governance(
        plan, answers.get("governance_model"), answers.get("quality_standard"), inventory
    )
    if len(inventory):
        findings += coherence.transparency_targets(
            answers.get("transparency_targets"), inventory_metrics(inventory).as_dict()
        )
    forms = len(to_update) * FORM_HOURS
    year_1 = sum(1 for p in plan if p.get("year") == 1)
    both = Option(
        "Approve both",
        "Approve the standard and the publication plan as drafted, with a review in a year.",
        f"Staff time: about {forms:,} hours to change {len(to_update)} form(s) "
        f"({FORM_HOURS} hours each, a program planning figure) and to prepare {year_1} "
        "dataset(s) for the portal in year 1.",
        (
            "Low: the standard follows the federal one and the city's privacy rule, and year 1 "
            "publishes only data that is ready."
            if not findings
            else "Points to settle: " + _problems(findings)
        ),
    )
    standard_only = Option(
        "Approve the standard, publish later",
        "Adopt the standard now; bring the publication plan back next year.",
        f"Staff time for the {len(to_update)} form(s) only.",
        (
            f"Residents cannot check the city's numbers: the share published stays at {path[0]:.0%}."
            if path
            else "Residents cannot check the city's numbers for another year."
        ),
    )
    changes = Option(
        "Approve with changes",
        "Name the part to change and who on the team changes it, then approve.",
        "One more team session before the next check-in.",
        "A month's delay; forms keep collecting data that cannot be compared.",
    )
    if not isinstance(standard, Mapping) and not plan:
        return Brief(
            "mayor-standard",
            "Approve the demographic data standard and the publication plan.",
            facts,
            [changes, both, standard_only],
            0,
            "the team has not drafted the standard or the plan yet (Module 3, workshops C and D).",
            "publication",
        )
    return Brief(
        "mayor-standard",
        "Approve the demographic data standard and the publication plan.",
        facts,
        [both, standard_only, changes],
        0 if not findings else 2,
        (
            "both follow the rules the city has set, and the plan grows what residents can check "
            "every year."
            if not findings
            else "approve once these are changed: " + "; ".join(f.fix for f in findings[:3])
        ),
        "publication",
        findings,
    )


def standard_audit_update(inventory: pd.DataFrame) -> list[str]:
    """Datasets whose form must change to ask the 2024 race and ethnicity question."""
    return standards_audit.datasets_to_update(inventory) if len(inventory) else []


# -- 4. the signature -----------------------------------------------------------------------------


def signoff_brief(
    *,
    sections: int,
    complete: int,
    gaps: Sequence[str],
    points: Sequence[str],
    plan_cost: float | None,
    owned: int,
    actions: int,
) -> Brief:
    """Sign the citywide data strategy. ``gaps`` and ``points`` are the missing answers and the
    points to resolve, in words (from the strategy's completeness report)."""
    facts = [f"{complete} of {sections} sections of the strategy are complete."]
    if plan_cost is not None:
        facts.append(f"The plan's priced actions cost {money(plan_cost)} over three years.")
    if actions:
        facts.append(f"{owned} of {actions} actions have an owner on the team.")
    if gaps:
        facts.append(f"Still missing: {_list(list(gaps)[:4])}.")
    if points:
        facts.append(f"{len(points)} point(s) to resolve before signing.")
    cost = money(plan_cost) if plan_cost is not None else "the plan's cost"
    sign = Option(
        "Sign",
        "Sign the strategy and announce it.",
        f"{cost} over three years, as planned.",
        (
            "Low: every section is complete and the plan holds together."
            if not gaps and not points
            else f"The city commits to a plan with {len(gaps)} gap(s) and {len(points)} open point(s)."
        ),
    )
    deadline = Option(
        "Sign with a deadline",
        "Sign now and give the team a date to close what is open.",
        f"{cost}, plus the team's time to close the open points.",
        "A deadline that slips leaves parts of the strategy unowned.",
    )
    back = Option(
        "Return it to the team",
        "Ask the team to answer the open questions first.",
        "One or two more team sessions.",
        "The strategy starts later; the momentum of the program fades.",
    )
    if not gaps and not points:
        return Brief(
            "mayor-signoff",
            "Sign the citywide data strategy.",
            facts,
            [sign, deadline, back],
            0,
            "every section is complete and nothing is left to resolve.",
            "metrics",
        )
    if not gaps:
        return Brief(
            "mayor-signoff",
            "Sign the citywide data strategy.",
            facts,
            [sign, deadline, back],
            1,
            "every section is there; the open points are changes to answers the team already has.",
            "metrics",
        )
    return Brief(
        "mayor-signoff",
        "Sign the citywide data strategy.",
        facts,
        [sign, deadline, back],
        2,
        f"{len(gaps)} part(s) of the strategy are still missing: a signature would commit the "
        "city to a plan it has not made yet.",
        "metrics",
    )


__all__ = [
    "FORM_HOURS",
    "MEETINGS_A_YEAR",
    "MEETING_HOURS",
    "Brief",
    "Option",
    "money",
    "plan_costs",
    "priorities_brief",
    "signoff_brief",
    "standard_brief",
    "workforce_brief",
]

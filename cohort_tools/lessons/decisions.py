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

Every text a coach reads is marked ``_()`` and written in the current language (the Spanish
template runs in Spanish). Values a template compares stay as they are: the check-in ids, the
``exhibit`` names and the ``part`` values of :func:`plan_costs` ("training", "new hires' pay"),
which the templates' chart colors name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cohort_tools.core import i18n
from cohort_tools.core.i18n import N_, _
from cohort_tools.lessons import coherence, skills, standards_audit
from cohort_tools.lessons.coherence import Finding
from cohort_tools.lessons.inventory import inventory_metrics
from cohort_tools.lessons.wording import canonical
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD

#: Meetings a year for each cadence the stat meeting may have.
MEETINGS_A_YEAR = {N_("weekly"): 52, N_("every two weeks"): 26, N_("monthly"): 12}
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


def _english() -> bool:
    return i18n.current_language() == i18n.SOURCE_LANGUAGE


def money(usd: float) -> str:
    """``$1.2 million``, ``$62,000`` (US dollars; in Spanish ``US$1.2 millones``)."""
    if abs(usd) >= 1_000_000:
        amount = f"{usd / 1_000_000:,.2f}".rstrip("0").rstrip(".")
        if not _english():
            amount = i18n.format_number(round(usd / 1_000_000, 2), digits=2).rstrip("0")
            amount = amount.rstrip(i18n.locale_for().number_symbols["latn"]["decimal"])
        return _("${amount} million").format(amount=amount)
    amount = f"{usd:,.0f}" if _english() else i18n.format_number(usd)
    return _("${amount}").format(amount=amount)


def _num(value: float) -> str:
    if not _english():
        return i18n.format_number(value, digits=1 if value % 1 else 0)
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _list(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


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
            _("target {target}{unit}").format(target=_num(float(row["target"])), unit=unit)
            if pd.notna(row["target"])
            else _("no target")
        )
        facts.append(
            _("{metric}: {value}{unit} today, {goal}.").format(
                metric=row["metric"], value=_num(float(row["value"])), unit=unit, goal=goal
            )
        )
    base, target = _number(answers.get("baseline_days")), _number(answers.get("target_days"))
    if base is not None and target is not None:
        cut = 100 * (base - target) / base if base else 0.0
        facts.append(
            _(
                "The most-requested service closes in a median of {base} days; the team's "
                "target is {target} days in a year, a cut of {cut}%."
            ).format(base=_num(base), target=_num(target), cut=f"{cut:.0f}")
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
        said_cadence = _(cadence) if cadence else meeting.get("cadence")
        facts.append(
            _("The stat meeting would meet {cadence}, chaired by the {chair}.").format(
                cadence=said_cadence or _("on a rhythm to set"),
                chair=meeting.get("chair") or _("chair still to name"),
            )
        )
    named = ", ".join(str(latest.loc[m, "metric"]) for m in chosen if m in latest.index)
    confirm = Option(
        _("Confirm"),
        _(
            "Confirm the team's metrics ({metrics}) and hold the first stat meeting this month."
        ).format(metrics=named or _("not chosen yet")),
        _(
            "About {hours} senior staff hours a year ({people} people, {length} hour, "
            "{meetings} meetings); no new money."
        ).format(
            hours=_num(round(hours)),
            people=people,
            length=_num(MEETING_HOURS),
            meetings=MEETINGS_A_YEAR.get(cadence or "", 26),
        ),
        (
            _("Low: each target improves on today and the city's own history can support it.")
            if not findings
            else _("The plan has points to settle: {points}").format(points=_problems(findings))
        ),
    )
    change = Option(
        _("Ask for changes"),
        _("Send the metrics back to the team with the changes to make."),
        _("One more two-hour team session; the first stat meeting moves back about a month."),
        _("Weeks without a routine review of the mayor's priorities."),
    )
    if not chosen:
        return Brief(
            "mayor-priorities",
            _("Confirm the priority metrics, their targets and the stat meeting."),
            facts
            or [_("The team has not chosen its priority metrics yet (Module 1, workshop A).")],
            [change, confirm],
            0,
            _("the team has not chosen its metrics yet: ask for them before the check-in."),
            "metrics",
        )
    recommended = 0 if not findings else 1
    because = (
        _("every target improves on today, the history supports it, and the chair is on the team.")
        if not findings
        else _("settle these points first: {fixes}").format(
            fixes="; ".join(f.fix for f in findings[:3])
        )
    )
    return Brief(
        "mayor-priorities",
        _("Confirm the priority metrics, their targets and the stat meeting."),
        facts,
        [confirm, change],
        recommended,
        because,
        "metrics",
        findings,
    )


# -- 2. the workforce budget ------------------------------------------------------------------------


def plan_costs(answers: Mapping[str, Any], horizon: int = skills.HORIZON_YEARS) -> pd.DataFrame:
    """The training and hiring plans' cost by year: ``year`` (a label, "Year 1", in the current
    language), ``part`` ("training" or "new hires' pay": values the templates' chart colors name,
    never translated) and ``usd``."""
    training, hiring = _rows(answers.get("upskilling_plan")), _rows(answers.get("hiring_plan"))
    rows = []
    for year in range(1, horizon + 1):
        rows.append(
            {
                "year": _("Year {year}").format(year=year),
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
                "year": _("Year {year}").format(year=year),
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
            _("{roles} of {staff} staff work in data roles today ({per_100} per 100).").format(
                roles=_num(roles),
                staff=_num(staff),
                per_100=(
                    f"{100 * roles / max(staff, 1):.1f}"
                    if _english()
                    else i18n.format_number(100 * roles / max(staff, 1), digits=1)
                ),
            )
        )
    city = skills.citywide(survey, threshold=threshold) if len(survey) else pd.DataFrame()
    below = float(city["share_below_need"].mean()) if len(city) else None
    if below is not None:
        facts.append(
            _(
                "{share} of staff skill ratings fall short of what their roles need "
                "(staff survey; small groups hidden)."
            ).format(share=f"{below:.0%}")
        )
    priority = [skills.SKILL_LABELS.get(s, s).lower() for s in answers.get("priority_skills") or []]
    if priority:
        facts.append(
            _("Training pays most in {skills} (Module 2, workshop A).").format(
                skills=_list(priority)
            )
        )
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
            _(
                "The team's plans cost {total} over three years: {training} of training and "
                "{hiring} of pay for {hires} new hire(s), whose pay of {yearly} a year goes on "
                "after year 3."
            ).format(
                total=money(train_cost + hire_cost),
                training=money(train_cost),
                hiring=money(hire_cost),
                hires=hires,
                yearly=money(yearly_pay),
            )
        )
    if budget is not None and len(departments) and float(departments["budget_usd"].sum()):
        share = budget / (3 * float(departments["budget_usd"].sum()))
        facts.append(
            _(
                "The budget asked for, {budget}, is {share} of three years of the "
                "departments' operating budget (this program's own guide accepts 0.1% to 5%)."
            ).format(budget=money(budget), share=f"{share:.2%}")
        )
    findings = coherence.budget(budget, training, hiring)
    findings += [
        f
        for f in coherence.roles_and_skills(answers, threshold)
        if f.check in ("roles-not-hired", "skills-not-trained")
    ]
    roles_wanted = [str(r) for r in answers.get("roles_to_hire") or []]
    plan = Option(
        _("The team's plan"),
        _("Approve {budget} over three years for the training plan and {hires} hire(s).").format(
            budget=money(budget) if budget is not None else _("the budget"), hires=hires
        ),
        _("{total} over three years, then {yearly} a year in pay.").format(
            total=money(train_cost + hire_cost), yearly=money(yearly_pay)
        ),
        (
            _(
                "The plans hold together; the pay of new hires is a lasting cost to carry in "
                "future budgets."
            )
            if not findings
            else _("Points to settle: {points}").format(points=_problems(findings))
        ),
    )
    training_only = Option(
        _("Training only"),
        _("Fund the training plan and no new positions."),
        _("{cost} over three years.").format(cost=money(train_cost)),
        (
            _(
                "The roles Workshop A found ({roles}) stay unfilled: training rarely takes a "
                "person from awareness to expert."
            ).format(roles=_list(roles_wanted))
            if roles_wanted
            else _(
                "The skills no one on staff has stay missing: training rarely takes a person "
                "from awareness to expert."
            )
        ),
    )
    later = Option(
        _("Decide later"),
        _("Keep the plan for the next budget year."),
        _("Nothing now."),
        (
            _(
                "The gap stays for another year: {share} of skill ratings below what roles need."
            ).format(share=f"{below:.0%}")
            if below is not None
            else _("The skills gap stays for another budget year.")
        ),
    )
    if not (training or hiring):
        return Brief(
            "mayor-workforce",
            _("Set the three-year budget for data training and hiring."),
            facts
            or [_("The team has not drafted its workforce plans yet (Module 2, workshop B).")],
            [later, plan, training_only],
            0,
            _("the team has not drafted its training and hiring plans yet (Module 2, workshop B)."),
            "plan_cost",
        )
    if not findings:
        because = _(
            "the plans cost {total}, within the budget asked, and train the skills where "
            "training pays most."
        ).format(total=money(train_cost + hire_cost))
    else:
        because = _("approve it once these are settled: {fixes}").format(
            fixes="; ".join(f.fix for f in findings[:3])
        )
    return Brief(
        "mayor-workforce",
        _("Set the three-year budget for data training and hiring."),
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
            _(
                "{count} of the city's datasets ask about race and ethnicity in an older "
                "or a custom way; each needs a new question on its form."
            ).format(count=len(to_update))
        )
    if compliance:
        facts.append(compliance)
    gaps = standards_audit.gap_summary(outcomes, threshold=threshold) if len(outcomes) else None
    if gaps is not None and gaps["gap_points"].notna().any():
        top = gaps.loc[gaps["gap_points"].idxmax()]
        facts.append(
            _(
                "{programme} succeeds for {rate}% of participants overall, but its groups differ "
                "by {gap} points: results by group need the standard."
            ).format(
                programme=top["programme"],
                rate=f"{top['overall_rate']:.0f}",
                gap=f"{top['gap_points']:.0f}",
            )
        )
    plan = _rows(answers.get("publication_plan"))
    path = standards_audit.projected_published(inventory, plan) if len(inventory) else {}
    if plan and path:
        facts.append(
            _(
                "The publication plan puts {count} datasets online over three years, taking the "
                "share published from {start} to {end}."
            ).format(count=len(plan), start=f"{path[0]:.0%}", end=f"{path[3]:.0%}")
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
        _("Approve both"),
        _("Approve the standard and the publication plan as drafted, with a review in a year."),
        _(
            "Staff time: about {hours} hours to change {forms} form(s) ({each} hours each, a "
            "program planning figure) and to prepare {datasets} dataset(s) for the portal in "
            "year 1."
        ).format(hours=_num(forms), forms=len(to_update), each=FORM_HOURS, datasets=year_1),
        (
            _(
                "Low: the standard follows the federal one and the city's privacy rule, and "
                "year 1 publishes only data that is ready."
            )
            if not findings
            else _("Points to settle: {points}").format(points=_problems(findings))
        ),
    )
    standard_only = Option(
        _("Approve the standard, publish later"),
        _("Adopt the standard now; bring the publication plan back next year."),
        _("Staff time for the {forms} form(s) only.").format(forms=len(to_update)),
        (
            _(
                "Residents cannot check the city's numbers: the share published stays at {share}."
            ).format(share=f"{path[0]:.0%}")
            if path
            else _("Residents cannot check the city's numbers for another year.")
        ),
    )
    changes = Option(
        _("Approve with changes"),
        _("Name the part to change and who on the team changes it, then approve."),
        _("One more team session before the next check-in."),
        _("A month's delay; forms keep collecting data that cannot be compared."),
    )
    if not isinstance(standard, Mapping) and not plan:
        return Brief(
            "mayor-standard",
            _("Approve the demographic data standard and the publication plan."),
            facts,
            [changes, both, standard_only],
            0,
            _(
                "the team has not drafted the standard or the plan yet (Module 3, workshops C "
                "and D)."
            ),
            "publication",
        )
    return Brief(
        "mayor-standard",
        _("Approve the demographic data standard and the publication plan."),
        facts,
        [both, standard_only, changes],
        0 if not findings else 2,
        (
            _(
                "both follow the rules the city has set, and the plan grows what residents can "
                "check every year."
            )
            if not findings
            else _("approve once these are changed: {fixes}").format(
                fixes="; ".join(f.fix for f in findings[:3])
            )
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
    facts = [
        _("{complete} of {sections} sections of the strategy are complete.").format(
            complete=complete, sections=sections
        )
    ]
    if plan_cost is not None:
        facts.append(
            _("The plan's priced actions cost {cost} over three years.").format(
                cost=money(plan_cost)
            )
        )
    if actions:
        facts.append(
            _("{owned} of {actions} actions have an owner on the team.").format(
                owned=owned, actions=actions
            )
        )
    if gaps:
        facts.append(_("Still missing: {gaps}.").format(gaps=_list(list(gaps)[:4])))
    if points:
        facts.append(_("{count} point(s) to resolve before signing.").format(count=len(points)))
    cost = money(plan_cost) if plan_cost is not None else _("the plan's cost")
    sign = Option(
        _("Sign"),
        _("Sign the strategy and announce it."),
        _("{cost} over three years, as planned.").format(cost=cost),
        (
            _("Low: every section is complete and the plan holds together.")
            if not gaps and not points
            else _(
                "The city commits to a plan with {gaps} gap(s) and {points} open point(s)."
            ).format(gaps=len(gaps), points=len(points))
        ),
    )
    deadline = Option(
        _("Sign with a deadline"),
        _("Sign now and give the team a date to close what is open."),
        _("{cost}, plus the team's time to close the open points.").format(cost=cost),
        _("A deadline that slips leaves parts of the strategy unowned."),
    )
    back = Option(
        _("Return it to the team"),
        _("Ask the team to answer the open questions first."),
        _("One or two more team sessions."),
        _("The strategy starts later; the momentum of the program fades."),
    )
    if not gaps and not points:
        return Brief(
            "mayor-signoff",
            _("Sign the citywide data strategy."),
            facts,
            [sign, deadline, back],
            0,
            _("every section is complete and nothing is left to resolve."),
            "metrics",
        )
    if not gaps:
        return Brief(
            "mayor-signoff",
            _("Sign the citywide data strategy."),
            facts,
            [sign, deadline, back],
            1,
            _(
                "every section is there; the open points are changes to answers the team "
                "already has."
            ),
            "metrics",
        )
    return Brief(
        "mayor-signoff",
        _("Sign the citywide data strategy."),
        facts,
        [sign, deadline, back],
        2,
        _(
            "{count} part(s) of the strategy are still missing: a signature would commit the "
            "city to a plan it has not made yet."
        ).format(count=len(gaps)),
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

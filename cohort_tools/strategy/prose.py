"""The strategy's sentences: templates written here, filled from the answers and the city's data.

Plain words for busy readers (US grade 10 or below, checked by the tests with textstat): short
sentences, names not codes, numbers with their units. The team's own words (the vision, the data
story, the rule for data owners) are quoted as written, never rewritten, and are marked ``team``
so the readability score covers only what this module writes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cohort_tools.core.i18n import _

from . import fmt
from .document import Block, Bullets, Heading, Paragraph
from .names import Names, cadence, join, sentence_case
from .plan import GOALS, Calendar, Measure, Objective, PlanAction, money
from .studio import TeamSummary


@dataclass
class CityFacts:
    """What the city's own data says today (None where the city has not shared the table)."""

    staff: int | None = None
    departments: int | None = None
    data_roles: int | None = None
    datasets: int | None = None
    published: float | None = None
    documented: float | None = None
    fresh: float | None = None
    departments_covered: float | None = None
    top_service: str | None = None
    top_service_requests: int | None = None
    requests: int | None = None
    metrics_met: list[str] | None = None
    metrics_missed: list[str] | None = None
    old_race_question: list[str] | None = None  # datasets to move to the 2024 question
    log_records: int | None = None
    log_departments: int | None = None


def _pct(share: float) -> str:
    return fmt.share(share)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def where_the_city_stands(
    city_name: str, facts: CityFacts, answers: Mapping[str, Any], names: Names
) -> list[Block]:
    """Today's picture, in sentences from the city's data and the team's assessments."""
    say: list[str] = []
    if facts.staff and facts.data_roles is not None:
        per = facts.data_roles / facts.staff * 100
        say.append(
            _(
                "{city} has {staff} staff in {departments} departments. "
                "{roles} of them work in data roles: {per} for every 100 staff."
            ).format(
                city=city_name,
                staff=fmt.number(facts.staff),
                departments=facts.departments,
                roles=facts.data_roles,
                per=fmt.fixed(per, 1),
            )
        )
    if facts.datasets:
        text = _(
            "The city's data inventory lists {datasets} datasets. "
            "{published} of them are open to the public, "
            "{documented} have a data dictionary, and "
            "{fresh} are up to date."
        ).format(
            datasets=facts.datasets,
            published=_pct(facts.published or 0),
            documented=_pct(facts.documented or 0),
            fresh=_pct(facts.fresh or 0),
        )
        if facts.departments_covered is not None and facts.departments_covered < 1:
            text += _(" Only {share} of departments have a dataset on the list.").format(
                share=_pct(facts.departments_covered)
            )
        say.append(text)
    if facts.top_service and facts.requests:
        text = _(
            "Residents ask most often for help with {service}: "
            "{count} of the {total} requests in the data."
        ).format(
            service=facts.top_service,
            count=fmt.number(facts.top_service_requests or 0),
            total=fmt.number(facts.requests),
        )
        base = _num(answers.get("baseline_days"))
        if base is not None:
            text += _(" Half of these requests close within {days} days.").format(days=fmt.g(base))
        say.append(text)
    if facts.metrics_met is not None and facts.metrics_missed is not None:
        total = len(facts.metrics_met) + len(facts.metrics_missed)
        if total:
            text = _("Of the {total} priority metrics, {count} meet their target today").format(
                total=total, count=len(facts.metrics_met)
            )
            text += f": {join(facts.metrics_met)}." if facts.metrics_met else "."
            if facts.metrics_missed:
                text += " " + (
                    _("{metrics} do not.")
                    if len(facts.metrics_missed) > 1
                    else _("{metrics} does not.")
                ).format(metrics=join(facts.metrics_missed))
            say.append(text)
    skills = [names.skill(s).lower() for s in answers.get("priority_skills") or []]
    where = [names.department(d) for d in answers.get("upskilling_departments") or []]
    if skills:
        text = _("The staff survey shows the largest skill gaps in {skills}").format(
            skills=join(skills)
        )
        text += (
            _(", most of all in {departments}.").format(departments=join(where)) if where else "."
        )
        say.append(text)
    scores = answers.get("maturity_scores")
    if isinstance(scores, Mapping) and scores:
        ranked = sorted(
            ((float(v), str(k)) for k, v in scores.items() if _num(v) is not None), reverse=True
        )
        if len(ranked) >= 2:
            (hi, best), (lo, worst) = ranked[0], ranked[-1]
            say.append(
                _(
                    "On the team's own self-assessment, the city is strongest in "
                    "{best} ({high} of 100) and weakest in "
                    "{worst} ({low} of 100)."
                ).format(
                    best=names.area(best).lower(),
                    high=fmt.fixed(hi),
                    worst=names.area(worst).lower(),
                    low=fmt.fixed(lo),
                )
            )
    if facts.old_race_question:
        n = len(facts.old_race_question)
        say.append(
            (
                _(
                    "{count} datasets still ask about race "
                    "or ethnicity the old way and must move to the 2024 federal standard."
                )
                if n > 1
                else _(
                    "{count} dataset still asks about race "
                    "or ethnicity the old way and must move to the 2024 federal standard."
                )
            ).format(count=n)
        )
    if facts.log_records:
        say.append(
            _(
                "The data-use log already holds {records} records from "
                "{departments} departments: times when data changed what the city did."
            ).format(records=facts.log_records, departments=facts.log_departments)
        )
    if not say:
        return [Paragraph(_("The city has not shared the data this section is written from yet."))]
    return [Paragraph(s) for s in say]


# -- the executive summary ----------------------------------------------------------------------------


def resident_changes(
    answers: Mapping[str, Any],
    names: Names,
    cal: Calendar,
    facts: CityFacts,
    actions: Sequence[PlanAction],
) -> list[str]:
    """What changes for residents, one sentence each."""
    out: list[str] = []
    base, target = _num(answers.get("baseline_days")), _num(answers.get("target_days"))
    if base is not None and target is not None and target < base:
        what = (
            _("{service} requests").format(service=facts.top_service)
            if facts.top_service
            else _("the most common requests")
        )
        out.append(
            _(
                "Faster help: half of {what} close within {target} days by "
                "{when}, down from {base} days today."
            ).format(
                what=what, target=fmt.g(target), when=cal.label(12, long=True), base=fmt.g(base)
            )
        )
    plan = [r for r in answers.get("publication_plan") or [] if isinstance(r, Mapping)]
    if plan:
        out.append(
            _(
                "More to see: {count} more city datasets go online by "
                "{when}, each updated on a set rhythm."
            ).format(count=len(plan), when=cal.label(12 * cal.years, long=True))
        )
    standard = answers.get("demographic_standard")
    if isinstance(standard, Mapping) and standard:
        limit = _num(standard.get("small_numbers_threshold"))
        text = _(
            "Fair results: services ask about people the same way, so the city can see who is left behind."
        )
        if limit is not None:
            text += _(" Counts under {limit} stay hidden to protect privacy.").format(
                limit=fmt.g(limit)
            )
        out.append(text)
    groups = [a for a in actions if a.source == "engagement_plan" and a.details]
    if groups:
        heard = len({d.split(":")[0] for a in groups for d in a.details})
        out.append(
            _(
                "A voice in the plan: {count} groups of residents, staff and partners are asked "
                "what they need, and told what changed."
            ).format(count=heard)
        )
    meeting = answers.get("stat_meeting")
    if isinstance(meeting, Mapping) and meeting.get("cadence"):
        out.append(
            _(
                "Problems caught sooner: the mayor's team checks key service numbers "
                "{cadence} and acts when one slips."
            ).format(cadence=cadence(meeting["cadence"]))
        )
    return out[:4]


def cost_sentences(costs: Mapping[str, Sequence[float]], years: int) -> list[str]:
    total = sum(sum(v) for v in costs.values())
    if not total:
        return [_("The actions in this plan use staff time; no new spending is planned yet.")]
    parts = [
        _("{money} for {kind}").format(money=money(sum(v)), kind=_(k))
        for k, v in costs.items()
        if sum(v)
    ]
    per_year = [sum(v[y] for v in costs.values()) for y in range(years)]
    return [
        _("Over {years} years the plan costs {money}: {parts}.").format(
            years=years, money=money(total), parts=join(parts)
        ),
        _("By year: ")
        + "; ".join(
            _("year {year}, {money}").format(year=y + 1, money=money(c))
            for y, c in enumerate(per_year)
        )
        + ".",
    ]


def approvals(
    answers: Mapping[str, Any],
    names: Names,
    cal: Calendar,
    total: float,
    budget: float | None = None,
) -> list[str]:
    out = [_("This strategy and its roadmap, from {period}.").format(period=cal.period)]
    if budget is not None:
        out.append(
            _("A budget of {budget} over {years} years, for actions that cost {total}.").format(
                budget=money(budget), years=cal.years, total=money(total)
            )
        )
    elif total:
        out.append(
            _("Spending of {money} over {years} years, as the roadmap sets out.").format(
                money=money(total), years=cal.years
            )
        )
    model = answers.get("governance_model")
    if isinstance(model, Mapping) and model.get("body"):
        chair = (
            _(", chaired by the {chair}").format(chair=model["chair"]) if model.get("chair") else ""
        )
        out.append(
            _("The {body}{chair}, to make the rules for data.").format(
                body=names.humanise(model["body"]), chair=chair
            )
        )
    if isinstance(answers.get("demographic_standard"), Mapping):
        out.append(_("The demographic data standard, for use in every service."))
    plan = answers.get("publication_plan")
    if isinstance(plan, list) and plan:
        out.append(_("The plan to publish {count} more datasets.").format(count=len(plan)))
    return out[:5]


def executive_summary(
    *,
    answers: Mapping[str, Any],
    names: Names,
    cal: Calendar,
    facts: CityFacts,
    objectives: Sequence[Objective],
    actions: Sequence[PlanAction],
    costs: Mapping[str, Sequence[float]],
    to_resolve: int,
    team: TeamSummary | None = None,
    budget: float | None = None,
    deferred: Sequence[str] = (),
) -> list[Block]:
    """The one-page summary. Where the team wrote its own sentences in the strategy studio
    (``team``), they replace the generated ones: why the plan, a sentence per goal, what residents
    will notice and what the mayor is asked to approve. Costs stay as worked out from the plan."""
    team = team or TeamSummary()
    blocks: list[Block] = [Heading(_("Our vision"))]
    vision = answers.get("data_vision")
    if vision:
        blocks.append(Paragraph(names.humanise(vision), team=True))
    else:
        blocks.append(Paragraph(_("The vision is still to be written (Module 1, workshop A).")))
    if team.why:
        blocks.append(Paragraph(names.humanise(team.why), team=True))
    blocks.append(Heading(_("Goals")))
    goals = []
    for goal in GOALS:
        first = next((o.text for o in objectives if o.goal == goal.id), None)
        if first or any(a.goal == goal.id for a in actions):
            goals.append(f"{goal.title}. {first or goal.why}")
    if team.goals:
        ours = [
            f"{g.title}. {names.humanise(team.goals[g.id])}" for g in GOALS if g.id in team.goals
        ]
        blocks.append(Bullets(ours, team=True))
    else:
        blocks.append(Bullets(goals or [_("The goals fill in as the workshops are done.")]))
    changes = resident_changes(answers, names, cal, facts, actions)
    if team.residents:
        blocks += [
            Heading(_("What changes for residents")),
            Paragraph(names.humanise(team.residents), team=True),
        ]
    elif changes:
        blocks += [Heading(_("What changes for residents")), Bullets(changes)]
    total = sum(sum(v) for v in costs.values())
    spend = " ".join(cost_sentences(costs, cal.years))
    if deferred:
        spend += _(" Left for after year {years}: {actions}.").format(
            years=cal.years, actions=join([d[:1].lower() + d[1:] for d in deferred], most=2)
        )
    blocks += [Heading(_("What it costs")), Paragraph(spend)]
    blocks.append(Heading(_("What the mayor is asked to approve")))
    if team.ask:
        blocks.append(Paragraph(names.humanise(team.ask), team=True))
    blocks.append(Bullets(approvals(answers, names, cal, total, budget), ordered=True))
    if to_resolve:
        blocks.append(
            Paragraph(
                (
                    _(
                        "Before the mayor signs, the team must settle {count} "
                        "points listed at the end of this document."
                    )
                    if to_resolve > 1
                    else _(
                        "Before the mayor signs, the team must settle {count} "
                        "point listed at the end of this document."
                    )
                ).format(count=to_resolve)
            )
        )
    return blocks


def public_summary(
    *,
    city_name: str,
    answers: Mapping[str, Any],
    names: Names,
    cal: Calendar,
    facts: CityFacts,
    actions: Sequence[PlanAction],
    measures: Sequence[Measure],
) -> list[Block]:
    """One page for residents: what the city wants, what changes, how it keeps data safe, how to
    follow progress and have a say. No costs table, no internal roles."""
    blocks: list[Block] = [
        Paragraph(
            _(
                "{city} has a plan for how it will use data over the next {years} years, "
                "from {period}. This page says what it means for you."
            ).format(city=city_name, years=cal.years, period=cal.period)
        ),
        Heading(_("What we want")),
    ]
    vision = answers.get("data_vision")
    blocks.append(
        Paragraph(names.humanise(vision), team=True)
        if vision
        else Paragraph(_("Better services, decided with good data, that residents can check."))
    )
    changes = resident_changes(answers, names, cal, facts, actions)
    if changes:
        blocks += [Heading(_("What will change for you")), Bullets(changes)]
    blocks += [
        Heading(_("Our goals")),
        Bullets([f"{g.title}. {g.why}" for g in GOALS if any(a.goal == g.id for a in actions)]),
        Heading(_("How we keep your data safe")),
    ]
    standard = answers.get("demographic_standard")
    limit = _num(standard.get("small_numbers_threshold")) if isinstance(standard, Mapping) else None
    safe = _("We never publish names. Data about people goes online only as totals.")
    if limit is not None:
        safe += _(" Any count under {limit} is hidden, so no one can be picked out.").format(
            limit=fmt.g(limit)
        )
    blocks.append(Paragraph(safe))
    blocks.append(Heading(_("How to follow our progress")))
    shown = [m.name for m in measures if m.target_value is not None][:3]
    follow = _("We will report every year on the numbers in this plan")
    follow += (
        _(", such as {measures}.").format(measures=join([s[:1].lower() + s[1:] for s in shown]))
        if shown
        else "."
    )
    follow += _(" The results will be on the city's open data portal.")
    blocks.append(Paragraph(follow))
    groups = [a for a in actions if a.source == "engagement_plan"]
    if groups:
        blocks += [
            Heading(_("Have your say")),
            Paragraph(
                _(
                    "We will meet neighborhood groups, staff and partners to hear what they need, "
                    "and come back to show what changed. Ask your council member or the mayor's "
                    "office how to take part."
                )
            ),
        ]
    return blocks


@functools.lru_cache(maxsize=32)
def _busiest_service(city: Path, table: Path) -> tuple[str, int, int] | None:
    """The service asked for most, its requests and all requests: (service, n, total), or None
    with no request. ``table``: the cached Parquet, named by its content, so the memo holds while
    the data is unchanged (the strategy studio assembles the strategy several times a run, and a
    new DuckDB database takes about 16 ms)."""
    from cohort_tools.citydata.loader import connect

    con = connect(city, tables=["service_requests"])
    try:
        rows = con.execute(
            "SELECT service_name, count(*) AS n FROM service_requests GROUP BY 1 "
            "ORDER BY n DESC, service_name LIMIT 1"
        ).fetchall()
        total = con.execute("SELECT count(*) FROM service_requests").fetchone()
    finally:
        con.close()
    if not rows or not total:
        return None
    return str(rows[0][0]), int(rows[0][1]), int(total[0])


def situation_facts(data: Any, answers: Mapping[str, Any], names: Names) -> CityFacts:
    """Today's figures from the city's data folder (see :class:`CityFacts`)."""
    from cohort_tools.lessons.inventory import inventory_metrics
    from cohort_tools.lessons.standards_audit import datasets_to_update

    facts = CityFacts()
    departments = data.table("departments") if data.has("departments") else None
    if departments is not None and len(departments):
        facts.staff = int(departments["headcount"].sum())
        facts.departments = len(departments)
        facts.data_roles = int(departments["data_roles"].sum())
    if data.has("data_inventory"):
        inventory = data.table("data_inventory")
        m = inventory_metrics(inventory, departments)
        facts.datasets, facts.published = m.datasets, m.published
        facts.documented, facts.fresh = m.documented, m.fresh
        facts.departments_covered = m.departments_covered if departments is not None else None
        facts.old_race_question = [names.dataset(d) for d in datasets_to_update(inventory)]
    if data.has("service_requests"):
        from cohort_tools.citydata.loader import table_file

        busiest = _busiest_service(data.path, table_file(data.path, "service_requests"))
        if busiest is not None:
            facts.top_service, facts.top_service_requests, facts.requests = busiest
    metrics = data.table_or_empty("performance_metrics")
    chosen = answers.get("priority_metrics") or []
    if len(metrics) and isinstance(chosen, list) and chosen:
        latest = metrics.sort_values("period").groupby("metric_id").tail(1).set_index("metric_id")
        met: list[str] = []
        missed: list[str] = []
        for metric_id in chosen:
            if metric_id not in latest.index or pd.isna(latest.loc[metric_id, "target"]):
                continue
            row = latest.loc[metric_id]
            good = (
                row["value"] >= row["target"]
                if bool(row["higher_is_better"])
                else row["value"] <= row["target"]
            )
            (met if good else missed).append(names.metric(metric_id))
        facts.metrics_met, facts.metrics_missed = met, missed
    if data.has("data_use_log"):
        log = data.table("data_use_log")
        facts.log_records = len(log)
        facts.log_departments = int(log["department_id"].nunique())
    return facts


def generated_text(blocks: Sequence[Block]) -> str:
    """The sentences this module wrote (not the team's own words), for the readability score."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph) and not b.team:
            out.append(b.text)
        elif isinstance(b, Bullets) and not b.team:
            out += [i if i.endswith((".", "?", "!")) else i + "." for i in b.items]
    return "\n".join(out)


__all__ = [
    "CityFacts",
    "approvals",
    "cost_sentences",
    "executive_summary",
    "generated_text",
    "public_summary",
    "resident_changes",
    "sentence_case",
    "situation_facts",
    "where_the_city_stands",
]

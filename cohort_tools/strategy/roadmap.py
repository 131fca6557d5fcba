"""The three-year roadmap: the plan's actions in three phases (foundations, pilots, scale).

:func:`roadmap_items` lists every dated line of the team's plans as written (one per training
line, hire, dataset, engagement activity...); the roadmap itself shows the grouped actions of
:mod:`.plan` (a dataset list becomes one action per year, the engagement plan one action per
round), with a chart of how many start in each phase, per goal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cohort_tools.core.i18n import _

from .document import Block, Figure, Heading, Paragraph, Table, show
from .names import sentence_case
from .plan import GOALS, PHASES, Calendar, PlanAction, money

WORKSTREAMS = (
    "Data use",
    "Governance",
    "Workforce",
    "Platforms and practice",
    "Transparency",
    "Engagement",
    "Equity",
    "Maturity",
)


@dataclass(frozen=True)
class Action:
    year: int
    workstream: str
    action: str
    source: str  # the named answer it comes from


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9 else None


def _rows(answers: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = answers.get(name)
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def roadmap_items(answers: dict[str, Any]) -> list[Action]:
    """Every dated line of the team's plans, as written (routines with no date start in year 1)."""
    items: list[Action] = []
    meeting = answers.get("stat_meeting")
    if isinstance(meeting, dict) and meeting.get("cadence"):
        items.append(
            Action(1, "Data use", f"Hold the {meeting['cadence']} stat meeting", "stat_meeting")
        )
    if answers.get("protocol_fields"):
        items.append(Action(1, "Data use", "Record data-informed decisions", "protocol_fields"))
    model = answers.get("governance_model")
    if isinstance(model, dict) and model.get("body"):
        items.append(Action(1, "Governance", f"Set up the {model['body']}", "governance_model"))
    if answers.get("quality_standard"):
        items.append(Action(1, "Governance", "Adopt the data quality standard", "quality_standard"))
    for r in _rows(answers, "upskilling_plan"):
        if (year := _year(r.get("year"))) is not None:
            who = " ".join(str(x) for x in (show(r.get("people")), r.get("who")) if x)
            text = f"Train {who} in {str(r.get('skill', '')).replace('_', ' ')}".strip()
            items.append(Action(year, "Workforce", text, "upskilling_plan"))
    for r in _rows(answers, "hiring_plan"):
        if (year := _year(r.get("year"))) is not None:
            items.append(
                Action(
                    year, "Workforce", f"Hire {show(r.get('count'))} {r.get('role')}", "hiring_plan"
                )
            )
    for r in _rows(answers, "investment_priorities"):
        if (year := _year(r.get("year"))) is not None:
            items.append(
                Action(
                    year,
                    "Platforms and practice",
                    str(r.get("investment")),
                    "investment_priorities",
                )
            )
    for r in _rows(answers, "publication_plan"):
        if (year := _year(r.get("year"))) is not None:
            how = " as counts" if r.get("aggregated") else ""
            items.append(
                Action(
                    year,
                    "Transparency",
                    f"Publish {r.get('dataset_id')}{how} ({r.get('frequency', '')})",
                    "publication_plan",
                )
            )
    for r in _rows(answers, "engagement_plan"):
        try:
            year = (int(str(r.get("month"))) - 1) // 12 + 1
        except (TypeError, ValueError):
            continue
        if 1 <= year <= 9:
            items.append(
                Action(
                    year,
                    "Engagement",
                    f"{r.get('activity')} ({r.get('stakeholder')})",
                    "engagement_plan",
                )
            )
    if answers.get("demographic_standard"):
        items.append(
            Action(1, "Equity", "Adopt the demographic data standard", "demographic_standard")
        )
    return sorted(items, key=lambda a: (a.year, WORKSTREAMS.index(a.workstream), a.action))


def roadmap_chart(actions: list[PlanAction], city_name: str, cal: Calendar) -> dict[str, Any]:
    """A Vega-Lite spec: how many actions start in each phase, per goal, as a labelled grid."""
    import altair as alt
    import pandas as pd

    phases = [(pid, _(title)) for pid, title, _first, _last in PHASES]
    titles = dict(phases)
    goals = [g for g in GOALS if any(a.goal == g.id for a in actions)]
    frame = pd.DataFrame(
        [
            {"goal": g.workstream, "phase": titles[p], "actions": n}
            for g in goals
            for p, _ in phases
            for n in [sum(a.goal == g.id and a.phase == p for a in actions)]
        ]
    )
    order_x = [t for _, t in phases]
    order_y = [g.workstream for g in goals]
    per_phase = frame.groupby("phase")["actions"].sum()
    busiest = str(per_phase.idxmax())
    lines = [
        f"{g}: "
        + ", ".join(
            _("{count} in {phase}").format(
                count=int(frame[(frame.goal == g) & (frame.phase == t)]["actions"].sum()),
                phase=t.lower(),
            )
            for t in order_x
        )
        for g in order_y
    ]
    alt_text = (
        _(
            "Grid chart of {city}'s roadmap: the number of actions that start in each phase "
            "(foundations, pilots, scale), for each goal. "
        ).format(city=city_name)
        + "; ".join(lines)
        + "."
    )
    base = alt.Chart(frame).encode(
        x=alt.X(
            "phase:N",
            sort=order_x,
            scale=alt.Scale(domain=order_x),
            title=None,
            axis=alt.Axis(labelAngle=0, labelLimit=220, orient="top"),
        ),
        y=alt.Y("goal:N", sort=order_y, title=None, axis=alt.Axis(labelLimit=260)),
    )
    grid = base.mark_rect(stroke="white").encode(
        color=alt.Color("actions:Q", scale=alt.Scale(scheme="blues"), legend=None),
    )
    text = base.mark_text(fontSize=14).encode(
        text="actions:Q",
        color=alt.condition("datum.actions >= 3", alt.value("white"), alt.value("black")),
    )
    chart = (grid + text).properties(
        width=390,
        height=34 * len(order_y),
        title=_("{count} actions; most start in the {phase} phase").format(
            count=len(actions), phase=busiest.lower()
        ),
        description=alt_text,
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def roadmap_blocks(
    actions: list[PlanAction], city_name: str, cal: Calendar, *, lines: int = 0, draw: bool = True
) -> list[Block]:
    """The roadmap section: the chart (with a text alternative and a takeaway), then one table per
    phase. ``draw=False`` leaves the chart out (for readers of the content, not its pages)."""
    from cohort_tools.render.charts import CHART_CONFIG, chart_description, vegalite_to_svg

    if not actions:
        return [Paragraph(_("No actions yet: the roadmap fills in as the workshops are done."))]
    blocks: list[Block] = []
    if draw:
        import vl_convert

        spec = roadmap_chart(actions, city_name, cal)
        early = sum(a.phase in ("foundations", "pilots") for a in actions)
        takeaway = _("{early} of the {count} actions start in year 1. ").format(
            early=early, count=len(actions)
        ) + (
            _("Check that year 1 is not overloaded: move what can wait.")
            if early > 0.6 * len(actions)
            else _("The work is spread over the three years.")
        )
        blocks.append(
            Figure(
                svg=vegalite_to_svg(spec),
                png=bytes(vl_convert.vegalite_to_png(spec, scale=2, config=CHART_CONFIG)),
                alt=chart_description(spec),
                takeaway=takeaway,
            )
        )
    intro = _("The roadmap runs from {period} in three phases.").format(period=cal.period)
    if lines > len(actions):
        intro += _(
            " It groups the {lines} lines of the team's plans into {count} actions; "
            "the appendices list every line."
        ).format(lines=lines, count=len(actions))
    blocks.append(Paragraph(intro))
    for pid, title, first, last in PHASES:
        mine = sorted((a for a in actions if a.phase == pid), key=lambda a: (a.start or 0, a.text))
        if not mine:
            continue
        blocks.append(Heading(f"{_(title)}: {cal.span(first, min(last, 12 * cal.years))}"))
        blocks.append(
            Table(
                [_("Action"), _("Owner"), _("When"), _("Cost")],
                [
                    [
                        a.text,
                        sentence_case(a.owner) if a.owner else _("no owner yet"),
                        cal.span(a.start, a.finish),
                        money(a.cost_usd),
                    ]
                    for a in mine
                ],
                css="cda-roadmap",
            )
        )
    undated = [a for a in actions if a.start is None]
    if undated:
        blocks.append(Heading(_("Not yet dated")))
        blocks.append(
            Table(
                [_("Action"), _("Owner")],
                [
                    [a.text, sentence_case(a.owner) if a.owner else _("no owner yet")]
                    for a in undated
                ],
            )
        )
    return blocks

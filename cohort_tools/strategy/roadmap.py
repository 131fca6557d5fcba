"""The three-year roadmap: every dated action in the team's answers, by year and workstream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .document import Block, Figure, Paragraph, Table, show

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
    """The dated actions found in the answers (undated ones are year 1: they start now)."""
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
    for area in answers.get("improvement_areas") or []:
        items.append(
            Action(1, "Maturity", f"Raise {str(area).replace('_', ' ')}", "improvement_areas")
        )
    return sorted(items, key=lambda a: (a.year, WORKSTREAMS.index(a.workstream), a.action))


def roadmap_chart(items: list[Action], city_name: str, years: int) -> dict[str, Any]:
    """A Vega-Lite spec: actions per workstream per year, as a labelled grid."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame([{"year": a.year, "workstream": a.workstream} for a in items])
    counts = frame.groupby(["workstream", "year"]).size().reset_index(name="actions")
    counts["Year"] = counts["year"].map(lambda y: f"Year {y}")
    busiest = counts.groupby("Year")["actions"].sum().idxmax()
    order_y = [w for w in WORKSTREAMS if w in set(counts["workstream"])]
    order_x = [f"Year {y}" for y in range(1, years + 1)]
    lines = []
    for w in order_y:
        per = counts[counts["workstream"] == w].set_index("Year")["actions"]
        lines.append(f"{w}: " + ", ".join(f"{per.get(y, 0)} in {y.lower()}" for y in order_x))
    alt_text = (
        f"Grid chart of {city_name}'s roadmap: the number of actions in each workstream in each "
        f"of the {years} years. " + "; ".join(lines) + "."
    )
    base = alt.Chart(counts).encode(
        x=alt.X(
            "Year:N",
            sort=order_x,
            scale=alt.Scale(domain=order_x),
            title="Year of the strategy",
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("workstream:N", sort=order_y, title=None),
    )
    grid = base.mark_rect(stroke="white").encode(
        color=alt.Color("actions:Q", scale=alt.Scale(scheme="blues"), title="Actions", legend=None),
    )
    text = base.mark_text(fontSize=13).encode(
        text="actions:Q",
        color=alt.condition("datum.actions >= 3", alt.value("white"), alt.value("black")),
    )
    chart = (grid + text).properties(
        width=360,
        height=32 * len(order_y),
        title=f"{len(items)} actions over {years} years; {busiest.lower()} is the busiest",
        description=alt_text,
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def roadmap_blocks(
    items: list[Action], city_name: str, years: int, *, draw: bool = True
) -> list[Block]:
    """The roadmap section: the chart (with a text alternative), a takeaway and the table.

    ``draw=False`` leaves the chart out (for readers of the strategy's content, not its pages).
    """
    from cohort_tools.render.page import chart_description, vegalite_to_svg

    if not items:
        return [Paragraph("No dated actions yet: the roadmap fills in as the workshops are done.")]
    table = Table(
        ["Year", "Workstream", "Action"],
        [[str(a.year), a.workstream, a.action] for a in items],
        caption="Every action on the roadmap (the chart's data as a table)",
    )
    if not draw:
        return [table]
    import vl_convert

    spec = roadmap_chart(items, city_name, years)
    first = sum(a.year == 1 for a in items)
    takeaway = f"{first} of the {len(items)} actions start in year 1. " + (
        "Check that year 1 is not overloaded: spread what can wait."
        if first > len(items) / 2
        else "The plan spreads its actions over the three years."
    )
    figure = Figure(
        svg=vegalite_to_svg(spec),
        png=bytes(vl_convert.vegalite_to_png(spec, scale=2)),
        alt=chart_description(spec),
        takeaway=takeaway,
    )
    return [figure, table]

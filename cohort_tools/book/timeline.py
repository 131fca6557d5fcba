"""The six-month timeline chart on the programme overview page, drawn offline as static SVG.

The chart is made with Altair and rendered by vl-convert (no browser, no CDN). It always comes with a
text alternative: a one-paragraph alt text and the same events as a table on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cohort_tools.model.programme import AUDIENCE_LABELS, Programme

WEEKS_PER_MONTH = 4


@dataclass(frozen=True)
class TimelineRow:
    """One event on the timeline: where it sits (programme month and week) and who attends."""

    track: str
    title: str
    month: int
    week: int
    audience: str

    @property
    def position(self) -> float:
        """Weeks from the programme start (month 1, week 1 = 0)."""
        return (self.month - 1) * WEEKS_PER_MONTH + (self.week - 1)


def _audience(items: Sequence[str]) -> str:
    return ", ".join(AUDIENCE_LABELS[a] for a in items)


def timeline_rows(programme: Programme) -> list[TimelineRow]:
    """Every scheduled moment of the programme, in time order (coaching is summarised separately)."""
    p = programme
    rows = [TimelineRow("Convening", p.convening.title, p.convening.month, 1, "Mayor, CDA lead")]
    for m in p.modules:
        for s in m.sessions:
            track = f"Module {m.number}: {m.title}"
            rows.append(
                TimelineRow(track, s.title, s.month, s.week_of_month, _audience(s.audience))
            )
    for s in p.capstone:
        rows.append(
            TimelineRow("Capstone", s.title, s.month, s.week_of_month, _audience(s.audience))
        )
    for e in p.showcases:
        rows.append(
            TimelineRow("Showcases", e.title, e.month, e.week_of_month, _audience(e.audience))
        )
    for e in p.mayor_checkins:
        rows.append(
            TimelineRow("Mayor check-ins", e.title, e.month, e.week_of_month, _audience(e.audience))
        )
    return sorted(rows, key=lambda r: (r.position, r.track))


def track_order(programme: Programme) -> list[str]:
    tracks = ["Convening"] + [f"Module {m.number}: {m.title}" for m in programme.modules]
    if programme.capstone:
        tracks.append("Capstone")
    return [*tracks, "Showcases", "Mayor check-ins"]


def alt_text(programme: Programme) -> str:
    """A short description of what the chart shows, for screen readers and for the figure caption."""
    p = programme
    parts = [f"Timeline of the {p.duration_months}-month program, one row per strand."]
    parts.append(f"Month {p.convening.month} opens with the {p.convening.title.lower()}.")
    for m in p.modules:
        span = (
            f"months {m.months[0]} to {m.months[-1]}"
            if len(m.months) > 1
            else f"month {m.months[0]}"
        )
        parts.append(
            f"Module {m.number}, {m.title.lower()}, runs in {span} with {len(m.sessions)} sessions."
        )
    if p.capstone:
        parts.append(
            f"The {p.capstone[0].title.split(' - ')[0].lower()} is in month {p.capstone[0].month}."
        )
    parts.append(
        f"There are {len(p.showcases)} showcases and {len(p.mayor_checkins)} mayor check-ins; "
        f"coaching runs every {p.coaching.cadence_weeks} weeks throughout."
    )
    return " ".join(parts)


def timeline_svg(programme: Programme) -> str:
    """The timeline as an SVG document (rendered offline by vl-convert)."""
    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    rows = timeline_rows(programme)
    frame = pd.DataFrame(
        {
            "Strand": [r.track for r in rows],
            "Event": [r.title for r in rows],
            "Week": [r.position + 0.5 for r in rows],
            "When": [f"month {r.month}, week {r.week}" for r in rows],
            "Who": [r.audience for r in rows],
        }
    )
    months = pd.DataFrame(
        {
            "start": [(m - 1) * WEEKS_PER_MONTH for m in range(1, programme.duration_months + 1)],
            "label": [f"Month {m}" for m in range(1, programme.duration_months + 1)],
        }
    )
    total = programme.duration_months * WEEKS_PER_MONTH
    x = alt.X(
        "Week:Q",
        scale=alt.Scale(domain=[0, total]),
        axis=alt.Axis(
            values=list(range(0, total + 1, WEEKS_PER_MONTH)),
            labelExpr=f"datum.value < {total} ? 'Month ' + (datum.value / {WEEKS_PER_MONTH} + 1) : ''",
            labelAlign="left",
            title=None,
            grid=True,
        ),
    )
    order = track_order(programme)
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=140, shape="diamond")
        .encode(
            x=x,
            y=alt.Y("Strand:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color("Strand:N", sort=order, legend=None),
            tooltip=["Event", "When", "Who"],
        )
    )
    shading = (
        alt.Chart(months[months.index % 2 == 1])
        .mark_rect(opacity=0.08, color="#444")
        .encode(x=alt.X("start:Q"), x2=alt.X2("end:Q"))
        .transform_calculate(end=f"datum.start + {WEEKS_PER_MONTH}")
    )
    chart = (
        (shading + points)
        .properties(
            width=560,
            height=30 * len(order),
            title="The six months at a glance",
            description=alt_text(programme),
        )
        .configure_view(stroke=None)
    )
    del months  # only the shading uses it
    svg: str = vlc.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version())
    return svg


def _vl_version() -> str:
    import altair as alt

    # altair "v6.1.0"-style schema version -> vl-convert's "6.1" naming
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"

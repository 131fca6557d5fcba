"""The six-month timeline chart on the programme overview page, drawn offline as static SVG.

The chart is made with Altair and rendered by vl-convert (no browser, no CDN). It always comes with a
text alternative: a one-paragraph alt text and the same events as a table on the page. Every word
is in the current language (``i18n.speaking``): each edition of the book draws its own chart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from cohort_tools.core.i18n import gettext as _
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
    return ", ".join(_(AUDIENCE_LABELS[a]) for a in items)


def _tracks(programme: Programme) -> dict[str, str]:
    """Each strand's label: ``convening``, a module id, ``capstone``, ``showcases``, ``checkins``."""
    module = _("Module {number}: {title}")
    return {
        "convening": _("Convening"),
        **{m.id: module.format(number=m.number, title=m.title) for m in programme.modules},
        "capstone": _("Capstone"),
        "showcases": _("Showcases"),
        "checkins": _("Mayor check-ins"),
    }


def timeline_rows(programme: Programme) -> list[TimelineRow]:
    """Every scheduled moment of the programme, in time order (coaching is summarised separately)."""
    p = programme
    label = _tracks(p)
    conv = p.convening
    rows = [
        TimelineRow(label["convening"], conv.title, conv.month, 1, _audience(["mayor", "cda_lead"]))
    ]
    for m in p.modules:
        for s in m.sessions:
            rows.append(
                TimelineRow(label[m.id], s.title, s.month, s.week_of_month, _audience(s.audience))
            )
    for strand, events in (
        ("capstone", p.capstone),
        ("showcases", p.showcases),
        ("checkins", p.mayor_checkins),
    ):
        for e in events:
            rows.append(
                TimelineRow(label[strand], e.title, e.month, e.week_of_month, _audience(e.audience))
            )
    return sorted(rows, key=lambda r: (r.position, r.track))


def track_order(programme: Programme) -> list[str]:
    label = _tracks(programme)
    if not programme.capstone:
        del label["capstone"]
    return list(label.values())


def alt_text(programme: Programme) -> str:
    """A short description of what the chart shows, for screen readers and for the figure caption."""
    p = programme
    parts = [
        _("Timeline of the {months}-month program, one row per strand.").format(
            months=p.duration_months
        )
    ]
    parts.append(
        _("Month {month} opens with the {convening}.").format(
            month=p.convening.month, convening=p.convening.title.lower()
        )
    )
    for m in p.modules:
        span = (
            _("in months {first} to {last}").format(first=m.months[0], last=m.months[-1])
            if len(m.months) > 1
            else _("in month {month}").format(month=m.months[0])
        )
        parts.append(
            _("Module {number}, {title}, runs {span} with {count} sessions.").format(
                number=m.number, title=m.title.lower(), span=span, count=len(m.sessions)
            )
        )
    if p.capstone:
        parts.append(
            _("The {capstone} is in month {month}.").format(
                capstone=p.capstone[0].title.split(" - ")[0].lower(), month=p.capstone[0].month
            )
        )
    parts.append(
        _(
            "There are {showcases} showcases and {checkins} mayor check-ins; coaching runs every "
            "{weeks} weeks throughout."
        ).format(
            showcases=len(p.showcases),
            checkins=len(p.mayor_checkins),
            weeks=p.coaching.cadence_weeks,
        )
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
            "When": [
                _("month {month}, week {week}").format(month=r.month, week=r.week) for r in rows
            ],
            "Who": [r.audience for r in rows],
        }
    )
    months = pd.DataFrame(
        {
            "start": [(m - 1) * WEEKS_PER_MONTH for m in range(1, programme.duration_months + 1)],
            "label": [
                _("Month {month}").format(month=m) for m in range(1, programme.duration_months + 1)
            ],
        }
    )
    total = programme.duration_months * WEEKS_PER_MONTH
    # "Month 3" in the current language, as a Vega expression: 'Month ' + (week / 4 + 1)
    before, _sep, after = _("Month {month}").format(month="\0").partition("\0")
    month_label = (
        f"{json.dumps(before)} + (datum.value / {WEEKS_PER_MONTH} + 1) + {json.dumps(after)}"
    )
    x = alt.X(
        "Week:Q",
        scale=alt.Scale(domain=[0, total]),
        axis=alt.Axis(
            values=list(range(0, total + 1, WEEKS_PER_MONTH)),
            labelExpr=f"datum.value < {total} ? {month_label} : ''",
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
            title=_("The six months at a glance"),
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

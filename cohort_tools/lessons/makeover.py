"""The chart makeover as choices: build the Altair chart a resident reads from a form's answers.

Module 3's communicating workshop asks for a chart of a program's success rate by group, remade
for residents. A learner who does not write Altair picks, in a form, the chart type, the order of
the groups, a colour from a colour-blind-safe set, the title, the axis titles, whether each rate
shows its range, and whether suppressed groups are labelled; :func:`build` turns those choices into
the chart, and the same chart checks (:func:`cohort_tools.lessons.chartcheck.check_chart`) grade it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cohort_tools.core.i18n import _
from cohort_tools.lessons.translated import N_, Translated

#: Okabe-Ito colours (Okabe and Ito, *Color Universal Design*, 2002), distinguishable with the
#: common colour-vision deficiencies, and a named Vega scheme that is too (see chartcheck).
COLOURS: Mapping[str, str] = Translated(
    {
        "#0072B2": N_("Blue"),
        "#009E73": N_("Bluish green"),
        "#D55E00": N_("Vermilion"),
        "#CC79A7": N_("Reddish purple"),
        "#000000": N_("Black"),
        "scheme:dark2": N_("One colour per group (a colour-blind-safe set)"),
    }
)
KINDS: Mapping[str, str] = Translated({"bar": N_("Bars"), "dot": N_("Dots")})
ORDERS: Mapping[str, str] = Translated(
    {
        "descending": N_("Highest rate first"),
        "ascending": N_("Lowest rate first"),
        "table": N_("As in the table"),
    }
)
YES_NO: Mapping[bool, str] = Translated({True: N_("Yes"), False: N_("No")})
CHOICES = (
    "kind",
    "sort",
    "colour",
    "title",
    "x_title",
    "y_title",
    "uncertainty",
    "label_suppressed",
)


def build(data: pd.DataFrame, choices: Mapping[str, Any], *, description: Any = None) -> Any:
    """The chart of ``data`` (columns group, rate, low, high, status, rate_text; suppressed rates
    empty) made with the form's ``choices``; ``description`` is the text alternative."""
    import altair as alt

    def pick(key: str, default: Any) -> Any:
        value = choices.get(key)
        return default if value is None else value

    label_hidden = pick("label_suppressed", False) is True
    pairs = list(zip(data["group"], data["status"], strict=True))
    frame = data.assign(
        # a hidden group's status in the reader's words ("suprimido"; the data keeps "suppressed")
        axis_label=[f"{g} ({_(s)})" if label_hidden and s != "shown" else str(g) for g, s in pairs],
        # the value beside each mark; a hidden group's says why only when the learner chose it
        value_text=[
            (t if s == "shown" else _(t)) if s == "shown" or label_hidden else ""
            for t, (_g, s) in zip(data["rate_text"], pairs, strict=True)
        ],
    )
    order = pick("sort", "table")
    sort: Any = (
        alt.EncodingSortField("rate", order=order) if order in ("ascending", "descending") else None
    )
    y = alt.Y(
        "axis_label:N", title=pick("y_title", _("group")), sort=sort, axis=alt.Axis(labelLimit=400)
    )
    x = alt.X("rate:Q", title=pick("x_title", _("rate")), scale=alt.Scale(domain=[0, 100]))
    colour = str(pick("colour", "#0072B2"))
    base = alt.Chart(frame)
    mark = (
        base.mark_bar() if pick("kind", "bar") == "bar" else base.mark_point(filled=True, size=90)
    )
    if colour.startswith("scheme:"):
        scale = alt.Scale(scheme={"name": colour.split(":", 1)[1]})  # a name from COLOURS
        marks = mark.encode(x=x, y=y, color=alt.Color("axis_label:N", scale=scale, legend=None))
    else:
        marks = mark.encode(x=x, y=y, color=alt.value(colour))
    layers = [marks]
    if pick("uncertainty", False) is True:
        layers.append(base.mark_rule(color="#000000").encode(x="low:Q", x2="high:Q", y=y))
    layers.append(
        base.mark_text(align="left", dx=4).encode(
            x=alt.X("high:Q") if "high" in frame else x, y=y, text="value_text:N"
        )
    )
    properties: dict[str, Any] = {"width": 420, "height": 28 * max(len(frame), 1)}
    if pick("title", ""):
        properties["title"] = str(choices["title"])
    if isinstance(description, str) and description.strip():
        properties["description"] = description
    return alt.layer(*layers).properties(**properties)

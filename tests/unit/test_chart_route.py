"""One chart route: the kernel's figure and the packet engine's figure are the same HTML."""

from __future__ import annotations

import altair as alt
import nbformat
import pandas as pd
import pytest

from cohort_tools import nb
from cohort_tools.core.i18n import speaking
from cohort_tools.render import charts
from cohort_tools.render import page as render


def _spec() -> dict[str, object]:
    frame = pd.DataFrame({"month": ["Jan", "Feb"], "requests": [120, 95]})
    chart = alt.Chart(frame).mark_bar().encode(x="month:N", y="requests:Q")
    spec: dict[str, object] = chart.properties(description="Two bars: 120 and 95.").to_dict()
    return spec


def test_a_kernel_draws_the_figure_and_a_packet_kernel_hands_the_engine_the_same_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = _spec()
    drawn_here = charts._render(spec)["text/html"]
    for key, value in charts.CHARTS_AFTER_THE_RUN.items():
        monkeypatch.setenv(key, value)
    bundle = charts._render(spec)
    assert "text/html" not in bundle  # nothing drawn in a packet kernel
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert render.charts_to_static(notebook) == 1
    assert notebook.cells[0].outputs[0]["data"]["text/html"] == drawn_here
    assert '<img class="cda-chart" alt="Two bars: 120 and 95."' in drawn_here
    assert "<figcaption>Chart description: Two bars: 120 and 95.</figcaption>" in drawn_here


def test_the_packet_engine_and_the_book_share_one_alt_text_rule() -> None:
    assert render.chart_description is charts.chart_alt_text
    assert charts.chart_alt_text({"title": "Backlog", "mark": "bar"}) == (
        "Chart: Backlog; bar marks."
    )


@pytest.mark.parametrize(("alt_text", "takeaway"), [("", "A point."), ("Bars.", " ")])
def test_show_chart_refuses_a_chart_without_alt_text_or_takeaway(
    alt_text: str, takeaway: str
) -> None:
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q")
    with pytest.raises(ValueError, match="text alternative"):
        nb.show_chart(chart, alt=alt_text, takeaway=takeaway)


def test_a_chart_drawn_once_is_not_drawn_again_but_each_locale_is_drawn_in_its_own() -> None:
    frame = pd.DataFrame({"service": ["Potholes", "Streetlights"], "days": [4.5, 12000.25]})
    spec = alt.Chart(frame).mark_bar().encode(x="service:N", y="days:Q").to_dict()
    charts._drawn.cache_clear()
    first = charts.vegalite_to_svg(spec)
    again = charts.vegalite_to_svg(dict(reversed(list(spec.items()))))  # same chart, keys reordered
    assert again == first
    assert charts._drawn.cache_info().hits == 1 and charts._drawn.cache_info().misses == 1
    with speaking("es", country="CO"):  # Colombia groups thousands with a point
        spanish = charts.vegalite_to_svg(spec)
    assert charts._drawn.cache_info().misses == 2
    assert ".000<" in spanish and ",000<" in first  # each language's number format on the axis

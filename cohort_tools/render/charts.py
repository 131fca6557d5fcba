"""Charts that work offline everywhere, each with a text alternative.

Altair's default renderer writes HTML that loads vega from a CDN, which breaks offline and is blocked
on many government networks. :func:`enable_offline_charts` (called at the top of every curriculum
notebook, and by the book build) draws each chart to SVG in the kernel with vl-convert (no network)
and emits an ``<img>`` whose alt text is the chart's ``description`` (or its title).
"""

from __future__ import annotations

import base64
import html
from typing import Any


def chart_title(spec: dict[str, Any]) -> str | None:
    """The chart's title as plain text (Vega-Lite allows a string, a list of lines or a dict)."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    if isinstance(title, str) and title.strip():
        return title.strip()
    return None


NO_DESCRIPTION = "Chart (no description given: set the chart's description)"


def chart_alt_text(spec: dict[str, Any]) -> str:
    """The chart's text alternative: its description, else its title, else a visible reminder."""
    description = spec.get("description")
    if isinstance(description, str) and description.strip():
        return description.strip()
    return chart_title(spec) or NO_DESCRIPTION


def _offline_svg_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    from altair.vegalite.v6.display import svg_renderer

    bundle = svg_renderer(spec, **metadata)
    svg = bundle["image/svg+xml"]
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt_text = html.escape(chart_alt_text(spec), quote=True)
    img = f'<img class="cda-chart" alt="{alt_text}" src="data:image/svg+xml;base64,{data}">'
    return {"text/html": img, "text/plain": f"<Chart: {chart_alt_text(spec)}>"}


def enable_offline_charts() -> None:
    """Make every Altair chart in this kernel an offline SVG image with alt text."""
    import altair as alt

    alt.renderers.register("cda-book", _offline_svg_renderer)
    alt.renderers.enable("cda-book")

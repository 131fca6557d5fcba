"""Charts: one route from an Altair chart to a static SVG figure with a text alternative.

Every chart a notebook shows leaves through one Altair renderer, ``cda``, registered by
:func:`enable_offline_charts` (``cohort_tools.nb.start`` calls it; so does the book build). It
draws the chart to SVG with vl-convert (no network, no CDN: Altair's default renderer loads vega from
a CDN, which breaks offline and is blocked on many government networks) and shows one figure, made
by :func:`chart_figure`: the ``<img>`` with the chart's text alternative as ``alt``, and the same
text in a visible caption so a printed page keeps it. The book, JupyterLab and the coaching packets
show that same figure.

Where the figure is drawn has one exception. Packet kernels are forked from a warm zygote, and
vl-convert's JavaScript engine cannot cross a fork (a child of a process that started it hangs),
while starting it afresh costs about 0.4 s of CPU in every kernel. So the packet engine starts its
kernels with :data:`CHARTS_AFTER_THE_RUN` in their environment: the renderer then hands the chart's
Vega-Lite spec on, and the engine, after the run, replaces it by the same :func:`chart_figure` in
its own warm process (``render.page.charts_to_static``). The grader does the same for its trusted
kernels (:func:`draw_charts`, after the run, the outputs otherwise unchanged), and the learner's
sandbox, which returns only text, never draws. Without that variable (the book, JupyterLab, tests)
the kernel draws the figure itself.

The alt-text rule lives here, in :func:`chart_alt_text`: the chart's ``description``; without one, a
description generated from its title, mark and encoded fields; a bare title; else the visible
reminder :data:`NO_DESCRIPTION`. ``nb.show_chart`` makes the description compulsory.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import os
import re
from typing import Any

from cohort_tools.core.i18n import SOURCE_LANGUAGE, _, current_language, d3_locales
from cohort_tools.render.tables import shown_word

RENDERER = "cda"
#: The reminder shown for a chart without any description (in English; see :func:`no_description`).
NO_DESCRIPTION = "Chart (no description given: set the chart's description)"


def no_description() -> str:
    """:data:`NO_DESCRIPTION` in the reader's language."""
    return _("Chart (no description given: set the chart's description)")


VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v(\d+)(\+json|\.json)$")
_SCHEMA_VERSION = re.compile(r"/v(\d+)\.(\d+)")
# The environment of a kernel whose charts the caller draws after the run (the packet engine).
CHARTS_AFTER_THE_RUN = {"CDA_CHARTS": "after-the-run"}


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


def _generated_description(spec: dict[str, Any]) -> str | None:
    """ "Chart: <title>; <mark> marks; showing <field> on <channel>, ..." or None with nothing to say."""
    mark = spec.get("mark")
    mark = mark.get("type") if isinstance(mark, dict) else mark
    fields = [
        _("{field} on {channel}").format(field=enc["field"], channel=channel)
        for channel, enc in (spec.get("encoding") or {}).items()
        if isinstance(enc, dict) and enc.get("field")
    ]
    if not mark and not fields:
        return None
    title = chart_title(spec)
    parts = [_("Chart: {title}").format(title=title) if title else _("Chart")]
    if mark:
        parts.append(_("{mark} marks").format(mark=mark))
    if fields:
        parts.append(_("showing {fields}").format(fields=", ".join(fields)))
    return "; ".join(parts) + "."


def chart_alt_text(spec: dict[str, Any]) -> str:
    """The chart's text alternative (the one rule; see the module docstring)."""
    description = spec.get("description")
    if isinstance(description, str) and description.strip():
        return description.strip()
    return _generated_description(spec) or chart_title(spec) or no_description()


# The packet engine's name for the same rule.
chart_description = chart_alt_text


#: Drawn with fonts metric-compatible with vl-convert's own (Liberation Sans = Arial metrics), so a
#: browser or WeasyPrint lays the labels out in the width vl-convert measured: with the generic
#: "sans-serif" they fell back to the wider DejaVu Sans and axis labels and legends were cut off at
#: the image's edges. Long axis and legend labels are kept whole up to 320 pixels.
CHART_CONFIG: dict[str, Any] = {
    "font": "Liberation Sans, Arimo, Arial, Helvetica, sans-serif",
    "axis": {"labelLimit": 320},
    "legend": {"labelLimit": 320},
}


def vegalite_to_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG text, drawn offline by vl-convert with the spec's own Vega-Lite version.

    A chart drawn once is not drawn again in this process (:func:`_drawn`): the grader draws the
    same locked-cell charts of a city for every learner's submission (about 0.1 s each)."""
    local: dict[str, Any] = {}
    if current_language() != SOURCE_LANGUAGE:  # English charts stay exactly as they were
        formats = d3_locales()
        local = {"format_locale": formats["format"], "time_format_locale": formats["time"]}
    return _drawn(json.dumps(spec, sort_keys=True), json.dumps(local, sort_keys=True))


@functools.lru_cache(maxsize=256)
def _drawn(spec_json: str, local_json: str) -> str:
    """:func:`vegalite_to_svg` of a spec and its locales (as JSON text: the cache's key)."""
    import vl_convert

    spec = json.loads(spec_json)
    local = json.loads(local_json)
    version = None
    match = _SCHEMA_VERSION.search(str(spec.get("$schema", "")))
    if match:
        candidate = f"{match.group(1)}.{match.group(2)}"
        supported = vl_convert.get_vegalite_versions()
        if candidate in supported:
            version = candidate
        else:
            same_major = [v for v in supported if v.split(".")[0] == match.group(1)]
            version = same_major[-1] if same_major else None
    svg: str = (
        vl_convert.vegalite_to_svg(spec, vl_version=version, config=CHART_CONFIG, **local)
        if version
        else vl_convert.vegalite_to_svg(spec, config=CHART_CONFIG, **local)
    )
    return svg


def chart_figure(spec: dict[str, Any]) -> str:
    """The chart as a self-contained figure: SVG image, alt text, and the text as a caption."""
    svg = vegalite_to_svg(spec)
    alt = chart_alt_text(spec)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<figure class="cda-chart"><img class="cda-chart" alt="{html.escape(alt, quote=True)}" '
        f'src="data:image/svg+xml;base64,{data}">'
        "<figcaption>"
        + _("Chart description: {text}").format(text=html.escape(alt))
        + "</figcaption></figure>"
    )


def draw_charts(nb: Any) -> int:
    """Draw, in place, every chart a kernel started with :data:`CHARTS_AFTER_THE_RUN` handed on:
    each Vega-Lite output becomes the figure the kernel's renderer would have shown (the same
    ``text/html``, the rest of the output kept as it is). Returns the number of charts drawn.

    For callers that keep the notebook itself (the grader): nothing else of the notebook changes,
    so the executed notebook is the one a kernel that drew its own charts gives.
    """
    count = 0
    for cell in nb.cells:
        outputs = cell.get("outputs", []) if cell.get("cell_type") == "code" else []
        for i, output in enumerate(outputs):
            data = output.get("data") or {}
            key = next((k for k in data if VEGALITE_MIME.match(k)), None)
            if key is None:
                continue
            rest = {k: v for k, v in data.items() if k != key}
            try:
                output["data"] = {"text/html": chart_figure(dict(data[key])), **rest}
            except Exception as exc:  # as the kernel's renderer would have failed: an error output
                ename, evalue = type(exc).__name__, str(exc)
                outputs[i] = type(output)(
                    output_type="error",
                    ename=ename,
                    evalue=evalue,
                    traceback=[f"{ename}: {evalue}"],
                )
            count += 1
    return count


def _vegalite_mimetype() -> str:
    import altair as alt

    major = alt.SCHEMA_VERSION.split(".")[0]  # "v6"
    return f"application/vnd.vegalite.{major}+json"


def in_language(spec: dict[str, Any]) -> dict[str, Any]:
    """The chart with the words in its data in the reader's language (its axis labels, legends
    and tooltips show them): each text value the catalog translates ("administrative" ->
    "administrativo"). Field names, numbers and everything else are unchanged."""
    if current_language() == SOURCE_LANGUAGE:
        return spec

    def rows(values: Any) -> Any:
        if not isinstance(values, list):
            return values
        return [
            {k: shown_word(v) for k, v in row.items()} if isinstance(row, dict) else row
            for row in values
        ]

    out = dict(spec)
    if isinstance(spec.get("datasets"), dict):
        out["datasets"] = {name: rows(values) for name, values in spec["datasets"].items()}
    data = spec.get("data")
    if isinstance(data, dict) and "values" in data:
        out["data"] = {**data, "values": rows(data["values"])}
    return out


def _render(spec: dict[str, Any], **_options: Any) -> dict[str, Any]:
    """The ``cda`` Altair renderer: the figure, or (in packet kernels) the spec for the engine."""
    spec = in_language(spec)
    text = "<" + _("Chart: {title}").format(title=chart_alt_text(spec)) + ">"
    if all(os.environ.get(k) == v for k, v in CHARTS_AFTER_THE_RUN.items()):
        return {_vegalite_mimetype(): spec, "text/plain": text}
    return {"text/html": chart_figure(spec), "text/plain": text}


def enable_offline_charts() -> None:
    """Make every Altair chart in this kernel a static SVG figure with its text alternative."""
    import altair as alt

    alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)

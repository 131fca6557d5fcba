"""Small display helpers for coaching templates, imported inside the packet kernel.

Every chart in a packet needs a text alternative and a one-line takeaway; :func:`show_chart` makes
both impossible to forget.
"""

from __future__ import annotations

from typing import Any


def show_chart(chart: Any, *, alt: str, takeaway: str) -> None:
    """Display an altair chart with ``alt`` as its text alternative, then the takeaway line."""
    from IPython.display import Markdown, display

    if not alt.strip() or not takeaway.strip():
        raise ValueError("every chart needs a text alternative (alt) and a one-line takeaway")
    display(chart.properties(description=alt))  # type: ignore[no-untyped-call]
    display(Markdown(f"**Takeaway:** {takeaway}"))  # type: ignore[no-untyped-call]


def _vegalite_bundle(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Altair renderer: the Vega-Lite spec under a ``+json`` mimetype (valid nbformat), no HTML."""
    import altair as alt

    major = alt.SCHEMA_VERSION.split(".")[0]  # "v6"
    text = spec.get("description") or "chart"
    return {f"application/vnd.vegalite.{major}+json": spec, "text/plain": f"<Chart: {text}>"}


def enable_packet_renderer() -> None:
    """Make altair charts leave the kernel as Vega-Lite JSON; the engine draws them offline."""
    import altair as alt

    alt.renderers.register("cda-packet", _vegalite_bundle)
    alt.renderers.enable("cda-packet")

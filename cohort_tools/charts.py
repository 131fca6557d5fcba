"""What every published chart shares: reading its title from a Vega-Lite spec for text alternatives."""

from __future__ import annotations

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

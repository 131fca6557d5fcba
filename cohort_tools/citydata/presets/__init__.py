"""Named column maps for common exports (declarative YAML beside this file).

A preset is a ``tables.<name>`` block of city.yaml kept under a name, so cities with the same
source system reuse it: ``preset: socrata_nyc_311``. Settings written in city.yaml override it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

_META = ("table", "description")


@cache
def _all() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".yaml"):
            out[entry.name.removesuffix(".yaml")] = yaml.safe_load(entry.read_text("utf-8"))
    return out


def preset_names() -> list[str]:
    return sorted(_all())


def preset_table(name: str) -> str:
    """The table a preset is for."""
    return str(_all()[name]["table"])


def preset_description(name: str) -> str:
    return str(_all()[name].get("description", ""))


def load_preset(name: str) -> dict[str, Any]:
    """The preset's table settings (without its name and description)."""
    data = _all()[name]
    return {k: v for k, v in data.items() if k not in _META}


def suggest_preset(table: str, columns: list[str]) -> str | None:
    """A preset whose source columns this file mostly has (for hints), if any."""
    have = set(columns)
    for name in preset_names():
        data = _all()[name]
        wanted = set(data.get("columns") or {})
        if data.get("table") == table and wanted and len(wanted & have) >= 0.6 * len(wanted):
            return name
    return None

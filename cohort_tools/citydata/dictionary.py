"""The data dictionary, rendered from the pandera schemas (never written by hand)."""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from . import schemas
from .config import CityConfig, TableConfig
from .presets import preset_description, preset_names


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _allowed(column: pa.Column) -> str:
    parts: list[str] = []
    for check in column.checks:
        stats: dict[str, Any] = check.statistics or {}
        if check.name == "isin":
            parts.append(", ".join(f"`{v}`" for v in stats["allowed_values"]))
        elif check.name == "greater_than_or_equal_to":
            parts.append(f">= {stats['min_value']}")
        elif check.name == "in_range":
            parts.append(f"{stats['min_value']} to {stats['max_value']}")
        elif check.error:
            parts.append(str(check.error))
    references = (column.metadata or {}).get("references")
    if references:
        parts.append(f"an id in `{references}`")
    return "; ".join(parts)


def render_table(name: str) -> str:
    schema = schemas.TABLES[name]
    meta = schema.metadata or {}
    lines = [
        f"## {name}",
        "",
        f"File: `{name}.csv` (or `{name}.xlsx`, `{name}.parquet`; another name via city.yaml "
        f"`tables.{name}.file`). Each row is {meta.get('row', 'one record')}.",
        "",
        str(schema.description or ""),
        "",
    ]
    if meta.get("unique"):
        lines += [f"Each combination of {', '.join(meta['unique'])} appears once.", ""]
    for check in schema.checks:
        if check.error:
            lines += [f"Rule: {check.error}.", ""]
    lines += [
        "| Column | Type | Required | Blank allowed | Allowed values | Description |",
        "|---|---|---|---|---|---|",
    ]
    for column_name, column in schema.columns.items():
        kind = schemas.kind_of(name, column_name)
        unique = " (unique)" if column.unique else ""
        lines.append(
            f"| `{column_name}` | {schemas.KIND_LABELS[kind]}{unique} | "
            f"{'yes' if column.required else 'no'} | {'yes' if column.nullable else 'no'} | "
            f"{_escape(_allowed(column))} | {_escape(str(column.description or ''))} |"
        )
    return "\n".join(lines) + "\n"


def render_city_yaml() -> str:
    lines = [
        "## city.yaml",
        "",
        "Every city folder has `city.yaml`, the city profile. Unknown fields are an error.",
        "",
        "| Field | Default | Description |",
        "|---|---|---|",
    ]
    for model in (CityConfig, TableConfig):
        prefix = "" if model is CityConfig else "tables.&lt;table&gt;."
        for field_name, info in model.model_fields.items():
            default = (
                "required"
                if info.is_required()
                else repr(info.get_default(call_default_factory=True))
            )
            lines.append(
                f"| `{prefix}{field_name}` | {_escape(default)} | "
                f"{_escape(info.description or '')} |"
            )
    lines += [
        "",
        "Dates must be ISO 8601 (YYYY-MM-DD; date-times YYYY-MM-DDTHH:MM[:SS]) unless "
        "`tables.<table>.date_format` gives another (a Python strptime format). True/false columns "
        "accept true/false, yes/no, y/n and 1/0 in any case. Text files may be UTF-8 (with or "
        "without BOM) or Windows-1252, with `,` `;` tab or `|` between values.",
        "",
        "Columns that look like a person's name or e-mail address (name, full_name, first_name, "
        "last_name, email, ...) are never loaded; `cda data check` warns about them.",
        "",
        "Presets (`tables.<table>.preset`, or `cda data import --preset`):",
        "",
    ]
    lines += [f"- `{name}`: {preset_description(name)}" for name in preset_names()]
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The whole data dictionary as Markdown: city.yaml, then one section per table."""
    parts = [
        "# City data dictionary",
        "",
        "A city data folder holds `city.yaml` and one file per table. Every table is optional; "
        "`cda data check CITY_DIR` validates the folder and names every problem. Generated from "
        f"the schemas in `cohort_tools.citydata.schemas` (schema version {schemas.SCHEMA_VERSION}).",
        "",
        render_city_yaml(),
    ]
    parts += [render_table(name) for name in schemas.TABLES]
    return "\n".join(parts)

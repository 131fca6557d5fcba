"""The data dictionary, rendered from the pandera schemas (never written by hand).

It is written in the current language (``with i18n.speaking("es"): render_markdown()``): the
schemas' descriptions, rules and labels are catalog messages. Names people type stay as they are
(tables, columns, files, allowed codes, city.yaml keys).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandera.pandas as pa

from cohort_tools.core.i18n import N_, SOURCE_LANGUAGE, current_language, shown
from cohort_tools.core.i18n import gettext as _

from . import schemas
from .config import CityConfig, TableConfig
from .presets import preset_description, preset_names

#: What a table's row is when its schema does not say (a catalog message).
DEFAULT_ROW = N_("one record")


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(name: str) -> str:
    """A name people type (a table, a column, a default value) as the dictionary shows it: as it
    is in English (as the English dictionary always has), as code in any other language, so a
    column such as ``group`` is never read as a word of the sentence around it."""
    return name if current_language() == SOURCE_LANGUAGE else f"`{name}`"


def _codes(names: Iterable[str]) -> str:
    return ", ".join(_code(n) for n in names)


def _allowed(column: pa.Column) -> str:
    parts: list[str] = []
    for check in column.checks:
        stats: dict[str, Any] = check.statistics or {}
        if check.name == "isin":
            parts.append(", ".join(f"`{v}`" for v in stats["allowed_values"]))
        elif check.name == "greater_than_or_equal_to":
            parts.append(f">= {stats['min_value']}")
        elif check.name == "in_range":
            parts.append(
                _("{low} to {high}").format(low=stats["min_value"], high=stats["max_value"])
            )
        elif check.error:
            parts.append(shown(check.error))
    references = (column.metadata or {}).get("references")
    if references:
        parts.append(_("an id in `{column}`").format(column=references))
    return "; ".join(parts)


def render_table(name: str) -> str:
    schema = schemas.TABLES[name]
    meta = schema.metadata or {}
    lines = [
        f"## {_code(name)}",
        "",
        _(
            "File: `{name}.csv` (or `{name}.xlsx`, `{name}.parquet`; another name via city.yaml "
            "`tables.{name}.file`). Each row is {row}."
        ).format(name=name, row=_(meta.get("row") or DEFAULT_ROW)),
        "",
        shown(schema.description),
        "",
    ]
    if meta.get("unique"):
        lines += [
            _("Each combination of {columns} appears once.").format(columns=_codes(meta["unique"])),
            "",
        ]
    for check in schema.checks:
        if check.error:
            lines += [_("Rule: {rule}.").format(rule=shown(check.error)), ""]
    headings = (
        _("Column"),
        _("Type"),
        _("Required"),
        _("Blank allowed"),
        _("Allowed values"),
        _("Description"),
    )
    lines += ["| " + " | ".join(headings) + " |", "|---|---|---|---|---|---|"]
    yes, no = _("yes"), _("no")
    for column_name, column in schema.columns.items():
        kind = _(schemas.KIND_LABELS[schemas.kind_of(name, column_name)])
        if column.unique:
            kind = _("{kind} (unique)").format(kind=kind)
        lines.append(
            f"| `{column_name}` | {kind} | {yes if column.required else no} | "
            f"{yes if column.nullable else no} | "
            f"{_escape(_allowed(column))} | {_escape(shown(column.description))} |"
        )
    return "\n".join(lines) + "\n"


def render_city_yaml() -> str:
    lines = [
        f"## {_code('city.yaml')}",
        "",
        _("Every city folder has `city.yaml`, the city profile. Unknown fields are an error."),
        "",
        "| " + " | ".join((_("Field"), _("Default"), _("Description"))) + " |",
        "|---|---|---|",
    ]
    for model in (CityConfig, TableConfig):
        prefix = "" if model is CityConfig else "tables.&lt;table&gt;."
        for field_name, info in model.model_fields.items():
            default = (
                _("required")
                if info.is_required()
                else _code(repr(info.get_default(call_default_factory=True)))
            )
            lines.append(
                f"| `{prefix}{field_name}` | {_escape(default)} | "
                f"{_escape(_(info.description) if info.description else '')} |"
            )
    lines += [
        "",
        _(
            "Dates must be ISO 8601 (YYYY-MM-DD; date-times YYYY-MM-DDTHH:MM[:SS]) unless "
            "`tables.<table>.date_format` gives another (a Python strptime format). True/false "
            "columns accept true/false, yes/no, y/n, 1/0, sí/no, s/n and verdadero/falso in any case. "
            "Text files may be UTF-8 "
            "(with or without BOM) or Windows-1252, with `,` `;` tab or `|` between values."
        ),
        "",
        _(
            "Columns that look like a person's name or e-mail address (name, full_name, "
            "first_name, last_name, email, ...) are never loaded; `cda data check` warns about them."
        ),
        "",
        _("Presets (`tables.<table>.preset`, or `cda data import --preset`):"),
        "",
    ]
    for name in preset_names():
        description = preset_description(name)  # a catalog message (babel.cfg: presets)
        lines.append(f"- `{name}`: {_(description) if description else ''}")
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The whole data dictionary as Markdown, in the current language: city.yaml, then one section
    per table."""
    parts = [
        "# " + _("City data dictionary"),
        "",
        _(
            "A city data folder holds `city.yaml` and one file per table. Every table is optional; "
            "`cda data check CITY_DIR` validates the folder and names every problem. Generated "
            "from the schemas in `cohort_tools.citydata.schemas` (schema version {version})."
        ).format(version=schemas.SCHEMA_VERSION),
        "",
        render_city_yaml(),
    ]
    parts += [render_table(name) for name in schemas.TABLES]
    return "\n".join(parts)

"""city.yaml: the city profile and per-table reading instructions (typed, validated on load)."""

from __future__ import annotations

import codecs
import zoneinfo
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from cohort_tools.core.config import StrictModel, load_yaml, problems_from_validation
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import LANGUAGE_NAMES, N_, known_language
from cohort_tools.core.i18n import gettext as _

from .schemas import TABLES

CITY_FILE = "city.yaml"

Format = Literal[
    "auto", "csv", "xlsx", "parquet", "socrata_csv", "socrata_json", "open311_json", "json"
]


class TableConfig(StrictModel):
    """How to read one table's file: where it is, its format, and how its columns map to ours."""

    file: str | None = Field(
        default=None, description=N_("The table's file, relative to the city folder.")
    )
    preset: str | None = Field(
        default=None, description=N_("A named column map, e.g. socrata_nyc_311.")
    )
    format: Format = Field(
        default="auto", description=N_("File format; auto goes by the file extension.")
    )
    encoding: str = Field(
        default="auto", description=N_("Text encoding: auto, utf-8, utf-8-sig, cp1252...")
    )
    delimiter: str = Field(
        default="auto", description=N_('CSV delimiter: auto, ",", ";", tab or "|".')
    )
    sheet: str | None = Field(
        default=None, description=N_("Excel sheet name (default: the first sheet).")
    )
    columns: dict[str, str] = Field(
        default_factory=dict, description=N_("Their column name -> our column name.")
    )
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict, description=N_("Per column (ours): their value -> our value.")
    )
    date_format: str | None = Field(
        default=None, description=N_("strptime format (e.g. %m/%d/%Y) when dates are not ISO 8601.")
    )
    ignore: list[str] = Field(
        default_factory=list,
        description=N_("Their columns (glob patterns) to drop without a warning."),
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        if value != "auto":
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(
                    _(
                        "'{value}' is not an encoding Python knows; use auto, utf-8, utf-8-sig, "
                        "cp1252 or latin-1"
                    ).format(value=value)
                ) from None
        return value

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if value in ("tab", "\\t"):
            return "\t"
        if value != "auto" and len(value) != 1:
            raise ValueError(_('delimiter must be auto or one character such as ",", ";", "|"'))
        return value

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None) -> str | None:
        from .presets import preset_names

        if value is not None and value not in preset_names():
            raise ValueError(
                _("unknown preset '{value}'; known presets: {presets}").format(
                    value=value, presets=", ".join(preset_names())
                )
            )
        return value


class CityConfig(StrictModel):
    """The city profile in city.yaml."""

    id: str = Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description=N_("Slug (a-z, 0-9, hyphens); the same as the city's id in the cohort."),
    )
    name: str = Field(min_length=1, description=N_("The city's name."))
    fictional: bool = Field(default=False, description=N_("true for demo cities."))
    country: str = Field(pattern=r"^[A-Z]{2}$", description=N_("ISO 3166-1 alpha-2 code, e.g. US."))
    state: str | None = Field(default=None, description=N_("State or province code, e.g. OH."))
    population: int = Field(ge=0, description=N_("Residents."))
    currency: str = Field(
        default="USD",
        pattern=r"^[A-Z]{3}$",
        description=N_(
            "ISO 4217 code of the money columns (budget_usd, ... keep their names), e.g. COP."
        ),
    )
    timezone: str = Field(description=N_("IANA time zone, e.g. America/New_York."))
    language: str | None = Field(
        default=None,
        description=N_(
            "The language the city's team reads (en, es): `cda data check` writes in it. "
            "Default: en."
        ),
    )
    suppression_threshold: int = Field(
        default=11,
        ge=1,
        description=N_("Counts below this are suppressed in published outputs (CMS: 11)."),
    )
    tables: dict[str, TableConfig] = Field(
        default_factory=dict, description=N_("Per-table reading instructions (below).")
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                _("'{value}' is not an IANA time zone; use a name such as America/New_York").format(
                    value=value
                )
            ) from None
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        return value if value is None else known_language(value)

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, value: dict[str, TableConfig]) -> dict[str, TableConfig]:
        unknown = [name for name in value if name not in TABLES]
        if unknown:
            raise ValueError(
                _("unknown table(s) {unknown}; known tables: {tables}").format(
                    unknown=", ".join(unknown), tables=", ".join(TABLES)
                )
            )
        return value

    def table(self, name: str) -> TableConfig:
        return self.tables.get(name) or TableConfig()


def load_city_config(city_dir: Path) -> CityConfig:
    """Read and validate ``<city_dir>/city.yaml``; raise CdaError naming every problem."""
    path = Path(city_dir) / CITY_FILE
    if not path.exists():
        raise CdaError.single(
            path,
            _("city.yaml is missing, so this folder is not a city data folder."),
            _(
                "create city.yaml with id, name, country, population and timezone "
                "(see `cda data dictionary`)."
            ),
        )
    doc = load_yaml(path, N_("city profile"))
    try:
        return CityConfig.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[Problem] = problems_from_validation(exc, doc)
        raise CdaError(
            problems, headline=_("{file} is not a valid city profile.").format(file=path)
        ) from None


def declared_language(city_dir: Path) -> str | None:
    """The ``language`` city.yaml names, read leniently (before the profile is checked, so the
    check itself can speak it); None when the file or the value is unusable."""
    import yaml

    try:
        data = yaml.safe_load((Path(city_dir) / CITY_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("language") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value in LANGUAGE_NAMES else None


def effective_table_config(config: TableConfig | None) -> TableConfig:
    """The table config with its preset's settings filled in (explicit settings win)."""
    from .presets import load_preset

    config = config or TableConfig()
    if not config.preset:
        return config
    base: dict[str, Any] = load_preset(config.preset)
    mine = config.model_dump(exclude_unset=True)
    merged = dict(base)
    for key, value in mine.items():
        if key == "columns":
            merged["columns"] = {**base.get("columns", {}), **value}
        elif key == "values":
            values = {k: dict(v) for k, v in base.get("values", {}).items()}
            for column, mapping in value.items():
                values[column] = {**values.get(column, {}), **mapping}
            merged["values"] = values
        elif key == "ignore":
            merged["ignore"] = [*base.get("ignore", []), *value]
        else:
            merged[key] = value
    merged["preset"] = config.preset
    return TableConfig.model_validate(merged)

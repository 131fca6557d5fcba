"""Validate a city data folder and report every problem in one run, in plain language.

:func:`check_city` reads city.yaml and every table, runs the pandera schemas lazily (all failures, not
the first), then the cross-table checks pandera does not do (foreign keys; programme outcomes by
neighbourhood). It only reads: inputs are never modified.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import gettext as _
from cohort_tools.core.i18n import shown
from cohort_tools.policy.standards.national import UnknownCountryStandard, standard_for

from . import schemas
from .config import CITY_FILE, CityConfig, TableConfig, load_city_config
from .normalise import PreparedTable, prepare_table
from .readers import EXTENSION_FORMATS, rows_text

TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq", ".json", ".xls")
CACHE_DIR_NAME = ".cda-cache"


@dataclass
class CityFolder:
    """A city folder's profile (None if city.yaml is unusable) and where each table's file is."""

    path: Path
    config: CityConfig | None
    files: dict[str, Path]
    problems: list[Problem]

    @property
    def city_id(self) -> str | None:
        return self.config.id if self.config else None

    def table_config(self, table: str) -> TableConfig:
        return self.config.table(table) if self.config else TableConfig()


def scan_city(city_dir: Path) -> CityFolder:
    """Read city.yaml and find each table's file; problems for missing/ambiguous/unknown files."""
    city_dir = Path(city_dir)
    problems: list[Problem] = []
    if not city_dir.is_dir():
        raise CdaError.single(
            city_dir, _("this city data folder does not exist."), _("check the path.")
        )
    config: CityConfig | None = None
    try:
        config = load_city_config(city_dir)
    except CdaError as exc:
        problems.extend(exc.problems)
    files: dict[str, Path] = {}
    claimed: set[Path] = set()
    for table in schemas.TABLES:
        declared = config.tables.get(table) if config else None
        if declared and declared.file:
            path = Path(declared.file)
            path = path if path.is_absolute() else city_dir / path
            if not path.exists():
                problems.append(
                    Problem(
                        str(city_dir / CITY_FILE),
                        _("tables.{table}.file names '{file}', which does not exist.").format(
                            table=table, file=declared.file
                        ),
                        _("correct the file name (relative to the city folder)."),
                        city=config.id if config else None,
                        field=f"tables.{table}.file",
                    )
                )
                continue
            files[table] = path
            claimed.add(path.resolve())
            continue
        found = sorted(
            p
            for p in city_dir.iterdir()
            if p.is_file() and p.stem == table and p.suffix.lower() in TABLE_EXTENSIONS
        )
        if len(found) > 1:
            problems.append(
                Problem(
                    str(city_dir),
                    _("there are several files for the {table} table: {files}.").format(
                        table=table, files=", ".join(p.name for p in found)
                    ),
                    _("keep one, or name the right one in city.yaml tables.{table}.file.").format(
                        table=table
                    ),
                    city=config.id if config else None,
                )
            )
            claimed.update(p.resolve() for p in found)
            continue
        if found:
            files[table] = found[0]
            claimed.add(found[0].resolve())
    for path in sorted(city_dir.iterdir()):
        if (
            not path.is_file()
            or path.name.startswith(".")
            or path.name == CITY_FILE
            or path.resolve() in claimed
            or path.suffix.lower() not in TABLE_EXTENSIONS
        ):
            continue
        close = difflib.get_close_matches(path.stem, list(schemas.TABLES), n=1)
        hint = (
            _("rename it to {name}").format(name=f"{close[0]}{path.suffix}")
            if close
            else _("rename it to a table name")
        )
        problems.append(
            Problem(
                str(path),
                _("this file is not one of the city tables, so it is not checked or loaded."),
                _("{hint}, or name it in city.yaml tables.<table>.file (tables: {tables}).").format(
                    hint=hint, tables=", ".join(schemas.TABLES)
                ),
                city=config.id if config else None,
                severity="warning",
            )
        )
    return CityFolder(city_dir, config, files, problems)


# --- pandera failures -> problems -----------------------------------------------------------------


def _rule(check: pa.Check) -> str:
    stats: Mapping[str, Any] = check.statistics or {}
    if check.name == "isin":
        return _("must be one of: {values}").format(
            values=", ".join(str(v) for v in stats["allowed_values"])
        )
    if check.name == "greater_than_or_equal_to":
        return _("must be {low} or more (no negative values)").format(low=stats["min_value"])
    if check.name == "in_range":
        return _("must be between {low} and {high}").format(
            low=stats["min_value"], high=stats["max_value"]
        )
    return shown(check.error) or str(check.name)


def _fix(table: str, column: str | None, check: pa.Check | None, kind: str) -> str:
    if kind == "missing_column":
        return ""
    if kind == "not_nullable":
        return _("fill in every row; this column may not be blank.")
    if kind == "unique":
        return _("each value must appear once: remove the duplicate rows or give them new ids.")
    if check is not None and check.name == "isin":
        return _(
            "use one of the allowed values; if your system uses other words, map them in "
            "city.yaml tables.{table}.values.{column}."
        ).format(table=table, column=column)
    if check is not None and check.name in ("greater_than_or_equal_to", "in_range"):
        return _("correct the values; counts and amounts cannot be negative.")
    if check is not None and check.name == "successes_le_participants":
        return _("successes count people from participants, so they cannot be more; correct them.")
    if check is not None and check.name and check.name.endswith("_fits_dimension"):
        codes = "; ".join(f"{d}: {', '.join(c)}" for d, c in schemas.DIMENSION_CATEGORIES.items())
        return _("use the codes of each dimension ({codes}); see `cda data dictionary`.").format(
            codes=codes
        )
    if check is not None and check.name == "not_email":
        return _("replace e-mail addresses with pseudonymous codes (e.g. R0001).")
    return _("correct the values; see `cda data dictionary` for the rule.")


_SCHEMA_CHECK_FIELD = {
    "successes_le_participants": "successes",
    "category_fits_dimension": "category",
    "group_fits_dimension": "group",
}


def validate_frame(prepared: PreparedTable, city: str | None = None) -> list[Problem]:
    """Run the table's pandera schema lazily and phrase every failure as a Problem."""
    frame = prepared.frame
    if frame is None:
        return []
    table = prepared.table
    schema = schemas.TABLES[table]
    name = str(prepared.path)
    word = prepared.row_word
    problems: list[Problem] = []
    if frame.empty:
        return [
            Problem(
                name,
                _("the table has a header but no rows."),
                _("add the data, or remove the file if the city does not have this table yet."),
                city=city,
                severity="warning",
            )
        ]
    try:
        schema.validate(frame, lazy=True)
        return []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    except SchemaError as exc:  # pragma: no cover - lazy=True collects, but be safe
        cases = exc.failure_cases if exc.failure_cases is not None else pd.DataFrame()
    groups: dict[tuple[str | None, str], dict[str, Any]] = {}
    for case in cases.itertuples(index=False):
        context = case.schema_context
        column = case.column if isinstance(case.column, str) else None
        check_text = str(case.check)
        check: pa.Check | None = None
        number = case.check_number
        if number is not None and not pd.isna(number):
            if context == "Column" and column in schema.columns:
                check = schema.columns[column].checks[int(number)]
            elif context == "DataFrameSchema":
                check = schema.checks[int(number)]
                column = _SCHEMA_CHECK_FIELD.get(str(check.name), column)
        if check_text == "multiple_fields_uniqueness":
            column = None
        key = (column, check_text if check is None else f"{check.name}#{number}")
        entry = groups.setdefault(
            key, {"check": check, "text": check_text, "rows": [], "values": [], "column": column}
        )
        if case.index is not None and not pd.isna(case.index):
            entry["rows"].append(int(case.index))
        entry["values"].append(case.failure_case)
    for (column, _check), entry in groups.items():
        check = entry["check"]
        text = entry["text"]
        rows = sorted(set(entry["rows"]) - prepared.bad_cells.get(column or "", set()))
        if text == "column_in_dataframe":
            for missing in dict.fromkeys(entry["values"]):
                problems.append(_missing_column(prepared, str(missing), city))
            continue
        if not rows:
            continue
        if check is not None and check.name in _SCHEMA_CHECK_FIELD and column in frame:
            values = frame.loc[rows, column].tolist()
        else:
            values = entry["values"]
        examples = ", ".join(repr(_plain(v)) for v in list(dict.fromkeys(map(_plain, values)))[:3])
        where = rows_text(rows, word)
        line = rows[0] if len(rows) == 1 else None
        if text == "not_nullable":
            message = _("column '{column}' is blank in {rows}.").format(column=column, rows=where)
            kind = "not_nullable"
        elif text == "multiple_fields_uniqueness":
            combo = list((schema.metadata or {}).get("unique", []))
            column = " + ".join(combo)
            dupes = [
                tuple(_plain(v) for v in t) for t in frame.loc[rows, combo].itertuples(index=False)
            ]
            shown = ", ".join(str(t) for t in list(dict.fromkeys(dupes))[:3])
            message = _(
                "each combination of {columns} must appear only once; repeated: {values} in {rows}."
            ).format(columns=column, values=shown, rows=where)
            kind = "unique"
        elif text == "field_uniqueness":
            message = _("column '{column}' must be unique; repeated: {values} in {rows}.").format(
                column=column, values=examples, rows=where
            )
            kind = "unique"
        elif text.startswith("dtype("):
            message = _("column '{column}' has the wrong type ({type}) in {rows}.").format(
                column=column, type=text, rows=where
            )
            kind = "dtype"
        else:
            rule = _rule(check) if check is not None else text
            message = _("column '{column}' {rule}; found {values} in {rows}.").format(
                column=column, rule=rule, values=examples, rows=where
            )
            kind = "check"
        problems.append(
            Problem(
                name,
                message,
                _fix(table, column, check, kind),
                city=city,
                field=column,
                line=line,
            )
        )
    return problems


def _plain(value: Any) -> Any:
    """A cell as a person wrote it: -45, not np.int64(-45); 3, not 3.0."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _missing_column(prepared: PreparedTable, column: str, city: str | None) -> Problem:
    """The missing column, the file's own headers (not ours after mapping), and a preset if one fits."""
    present = prepared.source_columns or (
        list(prepared.frame.columns) if prepared.frame is not None else []
    )
    preset = prepared.suggested_preset
    hint = (
        _(
            "this looks like a {preset} export: import it with --preset {preset}, or set "
            "preset: {preset} for tables.{table} in city.yaml. Otherwise "
        ).format(preset=preset, table=prepared.table)
        if preset
        else ""
    )
    fix = _(
        "add a column headed '{column}'; if the file calls it something else, map it in "
        "city.yaml tables.{table}.columns (e.g. {example}). Columns found: {found}."
    ).format(
        column=column,
        table=prepared.table,
        example=f"{{'Their Name': {column}}}",
        found=", ".join(present) or _("none"),
    )
    return Problem(
        str(prepared.path),
        _("the required column '{column}' is missing.").format(column=column),
        hint + fix,
        city=city,
        field=column,
        line=1,
    )


# --- cross-table ------------------------------------------------------------------------------


def reference_checks(table: str) -> list[tuple[str, str, str, str | None]]:
    """(column, referenced table, referenced column, dimension or None) checked across tables.

    With a dimension, only rows of that dimension refer to the other table (programme outcomes
    whose group is a neighbourhood).
    """
    checks: list[tuple[str, str, str, str | None]] = [
        (column, other, other_col, None)
        for column, (other, other_col) in schemas.foreign_keys(table).items()
    ]
    if table == "programme_outcomes":
        checks.append(("group", "neighbourhoods", "neighbourhood_id", "neighbourhood"))
    return checks


def cross_check(prepared: Mapping[str, PreparedTable], city: str | None = None) -> list[Problem]:
    """Foreign keys between tables, and programme outcomes whose group is a neighbourhood."""
    problems: list[Problem] = []
    for item in prepared.values():
        problems.extend(cross_check_table(item, prepared, city))
    return problems


def cross_check_table(
    item: PreparedTable, prepared: Mapping[str, PreparedTable], city: str | None = None
) -> list[Problem]:
    """The cross-table problems of one table (see :func:`cross_check`)."""
    problems: list[Problem] = []
    if item.frame is None or item.frame.empty:
        return problems
    frame = item.frame
    for column, other, other_col, dimension in reference_checks(item.table):
        if column not in frame:
            continue
        values = frame[column]
        if dimension is not None:
            values = values.where(frame["dimension"] == dimension)
        if values.notna().sum() == 0:
            continue
        target = prepared.get(other)
        if target is None or target.frame is None or other_col not in target.frame:
            problems.append(
                Problem(
                    str(item.path),
                    _(
                        "column '{column}' refers to the {table} table, which is missing or "
                        "unreadable, so these references cannot be checked."
                    ).format(column=column, table=other),
                    _("add a valid {table} table to the city folder.").format(table=other),
                    city=city,
                    field=column,
                    severity="warning",
                )
            )
            continue
        known = set(target.frame[other_col].dropna())
        unknown = values.notna() & ~values.isin(known)
        if unknown.any():
            rows = [int(r) for r in frame.index[unknown]]
            examples = ", ".join(repr(v) for v in pd.unique(values[unknown])[:3])
            problems.append(
                Problem(
                    str(item.path),
                    _(
                        "column '{column}' has values not found in {table}.{id} ({file}): "
                        "{values} in {rows}."
                    ).format(
                        column=column,
                        table=other,
                        id=other_col,
                        file=target.path.name,
                        values=examples,
                        rows=rows_text(rows, item.row_word),
                    ),
                    _("use an id listed in {file}, or add the missing {id} there.").format(
                        file=target.path.name, id=other_col
                    ),
                    city=city,
                    field=column,
                    line=rows[0] if len(rows) == 1 else None,
                )
            )
    return problems


def consistency_warnings(item: PreparedTable, city: str | None = None) -> list[Problem]:
    """Plausibility checks that are worth a look but do not make the data unusable."""
    frame = item.frame
    out: list[Problem] = []
    if frame is None or item.table != "service_requests" or frame.empty:
        return out
    if "closed_datetime" in frame and "requested_datetime" in frame:
        bad = frame["closed_datetime"] < frame["requested_datetime"]
        if bad.any():
            rows = [int(r) for r in frame.index[bad.fillna(False)]]
            out.append(
                Problem(
                    str(item.path),
                    _("closed_datetime is before requested_datetime in {rows}.").format(
                        rows=rows_text(rows)
                    ),
                    _("check those dates; response times for them will be negative."),
                    city=city,
                    field="closed_datetime",
                    severity="warning",
                )
            )
    return out


# --- the public entry points ------------------------------------------------------------------


def prepare_city_table(folder: CityFolder, table: str) -> PreparedTable:
    config = folder.config
    return prepare_table(
        table,
        folder.files[table],
        folder.table_config(table),
        timezone=config.timezone if config else None,
        city=folder.city_id,
    )


#: Tables whose race_ethnicity rows must use the city's own national standard, and the column.
_STANDARD_COLUMNS = {"neighbourhood_demographics": "category", "programme_outcomes": "group"}


def national_standard_problems(
    item: PreparedTable, country: str | None, city: str | None = None
) -> list[Problem]:
    """race_ethnicity codes that are not those of the city's country's standard (US: SPD 15; CO:
    DANE 2018). The schema accepts every registered standard's codes; this narrows them per city.
    ``country`` is None when city.yaml cannot be read: its own problems say why, and this check
    waits for it to be fixed (rather than judge a Colombian city's rows by the US standard)."""
    if country is None:
        return []
    column = _STANDARD_COLUMNS.get(item.table)
    frame = item.frame
    if column is None or frame is None or frame.empty or column not in frame:
        return []
    if "dimension" not in frame:
        return []
    rows = frame["dimension"] == "race_ethnicity"
    if not rows.any():
        return []
    try:
        standard = standard_for(country)
    except UnknownCountryStandard as exc:
        return [
            Problem(
                str(item.path),
                str(exc),
                _(
                    "set the city's country in city.yaml to one with a standard, or leave out the "
                    "race_ethnicity rows."
                ),
                city=city,
                field="dimension",
                severity="warning",
            )
        ]
    # codes no standard has are the schema's problem (reported once, there)
    other = frame[column].isin(schemas.ETHNIC_GROUP_CODES)
    bad = rows & other & ~frame[column].isin(standard.reporting_codes)
    if not bad.any():
        return []
    found = sorted(set(frame.loc[bad, column].astype(str)))
    return [
        Problem(
            str(item.path),
            _(
                "race_ethnicity uses {codes}, which {standard} (the standard of {country}, the "
                "city's country) does not have, in {rows}."
            ).format(
                codes=", ".join(found),
                standard=standard.name,
                country=standard.country,
                rows=rows_text([int(r) for r in frame.index[bad]]),
            ),
            _("use the codes of {standard}: {codes} (or check the country in city.yaml).").format(
                standard=standard.name, codes=", ".join(standard.reporting_codes)
            ),
            city=city,
            field=column,
        )
    ]


def check_prepared(
    item: PreparedTable, city: str | None, country: str | None = None
) -> list[Problem]:
    """Every problem of one prepared table; ``country`` (city.yaml) picks the national standard."""
    return [
        *item.problems,
        *validate_frame(item, city),
        *consistency_warnings(item, city),
        *national_standard_problems(item, country, city),
    ]


def known_extensions() -> Iterable[str]:
    return EXTENSION_FORMATS.keys()

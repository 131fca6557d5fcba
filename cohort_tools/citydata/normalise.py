"""Turn a raw table (any format, the city's column names) into our columns and types.

The steps, in order (each needs the one before):

1. read the file (:mod:`.readers`);
2. rename columns: the ``columns`` map from city.yaml / the preset, then headers that match ours once
   spaces and case are ignored (``Department ID`` -> ``department_id``);
3. drop ignored columns (preset ``ignore`` globs), columns that look like names or e-mails (a warning),
   and unknown columns (one warning listing them);
4. keep the original status in ``source_status``, then apply the ``values`` map and match allowed
   values regardless of case (``Closed`` -> ``closed``);
5. parse each column into its kind (int, float, bool, date, datetime); a value that cannot be parsed is
   a problem naming the rows, and the cell becomes missing (pandera then skips it).

Validation proper (pandera, then the cross-table checks) is in :mod:`.check`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cohort_tools.core.errors import Problem
from cohort_tools.core.i18n import gettext as _

from . import schemas
from .config import TableConfig, effective_table_config
from .readers import RawTable, read_table_file, rows_text

NULL_TOKENS = {"", "na", "n/a", "null", "none", "nan", "nat"}
#: The words a true/false column may hold, in any case: English and Spanish (a Latin-American
#: city's export says sí/no, S/N or verdadero/falso).
TRUE_TOKENS = {"true", "t", "yes", "y", "1", "sí", "si", "s", "verdadero"}
FALSE_TOKENS = {"false", "f", "no", "n", "0", "falso"}
ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
HAS_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
#: Formats suggested when dates are not ISO 8601 (tried in this order; ambiguity is reported).
COMMON_DATE_FORMATS = (
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%b %d, %Y",
)
#: Columns whose values are codes, where a spreadsheet may have written 10033 as 10033.0.
CODE_COLUMNS = ("zipcode", "address_id")


@dataclass
class PreparedTable:
    """A table in our columns and types (frame None when the file could not be read)."""

    table: str
    path: Path
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    row_word: str = "row"
    bad_cells: dict[str, set[int]] = field(default_factory=dict)
    dropped_personal: list[str] = field(default_factory=list)
    suggested_preset: str | None = None
    config: TableConfig = field(default_factory=lambda: TableConfig())
    source_columns: list[str] = field(default_factory=list)  # the file's own headers, as read


def normalised_frame(item: PreparedTable) -> pd.DataFrame:
    """Every schema column in order (absent optional ones as typed blanks), a plain 0..n index."""
    assert item.frame is not None
    frame = item.frame
    schema = schemas.TABLES[item.table]
    out = {}
    for column in schema.columns:
        if column in frame:
            out[column] = frame[column].reset_index(drop=True)
        else:
            dtype = schemas.KIND_DTYPES[schemas.kind_of(item.table, column)]
            out[column] = pd.Series([None] * len(frame), dtype=dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _where(config: TableConfig, table: str) -> str:
    preset = _(" (preset {preset})").format(preset=config.preset) if config.preset else ""
    return f"tables.{table}{preset}"


def prepare_table(
    table: str,
    path: Path,
    config: TableConfig | None = None,
    *,
    timezone: str | None = None,
    city: str | None = None,
) -> PreparedTable:
    """Read, rename, map values and parse types. Never raises for bad data: see ``.problems``."""
    cfg = effective_table_config(config)
    raw: RawTable = read_table_file(
        path, format=cfg.format, encoding=cfg.encoding, delimiter=cfg.delimiter, sheet=cfg.sheet
    )
    return prepare_raw(table, raw, cfg, timezone=timezone, city=city)


def prepare_raw(
    table: str,
    raw: RawTable,
    cfg: TableConfig,
    *,
    timezone: str | None = None,
    city: str | None = None,
) -> PreparedTable:
    """Steps 2-5 on a table already read (``cfg`` is the effective config). Never raises.

    The row-by-row steps treat each row on its own, so a frame holding some of a file's rows (with
    their row numbers as index) gives those rows' problems as the whole file would.
    """
    path = raw.path
    result = PreparedTable(table, path, None, list(raw.problems), raw.row_word, config=cfg)
    if raw.frame is None:
        return result
    result.source_columns = [str(c) for c in raw.frame.columns]
    if not cfg.preset and not cfg.columns:
        from .presets import suggest_preset

        result.suggested_preset = suggest_preset(table, [str(c) for c in raw.frame.columns])
    frame = _rename(result, raw.frame, cfg)
    if frame is None:
        return result
    frame = _drop_columns(result, frame, cfg)
    frame = _map_values(result, frame, cfg)
    result.frame = _parse_types(result, frame, cfg, timezone)
    if city:
        result.problems = [_with_city(p, city) for p in result.problems]
    return result


def _with_city(problem: Problem, city: str) -> Problem:
    if problem.city:
        return problem
    return Problem(
        problem.file,
        problem.message,
        problem.fix,
        city,
        problem.field,
        problem.line,
        problem.severity,
    )


def column_mapping(table: str, columns: Iterable[str], cfg: TableConfig) -> dict[str, str]:
    """Their column -> our column name, from city.yaml ``columns`` and headers that match ours."""
    schema = schemas.TABLES[table]
    ours = set(schema.columns)
    by_normalised = {schemas.normalise_column_name(c): c for c in ours}
    mapping: dict[str, str] = {}
    for column in columns:
        if column in cfg.columns:
            mapping[column] = cfg.columns[column]
        elif column in ours:
            mapping[column] = column
        elif schemas.normalise_column_name(column) in by_normalised and column not in cfg.columns:
            mapping[column] = by_normalised[schemas.normalise_column_name(column)]
    return mapping


def _rename(result: PreparedTable, frame: pd.DataFrame, cfg: TableConfig) -> pd.DataFrame | None:
    mapping = column_mapping(result.table, frame.columns, cfg)
    targets: dict[str, list[str]] = {}
    for source, target in mapping.items():
        targets.setdefault(target, []).append(source)
    clashes = {t: s for t, s in targets.items() if len(s) > 1}
    for target, sources in clashes.items():
        result.problems.append(
            Problem(
                str(result.path),
                _("columns {columns} would all become '{target}'.").format(
                    columns=", ".join(repr(s) for s in sources), target=target
                ),
                _(
                    "keep one of them, or map the others elsewhere in city.yaml {where}.columns."
                ).format(where=_where(cfg, result.table)),
                field=target,
            )
        )
    if clashes:
        return None
    return frame.rename(columns=mapping)


def _drop_columns(result: PreparedTable, frame: pd.DataFrame, cfg: TableConfig) -> pd.DataFrame:
    schema = schemas.TABLES[result.table]
    ours = set(schema.columns)
    personal = schemas.personal_columns(result.table, frame.columns)
    if personal:
        result.dropped_personal = personal
        result.problems.append(
            Problem(
                str(result.path),
                _(
                    "column(s) {columns} look like personal names or e-mail addresses; they are "
                    "never loaded."
                ).format(columns=", ".join(repr(c) for c in personal)),
                _("delete them from the file: identify people only by a pseudonymous id."),
                field=personal[0],
                severity="warning",
            )
        )
    ignored = [
        c
        for c in frame.columns
        if c not in ours
        and c not in personal
        and not any(fnmatch.fnmatchcase(str(c), pattern) for pattern in cfg.ignore)
    ]
    if ignored and result.suggested_preset:
        result.problems.append(
            Problem(
                str(result.path),
                _(
                    "this looks like a {preset} export, but no preset is set, so its {count} "
                    "columns do not match ours."
                ).format(preset=result.suggested_preset, count=len(ignored)),
                _(
                    "set preset: {preset} for tables.{table} in city.yaml, or import it with "
                    "`cda data import ... --preset {preset}`."
                ).format(preset=result.suggested_preset, table=result.table),
                severity="warning",
            )
        )
    elif ignored:
        shown = ", ".join(repr(c) for c in ignored[:12])
        more = _(" and {count} more").format(count=len(ignored) - 12) if len(ignored) > 12 else ""
        result.problems.append(
            Problem(
                str(result.path),
                _("column(s) {columns} are not part of the {table} table and are ignored.").format(
                    columns=shown + more, table=result.table
                ),
                _(
                    "if one holds one of our columns ({ours}), map it in city.yaml {where}.columns; "
                    "otherwise delete it or list it under ignore."
                ).format(ours=", ".join(schema.columns), where=_where(cfg, result.table)),
                severity="warning",
            )
        )
    return frame[[c for c in frame.columns if c in ours]]


def _map_values(result: PreparedTable, frame: pd.DataFrame, cfg: TableConfig) -> pd.DataFrame:
    schema = schemas.TABLES[result.table]
    frame = frame.copy()
    if "status" in frame and "source_status" in schema.columns and "source_status" not in frame:
        frame["source_status"] = frame["status"]
    for column, mapping in cfg.values.items():
        if column not in frame:
            continue
        exact = {str(k): str(v) for k, v in mapping.items()}
        loose = {str(k).strip().casefold(): str(v) for k, v in mapping.items()}
        s = frame[column]

        def lookup(v: Any, exact: dict[str, str] = exact, loose: dict[str, str] = loose) -> Any:
            if not isinstance(v, str):
                return v
            return exact.get(v) or loose.get(v.strip().casefold(), v)

        frame[column] = s.map(lookup).astype("str")
    for column, spec in schema.columns.items():
        allowed = _allowed(spec)
        if column in frame and allowed and schemas.kind_of(result.table, column) == "str":
            canon = {a.casefold(): a for a in allowed}
            text = frame[column].astype("str")
            matched = text.str.strip().str.casefold().map(canon)  # vectorised lookup
            frame[column] = matched.where(matched.notna(), text).astype("str")
    return frame


def _allowed(spec: Any) -> list[str] | None:
    for check in spec.checks:
        if check.name == "isin":
            return [str(v) for v in check.statistics["allowed_values"]]
    return None


# --- types ------------------------------------------------------------------------------------


def _nulls(s: pd.Series) -> pd.Series:
    """Text with the usual 'missing' spellings turned into missing values."""
    text = s.astype("str").str.strip()
    return text.mask(text.str.casefold().isin(NULL_TOKENS))


def _parse_types(
    result: PreparedTable, frame: pd.DataFrame, cfg: TableConfig, timezone: str | None
) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for column in frame.columns:
        kind = schemas.kind_of(result.table, column)
        s = frame[column]
        if kind == "str":
            out[column] = _as_text(s, column)
            continue
        if kind in ("int", "float"):
            parsed, failed, rule, fix = _as_number(s, kind)
        elif kind == "bool":
            parsed, failed, rule, fix = _as_bool(s)
        else:
            parsed, failed, rule, fix = _as_datetime(s, kind, cfg, timezone, result.table)
        out[column] = parsed
        if failed.any():
            rows = [int(r) for r in s.index[failed]]
            result.bad_cells[column] = set(rows)
            examples = ", ".join(repr(str(v)) for v in pd.unique(s[failed].astype("str"))[:3])
            result.problems.append(
                Problem(
                    str(result.path),
                    _("column '{column}' {rule} in {rows} (e.g. {values}).").format(
                        column=column,
                        rule=rule,
                        rows=rows_text(rows, result.row_word),
                        values=examples,
                    ),
                    fix,
                    field=column,
                    line=rows[0] if len(rows) == 1 else None,
                )
            )
    return pd.DataFrame(out, index=frame.index)


def _as_text(s: pd.Series, column: str) -> pd.Series:
    if pd.api.types.is_float_dtype(s.dtype):
        # Parquet/Excel may hold codes as floats (10033.0): write whole numbers without ".0".
        s = s.map(lambda v: str(int(v)) if pd.notna(v) and float(v).is_integer() else v)
    text = s.astype("str").str.strip()
    text = text.mask(text == "")
    if column in CODE_COLUMNS:
        text = text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return text


def _as_number(s: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, str, str]:
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = pd.to_numeric(s, errors="coerce").astype("float64")
        present = s.notna()
    else:
        text = _nulls(s)
        present = text.notna()
        values = pd.to_numeric(text, errors="coerce").astype("float64")
    failed = present & values.isna()
    if kind == "int":
        not_whole = values.notna() & (values % 1 != 0)
        failed |= not_whole
        values = values.mask(not_whole)
        return (
            values.astype("Int64"),
            failed,
            _("must hold whole numbers but has other text"),
            _("write whole numbers only, without thousands separators, units or words."),
        )
    return (
        values,
        failed,
        _("must hold numbers but has other text"),
        _(
            "write plain numbers (a '.' for decimals, no thousands separators, units or currency "
            "signs)."
        ),
    )


def _as_bool(s: pd.Series) -> tuple[pd.Series, pd.Series, str, str]:
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean"), pd.Series(False, index=s.index), "", ""
    text = _nulls(s).str.casefold()
    values = pd.Series(pd.NA, index=s.index, dtype="boolean")
    values[text.isin(TRUE_TOKENS)] = True
    values[text.isin(FALSE_TOKENS)] = False
    failed = text.notna() & values.isna()
    return (
        values,
        failed,
        _("must be true or false but has other text"),
        _("write true/false (yes/no, y/n, 1/0, sí/no, s/n and verdadero/falso are accepted too)."),
    )


def _as_datetime(
    s: pd.Series, kind: str, cfg: TableConfig, timezone: str | None, table: str
) -> tuple[pd.Series, pd.Series, str, str]:
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        values = s
        if getattr(s.dt, "tz", None) is not None:
            values = s.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
        values = values.astype("datetime64[us]")
        if kind == "date":
            values = values.dt.normalize()
        return values, pd.Series(False, index=s.index), "", ""
    text = _nulls(s)
    present = text.notna()
    values = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    if cfg.date_format:
        parsed = pd.to_datetime(text[present], format=cfg.date_format, errors="coerce")
        values[present] = parsed.astype("datetime64[us]")
        failed = present & values.isna()
        rule = _("has dates that do not match date_format '{format}'").format(
            format=cfg.date_format
        )
        fix = _(
            "write every date as {format}, or correct date_format in city.yaml tables.{table}."
        ).format(format=cfg.date_format, table=table)
    else:
        iso = present & text.str.match(ISO_DATETIME.pattern).fillna(False).astype(bool)
        offset = iso & text.str.contains(HAS_OFFSET, regex=True).fillna(False).astype(bool)
        naive = iso & ~offset
        if naive.any():
            parsed = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
            values[naive] = parsed.astype("datetime64[us]")
        if offset.any():
            parsed = pd.to_datetime(text[offset], format="ISO8601", errors="coerce", utc=True)
            values[offset] = (
                parsed.dt.tz_convert(timezone or "UTC")
                .dt.tz_localize(None)
                .astype("datetime64[us]")
            )
        failed = present & values.isna()
        not_iso = failed & ~iso
        ok = present & ~failed
        if not_iso.any() and ok.any():
            rule = _("has dates in mixed formats: some are ISO 8601 (YYYY-MM-DD) and some are not")
        elif not_iso.any():
            rule = _("has dates that are not in ISO 8601 format (YYYY-MM-DD)")
        else:
            rule = _("has dates that do not exist (e.g. 31 February)")
        fix = (
            _("write every date as YYYY-MM-DD (with a time: YYYY-MM-DDTHH:MM:SS)")
            if kind == "datetime"
            else _("write every date as YYYY-MM-DD")
        )
        guesses = _guess_formats(text[not_iso]) if not_iso.any() and not ok.any() else []
        if len(guesses) == 1:
            fix += _(
                ", or, since every date is written as {format}, set date_format: '{format}' in "
                "city.yaml tables.{table}"
            ).format(format=guesses[0], table=table)
        elif len(guesses) > 1:
            fix += _(
                "; the dates could be {formats} (day and month are ambiguous), so set date_format "
                "in city.yaml tables.{table} to the right one"
            ).format(formats=_(" or ").join(guesses), table=table)
        fix += "."
    if kind == "date":
        values = values.dt.normalize()
    return values, failed, rule, fix


def _guess_formats(text: pd.Series) -> list[str]:
    sample = text.dropna().head(500)
    fits = []
    for fmt in COMMON_DATE_FORMATS:
        if pd.to_datetime(sample, format=fmt, errors="coerce").notna().all():
            fits.append(fmt)
    return fits

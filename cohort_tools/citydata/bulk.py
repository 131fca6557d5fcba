"""Validate and cache a large table in DuckDB, streamed, with the messages of the pandas path.

The pandas path (:mod:`.readers`, :mod:`.normalise`, then pandera in :mod:`.check`) holds a whole
table in memory several times over. For a large file - a CSV over ``readers.LARGE_CSV_BYTES`` or a
Parquet file of :data:`MIN_PARQUET_ROWS` rows or more - this module does the same work in DuckDB,
which streams the file through every core:

* the table's reading instructions and its pandera schema become one SELECT (:func:`_sql`): each of
  our columns normalised as :mod:`.normalise` does it (spaces, value maps, allowed values in any
  case, the "missing" spellings, numbers, true/false, ISO 8601 dates and time zones), and a flag
  that is TRUE on a row that breaks a rule of the schema (not blank, allowed values, ranges,
  patterns, and the custom checks through :data:`.schemas.CHECK_SQL`) - or whose values the SQL is
  not certain to read exactly as pandas does (anything outside the plain forms, e.g. ``1,5`` or
  ``2025-1-3``), so that pandas decides;
* to load: ``COPY (SELECT ...) TO parquet`` guarded so that it stops at the first flagged row;
  then the unique columns and the references are checked on the written file, the first rows are
  compared with what the pandas path makes of them, and the file is renamed into place;
* otherwise (a flag, a duplicate or an unknown reference, and always for ``cda data check``): one
  streamed pass finds the row numbers of every flagged, duplicated and unknown-reference row;
  those rows (with the first rows, and the first row holding a value in each date or reference
  column) are read again and put through the pandas path itself, which phrases the problems. Each
  row-by-row step looks at one row at a time, and every row a whole-table rule (unique,
  references) could name is in that subset, so the messages (rows, examples, counts) are those
  of the whole table. The SQL values of those rows must equal the pandas values; any difference
  sends the table to the pandas path.

Anything handled differently (encodings other than UTF-8, ``date_format``, Excel, JSON, tables
that other tables refer to, a check without SQL, any DuckDB error) gives None: the caller then
uses the pandas path, as before.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import math
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pandera.pandas as pdr
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cohort_tools.core.errors import Problem, errors_only
from cohort_tools.core.fileio import process_umask

from . import readers, schemas
from .check import CityFolder, check_prepared, cross_check_table, reference_checks
from .config import TableConfig, effective_table_config
from .normalise import (
    CODE_COLUMNS,
    FALSE_TOKENS,
    NULL_TOKENS,
    TRUE_TOKENS,
    PreparedTable,
    column_mapping,
    normalised_frame,
    prepare_raw,
)

if TYPE_CHECKING:
    import duckdb

#: Parquet files with at least this many rows are validated in DuckDB (CSV: readers.LARGE_CSV_BYTES).
MIN_PARQUET_ROWS = 200_000
#: The first rows, read by the pandas reader too: their problems and values are compared.
HEAD_ROWS = 1_000
#: DuckDB's memory limit while validating (it spills to a temporary folder beyond it).
MEMORY_LIMIT = "600MB"
STREAM_ROWS = 131_072

#: Every character Python's str.strip() removes (pandas' .str.strip() is the same), written out:
#: working it out over every code point cost each process that imports this module 60 ms. A unit
#: test checks it against str.isspace().
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?"
_DATE = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_NAIVE = f"{_DATE}({_TIME})?"
_OFFSET = f"{_DATE}{_TIME}(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"
#: The longest "missing" spelling, in bytes.
_LONGEST_NULL = max(len(t.encode()) for t in NULL_TOKENS)
_SQL_TYPES = {
    "str": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "TIMESTAMP",
    "datetime": "TIMESTAMP",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Unsupported(f"non-finite literal {value}")
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _in(expr: str, values: Sequence[str]) -> str:
    return f"{expr} IN ({', '.join(_lit(v) for v in values)})" if values else "false"


def _strip(column: str) -> str:
    """Python's str.strip() of a column, trimming only values that may need it (much faster).

    Every character Python strips is either at most a space or beyond ASCII (see _WHITESPACE), so a
    value whose first and last characters are printable ASCII ('!' to '~') is left as it is. The
    first character is tested by comparing the whole value (byte order: a value is at least '!'
    and below DEL exactly when its first byte is), which reads no character out; the last by its
    code point. Together they cost half of reading both characters out.
    """
    last = f"ord({column}[-1])"
    return (
        f"CASE WHEN {column} < '!' OR {column} >= {_lit(chr(0x7F))} "
        f"OR NOT ({last} BETWEEN 33 AND 126) "
        f"THEN trim({column}, {_lit(_WHITESPACE)}) ELSE {column} END"
    )


def _ascii(expr: str) -> str:
    return f"(strlen({expr}) = length({expr}))"


def _casefold(expr: str) -> str:
    """Python's str.casefold: lower() for ASCII, the Python function itself for other text."""
    return f"(CASE WHEN {_ascii(expr)} THEN lower({expr}) ELSE py_casefold({expr}) END)"


def _lookup(key: str, mapping: Mapping[str, str]) -> str:
    if not mapping:
        return "NULL"
    whens = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in mapping.items())
    return f"(CASE {key} {whens} END)"


class _Unsupported(Exception):
    """The table needs something this module does not do like the pandas path."""


# --- the plan: what the file holds and how each of our columns is made ---------------------------


@dataclass
class _Column:
    name: str  # ours
    kind: str
    source: int  # index of their column
    text: bool  # True: parsed from text; False: typed Parquet values used as they are
    arrow: pa.DataType | None = None


@dataclass
class _Plan:
    table: str
    path: Path
    kind: str  # csv | parquet
    cfg: TableConfig
    timezone: str | None
    city: str | None
    raw_names: list[str]  # their columns, as the pandas reader names them
    head: PreparedTable  # the first rows through the pandas path
    columns: list[_Column]
    first_row: int  # the row number of the first data row (CSV 2, Parquet 1)
    encoding: str | None = None
    sep: str | None = None
    file_names: list[str] | None = None  # Parquet: the file's own column names

    @property
    def present(self) -> dict[str, _Column]:
        return {c.name: c for c in self.columns}


@cache
def _referenced_tables() -> frozenset[str]:
    return frozenset(other for t in schemas.TABLES for _, other, _, _ in reference_checks(t))


def _plan(folder: CityFolder, table: str) -> _Plan | None:
    """The plan for a large table this module can validate, else None (use the pandas path)."""
    path = folder.files.get(table)
    if path is None or table in _referenced_tables():
        return None
    cfg = effective_table_config(folder.table_config(table))
    kind = readers.detect_format(path, cfg.format)
    timezone = folder.config.timezone if folder.config else None
    try:
        if kind == "csv":
            if path.stat().st_size <= readers.LARGE_CSV_BYTES:
                return None
            return _csv_plan(folder, table, path, cfg, timezone)
        if kind == "parquet":
            return _parquet_plan(folder, table, path, cfg, timezone)
    except (_Unsupported, OSError, ValueError, pa.ArrowException, pd.errors.ParserError):
        return None
    return None


def _csv_plan(
    folder: CityFolder, table: str, path: Path, cfg: TableConfig, timezone: str | None
) -> _Plan | None:
    encoding, sep, problems = readers.large_csv_dialect(path, cfg.encoding, cfg.delimiter)
    if encoding is None or problems or codecs.lookup(encoding).name not in {"utf-8", "utf-8-sig"}:
        return None
    if len(sep) != 1 or sep in '"\r\n':
        return None
    try:
        head_frame = readers.read_large_csv_text(path, encoding, sep, nrows=HEAD_ROWS)
    except UnicodeDecodeError:
        return None
    raw = readers.RawTable(path, "csv", head_frame, encoding=encoding, delimiter=sep)
    head = prepare_raw(table, raw, cfg, timezone=timezone, city=folder.city_id)
    plan = _Plan(
        table, path, "csv", cfg, timezone, folder.city_id, list(head_frame.columns), head, [], 2
    )
    plan.encoding, plan.sep = encoding, sep
    return _with_columns(plan, None)


def _parquet_plan(
    folder: CityFolder, table: str, path: Path, cfg: TableConfig, timezone: str | None
) -> _Plan | None:
    file = pq.ParquetFile(path)
    if file.metadata.num_rows < MIN_PARQUET_ROWS:
        return None
    schema = file.schema_arrow
    meta = json.loads((schema.metadata or {}).get(b"pandas", b"{}") or b"{}")
    if any(not isinstance(i, dict) for i in meta.get("index_columns", [])):
        return None  # a stored pandas index: the pandas reader would turn it into the index
    first = next(file.iter_batches(batch_size=HEAD_ROWS))
    head_frame = readers.parquet_frame(pa.Table.from_batches([first], schema=schema))
    names = list(head_frame.columns)
    if len(set(names)) != len(names) or len(names) != len(schema.names):
        return None
    raw = readers.RawTable(path, "parquet", head_frame)
    head = prepare_raw(table, raw, cfg, timezone=timezone, city=folder.city_id)
    plan = _Plan(table, path, "parquet", cfg, timezone, folder.city_id, names, head, [], 1)
    plan.file_names = list(schema.names)
    return _with_columns(plan, schema)


def _with_columns(plan: _Plan, arrow: pa.Schema | None) -> _Plan | None:
    """Which of their columns makes each of ours, and how; None if not like the pandas path."""
    head = plan.head
    if head.frame is None:
        return None  # the header itself is wrong (e.g. two columns map to one): pandas says so
    mapping = column_mapping(plan.table, plan.raw_names, plan.cfg)
    by_ours = {ours: plan.raw_names.index(theirs) for theirs, ours in mapping.items()}
    columns = []
    for name in head.frame.columns:
        source_name = "status" if name == "source_status" and name not in by_ours else name
        if source_name not in by_ours:
            return None
        index = by_ours[source_name]
        kind = schemas.kind_of(plan.table, name)
        arrow_type = arrow.field(index).type if arrow is not None else None
        text = arrow_type is None or _is_text(arrow_type)
        if not text and not _typed_ok(kind, arrow_type):
            return None
        if not text and name in plan.cfg.values:
            return None
        if text and kind in ("date", "datetime") and plan.cfg.date_format:
            return None
        columns.append(_Column(name, kind, index, text, arrow_type))
    plan.columns = columns
    return plan


def _is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def _typed_ok(kind: str, t: pa.DataType | None) -> bool:
    if t is None:
        return False
    if kind in ("int", "float"):
        return bool(pa.types.is_integer(t) or pa.types.is_float32(t) or pa.types.is_float64(t))
    if kind == "bool":
        return bool(pa.types.is_boolean(t))
    if kind in ("date", "datetime"):
        return bool(pa.types.is_timestamp(t) and t.unit in ("s", "ms", "us"))
    return False


# --- SQL ------------------------------------------------------------------------------------------


@dataclass
class _Sql:
    relation: str  # every layer; the last one (n) has our columns by name and __flag
    outputs: list[str]  # the normalised table, every schema column in order
    flag: str
    unique: list[list[str]]  # column lists that must be unique
    references: list[tuple[str, str, str, str]]  # (column, expression, other, other column)
    witnesses: list[str]  # expressions whose first non-null row joins the subset


def _source(plan: _Plan) -> str:
    path = _lit(str(plan.path))
    if plan.kind == "csv":
        columns = ", ".join(f"{_lit(f'__c{i}')}: 'VARCHAR'" for i in range(len(plan.raw_names)))
        return (
            f"SELECT * FROM read_csv({path}, delim={_lit(plan.sep)}, quote='\"', escape='\"', "
            f"header=true, auto_detect=false, columns={{{columns}}}, strict_mode=true, "
            "null_padding=false, encoding='utf-8')"
        )
    assert plan.file_names is not None
    cols = ", ".join(f"{_q(n)} AS __c{i}" for i, n in enumerate(plan.file_names))
    return (
        f"SELECT {cols}, file_row_number AS __row FROM read_parquet({path}, file_row_number=true)"
    )


def _value_map(column: str, text: str, key: str, values: Mapping[str, str]) -> str:
    """normalise._map_values' lookup: the exact value, else the value in any case and spacing.

    ``text`` is the value, ``key`` the value stripped (both column names).
    """
    exact = {str(k): str(v) for k, v in values.items()}
    loose = {str(k).strip().casefold(): str(v) for k, v in values.items()}
    truthy = {k: v for k, v in exact.items() if v}
    return (
        f"CASE WHEN {text} IS NULL THEN NULL "
        f"WHEN {_in(text, list(truthy))} THEN {_lookup(text, truthy)} "
        f"ELSE coalesce({_lookup(_casefold(key), loose)}, {text}) END"
    )


def _allowed(spec: pdr.Column) -> list[str] | None:
    for check in spec.checks:
        if check.name == "isin":
            return [str(v) for v in check.statistics["allowed_values"]]
    return None


def _sql(plan: _Plan, *, consistency: bool) -> _Sql:
    table = plan.table
    schema = schemas.TABLES[table]
    tz = _lit(plan.timezone or "UTC")
    # r: their columns (CSV text stripped, blank -> NULL, as the reader does)
    csv = plan.kind == "csv"
    raw = []
    for i in range(len(plan.raw_names)):
        expr = f"nullif({_strip(f'__c{i}')}, '')" if csv else f"__c{i}"
        raw.append(f"{expr} AS __t{i}")
    # the steps of normalise.py, one layer each: k their value stripped, a value maps, b that
    # stripped, s allowed values in any case (else b, blank -> NULL), x "missing" spellings -> NULL,
    # d the text as a number (a date's as a timestamp), v our value
    layers: dict[str, list[str]] = {k: [] for k in "kabsxdv"}
    flags: list[str] = []
    for j, column in enumerate(plan.columns):
        t = f"__t{column.source}"
        k, a, b, s, x, d, v = (f"__{n}{j}" for n in "kabsxdv")
        if column.text:
            values = plan.cfg.values.get(column.name)
            allowed = _allowed(schemas.TABLES[plan.table].columns[column.name])
            canon = {c.casefold(): c for c in allowed or []} if column.kind == "str" else {}
            # CSV text is stripped (and blank -> NULL) by the reader already
            layers["k"].append(f"{t if csv else _strip(t)} AS {k}")
            if values:
                layers["a"].append(f"{_value_map(column.name, t, k, values)} AS {a}")
                layers["b"].append(f"{_strip(a)} AS {b}")
            else:
                layers["a"].append(f"{t} AS {a}")
                layers["b"].append(f"{k} AS {b}")
            # allowed values (stripped, never blank) or the value stripped, blank -> NULL
            blank = b if csv and not values else f"nullif({b}, '')"
            if canon and len(canon) == len(allowed or []):  # no two differ only in case
                exact = _in(b, list(canon.values()))
                fold = f"coalesce({_lookup(_casefold(b), canon)}, {blank})"
                layers["s"].append(f"CASE WHEN {exact} THEN {b} ELSE {fold} END AS {s}")
            elif canon:
                layers["s"].append(f"coalesce({_lookup(_casefold(b), canon)}, {blank}) AS {s}")
            else:
                layers["s"].append(f"{blank} AS {s}")
            if column.kind == "str":
                layers["x"].append(f"{s} AS {x}")
                value = x
                if column.name in CODE_COLUMNS:
                    value = (
                        f"CASE WHEN NOT contains({x}, '.') THEN {x} "
                        f"WHEN regexp_full_match({x}, '[0-9]+\\.0+') "
                        f"THEN regexp_extract({x}, '^([0-9]+)', 1) ELSE {x} END"
                    )
                    flags.append(
                        f"contains({x}, '.') AND NOT {_ascii(x)} AND regexp_matches({x}, '\\.0+$')"
                    )
                layers["d"].append(f"NULL AS {d}")
                layers["v"].append(f"{value} AS {v}")
                continue
            # the length test first: a longer value (most of them) skips lower() and the list
            nulls = (
                f"strlen({s}) <= {_LONGEST_NULL} AND {_ascii(s)} "
                f"AND {_in(f'lower({s})', sorted(NULL_TOKENS))}"
            )
            layers["x"].append(f"CASE WHEN {nulls} THEN NULL ELSE {s} END AS {x}")
            number = (
                f"CASE WHEN regexp_full_match({x}, '{_NUMBER}') THEN TRY_CAST({x} AS DOUBLE) END"
            )
            if column.kind in ("int", "float"):
                layers["d"].append(f"{number} AS {d}")
            elif column.kind in ("date", "datetime"):
                layers["d"].append(f"TRY_CAST({x} AS TIMESTAMP) AS {d}")
            else:
                layers["d"].append(f"NULL AS {d}")
            layers["v"].append(f"{_parse(column.kind, x, d, tz)} AS {v}")
            flags.append(f"{x} IS NOT NULL AND {v} IS NULL")
        else:
            for n in "kabs":
                layers[n].append(f"{t} AS __{n}{j}")
            layers["x"].append(f"{t} AS {x}")
            number = "NULL"
            if column.kind in ("int", "float"):
                number = f"CAST({x} AS DOUBLE)"
                assert column.arrow is not None
                if pa.types.is_floating(column.arrow):
                    number = f"CASE WHEN isnan({x}) THEN NULL ELSE CAST({x} AS DOUBLE) END"
                    flags.append(f"isinf({x})")
            layers["d"].append(f"{number} AS {d}")
            layers["v"].append(f"{_typed(column, x, d, tz)} AS {v}")
            if column.kind == "int":
                flags.append(f"{d} IS NOT NULL AND {v} IS NULL")
    ours = [f"__v{j} AS {_q(c.name)}" for j, c in enumerate(plan.columns)]
    present = plan.present
    for name in present:
        spec = schema.columns[name]
        col = _q(name)
        if not spec.nullable:
            flags.append(f"{col} IS NULL")
        for check in spec.checks:
            passes, exact = _column_check(check, col)
            flags.append(
                f"{col} IS NOT NULL AND (NOT coalesce({exact}, false) "
                f"OR NOT coalesce({passes}, true))"
            )
    for check in schema.checks:
        sql = schemas.CHECK_SQL.get(str(check.name))
        if sql is None or sql.exact_where is not None:
            raise _Unsupported(f"no exact SQL for the check {check.name}")
        if all(n in present for n in sql.needs):
            flags.append(f"NOT coalesce({sql.passes}, true)")
    sr_dates = "closed_datetime" in present and "requested_datetime" in present
    if consistency and table == "service_requests" and sr_dates:
        flags.append('"closed_datetime" < "requested_datetime"')
    unique = [[n] for n, c in schema.columns.items() if c.unique and n in present]
    combo = list((schema.metadata or {}).get("unique", []))
    if combo:
        if not all(n in present for n in combo):
            raise _Unsupported("a column of a unique combination is missing")
        unique.append(combo)
    references = []
    for column_name, other, other_col, dimension in reference_checks(table):
        if column_name not in present:
            continue
        expr = _q(column_name)
        if dimension is not None:
            expr = f'CASE WHEN "dimension" = {_lit(dimension)} THEN {expr} END'
        references.append((column_name, expr, other, other_col))
    witnesses = [_q(c.name) for c in plan.columns if c.kind in ("date", "datetime") and c.text]
    witnesses += [expr for _, expr, _, _ in references]
    outputs = []
    for name in schema.columns:
        if name in present:
            outputs.append(_q(name))
        else:
            sql_type = _SQL_TYPES[schemas.kind_of(table, name)]
            outputs.append(f"CAST(NULL AS {sql_type}) AS {_q(name)}")
    flag = " OR ".join(f"coalesce({f}, false)" for f in flags) or "false"
    steps = [f"s0 AS ({_source(plan)})", f"r AS (SELECT *, {', '.join(raw)} FROM s0)"]
    previous = "r"
    for k in "kabsxdv":
        if layers[k]:
            steps.append(f"l{k} AS (SELECT *, {', '.join(layers[k])} FROM {previous})")
            previous = f"l{k}"
    if ours:
        steps.append(f"o AS (SELECT *, {', '.join(ours)} FROM {previous})")
        previous = "o"
    steps.append(f"n AS (SELECT *, ({flag}) AS __flag FROM {previous})")
    return _Sql("WITH " + ", ".join(steps) + " ", outputs, "__flag", unique, references, witnesses)


def _parse(kind: str, x: str, d: str, tz: str) -> str:
    """normalise._parse_types for text (``d``: the text as a number, or for a date as a timestamp)."""
    if kind == "float":
        return d
    if kind == "int":
        return (
            f"CASE WHEN {d} = floor({d}) AND abs({d}) < 9007199254740992 "
            f"THEN CAST({d} AS BIGINT) END"
        )
    if kind == "bool":
        lower = f"lower({x})"
        # a non-ASCII token (sí) is compared first: DuckDB's lower() and Python's casefold()
        # agree on it, not on every non-ASCII text
        wide = sorted(t for t in TRUE_TOKENS if not t.isascii())
        return (
            f"CASE WHEN {_in(lower, wide)} THEN true "
            f"WHEN NOT {_ascii(x)} THEN NULL "
            f"WHEN {_in(lower, sorted(t for t in TRUE_TOKENS if t.isascii()))} THEN true "
            f"WHEN {_in(lower, sorted(FALSE_TOKENS))} THEN false END"
        )
    # d is the text cast to a timestamp. A text that is exactly how DuckDB writes that timestamp,
    # with a four-digit year from 1000, is one of the plain forms (_NAIVE): this round trip costs
    # half the pattern, which then reads only the other texts
    value = (
        f"CASE WHEN {x} >= '1' AND {x} LIKE '____-%' AND CAST({d} AS VARCHAR) = {x} THEN {d} "
        f"WHEN regexp_full_match({x}, '{_NAIVE}') THEN {d} "
        f"WHEN regexp_full_match({x}, '{_OFFSET}') "
        f"THEN timezone({tz}, TRY_CAST({x} AS TIMESTAMPTZ)) END"
    )
    return f"date_trunc('day', {value})" if kind == "date" else value


def _typed(column: _Column, x: str, d: str, tz: str) -> str:
    """normalise._parse_types for typed Parquet values (``d``: numbers as DOUBLE, NaN as NULL)."""
    t = column.arrow
    assert t is not None
    if column.kind in ("int", "float"):
        return _parse(column.kind, x, d, tz)
    if column.kind == "bool":
        return x
    value = f"timezone({tz}, {x})" if t.tz is not None else f"CAST({x} AS TIMESTAMP)"
    return f"date_trunc('day', {value})" if column.kind == "date" else value


_COMPARISONS = {
    "greater_than_or_equal_to": (">=", "min_value"),
    "greater_than": (">", "min_value"),
    "less_than_or_equal_to": ("<=", "max_value"),
    "less_than": ("<", "max_value"),
    "equal_to": ("=", "value"),
    "not_equal_to": ("<>", "value"),
}


def _column_check(check: pdr.Check, col: str) -> tuple[str, str]:
    """(SQL TRUE where the value passes, SQL TRUE where that is sure to agree with pandera)."""
    stats: Mapping[str, Any] = check.statistics or {}
    name = str(check.name)
    if name == "isin":
        return _in(col, [str(v) for v in stats["allowed_values"]]), "true"
    if name == "notin":
        return f"NOT {_in(col, [str(v) for v in stats['forbidden_values']])}", "true"
    if name in _COMPARISONS:
        op, key = _COMPARISONS[name]
        return f"{col} {op} {_lit(stats[key])}", "true"
    if name == "in_range":
        low = ">=" if stats.get("include_min", True) else ">"
        high = "<=" if stats.get("include_max", True) else "<"
        lo, hi = _lit(stats["min_value"]), _lit(stats["max_value"])
        return f"({col} {low} {lo} AND {col} {high} {hi})", "true"
    sql = schemas.CHECK_SQL.get(name)
    if sql is not None:
        if sql.needs:
            raise _Unsupported("column checks name no other columns")
        exact = sql.exact_where.replace("{column}", col) if sql.exact_where else "true"
        return sql.passes.replace("{column}", col), exact
    pattern = stats.get("pattern")
    # str_matches, str_contains and fullmatch agree on a pattern anchored at both ends
    anchored = (
        isinstance(pattern, str)
        and pattern.startswith("^")
        and pattern.endswith("$")
        and not pattern.endswith("\\$")
    )
    if set(stats) == {"pattern"} and anchored:
        exact = schemas.PRINTABLE_ASCII_SQL.replace("{column}", col)
        return f"regexp_matches({col}, {_lit(pattern)})", exact
    raise _Unsupported(f"no SQL for the check {name}")


# --- running --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _duckdb() -> Iterator[duckdb.DuckDBPyConnection]:
    import duckdb

    spill = tempfile.mkdtemp(prefix="cda-bulk-")
    con = duckdb.connect(
        config={
            "memory_limit": MEMORY_LIMIT,
            "preserve_insertion_order": True,
            "temp_directory": spill,
            "threads": max(1, os.cpu_count() or 1),
        }
    )
    try:
        con.create_function("py_casefold", _py_casefold, ["VARCHAR"], "VARCHAR", side_effects=False)
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _py_casefold(value: str) -> str:
    return value.casefold()


def _pandas_metadata(table: str) -> bytes:
    empty = pd.DataFrame(
        {
            name: pd.Series(dtype=schemas.KIND_DTYPES[schemas.kind_of(table, name)])
            for name in schemas.TABLES[table].columns
        }
    )
    metadata = pa.Schema.from_pandas(empty, preserve_index=False).metadata
    return bytes(metadata[b"pandas"])


def _frame(arrow: pa.Table, table: str) -> pd.DataFrame:
    """Our normalised columns from DuckDB, as pandas reads them back from the cache file."""
    meta = {b"pandas": _pandas_metadata(table)}
    return arrow.replace_schema_metadata(meta).to_pandas()


def _same(ours: pd.DataFrame, theirs: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(
            ours.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=True
        )
    except AssertionError:
        return False
    return True


@dataclass
class _Outcome:
    problems: list[Problem]  # the table's own problems (as check_prepared gives them)
    cross: list[Problem]  # its cross-table problems


def load_table(
    folder: CityFolder, table: str, target: Path, refs: Mapping[str, PreparedTable]
) -> list[Problem] | None:
    """Validate a large table and write its normalised Parquet to ``target`` if it has no errors.

    Returns the table's problems (with its cross-table ones), or None when the pandas path must
    do it (then nothing was written). Nothing is written when there are errors.
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.bulk.part")
    try:
        plan = _plan(folder, table)
        if plan is None:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        with _duckdb() as con:
            outcome = _validate(con, plan, _sql(plan, consistency=False), refs, tmp)
        problems = [*outcome.problems, *outcome.cross]
        if not errors_only(problems):
            tmp.chmod(0o666 & ~process_umask())
            os.replace(tmp, target)
        return problems
    except Exception:  # e.g. _Differs, _Unsupported, a DuckDB error: the pandas path decides
        return None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def check_table(
    folder: CityFolder, table: str, prepared: Mapping[str, PreparedTable]
) -> tuple[list[Problem], list[Problem]] | None:
    """A large table's problems and its cross-table problems, or None (use the pandas path)."""
    try:
        plan = _plan(folder, table)
        if plan is None:
            return None
        with _duckdb() as con:
            outcome = _validate(con, plan, _sql(plan, consistency=True), prepared, None)
    except Exception:  # e.g. _Differs, _Unsupported, a DuckDB error: the pandas path decides
        return None
    return outcome.problems, outcome.cross


class _Differs(Exception):
    """The SQL values of some rows differ from the pandas values: use the pandas path."""


def _known(refs: Mapping[str, PreparedTable], other: str, other_col: str) -> pa.Array | None:
    target = refs.get(other)
    if target is None or target.frame is None or other_col not in target.frame:
        return None
    values = target.frame[other_col].dropna()
    return pa.array([str(v) for v in pd.unique(values)], pa.string())


def _validate(
    con: duckdb.DuckDBPyConnection,
    plan: _Plan,
    sql: _Sql,
    refs: Mapping[str, PreparedTable],
    out: Path | None,
) -> _Outcome:
    """Scan the table once (writing its normalised Parquet to ``out``), then phrase its problems.

    Rows that break a rule, or that the SQL cannot read for certain, go through the pandas path;
    if there are none, the first rows do (for the problems about the header), and their values
    must be the same as the SQL's.
    """
    head_rows = len(plan.head.frame) if plan.head.frame is not None else 0
    rows, head_values = _scan(con, plan, sql, refs, out, head_rows)
    if not _same(normalised_frame(plan.head), _frame(head_values, plan.table)):
        raise _Differs("the first rows differ")
    if rows.size and rows[-1] >= head_rows:
        item = _subset(con, plan, sql, np.union1d(rows, np.arange(head_rows, dtype=np.int64)))
    else:
        item = plan.head
    return _Outcome(
        check_prepared(item, plan.city),
        cross_check_table(item, {**refs, plan.table: item}, plan.city),
    )


def _scan(
    con: duckdb.DuckDBPyConnection,
    plan: _Plan,
    sql: _Sql,
    refs: Mapping[str, PreparedTable],
    out: Path | None,
    head_rows: int,
) -> tuple[np.ndarray, pa.Table]:
    """One streamed pass: write the normalised table to ``out`` (if given) and find the rows
    (0 = the first data row) that must go through the pandas path: flagged rows, repeated
    unique values, unknown references, and the first row with a value in each witness column.

    Also returns the normalised values of the first ``head_rows`` rows.
    """
    outputs = len(sql.outputs) if out is not None else 0
    selects = [*sql.outputs[:outputs], "__flag"]
    selects += [
        f"hash({', '.join(_q(c) for c in cols)}) AS __h{i}" for i, cols in enumerate(sql.unique)
    ]
    exported = sql.outputs[:outputs]
    # a reference that is an exported column is read from it rather than exported twice
    reference_columns = [
        f"__r{i}" if expr not in exported else _names(plan)[exported.index(expr)]
        for i, (_, expr, _, _) in enumerate(sql.references)
    ]
    selects += [
        f"{expr} AS __r{i}"
        for i, (_, expr, _, _) in enumerate(sql.references)
        if expr not in exported
    ]
    selects += [f"({expr}) IS NOT NULL AS __w{i}" for i, expr in enumerate(sql.witnesses)]
    known = [_known(refs, other, col) for _, _, other, col in sql.references]
    reader = _stream(con, f"{sql.relation} SELECT {', '.join(selects)} FROM n")
    writer: _Writer | None = None
    picked: list[np.ndarray] = []
    hashes: list[list[np.ndarray]] = [[] for _ in sql.unique]
    witness: list[int | None] = [None] * len(sql.witnesses)
    head: list[pa.RecordBatch] = []
    offset = 0
    try:
        for batch in reader:
            n = batch.num_rows
            if out is not None:
                data = pa.RecordBatch.from_arrays(batch.columns[:outputs], names=_names(plan))
                if offset < head_rows:
                    head.append(_copied(data.slice(0, head_rows - offset)))
                if writer is None:
                    writer = _Writer(_writer(out, plan, data.schema))
                writer.put(data)
            positions = np.arange(offset, offset + n, dtype=np.int64)
            flag = batch.column(outputs).to_numpy(zero_copy_only=False).astype(bool)
            if flag.any():
                picked.append(positions[flag])
            for i in range(len(sql.unique)):
                # a copy: a view would keep DuckDB's whole batch alive
                hashes[i].append(batch.column(f"__h{i}").to_numpy(zero_copy_only=False).copy())
            for i, values in enumerate(known):
                if values is None:
                    continue
                column = batch.column(reference_columns[i])
                bad = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=values)))
                if pc.any(bad).as_py():
                    picked.append(positions[bad.to_numpy(zero_copy_only=False).astype(bool)])
            for i in range(len(sql.witnesses)):
                if witness[i] is None:
                    has = batch.column(f"__w{i}").to_numpy(zero_copy_only=False).astype(bool)
                    hits = np.flatnonzero(has)
                    if hits.size:
                        witness[i] = offset + int(hits[0])
            offset += n
        # while the writer thread writes the last batches (numpy sorts without the GIL)
        for parts in hashes:
            if parts:
                every = np.concatenate(parts)
                ordered = np.sort(every)
                twice = ordered[1:][ordered[1:] == ordered[:-1]]
                if twice.size:  # every row whose hash repeats (a few more on a hash collision)
                    picked.append(np.flatnonzero(np.isin(every, twice)).astype(np.int64))
    finally:
        reader.close()
        if writer is not None:
            writer.close()  # raises what writing raised
    if out is not None and writer is None:
        empty = pa.Table.from_batches([], schema=_empty_schema(plan))
        pq.write_table(empty.replace_schema_metadata(_schema_metadata(plan)), out)
    picked.append(np.array([w for w in witness if w is not None], dtype=np.int64))
    rows = np.unique(np.concatenate(picked))
    if out is None:  # the first rows' values, without exporting every row's
        query = f"{sql.relation} SELECT {', '.join(sql.outputs)} FROM n LIMIT {head_rows}"
        head_table = con.sql(query).to_arrow_table().rename_columns(_names(plan))
    elif head:
        head_table = pa.Table.from_batches(head)
    else:
        head_table = pa.Table.from_batches([], _empty_schema(plan))
    return rows, head_table


class _Writer:
    """Writes batches in a thread, so that DuckDB computes the next ones meanwhile."""

    def __init__(self, writer: pq.ParquetWriter) -> None:
        self._writer = writer
        self._queue: queue.Queue[pa.RecordBatch | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cda-bulk-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    self._writer.write_batch(batch)
        except BaseException as exc:  # handed to the caller in close()
            self._error = exc
            while self._queue.get() is not None:
                pass
        finally:
            self._writer.close()

    def put(self, batch: pa.RecordBatch) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(batch)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def _copied(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A copy that holds none of DuckDB's memory."""
    return batch.take(pa.array(np.arange(batch.num_rows, dtype=np.int64)))


def _names(plan: _Plan) -> list[str]:
    return list(schemas.TABLES[plan.table].columns)


def _empty_schema(plan: _Plan) -> pa.Schema:
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.timestamp("us"),
        "datetime": pa.timestamp("us"),
    }
    return pa.schema([(n, types[schemas.kind_of(plan.table, n)]) for n in _names(plan)])


def _schema_metadata(plan: _Plan) -> dict[bytes, bytes]:
    return {b"pandas": _pandas_metadata(plan.table)}


def _writer(out: Path, plan: _Plan, schema: pa.Schema) -> pq.ParquetWriter:
    """The cache file: snappy; text dictionary-encoded (except unique columns); pandas dtypes.

    Statistics (min, max) are kept for numbers and dates, which queries filter by range; for text
    they cost a sixth of the writing time and let a query skip nothing in an unsorted table.
    """
    schema = schema.with_metadata(_schema_metadata(plan))
    columns = schemas.TABLES[plan.table].columns
    text = [n for n in columns if schemas.kind_of(plan.table, n) == "str"]
    dictionary = [n for n in text if not columns[n].unique and n in plan.present]
    return pq.ParquetWriter(
        out,
        schema,
        compression="snappy",
        use_dictionary=dictionary,
        write_statistics=[n for n in columns if n not in text],
    )


def _subset(
    con: duckdb.DuckDBPyConnection, plan: _Plan, sql: _Sql, rows: np.ndarray
) -> PreparedTable:
    """These rows through the pandas path; their values must equal the SQL values."""
    raw, values = _fetch(con, plan, sql, rows)
    subset = readers.RawTable(
        plan.path, plan.kind, raw, row_word="row", encoding=plan.encoding, delimiter=plan.sep
    )
    item = prepare_raw(plan.table, subset, plan.cfg, timezone=plan.timezone, city=plan.city)
    if item.frame is None or not _same(normalised_frame(item), values):
        raise _Differs("some rows differ")
    return item


def _stream(con: duckdb.DuckDBPyConnection, query: str) -> pa.RecordBatchReader:
    reader = con.sql(query).to_arrow_reader(STREAM_ROWS)
    assert reader is not None
    return reader


def _fetch(
    con: duckdb.DuckDBPyConnection, plan: _Plan, sql: _Sql, rows: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(their columns as the pandas reader gives them, our normalised columns) of these rows."""
    numbers = rows + plan.first_row
    raw_cols = [f"__c{i}" for i in range(len(plan.raw_names))]
    if plan.kind == "parquet":
        con.register("__wanted", pa.table({"r": pa.array(rows, pa.int64())}))
        values = con.sql(
            f"{sql.relation} SELECT {', '.join(sql.outputs)} FROM n "
            "WHERE __row IN (SELECT r FROM __wanted) ORDER BY __row"
        ).to_arrow_table()
        con.unregister("__wanted")
        raw = readers.parquet_frame(_parquet_rows(plan.path, rows), numbers.tolist())
        return raw, _frame(values, plan.table)
    selects = [*raw_cols, *sql.outputs]
    reader = _stream(con, f"{sql.relation} SELECT {', '.join(selects)} FROM n")
    parts: list[pa.Table] = []
    offset = 0
    for batch in reader:
        n = batch.num_rows
        lo, hi = np.searchsorted(rows, [offset, offset + n])
        if hi > lo:
            take = pa.array(rows[lo:hi] - offset, pa.int64())
            parts.append(pa.Table.from_batches([batch]).take(take))
        offset += n
        if not rows.size or offset > rows[-1]:
            break
    reader.close()
    got = pa.concat_tables(parts) if parts else None
    if got is None or got.num_rows != len(rows):
        raise _Differs("the rows could not be read again")
    text = got.select(raw_cols).to_pandas()
    text.columns = plan.raw_names
    raw = readers.tidy_large_csv_text(text, pd.Index(numbers, dtype="int64"))
    out = got.select(list(range(len(raw_cols), got.num_columns)))
    return raw, _frame(out.rename_columns(list(schemas.TABLES[plan.table].columns)), plan.table)


def _parquet_rows(path: Path, rows: np.ndarray) -> pa.Table:
    """These rows (0-based) of a Parquet file, every column, as pyarrow reads them."""
    file = pq.ParquetFile(path)
    parts = []
    start = 0
    for group in range(file.metadata.num_row_groups):
        size = file.metadata.row_group(group).num_rows
        lo, hi = np.searchsorted(rows, [start, start + size])
        if hi > lo:
            table = file.read_row_group(group)
            parts.append(table.take(pa.array(rows[lo:hi] - start, pa.int64())))
        start += size
    schema = file.schema_arrow
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(parts).replace_schema_metadata(schema.metadata)

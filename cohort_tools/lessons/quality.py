"""A data-quality scorecard for a city's own tables, computed in DuckDB so it scales.

A large city's service_requests has millions of rows; every figure here is one SQL aggregate over
the loader's cached Parquet (``CityData.connect()`` gives one view per table), so no table is ever
loaded into pandas. Four dimensions, each per table:

* **completeness** - share of filled cells in the columns the city uses (a column with no value at
  all is "not collected", not "incomplete"); ``closed_datetime`` only counts for closed requests.
* **age_days** (timeliness) - days between the table's newest record and the city's "as of" date:
  the newest record in any of its tables (a city's extract is judged against itself, not today).
  Tables with no date (departments, neighbourhoods, staff_survey...) have no age.
* **validity** - share of rows that pass the plain rules in :data:`VALIDITY_RULES`: rules the loader
  only warns about (it already refuses data that breaks the schema). Tables with no rule: 1.0.
* **duplicates** - share of rows that are extra copies of another row, ignoring the row's own id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from cohort_tools.citydata import schemas
from cohort_tools.core.i18n import _
from cohort_tools.lessons.translated import N_

if TYPE_CHECKING:
    import duckdb

#: SQL for a table's record date (one value per row); tables not listed have no date.
DATE_EXPRESSIONS: dict[str, str] = {
    "service_requests": "requested_datetime",
    "data_inventory": "last_updated",
    "maturity_assessment": "assessed_on",
    "data_use_log": '"date"',
    # a month's figures are complete at the end of the month
    "performance_metrics": "last_day(strptime(period || '-01', '%Y-%m-%d'))",
}

#: Plain-language rules a valid row meets (SQL true for a valid row), per table.
VALIDITY_RULES: dict[str, list[tuple[str, str]]] = {
    "service_requests": [
        (
            N_("closed after it was requested"),
            "closed_datetime IS NULL OR closed_datetime >= requested_datetime",
        ),
        (
            N_("a closed request has a closing date"),
            "status <> 'closed' OR closed_datetime IS NOT NULL",
        ),
        (N_("an open request has no closing date"), "status <> 'open' OR closed_datetime IS NULL"),
        (N_("located with both latitude and longitude"), '(lat IS NULL) = ("long" IS NULL)'),
    ],
    "performance_metrics": [
        (N_("a percentage is between 0 and 100"), "unit <> 'percent' OR value BETWEEN 0 AND 100"),
    ],
    "data_inventory": [
        (
            N_("personal data is documented"),
            "NOT contains_personal_data OR documented",
        ),
    ],
}

#: Columns filled only when a condition holds (SQL), for completeness.
CONDITIONAL_COLUMNS: dict[tuple[str, str], str] = {
    ("service_requests", "closed_datetime"): "status = 'closed'",
}

#: A row's own id: left out when looking for copies of a row.
ID_COLUMNS: dict[str, str] = {
    "service_requests": "service_request_id",
    "data_inventory": "dataset_id",
    "data_use_log": "entry_id",
}

DIMENSIONS = ("completeness", "age_days", "validity", "duplicates")


@dataclass(frozen=True)
class TableQuality:
    """One table's scorecard row; shares are 0-1, ``age_days`` None when the table has no date."""

    table: str
    rows: int
    completeness: float
    age_days: int | None
    validity: float
    duplicates: float
    failed_rules: dict[str, int]  # rule -> rows that break it (only rules broken at least once)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def city_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The city tables the connection has a view for, in the data format's order."""
    names = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    return [t for t in schemas.TABLES if t in names]


def newest_date(con: duckdb.DuckDBPyConnection, table: str) -> pd.Timestamp | None:
    """The table's newest record date, or None if it has no date column or no rows."""
    expr = DATE_EXPRESSIONS.get(table)
    if expr is None:
        return None
    value = con.execute(f"SELECT max(CAST({expr} AS TIMESTAMP)) FROM {table}").fetchone()
    return None if value is None or value[0] is None else pd.Timestamp(value[0])


def as_of_date(con: duckdb.DuckDBPyConnection) -> pd.Timestamp | None:
    """The city's "as of" date: the newest record in any of its dated tables."""
    dates = [d for t in city_tables(con) if (d := newest_date(con, t)) is not None]
    return max(dates) if dates else None


def table_quality(
    con: duckdb.DuckDBPyConnection, table: str, *, as_of: pd.Timestamp | None = None
) -> TableQuality:
    """Completeness, age, validity and duplicates of one table (one pass per measure, in SQL)."""
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    counts = con.execute(
        "SELECT count(*), "
        + ", ".join(
            f"count({_q(c)}) FILTER (WHERE {CONDITIONAL_COLUMNS.get((table, c), 'TRUE')}), "
            f"count(*) FILTER (WHERE {CONDITIONAL_COLUMNS.get((table, c), 'TRUE')})"
            for c in columns
        )
        + f" FROM {table}"
    ).fetchone()
    assert counts is not None
    rows = int(counts[0])
    filled = denominator = 0
    for k in range(len(columns)):
        got, expected = int(counts[1 + 2 * k]), int(counts[2 + 2 * k])
        if got:  # a column with no value at all is not collected: not counted against the table
            filled, denominator = filled + got, denominator + expected
    completeness = round(filled / denominator, 4) if denominator else 1.0

    newest = newest_date(con, table)
    age = None
    if newest is not None:
        reference = as_of if as_of is not None else newest
        age = max(0, int((reference - newest).days))

    failed: dict[str, int] = {}
    validity = 1.0
    rules = VALIDITY_RULES.get(table, [])
    if rules and rows:
        row = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE NOT coalesce({sql}, FALSE))" for _, sql in rules)
            + ", count(*) FILTER (WHERE NOT ("
            + " AND ".join(f"coalesce({sql}, FALSE)" for _, sql in rules)
            + f")) FROM {table}"
        ).fetchone()
        assert row is not None
        failed = {name: int(n) for (name, _), n in zip(rules, row[:-1], strict=True) if n}
        validity = round(1 - int(row[-1]) / rows, 4)

    duplicates = 0.0
    content = [c for c in columns if c != ID_COLUMNS.get(table)]
    if rows and content:
        # One hash per row instead of DISTINCT over every column: far less memory on millions of
        # rows; a 64-bit collision among a few million rows is vanishingly rare.
        row = con.execute(
            f"SELECT count(DISTINCT hash({', '.join(_q(c) for c in content)})) FROM {table}"
        ).fetchone()
        assert row is not None
        duplicates = round((rows - int(row[0])) / rows, 4)
    return TableQuality(table, rows, completeness, age, validity, duplicates, failed)


def assess(
    con: duckdb.DuckDBPyConnection,
    tables: list[str] | None = None,
    *,
    as_of: pd.Timestamp | None = None,
) -> list[TableQuality]:
    """Every table's quality, in one pass per table (default: every city table of ``con``)."""
    wanted = tables if tables is not None else city_tables(con)
    reference = as_of if as_of is not None else as_of_date(con)
    return [table_quality(con, t, as_of=reference) for t in wanted]


def scorecard_frame(results: list[TableQuality]) -> pd.DataFrame:
    """One row per table (index ``table``): rows, completeness, age_days, validity, duplicates.

    ``age_days`` is a nullable integer (blank for tables without dates).
    """
    return pd.DataFrame(
        {
            "rows": pd.array([r.rows for r in results], dtype="Int64"),
            "completeness": [r.completeness for r in results],
            "age_days": pd.array([r.age_days for r in results], dtype="Int64"),
            "validity": [r.validity for r in results],
            "duplicates": [r.duplicates for r in results],
        },
        index=pd.Index([r.table for r in results], name="table", dtype=object),
    )


def rules_frame(results: list[TableQuality]) -> pd.DataFrame:
    """Every validity rule broken at least once: table, rule, rows breaking it."""
    rows = [(r.table, _(rule), n) for r in results for rule, n in r.failed_rules.items()]
    return pd.DataFrame(rows, columns=["table", "rule", "rows"])


def scorecard(
    con: duckdb.DuckDBPyConnection,
    tables: list[str] | None = None,
    *,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The scorecard of :func:`scorecard_frame` for ``tables`` (default: every city table)."""
    return scorecard_frame(assess(con, tables, as_of=as_of))


def failed_rules(con: duckdb.DuckDBPyConnection, tables: list[str] | None = None) -> pd.DataFrame:
    """The broken rules of :func:`rules_frame` for ``tables`` (default: every city table)."""
    return rules_frame(assess(con, tables))


def meets_standard(card: pd.DataFrame, standard: Mapping[str, Any]) -> pd.DataFrame:
    """For each table, whether it meets each part of a quality standard, and all of them.

    ``standard`` has completeness_min, timeliness_max_days, validity_min and duplicates_max (the
    ``quality_standard`` of Workshop C). A table without dates meets the timeliness part.
    """
    age = card["age_days"]
    out = pd.DataFrame(
        {
            "completeness": card["completeness"] >= float(standard["completeness_min"]),
            "timeliness": (age.isna() | (age <= int(standard["timeliness_max_days"]))).astype(bool),
            "validity": card["validity"] >= float(standard["validity_min"]),
            "duplicates": card["duplicates"] <= float(standard["duplicates_max"]),
        },
        index=card.index,
    )
    out["meets all"] = out.all(axis=1)
    return out

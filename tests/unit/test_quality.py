"""Data-quality scorecard: each measure is computed in SQL and means what the workshop says."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from cohort_tools.lessons import quality


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    requests = pd.DataFrame(
        {
            "service_request_id": ["1", "2", "3", "4"],
            "status": ["closed", "closed", "open", "closed"],
            "service_name": ["Pothole", "Pothole", None, "Pothole"],
            "address": ["1 Main", "1 Main", "2 High", "1 Main"],
            "requested_datetime": pd.to_datetime(
                ["2025-01-01 08:00", "2025-01-01 08:00", "2025-01-03 00:00", "2025-01-01 08:00"]
            ),
            "closed_datetime": pd.to_datetime(["2025-01-02", "2025-01-02", None, "2024-12-31"]),
            "lat": [40.1, 40.1, None, 40.2],
            "long": [-73.0, -73.0, None, None],
            "media_url": [None, None, None, None],
        }
    )
    metrics = pd.DataFrame(
        {"period": ["2025-01", "2025-02"], "unit": ["percent", "percent"], "value": [50.0, 120.0]}
    )
    departments = pd.DataFrame({"department_id": ["PW", "PW"], "department": ["Works", "Works"]})
    c.register("service_requests", requests)
    c.register("performance_metrics", metrics)
    c.register("departments", departments)
    return c


def test_completeness_counts_used_columns_and_closing_dates_of_closed_requests_only(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = quality.table_quality(con, "service_requests")
    # used columns: 8 (media_url is never filled: not collected). Cells expected: 7 columns x 4
    # rows + closed_datetime on 3 closed rows = 31; blank: service_name 1, lat 1, long 2 = 4.
    assert row.completeness == pytest.approx(round(27 / 31, 4))


def test_validity_names_each_broken_rule_with_its_row_count(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = quality.table_quality(con, "service_requests")
    assert row.failed_rules == {
        "closed after it was requested": 1,
        "located with both latitude and longitude": 1,
    }
    assert row.validity == 0.75  # one row (id 4) breaks both rules
    assert quality.table_quality(con, "performance_metrics").validity == 0.5


def test_duplicates_ignore_the_row_id_but_not_other_columns(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert quality.table_quality(con, "service_requests").duplicates == 0.25  # ids 1 and 2
    assert quality.table_quality(con, "departments").duplicates == 0.5  # no id column: whole row


def test_age_is_measured_from_the_newest_record_in_any_table(
    con: duckdb.DuckDBPyConnection,
) -> None:
    card = quality.scorecard(con)
    assert list(card.index) == ["departments", "service_requests", "performance_metrics"]
    # performance_metrics' newest month ends 2025-02-28: the city's "as of" date.
    assert card.loc["performance_metrics", "age_days"] == 0
    assert (
        card.loc["service_requests", "age_days"]
        == (pd.Timestamp("2025-02-28") - pd.Timestamp("2025-01-03")).days
    )
    assert pd.isna(card.loc["departments", "age_days"])


def test_meets_standard_checks_each_part_and_treats_undated_tables_as_timely(
    con: duckdb.DuckDBPyConnection,
) -> None:
    card = quality.scorecard(con)
    standard = {
        "completeness_min": 0.8,
        "timeliness_max_days": 30,
        "validity_min": 0.9,
        "duplicates_max": 0.1,
    }
    verdict = quality.meets_standard(card, standard)
    assert not verdict.loc["service_requests", "timeliness"]
    assert not verdict.loc["service_requests", "validity"]
    assert verdict.loc["departments", "timeliness"] and not verdict.loc["departments", "duplicates"]
    assert not verdict["meets all"].any()


def test_a_demo_city_scorecard_covers_every_shared_table() -> None:
    from cohort_tools.citydata import open_city

    city = open_city("riverton")
    with city.connect() as c:
        card = quality.scorecard(c)
    assert set(card.index) == set(city.tables)
    assert (
        card[["completeness", "validity", "duplicates"]]
        .apply(lambda s: s.between(0, 1))
        .all()
        .all()
    )

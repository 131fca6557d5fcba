"""Inventory metrics: freshness is judged against each dataset's promised update frequency."""

from __future__ import annotations

import pandas as pd

from cohort_tools.lessons.inventory import inventory_metrics, with_freshness


def _inventory() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dataset_id": ["A", "B", "C", "D"],
            "owner_department_id": ["PW", "PW", "FIN", "FIN"],
            "update_frequency": ["daily", "monthly", "annually", "daily"],
            "last_updated": pd.to_datetime(
                ["2026-01-15", "2025-12-20", "2024-06-01", "2025-12-01"]
            ),
            "published_openly": [True, False, True, False],
            "documented": [True, True, False, False],
            "contains_personal_data": [False, True, False, False],
        }
    )


def test_a_daily_dataset_six_weeks_old_is_stale_but_a_monthly_one_a_month_old_is_fresh() -> None:
    frame = with_freshness(_inventory()).set_index("dataset_id")
    assert frame.loc["A", "fresh"] and frame.loc["B", "fresh"]
    assert not frame.loc["C", "fresh"] and not frame.loc["D", "fresh"]


def test_shares_count_datasets_and_departments_covered() -> None:
    departments = pd.DataFrame({"department_id": ["PW", "FIN", "HR", "LIB"]})
    m = inventory_metrics(_inventory(), departments)
    assert (m.datasets, m.published, m.documented, m.fresh) == (4, 0.5, 0.5, 0.5)
    assert m.departments_covered == 0.5 and m.published_and_documented == 0.25
    assert m.personal == 0.25


def test_an_empty_inventory_has_zero_shares_not_an_error() -> None:
    m = inventory_metrics(_inventory().iloc[0:0])
    assert m.datasets == 0 and m.published == 0.0

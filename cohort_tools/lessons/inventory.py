"""Data-inventory metrics shared by Module 2 (governance) and Module 3 (transparency).

A dataset is *fresh* when its last update is no older than its promised update frequency allows
(plus a grace period), measured from the inventory's own "as of" date: the latest ``last_updated``
in the table, so a city's extract taken months ago is judged against itself, not against today.
Ad hoc datasets have no promise and are counted as fresh when updated within a year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: Days a dataset may go without an update before it is stale, by promised update frequency.
MAX_AGE_DAYS: dict[str, int] = {
    "daily": 7,
    "weekly": 21,
    "monthly": 62,
    "quarterly": 120,
    "annually": 400,
    "ad_hoc": 365,
}


def with_freshness(inventory: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """The inventory with ``age_days`` and ``fresh`` columns (see the module note)."""
    frame = inventory.copy()
    if frame.empty:
        return frame.assign(age_days=pd.Series(dtype="int64"), fresh=pd.Series(dtype=bool))
    last = pd.to_datetime(frame["last_updated"])
    if as_of is None:
        as_of = last.max()
    frame["age_days"] = (as_of - last).dt.days
    limit = frame["update_frequency"].map(MAX_AGE_DAYS).fillna(365)
    frame["fresh"] = frame["age_days"] <= limit
    return frame


@dataclass(frozen=True)
class InventoryMetrics:
    """Headline shares (0-1) of the data inventory; ``datasets`` is the number of rows."""

    datasets: int
    departments_covered: float  # share of departments that own at least one listed dataset
    published: float
    fresh: float
    documented: float
    personal: float
    published_and_documented: float

    def as_dict(self) -> dict[str, float]:
        return {
            "datasets": self.datasets,
            "departments_covered": self.departments_covered,
            "published": self.published,
            "fresh": self.fresh,
            "documented": self.documented,
            "personal": self.personal,
            "published_and_documented": self.published_and_documented,
        }


def _share(mask: pd.Series) -> float:
    return round(float(mask.mean()), 3) if len(mask) else 0.0


def inventory_metrics(
    inventory: pd.DataFrame, departments: pd.DataFrame | None = None
) -> InventoryMetrics:
    """The inventory's coverage, openness, freshness and documentation, as shares of datasets.

    ``departments`` (the departments table, with ``department_id`` as a column or the index) gives
    the share of departments covered; without it that share is 0.
    """
    frame = with_freshness(inventory)
    covered = 0.0
    if departments is not None and len(departments):
        ids = (
            departments["department_id"]
            if "department_id" in departments.columns
            else departments.index.to_series()
        )
        covered = round(float(ids.isin(set(frame["owner_department_id"])).mean()), 3)
    published = frame["published_openly"].astype(bool)
    documented = frame["documented"].astype(bool)
    return InventoryMetrics(
        datasets=len(frame),
        departments_covered=covered,
        published=_share(published),
        fresh=_share(frame["fresh"]),
        documented=_share(documented),
        personal=_share(frame["contains_personal_data"].astype(bool)),
        published_and_documented=_share(published & documented),
    )

"""Exhibits computed from a city's own data, shared by keynotes, workshops and packets.

Each function returns plain tables (pandas) that a notebook charts and explains; each says what the
data can and cannot support, so thin data (three hours of a 311 export, say) gives an honest
sentence instead of a misleading trend. Counts pass through :func:`cohort_tools.policy.privacy.suppress`;
statistics of a group that is too small to publish are withheld with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cohort_tools.core.i18n import _, format_date, format_number
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD, suppress

MIN_WEEKS_FOR_TREND = 8
MIN_DAYS_FOR_SEASONS = 360  # a calendar year of requests spans a little under 365 days


@dataclass(frozen=True)
class Coverage:
    """How much time a table of service requests covers, and what that allows."""

    rows: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    @property
    def days(self) -> float:
        if self.first is None or self.last is None:
            return 0.0
        return float((self.last - self.first).total_seconds()) / 86400

    @property
    def weeks(self) -> int:
        return int(self.days // 7)

    @property
    def enough_for_trend(self) -> bool:
        return self.weeks >= MIN_WEEKS_FOR_TREND

    @property
    def enough_for_seasons(self) -> bool:
        return self.days >= MIN_DAYS_FOR_SEASONS

    def describe(self) -> str:
        """One plain sentence on what the data covers and what it cannot show."""
        if self.rows == 0 or self.first is None or self.last is None:
            return _(
                "There are no service requests in the data, so there is nothing to measure yet."
            )
        if self.days < 1:
            span = _("{count} hours").format(count=f"{self.days * 24:.0f}")
        elif self.days < 14:
            span = _("{count} days").format(count=f"{self.days:.0f}")
        else:
            span = _("{count} weeks").format(count=self.weeks)
        text = _(
            "The data holds {rows} requests made between {first} and {last}, about {span}."
        ).format(
            rows=format_number(self.rows),
            first=format_date(self.first, short=True),
            last=format_date(self.last, short=True),
            span=span,
        )
        if not self.enough_for_trend:
            text += " " + _(
                "That is too short to show a trend: a trend needs at least {weeks} weeks, so no "
                "trend chart is drawn. Use these figures as a snapshot only."
            ).format(weeks=MIN_WEEKS_FOR_TREND)
        elif not self.enough_for_seasons:
            text += " " + _(
                "It is less than a year, so it cannot separate a trend from the seasons."
            )
        return text


def coverage(requests: pd.DataFrame) -> Coverage:
    times = requests["requested_datetime"].dropna()
    if times.empty:
        return Coverage(len(requests), None, None)
    return Coverage(len(requests), times.min(), times.max())


def with_days_to_close(requests: pd.DataFrame) -> pd.DataFrame:
    """Closed requests with a ``days_to_close`` column (negative durations dropped as errors)."""
    closed = requests[requests["closed_datetime"].notna()].copy()
    closed["days_to_close"] = (
        closed["closed_datetime"] - closed["requested_datetime"]
    ).dt.total_seconds() / 86400
    return closed[closed["days_to_close"] >= 0]


def weekly_volume(requests: pd.DataFrame) -> pd.DataFrame:
    """Requests per full week (the partial first and last weeks are dropped)."""
    weeks = requests["requested_datetime"].dt.to_period("W").dt.start_time
    counts = weeks.value_counts().sort_index()
    counts = counts.iloc[1:-1] if len(counts) > 2 else counts.iloc[0:0]
    return counts.rename_axis("week").reset_index(name="requests")


def close_times_by(
    requests: pd.DataFrame, key: str, *, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Requests, closed requests and median days to close per group of ``key``.

    Request counts are suppressed (with complements) by the shared rule; a group whose closed count
    is below the threshold has its median withheld, because a median of a handful of cases both
    identifies them and says little. Returns columns: requests (published text), closed,
    median_days (NaN when withheld), shown (bool).
    """
    closed = with_days_to_close(requests)
    counts = requests[key].fillna("(not recorded)").value_counts()
    published = suppress(counts, threshold=threshold).published()
    stats = closed.groupby(closed[key].fillna("(not recorded)"))["days_to_close"].agg(
        closed="count", median_days="median"
    )
    table = pd.DataFrame({"requests": published.drop(index="Total", errors="ignore")})
    table = table.join(stats).fillna({"closed": 0})
    table["shown"] = table["closed"] >= threshold
    table.loc[~table["shown"], "median_days"] = float("nan")
    table.index.name = key
    return table


def metrics_against_target(metrics: pd.DataFrame) -> pd.DataFrame:
    """The latest value of each metric beside its target, and whether it meets it."""
    latest = metrics.sort_values("period").groupby("metric_id").tail(1).set_index("metric_id")
    table = latest[["metric", "department_id", "period", "value", "target", "unit"]].copy()
    higher = latest["higher_is_better"].astype(bool)
    meets = (table["value"] >= table["target"]).where(higher, table["value"] <= table["target"])
    table["meets_target"] = meets.where(table["target"].notna())
    table["percent_of_target"] = (100 * table["value"] / table["target"]).round(0)
    return table.sort_index()

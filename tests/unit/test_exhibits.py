"""Exhibits say what thin data cannot support, withhold small groups and read targets both ways."""

from __future__ import annotations

import pandas as pd

from cohort_tools.lessons import exhibits


def _requests(n: int, hours: float, key: list[str] | None = None) -> pd.DataFrame:
    start = pd.Timestamp("2025-01-06 08:00")
    times = [start + pd.Timedelta(hours=hours * i / max(n - 1, 1)) for i in range(n)]
    return pd.DataFrame(
        {
            "requested_datetime": times,
            "closed_datetime": [t + pd.Timedelta(days=2) for t in times],
            "neighbourhood_id": key or ["A"] * n,
        }
    )


def test_three_hours_of_data_is_described_as_a_snapshot_without_a_trend() -> None:
    span = exhibits.coverage(_requests(50, 3))
    assert not span.enough_for_trend
    text = span.describe()
    assert "about 3 hours" in text and "too short to show a trend" in text


def test_a_year_of_data_supports_a_trend_and_seasons() -> None:
    span = exhibits.coverage(_requests(400, 24 * 364.5))
    assert span.enough_for_trend and span.enough_for_seasons
    assert "too short" not in span.describe()


def test_the_coverage_sentence_gives_dates_in_us_style() -> None:
    text = exhibits.coverage(_requests(400, 24 * 364.5)).describe()
    assert "between Jan 6, 2025 and Jan 5, 2026" in text, text


def test_the_coverage_sentence_counts_requests_with_the_languages_separators() -> None:
    from cohort_tools.core.i18n import speaking

    span = exhibits.coverage(_requests(1200, 24 * 30))
    assert "holds 1,200 requests" in span.describe()
    with speaking("es", country="CO"):
        spanish = span.describe()
    assert "contienen 1.200 solicitudes" in spanish, spanish


def test_empty_data_says_there_is_nothing_to_measure() -> None:
    assert "no service requests" in exhibits.coverage(_requests(0, 1)).describe()


def test_a_small_neighbourhood_has_its_count_suppressed_and_its_median_withheld() -> None:
    keys = ["big"] * 40 + ["small"] * 4 + ["mid"] * 20
    table = exhibits.close_times_by(_requests(64, 24 * 60, keys), "neighbourhood_id")
    assert table.loc["small", "requests"] == "suppressed"
    assert pd.isna(table.loc["small", "median_days"]) and not table.loc["small", "shown"]
    # the complement: with the total published, one hidden cell would be recoverable
    assert table.loc["mid", "requests"] == "suppressed"
    assert table.loc["big", "median_days"] == 2.0


def test_meeting_a_target_respects_whether_higher_is_better() -> None:
    metrics = pd.DataFrame(
        {
            "metric_id": ["up", "down"],
            "metric": ["Answered in 60s", "Days to review"],
            "department_id": ["CS", "PLN"],
            "period": ["2025-12", "2025-12"],
            "value": [85.0, 33.0],
            "target": [80.0, 30.0],
            "unit": ["percent", "days"],
            "higher_is_better": [True, False],
        }
    )
    table = exhibits.metrics_against_target(metrics)
    assert bool(table.loc["up", "meets_target"]) is True
    assert bool(table.loc["down", "meets_target"]) is False

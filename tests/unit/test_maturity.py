"""Maturity self-assessment: criteria match the city data, scores follow the ratings, bad ratings
are named plainly."""

from __future__ import annotations

import pandas as pd
import pytest

from cohort_tools.core.errors import CdaError
from cohort_tools.core.paths import DEMO_DIR
from cohort_tools.lessons import maturity


def _all(rating: int) -> dict[str, int]:
    return dict.fromkeys(maturity.CRITERIA, rating)


def test_every_criterion_and_area_in_the_demo_assessments_is_known() -> None:
    for path in sorted((DEMO_DIR / "cities").glob("*/maturity_assessment.csv")):
        table = pd.read_csv(path)
        for criterion, area in zip(table["criterion_id"], table["practice_area"], strict=True):
            assert criterion in maturity.CRITERIA, (path, criterion)
            assert maturity.CRITERIA[criterion].practice_area == area, (path, criterion)


def test_each_criterion_describes_all_four_levels_in_a_known_area() -> None:
    for criterion in maturity.CRITERIA.values():
        assert criterion.practice_area in maturity.PRACTICE_AREAS
        assert len(criterion.levels) == 4 and all(t.strip() for t in criterion.levels)
        assert sorted(criterion.text) == [0, 1, 2, 3]


def test_area_score_is_points_as_a_share_of_points_possible() -> None:
    ratings = _all(0) | {"GOV-1": 3, "GOV-2": 3, "GOV-3": 0}
    scores = maturity.area_scores(ratings)
    assert scores["governance"] == pytest.approx(66.7)
    assert scores["open_data"] == 0.0
    assert list(scores) == list(maturity.PRACTICE_AREAS)
    assert maturity.area_scores(_all(3)) == dict.fromkeys(maturity.PRACTICE_AREAS, 100.0)


def test_overall_score_weighs_every_criterion_once() -> None:
    ratings = _all(0) | {"EN-1": 3}
    assert maturity.overall_score(ratings) == pytest.approx(100 / len(maturity.CRITERIA), abs=0.1)
    assert maturity.overall_score({}) == 0.0


def test_areas_with_no_rated_criterion_are_left_out_of_partial_scores() -> None:
    assert maturity.area_scores({"GOV-1": 2}) == {"governance": pytest.approx(66.7)}


def test_unknown_ids_and_out_of_range_ratings_are_named_plainly() -> None:
    with pytest.raises(CdaError) as caught:
        maturity.area_scores({"GOV-9": 1, "GOV-1": 4, "DM-1": True})
    text = str(caught.value)
    assert "unknown criterion id(s): GOV-9" in text
    assert "GOV-1=4" in text and "DM-1=True" in text
    assert "0 (not started) to 3 (established)" in text


def test_a_complete_check_lists_the_criteria_without_a_rating() -> None:
    problems = maturity.check_ratings({"GOV-1": 1}, complete=True)
    assert len(problems) == 1 and "no rating for 16 criterion(s)" in problems[0].message
    assert maturity.check_ratings(_all(2), complete=True) == []
    assert "not list" in maturity.check_ratings([1, 2])[0].message


def test_latest_ratings_take_the_newest_date_per_criterion_and_skip_unknown_ids() -> None:
    table = pd.DataFrame(
        {
            "practice_area": ["governance"] * 3 + ["other"],
            "criterion_id": ["GOV-1", "GOV-1", "GOV-2", "XYZ-1"],
            "rating": [3, 1, 2, 1],
            "assessed_on": pd.to_datetime(["2025-07-15", "2025-01-15", "2024-01-01", "2025-09-01"]),
        }
    )
    assert maturity.latest_ratings(table) == {"GOV-1": 3, "GOV-2": 2}
    assert maturity.latest_ratings(table.iloc[0:0]) == {}


def test_criteria_frame_has_one_row_per_criterion_and_a_column_per_level() -> None:
    frame = maturity.criteria_frame()
    assert list(frame.index) == list(maturity.CRITERIA)
    assert [c for c in frame.columns if c[0].isdigit()] == [
        "0 not started",
        "1 beginning",
        "2 developing",
        "3 established",
    ]

"""Demo city generator: deterministic, complete and telling the stories its docstring promises."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cohort_tools.citydata.demo import (
    SKILLS_GAP_DEPARTMENT,
    TABLE_FILES,
    file_digests,
    generate_city,
)


@pytest.fixture(scope="module")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_city("small", 7, tmp_path_factory.mktemp("demo") / "city")


def test_same_seed_gives_the_same_bytes(tmp_path: Path, small_city: Path) -> None:
    again = generate_city("small", 7, tmp_path / "again")
    assert file_digests(again) == file_digests(small_city)


def test_another_seed_gives_another_city(tmp_path: Path, small_city: Path) -> None:
    other = generate_city("small", 8, tmp_path / "other")
    assert file_digests(other) != file_digests(small_city)


def test_every_table_and_city_yaml_is_written(small_city: Path) -> None:
    names = {p.name for p in small_city.iterdir()}
    assert names == {"city.yaml", *TABLE_FILES.values()}
    assert "fictional: true" in (small_city / "city.yaml").read_text()


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="small, medium, large"):
        generate_city("huge", 1, tmp_path / "x")


def test_the_poorest_neighbourhood_waits_longest(small_city: Path) -> None:
    con = duckdb.connect()
    rows = con.sql(
        f"""select n.median_household_income_usd as income,
                   median(date_diff('second', requested_datetime, closed_datetime)) as wait
            from '{small_city}/service_requests.parquet' s
            join read_csv('{small_city}/neighbourhoods.csv') n using (neighbourhood_id)
            group by all order by wait desc"""
    ).fetchall()
    incomes = [r[0] for r in rows if r[0] is not None]
    assert rows[0][0] == min(incomes)
    assert rows[0][1] > 1.8 * rows[len(rows) // 2][1]


def test_the_skills_gap_department_rates_itself_lowest_in_analysis(small_city: Path) -> None:
    survey = pd.read_csv(small_city / "staff_survey.csv")
    levels = {"awareness": 0, "working": 1, "practitioner": 2, "expert": 3}
    analysis = survey[survey["skill"] == "data_analysis"]
    score = analysis.assign(v=analysis["level"].map(levels)).groupby("department_id")["v"].mean()
    assert score.idxmin() == SKILLS_GAP_DEPARTMENT
    assert survey[survey["department_id"] == SKILLS_GAP_DEPARTMENT]["respondent_id"].nunique() >= 11


def test_workforce_outcomes_differ_by_english_proficiency(small_city: Path) -> None:
    out = pd.read_csv(small_city / "programme_outcomes.csv")
    wfp = out[(out["programme_id"] == "WFP") & (out["dimension"] == "limited_english")]
    totals = wfp.groupby("group")[["participants", "successes"]].sum()
    rate = totals["successes"] / totals["participants"]
    assert rate["not_lep"] - rate["lep"] > 0.15


def test_some_inventory_datasets_are_overdue(small_city: Path) -> None:
    inv = pd.read_csv(small_city / "data_inventory.csv", parse_dates=["last_updated"])
    monthly = inv[inv["update_frequency"].isin(["daily", "weekly", "monthly"])]
    overdue = monthly["last_updated"] < pd.Timestamp("2025-01-15")
    assert overdue.any()
    assert not overdue.all()

"""The loader: validates first, drops personal columns, caches Parquet keyed on content."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cohort_tools.citydata import connect, load, open_city
from cohort_tools.core.errors import CdaError

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"


@pytest.fixture
def city(tmp_path: Path) -> Path:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    return target


def test_load_returns_typed_normalised_columns(city: Path) -> None:
    frame = load(city, "service_requests")
    assert list(frame.index) == [0, 1, 2]
    assert str(frame["requested_datetime"].dtype).startswith("datetime64")
    assert frame["lat"].dtype == "float64"
    assert "media_url" in frame.columns and frame["media_url"].isna().all()
    survey = load(city, "staff_survey")
    assert survey["training_interest"].tolist()[:3] == [True, False, True]


def test_load_refuses_an_invalid_table_and_lists_the_problems(city: Path) -> None:
    path = city / "departments.csv"
    path.write_text(path.read_text().replace(",45,", ",-45,"))
    with pytest.raises(CdaError) as info:
        load(city, "departments")
    assert "headcount" in str(info.value) and "row 3" in str(info.value)
    # no cache file, and no half-written one
    assert not list((city / ".cda-cache").glob("*departments*")), "a file was left behind"


def test_load_in_a_spanish_notebook_explains_the_problem_in_spanish(city: Path) -> None:
    from cohort_tools.core import i18n

    path = city / "departments.csv"
    path.write_text(path.read_text().replace(",45,", ",-45,"))
    with i18n.speaking("es"), pytest.raises(CdaError) as info:
        load(city, "departments")
    text = str(info.value)
    assert "La tabla departments de testville no es válida" in text, text
    assert "debe ser 0 o más" in text and "fila 3" in text and "Cómo corregirlo:" in text


def test_load_checks_foreign_keys_of_the_table(city: Path) -> None:
    path = city / "staff_survey.csv"
    path.write_text(path.read_text().replace("R002,PK", "R002,ZZ"))
    with pytest.raises(CdaError, match="ZZ"):
        load(city, "staff_survey")


def test_names_and_emails_in_the_survey_never_reach_loader_output(city: Path) -> None:
    path = city / "staff_survey.csv"
    lines = path.read_text().splitlines()
    lines = [lines[0] + ",Full Name,email,first_name"] + [
        f"{line},Jane Doe,jane.doe@city.gov,Jane" for line in lines[1:]
    ]
    path.write_text("\n".join(lines) + "\n")
    frame = load(city, "staff_survey")
    text = frame.to_csv()
    assert "Jane" not in text and "@" not in text
    assert {"Full Name", "email", "first_name"}.isdisjoint(frame.columns)
    cached = b"".join(p.read_bytes() for p in (city / ".cda-cache").glob("*.parquet"))
    assert b"Jane" not in cached and b"city.gov" not in cached
    con = connect(city, tables=["staff_survey"])
    rows = con.sql("select * from staff_survey").fetchall()
    assert "Jane" not in repr(rows)


def test_cache_is_reused_and_a_changed_source_invalidates_it(city: Path) -> None:
    first = load(city, "departments")
    cached = list((city / ".cda-cache").glob("departments-*.parquet"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    load(city, "departments")
    assert cached[0].stat().st_mtime_ns == stamp
    path = city / "departments.csv"
    path.write_text(path.read_text().replace("Parks,45", "Parks,46"))
    second = load(city, "departments")
    assert first.loc[1, "headcount"] == 45 and second.loc[1, "headcount"] == 46
    assert len(list((city / ".cda-cache").glob("departments-*.parquet"))) == 1


def test_load_does_not_modify_the_source(city: Path) -> None:
    before = {p.name: p.read_bytes() for p in city.iterdir() if p.is_file()}
    for table in ("departments", "service_requests", "programme_outcomes"):
        load(city, table)
    after = {p.name: p.read_bytes() for p in city.iterdir() if p.is_file()}
    assert before == after


def test_open_city_lists_tables_and_reads_the_profile(city: Path) -> None:
    data = open_city(city)
    assert data.config.id == "testville" and data.config.suppression_threshold == 11
    assert data.has("departments") and len(data.tables) == 10
    assert data.table("neighbourhoods")["population"].sum() == 12000


def test_connect_aggregates_in_sql(city: Path) -> None:
    con = connect(city)
    rows = con.sql(
        "select status, count(*) from service_requests group by status order by status"
    ).fetchall()
    assert rows == [("closed", 2), ("open", 1)]


def test_missing_table_is_a_clear_error(city: Path) -> None:
    (city / "data_use_log.csv").unlink()
    with pytest.raises(CdaError, match="no data_use_log table"):
        load(city, "data_use_log")


def test_unknown_table_name_is_a_clear_error(city: Path) -> None:
    with pytest.raises(CdaError, match="not a city table"):
        load(city, "budgets")


def _load_in_child(city: str) -> int:
    return len(load(Path(city), "service_requests"))


def test_several_processes_can_load_the_same_city_at_once(city: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        counts = pool.map(_load_in_child, [str(city)] * 6)
    assert counts == [3] * 6
    leftovers = [p for p in (city / ".cda-cache").iterdir() if p.suffix == ".part"]
    assert leftovers == []
    assert len(pd.read_parquet(next((city / ".cda-cache").glob("service_requests-*")))) == 3

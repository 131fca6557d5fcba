"""A real large table (2.1 million rows, over readers.LARGE_CSV_BYTES): problems deep in the file are
still reported with their row numbers, by the DuckDB path, and nothing is cached."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from cohort_tools.citydata import bulk, check_city, load, readers
from cohort_tools.core.errors import CdaError, Problem

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"
ROWS = 2_100_000


def write_assessments(path: Path, *, header: str, bad: dict[int, str] | None = None) -> None:
    """maturity_assessment.csv with ROWS rows (row 2 is the first); ``bad`` row -> its rating."""
    cases = " ".join(f"WHEN {row - 1} THEN '{value}'" for row, value in (bad or {}).items())
    rating = (
        f"CASE i {cases} ELSE CAST(i % 4 AS VARCHAR) END" if cases else "CAST(i % 4 AS VARCHAR)"
    )
    criterion = (
        "CASE i WHEN 1999998 THEN 'C0000002' ELSE printf('C%07d', i) END"
        if bad
        else ("printf('C%07d', i)")
    )
    columns = {
        "practice_area": "'governance'",
        "criterion_id": criterion,
        "rating": rating,
        "assessed_on": "'2024-04-01'",
        "notes": "'ok'",
    }
    select = ", ".join(f"{columns[c]} AS {c}" for c in header.split(","))
    duckdb.sql(
        f"COPY (SELECT {select} FROM range(1, {ROWS + 1}) t(i) ORDER BY i) "
        f"TO '{path}' (HEADER, DELIMITER ',')"
    )
    assert path.stat().st_size > readers.LARGE_CSV_BYTES


@pytest.fixture
def city(tmp_path: Path) -> Path:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    return target


@pytest.fixture
def used(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables the DuckDB path handled (it must not fall back to pandas here)."""
    handled: list[str] = []
    check_table, load_table = bulk.check_table, bulk.load_table

    def counting_check(folder, table, prepared):  # type: ignore[no-untyped-def]
        out = check_table(folder, table, prepared)
        handled.extend([table] if out is not None else [])
        return out

    def counting_load(folder, table, target, refs):  # type: ignore[no-untyped-def]
        out = load_table(folder, table, target, refs)
        handled.extend([table] if out is not None else [])
        return out

    monkeypatch.setattr(bulk, "check_table", counting_check)
    monkeypatch.setattr(bulk, "load_table", counting_load)
    return handled


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def test_problems_deep_in_a_large_file_name_their_rows(city: Path, used: list[str]) -> None:
    path = city / "maturity_assessment.csv"
    write_assessments(
        path,
        header="practice_area,criterion_id,rating,assessed_on,notes",
        bad={2_000_001: "7", 1_500_000: "three"},
    )
    found = errors(check_city(city))
    by_field = {p.field: p for p in found}
    assert set(by_field) == {"rating", "criterion_id + assessed_on"}, found
    ratings = [p for p in found if p.field == "rating"]
    wrong_type = next(p for p in ratings if "whole numbers" in p.message)
    out_of_range = next(p for p in ratings if "between" in p.message)
    assert "whole numbers" in wrong_type.message and "row 1500000" in wrong_type.message
    assert "'three'" in wrong_type.message and wrong_type.line == 1_500_000
    assert "between 0 and 3" in out_of_range.message and "row 2000001" in out_of_range.message
    assert "found 7" in out_of_range.message and out_of_range.line == 2_000_001
    repeated = by_field["criterion_id + assessed_on"]
    assert "rows 3, 1999999" in repeated.message and "'C0000002'" in repeated.message
    with pytest.raises(CdaError) as info:
        load(city, "maturity_assessment")
    assert "row 2000001" in str(info.value) and "row 1500000" in str(info.value)
    assert not list((city / ".cda-cache").glob("maturity_assessment-*"))
    assert used == ["maturity_assessment", "maturity_assessment"]


def test_missing_column_of_a_large_file_is_named(city: Path, used: list[str]) -> None:
    write_assessments(
        city / "maturity_assessment.csv", header="practice_area,criterion_id,assessed_on,notes"
    )
    found = errors(check_city(city))
    assert len(found) == 1, found
    assert found[0].field == "rating" and "required column 'rating' is missing" in found[0].message
    assert "Columns found: practice_area, criterion_id, assessed_on, notes" in found[0].fix
    assert used == ["maturity_assessment"]


def test_large_valid_file_is_cached(city: Path, used: list[str]) -> None:
    write_assessments(
        city / "maturity_assessment.csv",
        header="practice_area,criterion_id,rating,assessed_on,notes",
    )
    frame = load(city, "maturity_assessment")
    assert len(frame) == ROWS and frame["rating"].dtype == "Int64"
    assert frame.loc[ROWS - 1, "criterion_id"] == f"C{ROWS:07d}"
    assert str(frame["assessed_on"].dtype) == "datetime64[us]"
    assert used == ["maturity_assessment"]

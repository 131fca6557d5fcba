"""Large tables are validated in DuckDB (citydata.bulk) with exactly the pandas path's problems.

Every test lowers the size thresholds so the small fixture city takes the DuckDB path, then compares
it with the pandas path on the same files (same reader settings), problem for problem.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cohort_tools.citydata import bulk, check_city, load, readers
from cohort_tools.citydata.check import scan_city
from cohort_tools.core.errors import CdaError, Problem

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"


@pytest.fixture
def city(tmp_path: Path) -> Path:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    return target


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every table counts as large; yields the tables the DuckDB path handled."""
    monkeypatch.setattr(readers, "LARGE_CSV_BYTES", 0)
    monkeypatch.setattr(bulk, "MIN_PARQUET_ROWS", 0)
    # only the first row goes through pandas unasked: every other row must be found by the SQL
    monkeypatch.setattr(bulk, "HEAD_ROWS", 1)
    handled: list[str] = []
    check_table, load_table = bulk.check_table, bulk.load_table

    def counting_check(folder, table, prepared):  # type: ignore[no-untyped-def]
        out = check_table(folder, table, prepared)
        if out is not None:
            handled.append(table)
        return out

    def counting_load(folder, table, target, refs):  # type: ignore[no-untyped-def]
        out = load_table(folder, table, target, refs)
        if out is not None:
            handled.append(table)
        return out

    monkeypatch.setattr(bulk, "check_table", counting_check)
    monkeypatch.setattr(bulk, "load_table", counting_load)
    yield handled


def pandas_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_plan", lambda folder, table: None)


def both(city: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Problem], list[Problem]]:
    """(pandas path problems, DuckDB path problems) of check_city."""
    with monkeypatch.context() as m:
        pandas_only(m)
        expected = check_city(city)
    return expected, check_city(city)


def both_loads(
    city: Path, table: str, monkeypatch: pytest.MonkeyPatch, caches: Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the pandas path's frame, the DuckDB path's frame) of one table, each with its own cache."""
    monkeypatch.setenv("CDA_CACHE_DIR", str(caches / "pandas"))
    with monkeypatch.context() as m:
        pandas_only(m)
        expected = load(city, table)
    monkeypatch.setenv("CDA_CACHE_DIR", str(caches / "duckdb"))
    return expected, load(city, table)


def replace(city: Path, name: str, old: str, new: str) -> None:
    path = city / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def configure(city: Path, yaml: str) -> None:
    with (city / "city.yaml").open("a", encoding="utf-8") as handle:
        handle.write(yaml)


BULK_TABLES = {
    "staff_survey",
    "service_requests",
    "neighbourhood_demographics",
    "programme_outcomes",
    "data_inventory",
    "maturity_assessment",
    "data_use_log",
    "performance_metrics",
}

Mutation = Callable[[Path], None]

MUTATIONS: dict[str, Mutation] = {
    "valid": lambda c: None,
    "category not of its dimension": lambda c: replace(
        c, "neighbourhood_demographics.csv", "N1,age,0-4", "N1,age,WHITE"
    ),
    "unknown code": lambda c: replace(c, "neighbourhood_demographics.csv", "HISPANIC", "LATINO"),
    "negative counts": lambda c: replace(c, "neighbourhood_demographics.csv", ",3000", ",-3000"),
    "successes above participants": lambda c: replace(
        c, "programme_outcomes.csv", "40,22", "40,52"
    ),
    "outcome group not a neighbourhood": lambda c: replace(
        c, "programme_outcomes.csv", "neighbourhood,N1", "neighbourhood,N9"
    ),
    "bad period": lambda c: replace(c, "programme_outcomes.csv", "2024-Q1", "2024-Q5"),
    "mixed date formats": lambda c: replace(c, "data_use_log.csv", "2024-04-02", "04/02/2024"),
    "non-ISO dates": lambda c: replace(c, "maturity_assessment.csv", "2024-04-01", "04/15/2024"),
    "a date that does not exist": lambda c: replace(
        c, "data_use_log.csv", "2024-04-02", "2024-02-30"
    ),
    "repeated id": lambda c: replace(c, "data_inventory.csv", "D2,Benefit", "D1,Benefit"),
    "unknown demographic field": lambda c: replace(
        c, "data_inventory.csv", "race_ethnicity;age;sex", "race;age"
    ),
    "not true or false": lambda c: replace(c, "data_inventory.csv", "yes,no,yes", "maybe,no,yes"),
    "true and false in Spanish": lambda c: replace(
        c, "data_inventory.csv", "yes,no,yes", "SÍ,No,verdadero"
    ),
    "repeated combination": lambda c: replace(
        c, "staff_survey.csv", "R001,PW,analyst,statistics", "R001,PW,analyst,data_analysis"
    ),
    "e-mail as respondent id": lambda c: replace(c, "staff_survey.csv", "R002,", "bob@city.gov,"),
    "allowed values in another case and spacing": lambda c: replace(
        c, "staff_survey.csv", "PK,frontline,data_literacy", "PK, FrontLine ,Data_Literacy"
    ),
    "unknown reference": lambda c: replace(
        c, "performance_metrics.csv", "M2,Park visits,PK", "M2,Park visits,XX"
    ),
    "bad status and latitude": lambda c: (
        replace(
            c,
            "service_requests.csv",
            "SR3,closed,Closed,Graffiti,2024-05-02,",
            "SR3,shut,Closed,Graffiti,2024-05-02,",
        )
        or replace(c, "service_requests.csv", "40.1,-80.2", "140.1,-80.2")
    ),
    "closed before requested (a warning)": lambda c: replace(
        c, "service_requests.csv", "2024-05-03T10:30:00", "2024-04-03T10:30:00"
    ),
    "wrong types": lambda c: replace(c, "service_requests.csv", "40.2,-80.1", "forty,-80.1x"),
    "numbers the SQL leaves to pandas": lambda c: (
        replace(c, "service_requests.csv", "40.2,-80.1", "4.02e1,  -80.10  ")
        or replace(c, "neighbourhood_demographics.csv", ",3000", ",3e3")
    ),
    "missing spellings": lambda c: replace(
        c, "service_requests.csv", ",,,,44102", ",N/A,NULL,na,44102"
    ),
    "time zones and bad times": lambda c: (
        replace(c, "service_requests.csv", "2024-05-02T09:15", "2024-05-02T09:15:00-05:00")
        or replace(c, "service_requests.csv", "2024-05-02T17:00:00", "2024-05-02T24:00:00")
    ),
    "repeated request number": lambda c: replace(c, "service_requests.csv", "SR3,", "SR1,"),
    "blank required value": lambda c: replace(c, "service_requests.csv", "SR2,open", ",open"),
    "missing required column": lambda c: (c / "maturity_assessment.csv").write_text(
        "practice_area,criterion_id,assessed_on\ngovernance,GOV1,2024-04-01\n"
    ),
    "unknown and personal columns (warnings)": lambda c: (c / "staff_survey.csv").write_text(
        "\n".join(
            [
                line + (",Full Name,Shoe size" if i == 0 else ",Jane Doe,9")
                for i, line in enumerate((c / "staff_survey.csv").read_text().splitlines())
            ]
        )
        + "\n"
    ),
    "many bad rows": lambda c: (c / "staff_survey.csv").write_text(
        "respondent_id,department_id,role_family,skill,level,training_interest\n"
        + "".join(f"R{i:03d},PW,wizard,statistics,expert,yes\n" for i in range(12))
    ),
    "codes written as numbers": lambda c: replace(
        c, "service_requests.csv", ",44102,", ",44102.0,"
    ),
    "values mapped in city.yaml": lambda c: (
        replace(c, "service_requests.csv", "SR2,open,In Progress", "SR2,En Atención,In Progress")
        or configure(
            c,
            "tables:\n  service_requests:\n    values:\n      status:\n        en atención: open\n",
        )
    ),
    "unicode in allowed values": lambda c: replace(
        c, "staff_survey.csv", "R003,HS,manager", "R003,HS,manàger"
    ),
    "odd spaces": lambda c: (
        replace(c, "service_requests.csv", "Street Light,", "\u3000Street Light\u00a0,")
        or replace(c, "staff_survey.csv", "R003,HS", "\x1cR003 ,HS")
    ),
    "date_format (left to pandas)": lambda c: (
        replace(c, "maturity_assessment.csv", "2024-04-01", "04/15/2024")
        or configure(c, "tables:\n  maturity_assessment:\n    date_format: '%m/%d/%Y'\n")
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_duckdb_path_reports_the_same_problems_as_pandas(
    name: str, city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    MUTATIONS[name](city)
    expected, found = both(city, monkeypatch)
    assert found == expected
    left_to_pandas = {"maturity_assessment"} if name.startswith("date_format") else set()
    assert set(large) == BULK_TABLES - left_to_pandas


def test_duckdb_path_loads_the_same_frames_as_pandas(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    MUTATIONS["missing spellings"](city)
    MUTATIONS["codes written as numbers"](city)
    MUTATIONS["allowed values in another case and spacing"](city)
    for table in sorted(BULK_TABLES):
        expected, found = both_loads(city, table, monkeypatch, tmp_path)
        pd.testing.assert_frame_equal(found, expected)
    assert set(large) == BULK_TABLES


def test_duckdb_path_refuses_a_bad_table_with_the_same_message(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    MUTATIONS["bad status and latitude"](city)
    with monkeypatch.context() as m:
        pandas_only(m)
        with pytest.raises(CdaError) as expected:
            load(city, "service_requests")
    with pytest.raises(CdaError) as found:
        load(city, "service_requests")
    assert str(found.value) == str(expected.value)
    assert large == ["service_requests"]
    assert not list((city / ".cda-cache").glob("service_requests-*"))
    assert not [p for p in (city / ".cda-cache").iterdir() if p.name.startswith(".")]


def _parquet_city(city: Path, frame: pd.DataFrame) -> None:
    (city / "service_requests.csv").unlink()
    pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False), city / "service_requests.parquet"
    )


def requests_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service_request_id": ["SR1", "SR2", "SR3", "SR4"],
            "status": ["Closed", "open", " closed", "open"],
            "requested_datetime": pd.to_datetime(
                ["2024-05-01 08:00", "2024-05-02 09:15", "2024-05-02", "2024-05-03 10:00:05"],
                format="ISO8601",
            ).astype("datetime64[s]"),
            "closed_datetime": pd.to_datetime(
                ["2024-05-03 10:30", None, "2024-05-02 17:00", None], format="ISO8601"
            ).tz_localize("UTC"),
            "lat": [40.1, float("nan"), 40.2, 41.0],
            "long": [-80.2, None, -80.1, -80.0],
            "zipcode": ["44101", "44102", None, " 44103 "],
            "neighbourhood_id": ["N1", "N2", None, "N1"],
            "Shoe size": [1, 2, 3, 4],
        }
    )


def test_parquet_table_reports_the_same_problems_as_pandas(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = requests_frame()
    frame.loc[1, "status"] = "shut"
    frame.loc[3, "lat"] = 99.0
    frame.loc[3, "service_request_id"] = "SR1"
    _parquet_city(city, frame)
    expected, found = both(city, monkeypatch)
    assert found == expected
    assert any("row 2" in p.message and "status" in p.message for p in found)
    assert "service_requests" in large


def test_parquet_table_loads_the_same_frame_as_pandas(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _parquet_city(city, requests_frame())
    expected, found = both_loads(city, "service_requests", monkeypatch, tmp_path)
    pd.testing.assert_frame_equal(found, expected)
    assert large == ["service_requests"]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", b"", ","),
        ("utf-8", b"\xef\xbb\xbf", ";"),
        ("utf-8", b"", "\t"),
        ("utf-8", b"", "|"),
    ],
)
def test_encodings_and_delimiters_the_reader_accepts(
    encoding: str,
    bom: bytes,
    delimiter: str,
    city: Path,
    large: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = city / "service_requests.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("Street Light", '"Street Light, North"')
    text = "\r\n".join(line.replace(",", delimiter) if delimiter != "," else line for line in lines)
    text = text.replace(f'"Street Light{delimiter} North"', '"Street Light, North"')
    path.write_bytes(bom + (text + "\r\n").encode(encoding))
    replace(city, "service_requests.csv", "SR3", "SR1")  # a problem to phrase
    expected, found = both(city, monkeypatch)
    assert found == expected
    assert any("'SR1'" in p.message for p in found)
    assert "service_requests" in large


def test_windows_1252_file_is_left_to_pandas(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = city / "service_requests.csv"
    path.write_bytes(path.read_text().replace("Graffiti", "Graffiti é").encode("cp1252"))
    expected, found = both(city, monkeypatch)
    assert found == expected
    assert any("Windows-1252" in p.message for p in found)
    assert "service_requests" not in large


def test_unparseable_csv_is_left_to_pandas(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = city / "service_requests.csv"
    path.write_text(path.read_text() + "SR4,open,Open,x,2024-05-02,,1,2,3,N1,extra\n")
    expected, found = both(city, monkeypatch)
    assert found == expected
    assert any("cannot be parsed" in p.message for p in found)
    assert "service_requests" not in large


def test_every_check_of_the_large_tables_has_sql(large: list[str]) -> None:
    """A check without SQL would quietly send its table back to the slow pandas path."""
    folder = scan_city(VALID)
    for table in sorted(BULK_TABLES):
        plan = bulk._plan(folder, table)
        assert plan is not None, table
        assert bulk._sql(plan, consistency=True).flag, table


def test_spanish_true_and_false_load_the_same_on_both_paths(
    city: Path, large: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    MUTATIONS["true and false in Spanish"](city)
    expected, found = both_loads(city, "data_inventory", monkeypatch, tmp_path)
    pd.testing.assert_frame_equal(found, expected)
    first = found.iloc[0]
    assert [first.published_openly, first.contains_personal_data, first.documented] == [
        True,
        False,
        True,
    ]
    assert "data_inventory" in large


def test_the_written_out_spaces_are_every_character_python_strips() -> None:
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == bulk._WHITESPACE


def test_the_sql_strip_trims_every_space_python_strips_and_nothing_else() -> None:
    import duckdb

    samples = [
        "plain",
        "",
        "é",
        "\x7f",
        "a\u0301",
        "ab",
        "!x~",
        "~x!",
        "x\x7f",
        "\x7fx",
        "\x00x",
        "x\x00",
    ]
    for space in bulk._WHITESPACE:
        samples += [f"{space}x", f"x{space}", f"{space}\u0301x", f"x{space}{space}", space]
    con = duckdb.connect()
    con.register("samples", pa.table({"v": pa.array(samples, pa.string())}))
    rows = con.sql(f"SELECT v, {bulk._strip('v')} AS s FROM samples").fetchall()
    assert [s for _, s in rows] == [v.strip() for v, _ in rows]


def test_the_sql_date_reading_accepts_exactly_the_plain_forms_the_pattern_accepts() -> None:
    """The round trip that skips the pattern for most dates gives what the pattern alone gives."""
    import duckdb

    samples = [
        "2025-01-01 10:00:00",
        "2025-01-01 10:00:00.5",
        "2025-01-01 10:00:00.123456",
        "2025-01-01 10:00:00.1234567",
        "2025-01-01 10:00",
        "2025-01-01",
        "2025-01-01T10:00:00",
        "2025-01-01 10:00:00+02:00",
        "2025-01-01 10:00:00Z",
        "0999-01-01 10:00:00",
        "1000-01-01 00:00:00",
        "10000-01-01 10:00:00",
        "2025-02-30 00:00:00",
        "2025-01-01 24:00:00",
        "2025-1-01 10:00:00",
        "2025-01-01 10:00:00 ",
        "+2025-01-01 10:00:00",
        "2025-01-01 10:00:00 (BC)",
        "-2025-01-01 10:00:00",
        "9999-12-31 23:59:59.999999",
    ]
    con = duckdb.connect()
    con.register("samples", pa.table({"x": pa.array(samples, pa.string())}))
    ours = bulk._parse("datetime", "x", "d", "'UTC'")
    pattern_only = (
        f"CASE WHEN regexp_full_match(x, '{bulk._NAIVE}') THEN TRY_CAST(x AS TIMESTAMP) "
        f"WHEN regexp_full_match(x, '{bulk._OFFSET}') "
        "THEN timezone('UTC', TRY_CAST(x AS TIMESTAMPTZ)) END"
    )
    rows = con.sql(
        f"SELECT x, {ours} AS ours, {pattern_only} AS expected "
        "FROM (SELECT x, TRY_CAST(x AS TIMESTAMP) AS d FROM samples)"
    ).fetchall()
    assert [(x, ours) for x, ours, _ in rows] == [(x, expected) for x, _, expected in rows]

"""Readers: encodings, delimiters, Excel, Parquet, JSON; files are never changed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cohort_tools.citydata.readers import detect_encoding, read_table_file, rows_text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("naïve,x\n".encode(), "utf-8"),
        (b"\xef\xbb\xbfa,b\n", "utf-8-sig"),
        ("café,x\n".encode("cp1252"), "cp1252"),
        ("a,b\n".encode("utf-16"), "utf-16"),
        (b"a,\x81\x00b\n", None),
    ],
)
def test_encoding_detection_follows_the_documented_order(data: bytes, expected: str | None) -> None:
    assert detect_encoding(data)[0] == expected


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(sep.join(["a", "b", "c"]) + "\n" + sep.join(["1", "x y", "3"]) + "\n")
    raw = read_table_file(path)
    assert raw.delimiter == sep
    assert raw.frame is not None and list(raw.frame.columns) == ["a", "b", "c"]
    assert raw.frame.loc[2, "b"] == "x y"


def test_cp1252_text_is_decoded_correctly(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("name,city\nJosé,Montréal\n".encode("cp1252"))
    raw = read_table_file(path)
    assert raw.frame is not None and raw.frame.loc[2, "city"] == "Montréal"
    assert raw.encoding == "cp1252"


def test_blank_cells_and_padding_become_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n  x  ,\n")
    raw = read_table_file(path)
    assert raw.frame is not None
    assert raw.frame.loc[2, "a"] == "x" and pd.isna(raw.frame.loc[2, "b"])


def test_parquet_keeps_types_and_numbers_rows_from_one(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1, 2], "b": ["x", None]}).to_parquet(path)
    raw = read_table_file(path)
    assert raw.frame is not None and list(raw.frame.index) == [1, 2]
    assert raw.frame["a"].dtype.kind == "i"


def test_damaged_parquet_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    raw = read_table_file(path)
    assert raw.frame is None and "not a readable Parquet" in raw.problems[0].message


def test_old_xls_is_refused_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "t.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    raw = read_table_file(path)
    assert raw.frame is None and ".xlsx" in raw.problems[0].fix


def test_open311_json_wrapped_list_is_read(tmp_path: Path) -> None:
    path = tmp_path / "requests.json"
    path.write_text('{"service_requests": [{"service_request_id": 1, "lat": 37.5, "x": null}]}')
    raw = read_table_file(path)
    assert raw.frame is not None and raw.frame.loc[1, "service_request_id"] == "1"
    assert raw.row_word == "record"


def test_truncated_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('[{"a": 1},\n{"a": ')
    raw = read_table_file(path)
    assert raw.frame is None and raw.problems[0].line == 2


def test_rows_text_is_short_and_counts() -> None:
    assert rows_text([4]) == "row 4"
    assert rows_text([9, 4, 4]) == "rows 4, 9"
    assert rows_text(list(range(2, 10))) == "rows 2, 3, 4, 5, 6 and 3 more (8 rows)"

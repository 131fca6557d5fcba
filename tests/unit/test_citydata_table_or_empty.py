"""A notebook can ask for a table a city has not shared and still run the cells after it."""

from __future__ import annotations

import shutil
from pathlib import Path

from cohort_tools.citydata import open_city
from cohort_tools.citydata.schemas import TABLES
from tests.conftest import REPO

VALID = REPO / "tests" / "fixtures" / "citydata" / "valid_city"


def test_a_missing_table_comes_back_empty_with_its_schema_columns(tmp_path: Path) -> None:
    (tmp_path / "city.yaml").write_text((VALID / "city.yaml").read_text(), encoding="utf-8")
    city = open_city(tmp_path)
    assert not city.has("performance_metrics")
    empty = city.table_or_empty("performance_metrics")
    assert empty.empty and list(empty.columns) == list(TABLES["performance_metrics"].columns)
    log = city.table_or_empty("data_use_log")
    assert str(log["date"].dtype).startswith("datetime64")


def test_a_present_table_is_the_loaded_table(tmp_path: Path) -> None:
    # a copy: loading writes a cache, and the shared fixture folder must stay untouched
    shutil.copytree(VALID, tmp_path / "city")
    city = open_city(tmp_path / "city")
    assert len(city.table_or_empty("departments")) == len(city.table("departments")) > 0

"""The real NYC 311 export (Socrata CSV and SODA JSON) imports to the same 1,000 requests."""

from __future__ import annotations

import pandas as pd
import pytest

from cohort_tools.citydata.check import validate_frame
from cohort_tools.citydata.config import TableConfig
from cohort_tools.citydata.normalise import prepare_table
from tests.conftest import SHARED_FIXTURES

REAL = SHARED_FIXTURES
STEM = "nyc-311-socrata-export-2024-05"
pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason="shared real fixtures not present (CI must have them)"
)


def normalised(ext: str) -> pd.DataFrame:
    item = prepare_table(
        "service_requests",
        REAL / f"{STEM}.{ext}",
        TableConfig(preset="socrata_nyc_311"),
        timezone="America/New_York",
    )
    assert [p for p in item.problems if p.severity == "error"] == []
    assert validate_frame(item) == []
    assert item.frame is not None
    return item.frame.sort_values("service_request_id").reset_index(drop=True)


@pytest.mark.parametrize("ext", ["csv", "json"])
def test_nyc_export_normalises_to_the_readme_counts(ext: str) -> None:
    frame = normalised(ext)
    assert len(frame) == 1000
    assert frame["service_request_id"].is_unique
    assert frame["status"].value_counts().to_dict() == {"closed": 677, "open": 323}
    assert frame["source_status"].value_counts().to_dict() == {
        "Closed": 677,
        "In Progress": 293,
        "Open": 29,
        "Assigned": 1,
    }
    assert frame["closed_datetime"].notna().sum() == 677
    assert frame["requested_datetime"].notna().all()
    assert frame["lat"].isna().sum() == frame["long"].isna().sum() > 0


def test_nyc_csv_and_json_give_identical_tables() -> None:
    pd.testing.assert_frame_equal(normalised("csv"), normalised("json"))


def test_nyc_zip_codes_lose_the_spreadsheet_decimal() -> None:
    zips = normalised("csv")["zipcode"].dropna()
    assert zips.str.fullmatch(r"\d{5}").all()


def test_nyc_export_without_preset_suggests_the_preset() -> None:
    item = prepare_table("service_requests", REAL / f"{STEM}.csv", TableConfig())
    assert item.suggested_preset == "socrata_nyc_311"
    assert any("socrata_nyc_311" in p.fix for p in item.problems)

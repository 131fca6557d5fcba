"""The embedded demo cohort's cities: present, valid, small enough to ship, and reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.citydata.demo import (
    DEMO_CITIES_DIR,
    DEMO_COHORT_CITIES,
    file_digests,
    generate_demo_cohort_cities,
)

CITIES = sorted(DEMO_COHORT_CITIES)


@pytest.mark.parametrize("city_id", CITIES)
def test_embedded_demo_city_passes_the_data_check_with_no_errors(city_id: str) -> None:
    from cohort_tools.citydata import check_city

    problems = check_city(DEMO_CITIES_DIR / city_id)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_embedded_demo_cities_are_under_5_mb_together() -> None:
    # what would be committed: the loader's hidden .cda-cache/ folders are git-ignored
    size = sum(
        p.stat().st_size
        for p in DEMO_CITIES_DIR.rglob("*")
        if p.is_file() and not any(s.startswith(".") for s in p.relative_to(DEMO_CITIES_DIR).parts)
    )
    assert size < 5 * 1024 * 1024


def test_embedded_demo_cities_are_what_the_generator_writes(tmp_path: Path) -> None:
    # if this fails, someone edited a demo file by hand or changed the generator without
    # rerunning generate_demo_cohort_cities()
    generate_demo_cohort_cities(tmp_path)
    for city_id in CITIES:
        assert file_digests(tmp_path / city_id) == file_digests(DEMO_CITIES_DIR / city_id), city_id

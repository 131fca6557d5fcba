"""The strategy's facts about a city's requests are worked out once per version of the data: the
strategy studio assembles the strategy several times a run, and each new DuckDB database costs
about 16 ms. A changed table gives new facts."""

from __future__ import annotations

import shutil
from pathlib import Path

from cohort_tools.citydata import open_city
from cohort_tools.strategy import prose
from cohort_tools.strategy.names import Names

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"


def test_request_facts_are_worked_out_once_and_again_when_the_requests_change(
    tmp_path: Path,
) -> None:
    city = tmp_path / "testville"
    shutil.copytree(VALID, city)
    prose._busiest_service.cache_clear()
    first = prose.situation_facts(open_city(city), {}, Names())
    again = prose.situation_facts(open_city(city), {}, Names())
    assert (
        (first.requests, first.top_service)
        == (again.requests, again.top_service)
        == (
            3,
            first.top_service,
        )
    )
    info = prose._busiest_service.cache_info()
    assert (info.misses, info.hits) == (1, 1)

    with (city / "service_requests.csv").open("a", encoding="utf-8") as rows:
        rows.write("SR4,open,Open,Graffiti,2024-05-03T08:00:00,,,,44101,N1\n")
    changed = prose.situation_facts(open_city(city), {}, Names())
    assert (changed.requests, changed.top_service, changed.top_service_requests) == (
        4,
        "Graffiti",
        2,
    )

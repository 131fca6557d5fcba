"""A coach opens the demo cohort's packets in a real browser, offline: every page and chart works."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cohort_tools.cohort import load_cohort
from cohort_tools.packet import run_packets
from tests.integration.conftest import serve, visit

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def packets_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("packets-browser")
    report = run_packets(out=out, quiet=True, jobs=2)
    assert report.ok, report.summary()
    with serve(out) as url:
        yield url


def test_index_and_every_brief_load_with_no_failed_request_or_console_error(
    page: Any, packets_url: str
) -> None:
    pages = ["index.html"] + [f"{c.id}/pre_session_brief.html" for c in load_cohort(None).cities]
    problems = {}
    for rel in pages:
        seen = visit(page, f"{packets_url}/{rel}")
        if seen.failed or seen.console_errors:
            problems[rel] = seen
    assert not problems, problems


def test_every_chart_in_a_brief_is_drawn_and_has_alt_text(page: Any, packets_url: str) -> None:
    visit(page, f"{packets_url}/riverton/pre_session_brief.html")
    images = page.locator("img")
    assert images.count() >= 2
    for i in range(images.count()):
        img = images.nth(i)
        assert (img.get_attribute("alt") or "").strip(), f"image {i} has no alt text"
        width = img.evaluate("el => el.complete ? el.naturalWidth : 0")
        assert width > 0, f"image {i} did not render"


def test_index_links_reach_each_city_brief(page: Any, packets_url: str) -> None:
    visit(page, f"{packets_url}/index.html")
    hrefs = page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for city in load_cohort(None).cities:
        assert any(h and h.startswith(f"{city.id}/") for h in hrefs), (city.id, hrefs)

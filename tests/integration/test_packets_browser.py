"""A coach opens the demo cohort's packets in a real browser, offline: every page and chart works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.model.cohort import load_cohort
from tests.integration.conftest import serve, visit
from tests.integration.lab_pages import serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def packets_url(demo_run: tuple[Any, Path]) -> Iterator[str]:
    result, out = demo_run  # the demo's packets: every template, with the graded answers
    assert result.exit_code == 0, result.output
    with serve(out / "packets") as url:
        yield url


def test_index_and_every_brief_load_with_no_failed_request_or_console_error(
    page: Any, packets_url: str
) -> None:
    templates = ("pre_session_brief", "strategy_review", "showcase_prep", "mayor_decision_brief")
    pages = ["index.html"] + [
        f"{c.id}/{t}.html" for c in load_cohort(None).cities for t in templates
    ]
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


def _serious_by_page(
    page: Any, url: str, pages: list[str], *, clean_load: bool = False
) -> dict[str, list[str]]:
    """axe-core's serious and critical findings on each page that has any; with ``clean_load``
    a page must also load with no failed request or console error."""
    found: dict[str, list[str]] = {}
    for rel in pages:
        seen = visit(page, f"{url}/{rel}")
        if clean_load:
            assert not seen.failed and not seen.console_errors, (rel, seen)
        bad = serious_axe_violations(page, None)
        if bad:
            found[rel] = bad
    return found


def test_axe_core_finds_no_serious_or_critical_violation_in_any_packet_page(
    page: Any, packets_url: str
) -> None:
    templates = ("pre_session_brief", "strategy_review", "showcase_prep", "mayor_decision_brief")
    pages = ["index.html"] + [f"riverton/{t}.html" for t in templates]
    found = _serious_by_page(page, packets_url, pages)
    assert not found, found


@pytest.fixture(scope="module")
def worksheets_url(demo_run: tuple[Any, Path]) -> Iterator[str]:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    with serve(out / "worksheets") as url:
        yield url


def test_axe_core_finds_no_serious_or_critical_violation_in_the_worksheets(
    page: Any, worksheets_url: str
) -> None:
    sheets = ("m0_convening_workbook", "m1_workshop_a_data_routines", "m2_workshop_b_workforce")
    pages = ["index.html"] + [f"riverton/{s}.html" for s in sheets]
    found = _serious_by_page(page, worksheets_url, pages, clean_load=True)
    assert not found, found

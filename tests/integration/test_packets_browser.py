"""A coach opens the demo cohort's packets in a real browser, offline: every page and chart works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.model.cohort import load_cohort
from tests.integration.conftest import serve, visit

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


def test_axe_core_finds_no_serious_or_critical_violation_in_any_packet_page(
    page: Any, packets_url: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    templates = ("pre_session_brief", "strategy_review", "showcase_prep", "mayor_decision_brief")
    found: dict[str, list[str]] = {}
    for rel in ["index.html"] + [f"riverton/{t}.html" for t in templates]:
        visit(page, f"{packets_url}/{rel}")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in axe.run(page).response["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]
        if bad:
            found[rel] = bad
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
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    sheets = ("m0_convening_workbook", "m1_workshop_a_data_routines", "m2_workshop_b_workforce")
    found: dict[str, list[str]] = {}
    for rel in ["index.html"] + [f"riverton/{s}.html" for s in sheets]:
        seen = visit(page, f"{worksheets_url}/{rel}")
        assert not seen.failed and not seen.console_errors, (rel, seen)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in axe.run(page).response["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]
        if bad:
            found[rel] = bad
    assert not found, found

"""The built curriculum book in a real browser (Debian's Chromium through Playwright).

One build per session (fixture in conftest.py), served on 127.0.0.1. Every request that is not to
that server is blocked and counted as a failure, so the tests also prove the book works offline.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cohort_tools.model.programme import Programme
from tests.integration.conftest import PageVisit, serve, visit, watch

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: The pages of issue 19 (references, facilitation kit, guides, glossary), checked by name below so
#: a page that drops out of the book fails here rather than passing unseen.
ISSUE_19_PAGES = [
    "references.html",
    "kit/index.html",
    "kit/convening.html",
    "kit/brief-m1-keynote.html",
    "kit/brief-m2-keynote.html",
    "kit/brief-m3-keynote.html",
    "kit/showcase-rubrics.html",
    "kit/showcase-feedback.html",
    "kit/skills-survey.html",
    "coaching-guide.html",
    "lead-orientation.html",
    "glossary.html",
]


def _serious(result: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def _serious_axe_violations(page: Any, url: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    visit(page, url)
    return _serious(Axe().run(page))


@dataclass
class Seen:
    """What one visit to a page of the book found."""

    visit: PageVisit
    axe: list[str]  # serious or critical axe-core violations
    images: list[dict[str, str]]  # each chart or image in the article: its src and text
    lang: str | None


#: Pages the survey loads at once: each waits half a second with no request before it counts as
#: loaded (Playwright's "networkidle"), and those waits overlap. axe-core runs on one at a time.
LOADING_AT_ONCE = 4


@pytest.fixture(scope="module")
def survey(browser: Any, book_pages: list[str], book_url: str) -> dict[str, Seen]:
    """Every page of the book (both editions) visited once: its requests and console, axe-core
    and its images. The tests below each read their part, so the book is walked once, not five
    times (that walk was the longest part of the test run)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: dict[str, Seen] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    waiting = deque(book_pages)
    loading: deque[tuple[str, Any, PageVisit]] = deque()
    try:
        while waiting or loading:
            while waiting and len(loading) < LOADING_AT_ONCE:
                rel = waiting.popleft()
                page = context.new_page()  # a page per visit: no handler of an earlier visit stays
                loading.append((rel, page, watch(page, f"{book_url}/{rel}")))
                page.goto(f"{book_url}/{rel}", wait_until="commit")
            rel, page, seen = loading.popleft()
            try:
                page.wait_for_load_state("networkidle")
                # What loading the page did, before axe-core runs: axe fetches the stylesheets
                # again to read them, and resolves their @import against the page, not the sheet.
                loaded = PageVisit(list(seen.failed), list(seen.console_errors))
                images = page.locator("article img, article svg[role='img']").evaluate_all(
                    """els => els.map(e => ({src: e.getAttribute('src') || e.tagName,
                                alt: e.getAttribute('alt') || e.getAttribute('aria-label') || ''}))"""
                )
                lang = page.locator("html").get_attribute("lang")
                found[rel] = Seen(loaded, _serious(axe.run(page)), images, lang)
            finally:
                page.close()
    finally:
        context.close()
    return found


def test_every_page_loads_with_no_failed_request_and_no_console_error(
    survey: dict[str, Seen], book_pages: list[str]
) -> None:
    pages = book_pages
    assert "index.html" in pages and len(pages) >= 10
    assert set(survey) == set(pages)
    problems = {
        rel: seen.visit
        for rel, seen in survey.items()
        if seen.visit.failed or seen.visit.console_errors
    }
    assert not problems, problems


def test_search_page_finds_a_term_from_the_glossary(page: Any, book_url: str) -> None:
    visit(page, f"{book_url}/search.html?q=suppression")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    titles = " ".join(results.all_inner_texts())
    assert "Small numbers" in titles, titles


def test_navigation_from_the_landing_page_reaches_every_module(
    page: Any, book_url: str, programme: Programme
) -> None:
    visit(page, f"{book_url}/index.html")
    nav = page.locator("nav.bd-docs-nav")
    hrefs = nav.locator("a.reference.internal").evaluate_all("els => els.map(e => e.href)")
    reached: set[str] = set()
    for href in hrefs:
        page.goto(href, wait_until="domcontentloaded")
        reached.add(page.locator("article h1").first.inner_text())
    for module in programme.modules:
        assert any(f"Module {module.number}: {module.title}" in h for h in reached), (
            module.id,
            reached,
        )


def test_axe_core_reports_no_serious_or_critical_violation_on_any_page(
    survey: dict[str, Seen],
) -> None:
    found = {rel: seen.axe for rel, seen in survey.items() if seen.axe}
    assert not found, found


def test_every_chart_and_image_has_a_text_alternative(survey: dict[str, Seen]) -> None:
    from cohort_tools.render.charts import NO_DESCRIPTION

    missing: dict[str, list[str]] = {}
    images_seen = 0
    for rel, seen in survey.items():
        images_seen += len(seen.images)
        bad = [
            i["src"][:80]
            for i in seen.images
            if not i["alt"].strip() or i["alt"] == i["src"] or i["alt"] == NO_DESCRIPTION
        ]
        if bad:
            missing[rel] = bad
    assert images_seen >= 1  # at least the programme timeline
    assert not missing, missing


def test_the_timeline_has_a_table_equivalent(
    page: Any, book_url: str, programme: Programme
) -> None:
    visit(page, f"{book_url}/programme.html")
    table_text = page.locator("article table").first.inner_text()
    for session in programme.sessions():
        assert session.title in table_text, session.id


def test_the_references_and_kit_pages_are_in_the_book_load_cleanly_and_pass_axe(
    survey: dict[str, Seen], book_pages: list[str]
) -> None:
    missing = [p for p in ISSUE_19_PAGES if p not in book_pages]
    assert not missing, missing
    found: dict[str, Any] = {}
    for rel in ISSUE_19_PAGES:
        seen = survey[rel]
        if seen.visit.failed or seen.visit.console_errors or seen.axe:
            found[rel] = (seen.visit, seen.axe)
    assert not found, found


def test_the_printable_kit_pages_pass_axe_in_every_language(page: Any, tmp_path: Path) -> None:
    from cohort_tools.kit.api import build_kit

    kit = build_kit(out=tmp_path / "kit", pdf=False)
    indexes = [folder / "index.html" for folder in kit.folders.values()]
    found: dict[str, list[str]] = {}
    with serve(kit.out) as url:
        for html_page in [*kit.pages, *indexes]:
            name = html_page.relative_to(kit.out).as_posix()
            bad = _serious_axe_violations(page, f"{url}/{name}")
            if bad:
                found[name] = bad
    assert set(kit.folders) == {"en", "es"}
    for folder in kit.folders.values():
        assert sum(1 for p in kit.pages if p.parent == folder) == 10, folder
    assert not found, found


# -- the Spanish edition (issue 20) ---------------------------------------------------------------


def _spanish_pages(book_pages: list[str]) -> list[str]:
    pages = [p for p in book_pages if p.startswith("es/")]
    assert "es/index.html" in pages, "the Spanish edition was not built"
    return pages


def test_the_spanish_edition_loads_cleanly_and_passes_axe(
    survey: dict[str, Seen], book_pages: list[str]
) -> None:
    found: dict[str, Any] = {}
    for rel in _spanish_pages(book_pages):
        seen = survey[rel]
        if seen.visit.failed or seen.visit.console_errors or seen.axe or seen.lang != "es":
            found[rel] = (seen.visit, seen.axe, seen.lang)
    assert not found, found


def test_the_language_switcher_is_reached_with_the_keyboard_and_opens_the_same_page(
    page: Any, book_pages: list[str], book_url: str
) -> None:
    spanish = _spanish_pages(book_pages)
    # A page both editions have (a translated session notebook when there is one).
    rel = next((p for p in spanish if p.startswith("es/modules/")), "es/index.html")
    english = rel.removeprefix("es/")
    visit(page, f"{book_url}/{english}")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cda-language-link')"):
            break
    else:
        pytest.fail("Tab never reached the language switcher")
    assert page.evaluate("document.activeElement.getAttribute('hreflang')") == "es"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{book_url}/{rel}"
    assert page.locator("html").get_attribute("lang") == "es"
    back = page.locator("a.cda-language-link[hreflang='en']")
    assert back.get_attribute("lang") == "en" and back.inner_text() == "English"
    with page.expect_navigation():
        back.click()
    assert page.url == f"{book_url}/{english}"


@pytest.mark.parametrize("width", [1280, 900])
def test_the_language_switcher_sits_on_the_header_line_beside_the_theme_buttons(
    page: Any, book_url: str, width: int
) -> None:
    # The theme stacks the article header's end items; the switcher once sat above the buttons,
    # its top cut off by the page header on a narrower window.
    page.set_viewport_size({"width": width, "height": 800})
    visit(page, f"{book_url}/index.html")
    link = page.locator("a.cda-language-link").first.bounding_box()
    buttons = page.locator(".article-header-buttons").first.bounding_box()
    header = page.locator(".header-article-items").first.bounding_box()
    assert link and buttons and header
    middle = link["y"] + link["height"] / 2
    assert buttons["y"] <= middle <= buttons["y"] + buttons["height"], (link, buttons)
    assert header["y"] <= link["y"] and link["y"] + link["height"] <= header["y"] + header["height"]
    assert link["x"] + link["width"] <= buttons["x"], (link, buttons)


def test_spanish_search_finds_the_landing_pages_title_words(
    page: Any, book_pages: list[str], book_url: str
) -> None:
    _spanish_pages(book_pages)
    visit(page, f"{book_url}/es/index.html")
    title = page.locator("article h1").first.inner_text()
    assert page.locator("input[name='q']").first.get_attribute("placeholder") == (
        "Buscar en el currículo"
    )
    word = max((w.strip("¶#.,:") for w in title.split()), key=len)
    visit(page, f"{book_url}/es/search.html?q={word.lower()}")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    assert results.count() >= 1

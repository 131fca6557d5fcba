"""Shared fixtures for integration tests: the curriculum book, built once per session and served
on 127.0.0.1, and Debian's Chromium driven by Playwright.

Browser tests never download a browser (no `playwright install`): they use /usr/bin/chromium. When
it is missing they skip with the reason, except under CI (CI=true), where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CDA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip (or, under CI=true, fail) when Debian's Chromium or Playwright is not installed."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} is missing (install it with `apt-get install chromium`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright is not installed (pip install -e '.[test]')")
    if not problems:
        return
    reason = "browser tests need Debian's Chromium and Playwright: " + "; ".join(problems)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}. CI must run the browser tests.", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real curriculum book, built once for the whole session (strict, offline)."""
    from cohort_tools.book import build_book

    out = tmp_path_factory.mktemp("book") / "site"
    build_book(out=out, strict=True)
    return out


@pytest.fixture(scope="session")
def book_url(built_book: Path) -> Iterator[str]:
    """The built book served by a local http.server thread on 127.0.0.1."""
    with serve(built_book) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched once per session."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def book_pages(built_book: Path) -> list[str]:
    """Every page of the built book, as URL paths (genindex and search included)."""
    return sorted(
        p.relative_to(built_book).as_posix()
        for p in built_book.rglob("*.html")
        if "_static" not in p.parts and not p.name.startswith("_")
    )


@dataclass
class PageVisit:
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def visit(page: Any, url: str) -> PageVisit:
    """Open ``url``; record failed or off-site requests, HTTP errors and console errors."""
    seen = PageVisit()
    host = urlsplit(url).netloc

    def route(r: Any) -> None:
        target = urlsplit(r.request.url)
        if target.scheme in {"http", "https"} and target.netloc != host:
            seen.failed.append(f"off-site request blocked: {r.request.url}")
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: seen.failed.append(f"failed: {req.url}"))
    page.on(
        "response",
        lambda resp: (
            seen.failed.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
        ),
    )
    page.on(
        "console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: seen.console_errors.append(f"uncaught: {exc}"))
    page.goto(url, wait_until="networkidle")
    return seen


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

"""Checking that a built site loads nothing from outside itself.

Links to other sites (``<a href>``, a source cited in the text) are fine: the reader chooses to follow
them. Resources the browser fetches on its own are not: scripts, styles, fonts, images, frames,
media, prefetches, and ``url()``/``@import`` in stylesheets. Parsed with the standard library's
HTML parser (enough for generated HTML; no extra dependency).
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cohort_tools.core.fileio import atomic_write_text

# (tag, attribute) pairs whose URL the browser fetches without a click.
_FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("image", "href"),
    ("use", "href"),
}
# <link rel=...> values that make the browser fetch the target.
_FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "modulepreload",
    "manifest",
    "mask-icon",
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class ExternalResource:
    """One URL on another host that a page (or stylesheet) would fetch by itself."""

    file: str
    element: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.element} loads {self.url}"


def is_external(url: str) -> bool:
    """True for absolute http(s) URLs and protocol-relative ``//host`` URLs."""
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme in {"http", "https", "ws", "wss", "ftp"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        for attr, value in values.items():
            urls = (
                [u.split()[0] for u in value.split(",") if u.strip()]
                if "srcset" in attr
                else [value]
            )
            if (tag, attr) in _FETCHED or (tag in {"image", "use"} and attr == "xlink:href"):
                self.found += [(f"<{tag} {attr}>", u) for u in urls if is_external(u)]
            if attr == "style":
                self.found += [(f"<{tag} style>", u) for u in css_urls(value) if is_external(u)]
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & _FETCHING_RELS and is_external(values.get("href", "")):
                self.found.append((f"<link rel={values.get('rel')}>", values["href"]))
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("<style>", u) for u in css_urls(data) if is_external(u)]


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def scan_html(text: str) -> list[tuple[str, str]]:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.found


def find_external_resources(site: Path, *, remember: Path | None = None) -> list[ExternalResource]:
    """Every external resource fetched by any .html or .css file under ``site``.

    With ``remember`` (a JSON file), what each file held is kept there with the file's size and
    modification time, and a file with the same size and time is not read again: after a one-page
    rebuild, only the pages Sphinx wrote are parsed. (Unlike the city data's digest memo, no
    "racy" margin is needed: the site is written by a build that has finished before the scan,
    so any later write gives the file a later time.)
    """
    known: dict[str, Any] = {}
    if remember is not None:
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(remember.read_text(encoding="utf-8"))
            known = loaded if isinstance(loaded, dict) else {}
    seen: dict[str, Any] = {}
    found: list[ExternalResource] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".css"} or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = known.get(rel)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == stamp:
            pairs = [(str(el), str(url)) for el, url in entry[1]]
        else:
            pairs = _scan_file(path)
        seen[rel] = [stamp, pairs]
        found += [ExternalResource(rel, el, url) for el, url in pairs]
    if remember is not None:
        atomic_write_text(remember, json.dumps(seen))
    return found


def _scan_file(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".css":
        return [("css url()", u) for u in css_urls(text) if is_external(u)]
    return scan_html(text)

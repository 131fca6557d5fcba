"""The rendered Spanish book is in Spanish: no English words in the text of any page.

The English-word detector (cohort_tools.policy.language.english_words) reads each page of the built
Spanish edition (``<out>/es``) as a reader meets it: the text of the whole page (navigation, headings,
body, buttons), without code (``code``, ``pre``, ``kbd``), scripts and styles, and without text
marked as English on purpose (``lang="en"``: the switcher's "English", titles of pages only the
English book has yet). A failure names the page and its English words. The same text must also pass the Latin-American
Spanish word list (curriculum/language/es-419.yaml): what the notebooks print is checked here, where
the reader meets it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from cohort_tools.policy.language import check_lines, english_words, load_style

pytestmark = pytest.mark.slow

_SKIPPED = {"script", "style", "code", "pre", "kbd", "samp", "svg", "math"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _Text(HTMLParser):
    """The text a reader sees, one line per text node, minus code and text marked as English."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.lines: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        lang = (values.get("lang") or "").lower()
        hidden = values.get("hidden") is not None or values.get("aria-hidden") == "true"
        skipped = tag in _SKIPPED or lang.startswith("en") or hidden
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1]):
            self.lines.append(" ".join(data.split()))


def page_text(html: str) -> list[str]:
    body = html.split("<body", 1)[-1]
    parser = _Text()
    parser.feed("<body" + body)
    parser.close()
    return parser.lines


def test_the_text_extractor_leaves_out_code_and_english_marked_as_english() -> None:
    html = (
        "<html><head><title>t</title></head><body><p>Hola <code>the data</code></p>"
        '<a lang="en" href="x">English</a><pre>print("the")</pre><p>equipo<br>directivo</p></body>'
    )
    assert page_text(html) == ["Hola", "equipo", "directivo"]


def test_no_page_of_the_spanish_book_has_english_words(built_book: Path) -> None:
    found: dict[str, list[str]] = {}
    for page in _pages(built_book):
        lines = enumerate(page_text(page.read_text(encoding="utf-8")), start=1)
        words = sorted({w.word for w in english_words(lines)})
        if words:
            found[page.relative_to(built_book).as_posix()] = words
    assert not found, "English words in the Spanish book:\n" + "\n".join(
        f"  {page}: {', '.join(words)}" for page, words in found.items()
    )


def _pages(built_book: Path) -> list[Path]:
    site = built_book / "es"
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    assert site / "index.html" in pages, "the Spanish edition was not built"
    return pages


def test_the_spanish_book_reads_in_latin_american_spanish(built_book: Path) -> None:
    style = load_style("es-419")
    found: dict[str, list[str]] = {}
    for page in _pages(built_book):
        lines = enumerate(page_text(page.read_text(encoding="utf-8")), start=1)
        findings = check_lines(lines, style=style)
        if findings:
            found[page.relative_to(built_book).as_posix()] = sorted(
                {f"{f.found} -> {f.use}" for f in findings}
            )
    assert not found, "\n".join(f"  {page}: {'; '.join(w)}" for page, w in found.items())

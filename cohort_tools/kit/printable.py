"""Printable copies of the kit's pages: the book's MyST text as self-contained HTML, and PDF.

The book and the printed kit come from the same text (:mod:`cohort_tools.kit.pages`, and the
hand-written guides in ``book/``). MyST's cross-references become plain text (a printed page has no
links to follow), admonitions become boxed notes, and the result goes through the shared page shell
and WeasyPrint (:mod:`cohort_tools.render.page`), like the coaching packets.

A translated page quotes some text in another language on purpose, marked in MyST
(``[Setting Performance Targets]{.lang-en}``): in print it is ``<span lang="en">``, as in the book
(:mod:`cohort_tools.book.editions`), so screen readers read it in its own language. The page shell's
``lang`` is the current language (:func:`cohort_tools.core.i18n.speaking`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from markdown_it import MarkdownIt

from cohort_tools.core.i18n import gettext as _
from cohort_tools.render.page import page, pdf_from_pages

_ROLE_WITH_TEXT = re.compile(r"\{(?:doc|ref)\}`([^`<]+?)\s*<[^`>]+>`")
_ROLE_BARE = re.compile(r"\{(?:doc|ref)\}`/?([^`]+)`")
_LABEL = re.compile(r"^\([\w-]+\)=\s*$", re.MULTILINE)
_ADMONITION = re.compile(r"^```\{(note|tip|important|warning)\}\s*\n(.*?)^```\s*$", re.M | re.S)
#: MyST's mark for text in another language than the page's: ``[The Baltimore Sun]{.lang-en}``
#: (the text may hold escaped brackets, and wrap onto the next line).
_MARKED = re.compile(r"\[((?:\\.|[^\]\\])*)\]\{\.lang-([a-z]{2}(?:-[A-Za-z0-9]+)?)\}")
#: Where a marked text starts and ends while markdown-it renders the page: characters of Unicode's
#: private use area, which no page holds and markdown-it passes through as they are.
_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_PLACED = re.compile(f"{_OPEN}([a-z]{{2}}(?:-[A-Za-z0-9]+)?){_SEP}(.*?){_CLOSE}", re.S)

PRINT_CSS = """
<style>
.cda-print table { font-size: 0.82rem; }
.cda-print td, .cda-print th { vertical-align: top; }
.cda-print blockquote { border-left: 4px solid #0b4f9c; margin: 0.8rem 0; padding: 0.2rem 0.9rem;
                        background: #f3f6fa; }
.cda-print h3 { font-size: 1.05rem; margin-top: 1.2rem; }
.cda-print h2 { page-break-after: avoid; }
</style>
"""


def myst_to_markdown(text: str, titles: Mapping[str, str] | None = None) -> str:
    """MyST reduced to CommonMark for print: roles to plain text, labels dropped, notes as quotes."""
    titles = titles or {}

    def bare(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        return titles.get(target.lstrip("/"), target.rsplit("/", 1)[-1].replace("-", " "))

    def admonition(match: re.Match[str]) -> str:
        kind, body = match.group(1), match.group(2)
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.splitlines())
        return f"> **{kind.capitalize()}.**\n>\n{quoted}\n"

    text = _ROLE_WITH_TEXT.sub(lambda m: m.group(1).strip(), text)
    text = _ROLE_BARE.sub(bare, text)
    text = _LABEL.sub("", text)
    return _ADMONITION.sub(admonition, text)


def _place_languages(text: str) -> str:
    """``[text]{.lang-en}`` -> the text between placeholders naming its language (markdown-it
    escapes raw HTML, so the span is written after rendering: :func:`_mark_languages`)."""
    return _MARKED.sub(lambda m: f"{_OPEN}{m.group(2)}{_SEP}{m.group(1)}{_CLOSE}", text)


def _mark_languages(body: str) -> str:
    """The placeholders of :func:`_place_languages` in rendered HTML -> ``<span lang="en">``."""
    return _PLACED.sub(lambda m: f'<span lang="{m.group(1)}">{m.group(2)}</span>', body)


def markdown_html(text: str) -> str:
    """CommonMark with tables, as HTML (raw HTML in the text is escaped, never passed through)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return str(md.render(text))


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def printable_page(text: str, *, titles: Mapping[str, str] | None = None, footer: str = "") -> str:
    """One book page (MyST) as a self-contained, printable HTML document."""
    body = markdown_html(_place_languages(myst_to_markdown(text, titles)))
    body = _scope_tables(_mark_languages(body))
    meta = f'<p class="cda-meta">{html.escape(footer)}</p>' if footer else ""
    title = _title(_MARKED.sub(r"\1", text), _("Facilitation kit"))
    return page(title, f'{PRINT_CSS}<div class="cda-print">{body}{meta}</div>')


def _scope_tables(body: str) -> str:
    """Header cells name their scope, for screen readers (markdown-it writes bare <th>)."""
    return body.replace("<th>", '<th scope="col">').replace(
        '<th style="', '<th scope="col" style="'
    )


def pdf(html_pages: list[str]) -> bytes:
    return pdf_from_pages(html_pages)

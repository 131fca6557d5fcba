"""One book per language: which editions exist, and the Sphinx extension that links them.

English is the source edition and is built where it always was (``out``); every other edition is
built beside it (``out/es``). Both are built from the same docnames, so a page's counterpart in the
other edition is the page with the same name.

The extension (listed in ``sphinx.extra_extensions`` by :mod:`cohort_tools.book.build`):

- puts ``cda_language_links`` in every page's template context: one plain link per other edition,
  to the same page there, or to that edition's home when the page has no counterpart. The template
  ``book/_templates/cda-language-switcher.html`` shows them in the article header (no script);
- resolves a ``{doc}`` link to a page this edition does not have yet (an untranslated page) to the
  same page in the source edition, marked ``hreflang``, instead of a broken reference. A title taken
  from the English page is marked ``lang="en"`` so screen readers read it in English and the
  Spanish-text checks know it is English on purpose;
- turns MyST's ``[text]{.lang-en}`` into ``<span lang="en">text</span>``: text a translation quotes
  in another language on purpose (a source's English title) is marked as such, in the page and in
  its table of contents (a heading's copy).
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

from cohort_tools.core.i18n import LANGUAGE_NAMES, SOURCE_LANGUAGE

#: Pages Sphinx makes itself in every edition.
SPECIAL_PAGES = frozenset({"genindex", "search"})

#: "(in English)" after a link to a page that is not translated yet, in the edition's language.
IN_SOURCE_LANGUAGE = {"es": "en inglés"}

#: The switcher's accessible name, in each edition's language.
SWITCHER_LABEL = {"en": "Other languages", "es": "Otros idiomas"}


def edition_dir(language: str) -> str:
    """Where an edition sits under the book's output folder ("" for the source edition)."""
    return "" if language == SOURCE_LANGUAGE else language


def edition_root(from_language: str, to_language: str) -> str:
    """The path from one edition's root folder to another's (``es``, ``..``, ``../pt``)."""
    start = edition_dir(from_language) or "."
    return posixpath.relpath(edition_dir(to_language) or ".", start)


def page_href(pagename: str, root: str, target: str) -> str:
    """A relative link from page ``pagename`` to page ``target`` of the edition at ``root``."""
    return posixpath.relpath(
        posixpath.join(root, f"{target}.html"), posixpath.dirname(pagename) or "."
    )


def staged_docnames(files: dict[str, bytes]) -> set[str]:
    """The pages of a staged book (its .md and .ipynb files, without their suffix)."""
    out = set()
    for rel in files:
        if rel.endswith((".md", ".ipynb")) and not rel.startswith("_"):
            out.add(rel.rsplit(".", 1)[0])
    return out


def page_titles(files: dict[str, bytes]) -> dict[str, str]:
    """The first ``# `` heading of each staged page (Markdown or notebook)."""
    import json

    titles: dict[str, str] = {}
    for rel, data in files.items():
        if rel.endswith(".md"):
            lines = data.decode("utf-8", errors="replace").splitlines()
        elif rel.endswith(".ipynb"):
            cells = json.loads(data).get("cells", [])
            lines = []
            for cell in cells:
                if cell.get("cell_type") == "markdown":
                    src = cell.get("source", "")
                    lines += ("".join(src) if isinstance(src, list) else src).splitlines()
        else:
            continue
        title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), None)
        if title:
            titles[rel.rsplit(".", 1)[0]] = title
    return titles


def sphinx_settings(
    language: str, docs: dict[str, set[str]], titles: dict[str, str]
) -> dict[str, Any]:
    """The ``sphinx.config`` values the extension reads for the edition in ``language``.

    ``docs``: every edition being built -> its pages; ``titles``: the source edition's page titles.
    """
    others = [
        {
            "language": other,
            "name": LANGUAGE_NAMES[other],
            "root": edition_root(language, other),
            "docs": sorted(pages | SPECIAL_PAGES),
        }
        for other, pages in docs.items()
        if other != language
    ]
    fallback: dict[str, Any] = {}
    if language != SOURCE_LANGUAGE and SOURCE_LANGUAGE in docs:
        missing = sorted(docs[SOURCE_LANGUAGE] - docs[language])
        fallback = {
            "language": SOURCE_LANGUAGE,
            "root": edition_root(language, SOURCE_LANGUAGE),
            "suffix": IN_SOURCE_LANGUAGE.get(language, ""),
            "titles": {d: titles.get(d, d) for d in missing},
        }
    return {"cda_language_editions": others, "cda_untranslated": fallback}


# -- the Sphinx extension -----------------------------------------------------------------------


def _page_context(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    links = []
    for edition in app.config.cda_language_editions:
        target = pagename if pagename in edition["docs"] else "index"
        links.append(
            {
                "href": page_href(pagename, edition["root"], target),
                "language": edition["language"],
                "name": edition["name"],
                "same_page": target == pagename,
            }
        )
    context["cda_language_links"] = links
    context["cda_language_label"] = SWITCHER_LABEL.get(app.config.language or "", "Languages")


def _missing_reference(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """A ``{doc}`` link to a page only the source edition has: link to it there."""
    from docutils import nodes
    from sphinx.util.osutil import SEP

    fallback = app.config.cda_untranslated
    if not fallback or node.get("reftype") != "doc":
        return None
    target = node["reftarget"]
    if target.startswith(SEP):
        docname = target.lstrip(SEP)
    else:
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(node["refdoc"]), target))
    title = fallback["titles"].get(docname)
    if title is None:
        return None
    href = html.escape(page_href(node["refdoc"], fallback["root"], docname))
    lang = fallback["language"]
    if node.get("refexplicit"):
        text = html.escape(contnode.astext())
    else:
        text = f'<span lang="{lang}">{html.escape(title)}</span>'
    suffix = f" ({html.escape(fallback['suffix'])})" if fallback["suffix"] else ""
    return nodes.raw(
        "",
        f'<a class="reference external cda-other-edition" href="{href}" hreflang="{lang}">'
        f"{text}</a>{suffix}",
        format="html",
    )


_LANG_CLASS = re.compile(r"^lang-([a-z]{2}(?:-[A-Za-z0-9]+)?)$")


def _mark_languages(app: Any, doctree: Any, docname: str) -> None:
    """``[Setting Performance Targets]{.lang-en}`` in MyST -> ``<span lang="en">`` in HTML.

    A translation quotes some text in another language on purpose (the title of a source published
    only in English, the English term beside a glossary entry). Marking it lets screen readers read
    it in its own language (WCAG 3.1.2) and tells the book's language checks it is meant.
    MyST's inline attributes carry only classes, so the class becomes the ``lang`` attribute here.
    """
    from docutils import nodes

    if app.builder.format != "html":
        return
    for node in list(doctree.findall(nodes.inline)):
        langs = [m.group(1) for c in node["classes"] if (m := _LANG_CLASS.match(c))]
        if not langs:
            continue
        opening = nodes.raw("", f'<span lang="{html.escape(langs[0])}">', format="html")
        closing = nodes.raw("", "</span>", format="html")
        # not replace_self: it would give the opening raw node the span's classes, and the HTML
        # writer would wrap that raw node alone in a <span class="lang-en">, leaving the text outside
        node.parent.replace(node, [opening, *node.children, closing])


def _language_classes(app: Any, doctree: Any) -> None:
    """Give ``[text]{.lang-en}`` docutils' own language class (``language-en``) as soon as a page
    is read, so every copy of it keeps its language: the page's table of contents copies the
    headings when the page is read, and the HTML writer writes ``language-en`` as ``lang="en"``.
    (In the page's body, :func:`_mark_languages` replaces the span itself.)"""
    from docutils import nodes

    for node in doctree.findall(nodes.inline):
        for c in list(node["classes"]):
            if (m := _LANG_CLASS.match(c)) and f"language-{m.group(1)}" not in node["classes"]:
                node["classes"].append(f"language-{m.group(1)}")


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("cda_language_editions", [], "html")
    app.add_config_value("cda_untranslated", {}, "env")
    app.connect("html-page-context", _page_context)
    app.connect("missing-reference", _missing_reference)
    app.connect("doctree-resolved", _mark_languages)
    # before the table-of-contents collector (priority 500) copies the headings
    app.connect("doctree-read", _language_classes, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}

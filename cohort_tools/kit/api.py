"""The kit's verbs as plain typed functions (the `cda kit` commands and `cda demo` call these).

:func:`build_kit` writes the printable kit for a cohort::

    <out>/index.html                      what is in the folder, with links
    <out>/<page>.html and <page>.pdf      each kit page: the convening, the three keynote briefs,
                                          the showcase rubrics, the feedback form, the skills survey,
                                          the coaching guide and the CDA lead's guide
    <out>/cohort-keynotes.html and .pdf   every city side by side, one table per keynote
    <out>/feedback/<showcase>.yaml        a blank feedback form per showcase, to fill in
    <out>/skills-survey-example/          a city folder with staff_survey.csv that passes the check

One kit per language of the cohort (its cities' languages): the cohort's own language in ``<out>/``,
each other language in ``<out>/<language>/`` (``<out>/es/``), all made inside
:func:`cohort_tools.core.i18n.speaking`: the kit pages from the catalog, the guides from ``book/es/``,
the cohort page's sentences and numbers in that language. The staff survey template and the example
folder are data (column names and codes the check reads) and are the same in every language.

Each language's kit is written in one step at the end (all or nothing).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cohort_tools.core import defaults, i18n, paths
from cohort_tools.core.errors import CdaError, language_option
from cohort_tools.core.fileio import write_all_or_nothing
from cohort_tools.core.i18n import N_
from cohort_tools.core.i18n import gettext as _
from cohort_tools.model.programme import Programme, in_language, load_programme

if TYPE_CHECKING:
    from cohort_tools.model.cohort import Cohort
    from cohort_tools.render.page import PdfWorkers

#: Hand-written book pages that belong to the kit and print with it (each language's edition from
#: ``book/<language>/``, :func:`cohort_tools.core.i18n.source_for`).
BOOK_GUIDES = {
    "coaching-guide": N_("Coaching guide"),
    "lead-orientation": N_("The CDA lead's guide"),
}

#: The generated book pages a kit page may name (a cross-reference printed as plain text).
PROGRAMME_TITLE = N_("The program at a glance")
REFERENCES_TITLE = N_("References")


@dataclass
class KitBuild:
    """What :func:`build_kit` wrote."""

    out: Path
    pages: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    other: list[Path] = field(default_factory=list)
    #: Each language's kit folder, the cohort's language first (``{"en": out, "es": out / "es"}``).
    folders: dict[str, Path] = field(default_factory=dict)

    @property
    def index(self) -> Path:
        """The index of the kit in the cohort's language (its first)."""
        first = next(iter(self.folders.values()), self.out)
        return first / "index.html"

    def summary(self) -> str:
        """One line per language: how many pages and PDFs, and where."""
        if not self.folders:
            return f"  the facilitation kit: 0 printable pages and 0 PDFs in {self.out}"
        lines = []
        for code, folder in self.folders.items():
            pages = sum(1 for p in self.pages if p.parent == folder)
            pdfs = sum(1 for p in self.pdfs if p.parent == folder)
            lines.append(
                f"  the facilitation kit: {pages} printable pages and {pdfs} PDFs in {folder} "
                f"({i18n.LANGUAGE_NAMES[code]})"
            )
        return "\n".join(lines)


#: The book's page for the mayor's workbook, which the run of show refers to.
WORKBOOK_DOC = "convening-workbook"


def _titles(programme_pages: dict[str, str]) -> dict[str, str]:
    """Docname -> title, for turning cross-references into plain text in print (in the current
    language: a page's title is its first heading)."""
    titles = {"programme": _(PROGRAMME_TITLE), "references": _(REFERENCES_TITLE)}
    for doc, text in programme_pages.items():
        for line in text.splitlines():
            if line.startswith("# "):
                titles[doc] = line[2:].strip()
                break
    return titles


def kit_languages(cohort: Cohort, languages: Sequence[str] | None = None) -> list[str]:
    """The languages to write the kit in: ``languages`` (each checked), or the cohort's language
    and then each other language its cities read, in the cohort file's order."""
    if languages:
        return list(dict.fromkeys(language_option(code) for code in languages))
    return list(dict.fromkeys([cohort.language, *(c.lang for c in cohort.cities)]))


def _country(cohort: Cohort, language: str) -> str | None:
    """The country whose formats the kit in ``language`` follows: the one country of the cohort's
    cities that read it (``es`` in Colombia writes 12,5), or the language's default region."""
    countries = {c.country for c in cohort.cities if c.lang == language}
    return countries.pop() if len(countries) == 1 else None


def build_kit(
    *,
    out: Path = defaults.KIT_DIR,
    cohort: Path | None = None,
    pdf: bool = True,
    languages: list[str] | None = None,
) -> KitBuild:
    """Write the printable kit (HTML, PDF, blank forms, survey template) for a cohort, in each of
    ``languages`` (default: the cohort's languages). The cohort's own language goes in ``out``,
    every other one in ``out/<language>``."""
    from cohort_tools.kit.survey import write_survey_template
    from cohort_tools.model.cohort import load_cohort
    from cohort_tools.policy.privacy import DEFAULT_THRESHOLD
    from cohort_tools.render.page import PdfWorkers

    programme = load_programme()
    loaded = load_cohort(cohort, programme)
    result = KitBuild(out=out)
    # The PDFs are made in worker processes while the next pages are written.
    pdfs = PdfWorkers(os.cpu_count() or 1) if pdf else None
    try:
        for code in kit_languages(loaded, languages):
            folder = out if code == loaded.language else out / code
            result.folders[code] = folder
            with i18n.speaking(code, country=_country(loaded, code)):
                programme_here = in_language(programme, code)
                _build_language(folder, loaded, programme_here, pdfs=pdfs, result=result)
            # The example city folder is written after the rest, in one step of its own: it is
            # data (codes the check reads), the same in every language.
            example = folder / "skills-survey-example"
            result.other += write_survey_template(example, threshold=DEFAULT_THRESHOLD)
    finally:
        if pdfs is not None:
            pdfs.close(cancel=True)
    return result


def _build_language(
    out: Path,
    loaded: Cohort,
    programme: Programme,
    *,
    pdfs: PdfWorkers | None,
    result: KitBuild,
) -> None:
    """Write one language's kit (the current language) in ``out``, all or nothing."""
    from cohort_tools.kit.cohort_keynote import cohort_keynote_page, cohort_tables
    from cohort_tools.kit.content import load_showcase_rubrics, load_skills_survey
    from cohort_tools.kit.feedback import feedback_template
    from cohort_tools.kit.pages import COHORT_VIEW_FILE, kit_pages
    from cohort_tools.kit.printable import printable_page
    from cohort_tools.kit.survey import template_csv
    from cohort_tools.policy.privacy import DEFAULT_THRESHOLD
    from cohort_tools.render.page import settled

    language = i18n.current_language()
    generated = [p for p in kit_pages(programme, threshold=DEFAULT_THRESHOLD) if p.printable]
    texts = {p.docname: p.text for p in generated}
    book = paths.book_dir()
    for doc in BOOK_GUIDES:
        source = i18n.source_for(book / f"{doc}.md", language)
        if not source.is_file():
            raise CdaError.single(source, "this book page is missing.", "restore book/ from git.")
        texts[doc] = source.read_text(encoding="utf-8")
    titles = _titles(texts)
    workbook = programme.convening.notebook
    if workbook and (paths.project_root() / workbook).is_file():
        # the run of show refers to the mayor's workbook: print its title in this language
        source = i18n.source_for(paths.project_root() / workbook, language)
        titles |= _titles({WORKBOOK_DOC: source.read_text(encoding="utf-8")})

    outputs: dict[Path, bytes | Future[bytes]] = {}
    listing: list[tuple[str, str, str | None]] = []
    footer = _("Facilitation kit · {cohort}").format(cohort=loaded.name)
    for doc, text in texts.items():
        name = doc.split("/")[-1]
        page_html = printable_page(text, titles=titles, footer=footer)
        html_path = out / f"{name}.html"
        outputs[html_path] = page_html.encode("utf-8")
        result.pages.append(html_path)
        pdf_name = None
        if pdfs is not None:
            pdf_path = out / f"{name}.pdf"
            outputs[pdf_path] = pdfs.submit([page_html])
            result.pdfs.append(pdf_path)
            pdf_name = pdf_path.name
        listing.append((titles.get(doc, _(BOOK_GUIDES.get(doc, name))), html_path.name, pdf_name))

    cohort_html = cohort_keynote_page(loaded, cohort_tables(loaded))
    view = out / COHORT_VIEW_FILE
    outputs[view] = cohort_html.encode("utf-8")
    result.pages.append(view)
    view_pdf = None
    if pdfs is not None:
        view_pdf_path = view.with_suffix(".pdf")
        outputs[view_pdf_path] = pdfs.submit([cohort_html])
        result.pdfs.append(view_pdf_path)
        view_pdf = view_pdf_path.name
    view_title = _("The cohort at a glance, for the keynotes ({cohort})").format(cohort=loaded.name)
    listing.append((view_title, view.name, view_pdf))

    for rubric in load_showcase_rubrics(programme=programme).rubrics:
        form = out / "feedback" / f"{rubric.showcase}.yaml"
        outputs[form] = feedback_template(rubric).encode("utf-8")
        result.other.append(form)
    blank = out / "staff_survey_template.csv"
    outputs[blank] = template_csv(load_skills_survey())
    result.other.append(blank)

    outputs[out / "index.html"] = _index(listing, loaded.name).encode("utf-8")
    write_all_or_nothing(settled(outputs))


def _no_pdf() -> str:
    """The index's cell for a page printed without a PDF copy. ("none" alone is a data word in the
    catalog, a verdict: the index has a message of its own, and English keeps its word.)"""
    if i18n.current_language() == i18n.SOURCE_LANGUAGE:
        return "none"
    return _("no PDF")


def _index(listing: list[tuple[str, str, str | None]], cohort_name: str) -> str:
    from cohort_tools.render.page import page

    none = html.escape(_no_pdf())
    rows = "".join(
        f'<tr><th scope="row"><a href="{html.escape(href)}">{html.escape(title)}</a></th>'
        + (f'<td><a href="{html.escape(pdf)}">PDF</a></td>' if pdf else f"<td>{none}</td>")
        + "</tr>"
        for title, href, pdf in listing
    )
    title = _("Facilitation kit: {cohort}").format(cohort=cohort_name)
    about = html.escape(
        _(
            "Every page of the kit, to read on screen or print. The blank showcase feedback forms are "
            "in {feedback}; the staff survey template is {template}, and {example} is a city folder "
            "that passes {check}."
        ),
        quote=False,
    ).format(
        feedback="<code>feedback/</code>",
        template="<code>staff_survey_template.csv</code>",
        example="<code>skills-survey-example/</code>",
        check="<code>cda data check</code>",
    )
    caption = _("The kit's pages and their PDF copies.")
    page_head, print_head = _("Page"), _("Print")  # outside f-strings, where Babel finds them
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{about}</p>"
        f"<table><caption>{html.escape(caption, quote=False)}</caption>"
        f'<thead><tr><th scope="col">{html.escape(page_head)}</th>'
        f'<th scope="col">{html.escape(print_head)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return page(title, body)


def check_feedback_file(*, path: Path, city: str | None = None) -> str:
    """Check a filled-in showcase feedback form; CdaError listing every problem."""
    from cohort_tools.kit.feedback import load_feedback

    form = load_feedback(path, city=city)
    return (
        f"{path}: valid. {form.showcase} for {form.city} on {form.date}: {form.points} of "
        f"{3 * len(form.ratings)} points, {len(form.commitments)} next step(s)."
    )

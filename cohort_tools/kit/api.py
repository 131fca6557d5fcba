"""The kit's verbs as plain typed functions (the `cda kit` commands and `cda demo` call these).

:func:`build_kit` writes the printable kit for a cohort::

    <out>/index.html                      what is in the folder, with links
    <out>/<page>.html and <page>.pdf      each kit page: the convening, the three keynote briefs,
                                          the showcase rubrics, the feedback form, the skills survey,
                                          the coaching guide and the CDA lead's guide
    <out>/cohort-keynotes.html and .pdf   every city side by side, one table per keynote
    <out>/feedback/<showcase>.yaml        a blank feedback form per showcase, to fill in
    <out>/skills-survey-example/          a city folder with staff_survey.csv that passes the check

Everything is written in one step at the end (all or nothing).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from cohort_tools.core import defaults, paths
from cohort_tools.core.errors import CdaError
from cohort_tools.core.fileio import write_all_or_nothing
from cohort_tools.model.programme import load_programme

#: Hand-written book pages that belong to the kit and print with it.
BOOK_GUIDES = {"coaching-guide": "Coaching guide", "lead-orientation": "The CDA lead's guide"}


@dataclass
class KitBuild:
    """What :func:`build_kit` wrote."""

    out: Path
    pages: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    other: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    def summary(self) -> str:
        return (
            f"  the facilitation kit: {len(self.pages)} printable pages and {len(self.pdfs)} PDFs "
            f"in {self.out}"
        )


def _titles(programme_pages: dict[str, str]) -> dict[str, str]:
    """Docname -> title, for turning cross-references into plain text in print."""
    titles = {"programme": "The program at a glance", "references": "References"}
    for doc, text in programme_pages.items():
        for line in text.splitlines():
            if line.startswith("# "):
                titles[doc] = line[2:].strip()
                break
    return titles


def build_kit(
    *, out: Path = defaults.KIT_DIR, cohort: Path | None = None, pdf: bool = True
) -> KitBuild:
    """Write the printable kit (HTML, PDF, blank forms, survey template) for a cohort."""
    from cohort_tools.kit.cohort_keynote import cohort_keynote_page, cohort_tables
    from cohort_tools.kit.content import load_showcase_rubrics, load_skills_survey
    from cohort_tools.kit.feedback import feedback_template
    from cohort_tools.kit.pages import COHORT_VIEW_FILE, kit_pages
    from cohort_tools.kit.printable import printable_page
    from cohort_tools.kit.survey import template_csv, write_survey_template
    from cohort_tools.model.cohort import load_cohort
    from cohort_tools.policy.privacy import DEFAULT_THRESHOLD
    from cohort_tools.render.page import pdf_from_pages

    programme = load_programme()
    loaded = load_cohort(cohort, programme)
    generated = [p for p in kit_pages(programme, threshold=DEFAULT_THRESHOLD) if p.printable]
    texts = {p.docname: p.text for p in generated}
    book = paths.book_dir()
    for doc in BOOK_GUIDES:
        source = book / f"{doc}.md"
        if not source.is_file():
            raise CdaError.single(source, "this book page is missing.", "restore book/ from git.")
        texts[doc] = source.read_text(encoding="utf-8")
    titles = _titles(texts)

    outputs: dict[Path, bytes] = {}
    result = KitBuild(out=out)
    listing: list[tuple[str, str, str | None]] = []
    footer = f"Facilitation kit · {loaded.name}"
    for doc, text in texts.items():
        name = doc.split("/")[-1]
        page_html = printable_page(text, titles=titles, footer=footer)
        html_path = out / f"{name}.html"
        outputs[html_path] = page_html.encode("utf-8")
        result.pages.append(html_path)
        pdf_name = None
        if pdf:
            pdf_path = out / f"{name}.pdf"
            outputs[pdf_path] = pdf_from_pages([page_html])
            result.pdfs.append(pdf_path)
            pdf_name = pdf_path.name
        listing.append((titles.get(doc, name), html_path.name, pdf_name))

    cohort_html = cohort_keynote_page(loaded, cohort_tables(loaded))
    view = out / COHORT_VIEW_FILE
    outputs[view] = cohort_html.encode("utf-8")
    result.pages.append(view)
    view_pdf = None
    if pdf:
        view_pdf_path = view.with_suffix(".pdf")
        outputs[view_pdf_path] = pdf_from_pages([cohort_html])
        result.pdfs.append(view_pdf_path)
        view_pdf = view_pdf_path.name
    listing.append(
        (f"The cohort at a glance, for the keynotes ({loaded.name})", view.name, view_pdf)
    )

    for rubric in load_showcase_rubrics(programme=programme).rubrics:
        form = out / "feedback" / f"{rubric.showcase}.yaml"
        outputs[form] = feedback_template(rubric).encode("utf-8")
        result.other.append(form)
    survey = load_skills_survey()
    blank = out / "staff_survey_template.csv"
    outputs[blank] = template_csv(survey)
    result.other.append(blank)

    outputs[out / "index.html"] = _index(listing, loaded.name).encode("utf-8")
    write_all_or_nothing(outputs)
    # The example city folder is written after the rest, in one step of its own.
    example = out / "skills-survey-example"
    result.other += write_survey_template(example, survey=survey, threshold=DEFAULT_THRESHOLD)
    return result


def _index(listing: list[tuple[str, str, str | None]], cohort_name: str) -> str:
    from cohort_tools.render.page import page

    rows = "".join(
        f'<tr><th scope="row"><a href="{html.escape(href)}">{html.escape(title)}</a></th>'
        + (f'<td><a href="{html.escape(pdf)}">PDF</a></td>' if pdf else "<td>none</td>")
        + "</tr>"
        for title, href, pdf in listing
    )
    body = (
        f"<h1>Facilitation kit: {html.escape(cohort_name)}</h1>"
        "<p>Every page of the kit, to read on screen or print. The blank showcase feedback forms "
        "are in <code>feedback/</code>; the staff survey template is "
        "<code>staff_survey_template.csv</code>, and <code>skills-survey-example/</code> is a city "
        "folder that passes <code>cda data check</code>.</p>"
        "<table><caption>The kit's pages and their PDF copies.</caption>"
        '<thead><tr><th scope="col">Page</th><th scope="col">Print</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return page(f"Facilitation kit: {cohort_name}", body)


def check_feedback_file(*, path: Path, city: str | None = None) -> str:
    """Check a filled-in showcase feedback form; CdaError listing every problem."""
    from cohort_tools.kit.feedback import load_feedback

    form = load_feedback(path, city=city)
    return (
        f"{path}: valid. {form.showcase} for {form.city} on {form.date}: {form.points} of "
        f"{3 * len(form.ratings)} points, {len(form.commitments)} next step(s)."
    )

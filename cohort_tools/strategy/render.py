"""The strategy document as HTML, PDF (WeasyPrint) and Word (python-docx), the one-page public
summary for residents, and the completeness report as Markdown and JSON. Every format renders the
same blocks (:mod:`.document`).

The PDF is tagged (structure and the chart's alt text kept for screen readers), has a title page,
a running header with the document's title, "Page N of M" in the footer, tables whose rows never
split across pages (their header row repeats) and no heading-anchor marks. The Word copy uses real
heading styles (Title, Heading 1, Heading 2) so city staff can edit it and rebuild its contents.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from cohort_tools.core.i18n import N_, _, current_language
from cohort_tools.render.page import CSS

from . import fmt
from .document import (
    Block,
    Bullets,
    Facts,
    Figure,
    Flag,
    Gap,
    Heading,
    Note,
    Paragraph,
    Strategy,
    Table,
    gap_kind,
)
from .rubric import LEVEL_WORDS
from .studio import signer


def _html(text: str, **values: Any) -> Markup:
    """Our words (already translated) as HTML text: only &, < and > are escaped, as in the
    template's own text; the values filled in are escaped as any value is."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text).format(**values) if values else Markup(text)


_PRINT = """
@page { size: %(paper)s; margin: 20mm 16mm 18mm 16mm;
  @top-left { content: string(doctitle); font: 8pt "DejaVu Sans", sans-serif; color: #555; }
  @top-right { content: "%(status)s"; font: 8pt "DejaVu Sans", sans-serif; color: #555; }
  @bottom-center { content: "%(page)s " counter(page) " %(of)s " counter(pages);
    font: 8pt "DejaVu Sans", sans-serif; color: #555; }
}
@page :first { @top-left { content: none; } @top-right { content: none; }
  @bottom-center { content: none; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .cda-title-page { break-after: page; min-height: 200mm; }
  .cda-exec { break-before: page; break-after: page; font-size: 9.6pt; line-height: 1.38; }
  .cda-exec h3 { margin: 0.55rem 0 0.15rem; }
  .cda-exec p, .cda-exec ul, .cda-exec ol { margin: 0.2rem 0; }
  section.cda-break > h2, section.cda-appendix > h2 { break-before: page; }
  nav a { color: inherit; text-decoration: none; }
}
"""

_STYLE = (
    CSS
    + """
.cda-title-page h1 { font-size: 2rem; margin-top: 3rem; string-set: doctitle content(text); }
.cda-title-page .cda-subtitle { font-size: 1.2rem; }
.cda-gap { border-left: 4px solid #b35900; background: #fff4e5; padding: 0.4rem 0.8rem;
           margin: 0.6rem 0; }
.cda-resolve { border-left: 4px solid #8a1c1c; background: #fbeeee; padding: 0.4rem 0.8rem;
               margin: 0.6rem 0; }
.cda-note { border-left: 4px solid #0b4f9c; background: #eef4fb; padding: 0.3rem 0.8rem;
            margin: 0.6rem 0; font-weight: bold; }
.cda-status { font-weight: bold; }
.cda-team { border-left: 3px solid #999; padding-left: 0.8rem; font-style: italic; }
ul.cda-team { padding-left: 2rem; }
ul.cda-toc { list-style: none; padding-left: 0; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.2rem; }
.cda-sign { margin-top: 2rem; border-top: 1px solid #999; padding-top: 0.6rem; }
.cda-sign p { margin: 1.4rem 0; }
dl.cda-facts { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.cda-facts dt { font-weight: bold; }
dl.cda-facts dd { margin: 0; }
table { width: 100%; }
table.cda-actions th:nth-child(1) { width: 34%; }
table.cda-actions th:nth-child(2) { width: 15%; }
table.cda-actions th:nth-child(3), table.cda-actions th:nth-child(4) { width: 9%; }
table.cda-actions th:nth-child(5) { width: 10%; }
table.cda-roadmap th:nth-child(1) { width: 52%; }
td, th { vertical-align: top; }
"""
)

_BLOCKS = """
{% macro blocks(items) %}
{% for b in items %}
{% if b.kind == "heading" %}<h{{ b.level }}>{{ b.text }}</h{{ b.level }}>
{% elif b.kind == "paragraph" %}<p{% if b.team %} class="cda-team"{% endif %}>{{ b.text }}</p>
{% elif b.kind == "note" %}<p class="cda-note">{{ b.text }}</p>
{% elif b.kind == "bullets" %}{% if b.ordered %}<ol>{% else %}<ul{% if b.team %} class="cda-team"{% endif %}>{% endif %}
{% for i in b.entries %}<li>{{ i }}</li>{% endfor %}{% if b.ordered %}</ol>{% else %}</ul>{% endif %}
{% elif b.kind == "facts" %}<dl class="cda-facts">{% for k, v in b.pairs %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>
{% elif b.kind == "table" %}<table{% if b.css %} class="{{ b.css }}"{% endif %}>{% if b.caption %}<caption>{{ b.caption }}</caption>{% endif %}
<thead><tr>{% for c in b.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in b.rows %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% elif b.kind == "figure" %}<figure class="cda-chart"><img src="{{ b.src }}" alt="{{ b.alt }}">
<figcaption>{{ b.described }} {{ b.alt }}</figcaption></figure>
<p><strong>{{ b.takeaway_label }}</strong> {{ b.takeaway }}</p>
{% endif %}
{% endfor %}
{% endmacro %}
"""

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

_TEMPLATE = _ENV.from_string(
    _BLOCKS
    + """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ s.title }}</title>
<style>{{ style | safe }}</style>
</head>
<body>
<main>
<section class="cda-title-page" aria-labelledby="h-title">
<h1 id="h-title">{{ s.title }}</h1>
<p class="cda-subtitle">{{ t.subtitle }}</p>
<p>{{ s.summary }}</p>
<p class="cda-meta">{{ t.assembled }}
<span class="cda-status">{{ t.status }}</span>
{% if s.gaps %}{{ t.gaps_marked }}{% endif %}</p>
<nav aria-label="{{ t.contents }}"><h2 id="h-contents">{{ t.contents }}</h2><ul class="cda-toc">
{% for sec in s.front %}<li><a href="#{{ sec.id }}">{{ sec.title }}</a></li>
{% endfor %}{% for sec in s.sections %}<li><a href="#{{ sec.id }}">{{ loop.index }}. {{ sec.title }}</a></li>
{% endfor %}{% for sec in s.appendices %}<li><a href="#{{ sec.id }}">{{ sec.title }}</a></li>
{% endfor %}<li><a href="#resolve">{{ t.still_to_settle }}</a></li>
<li><a href="#sign-off">{{ t.sign_off }}</a></li></ul></nav>
</section>
{% for sec in s.front %}
<section id="{{ sec.id }}" class="cda-front{% if sec.id == 'summary' %} cda-exec{% endif %}" aria-labelledby="h-{{ sec.id }}">
<h2 id="h-{{ sec.id }}">{{ sec.title }}</h2>
{% if sec.description %}<p class="cda-meta">{{ sec.description }}</p>{% endif %}
{{ blocks(sec.blocks) }}
</section>
{% endfor %}
{% for sec in s.sections %}
<section id="{{ sec.id }}" class="cda-part{% if sec.id in breaks %} cda-break{% endif %}" aria-labelledby="h-{{ sec.id }}">
<h2 id="h-{{ sec.id }}">{{ loop.index }}. {{ sec.title }}</h2>
<p class="cda-meta">{{ sec.description }}</p>
{{ blocks(sec.blocks) }}
{% for f in sec.flags %}<p class="cda-resolve" role="note"><strong>{{ t.to_settle }}</strong> {{ f.problem }}
{{ flag_try(f) }}</p>
{% endfor %}
{% for g in sec.gaps %}<p class="cda-gap" role="note"><strong>{{ t.gap }}</strong> {{ gap_note(g) }}</p>
{% endfor %}
</section>
{% endfor %}
{% for sec in s.appendices %}
<section id="{{ sec.id }}" class="cda-appendix" aria-labelledby="h-{{ sec.id }}">
<h2 id="h-{{ sec.id }}">{{ sec.title }}</h2>
<p class="cda-meta">{{ sec.description }}</p>
{{ blocks(sec.blocks) }}
</section>
{% endfor %}
<section id="resolve" class="cda-appendix" aria-labelledby="h-resolve">
<h2 id="h-resolve">{{ t.still_to_settle }}</h2>
{% if s.flags or s.gaps %}
<p>{{ t.each_line }}</p>
<table><thead><tr><th scope="col">{{ t.section }}</th><th scope="col">{{ t.what_to_settle }}</th>
<th scope="col">{{ t.try }}</th><th scope="col">{{ t.workshop }}</th></tr></thead><tbody>
{% for f in s.flags %}<tr><td>{{ f.part }}</td><td>{{ f.problem }}</td><td>{{ f.fix }}</td><td>{{ f.workshop }}</td></tr>
{% endfor %}{% for g in s.gaps %}<tr><td>{{ g.part }}</td><td>{{ gap_row(g) }}</td>
<td>{{ t.finish_workshop }}</td><td>{{ g.workshop }}</td></tr>
{% endfor %}</tbody></table>
{% else %}<p>{{ t.nothing }}</p>{% endif %}
</section>
<section id="sign-off" class="cda-sign" aria-labelledby="h-sign-off">
<h2 id="h-sign-off">{{ t.sign_off }}</h2>
<p class="cda-status">{{ s.sign_off }}</p>
{% if s.sign_changes %}<p>{{ t.changes }}</p>{% endif %}
<p>{{ t.approved_by }} ______________________ &nbsp; {{ t.date }} ____________</p>
<p>{{ t.presented_by }} ______________________ &nbsp; {{ t.date }} ____________</p>
<p>{{ t.shared }} ____________</p>
</section>
</main>
</body>
</html>
"""
)

_PUBLIC = _ENV.from_string(
    _BLOCKS
    + """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ style | safe }}
@page { size: %(paper)s; margin: 12mm 14mm; }
@media print { body { max-width: none; padding: 0; font-size: 10pt; line-height: 1.35; }
  h1 { font-size: 1.45rem; margin-bottom: 0.4rem; }
  h3 { margin: 0.55rem 0 0.15rem; font-size: 1.05rem; } p, ul { margin: 0.2rem 0; }
  li { margin: 0.05rem 0; } }
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
{{ blocks(items) }}
<p class="cda-meta">{{ footer }}</p>
</main>
</body>
</html>
"""
)


def _block_view(block: Block, *, png: bool) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text, "level": 3 + block.level - 1}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "team": block.team}
    if isinstance(block, Note):
        return {"kind": "note", "text": block.text}
    if isinstance(block, Bullets):
        return {
            "kind": "bullets",
            "entries": block.items,
            "ordered": block.ordered,
            "team": block.team,
        }
    if isinstance(block, Facts):
        return {"kind": "facts", "pairs": block.pairs}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "columns": block.columns,
            "rows": block.rows,
            "caption": block.caption,
            "css": block.css,
        }
    if isinstance(block, Figure):
        if png:
            src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
        else:
            src = "data:image/svg+xml;base64," + base64.b64encode(block.svg.encode()).decode()
        return {
            "kind": "figure",
            "src": src,
            "alt": block.alt,
            "takeaway": block.takeaway,
            "described": _html(_("Chart description:")),
            "takeaway_label": _html(_("Takeaway:")),
        }
    raise TypeError(type(block).__name__)


def _paper(strategy: Strategy) -> str:
    return "letter" if strategy.country in ("US", "CA") else "A4"


def _sections(items: Sequence[Any], *, png: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "title": s.title,
            "description": s.description,
            "blocks": [_block_view(b, png=png) for b in s.blocks],
            "gaps": s.gaps,
            "flags": s.flags,
        }
        for s in items
    ]


def _lang() -> str:
    """The language of the page, for its ``lang`` attribute."""
    return current_language()


def _status(strategy: Strategy) -> str:
    """ "7 of 10 sections complete; 2 points to settle before signing" (no end stop)."""
    complete = sum(s.complete for s in strategy.sections)
    settle = len(strategy.gaps) + len(strategy.flags)
    text = _("{done} of {total} sections complete").format(
        done=complete, total=len(strategy.sections)
    )
    if settle:
        text += ";\n" + (
            _("{count} points to settle before signing")
            if settle > 1
            else _("{count} point to settle before signing")
        ).format(count=settle)
    return text


def _words(strategy: Strategy) -> dict[str, Any]:
    """The strategy page's own words, in the current language."""
    made_on = fmt.date(strategy.made_on)
    sign = strategy.studio.sign_off
    assembled = (
        _html(
            _(
                "{sign_off} Assembled on {date} from the senior\n"
                "team's workshop answers and the city's own data."
            ),
            sign_off=sign_off_sentence(strategy),
            date=made_on,
        )
        if strategy.signed
        else _html(
            _(
                "Draft for the mayor's signature, assembled on {date} from the senior\n"
                "team's workshop answers and the city's own data."
            ),
            date=made_on,
        )
    )
    changes = sign.changes if sign is not None and sign.changes else ""
    return {
        "subtitle": _html(
            _("A {years}-year plan, {period}"), years=strategy.horizon_years, period=strategy.period
        ),
        "assembled": assembled,
        "status": Markup.escape(_status(strategy) + "."),
        "gaps_marked": _html(_("Gaps are marked in each section and listed at the end.")),
        "contents": _html(_("Contents")),
        "still_to_settle": _html(_("Still to settle before signing")),
        "sign_off": _html(_("Sign-off")),
        "to_settle": _html(_("To settle:")),
        "gap": _html(_("Gap:")),
        "each_line": _html(
            _(
                "Each line names the workshop whose answer must change. The team settles them in "
                "the strategy\nstudio."
            )
        ),
        "section": _html(_("Section")),
        "what_to_settle": _html(_("What to settle")),
        "try": _html(_("Try")),
        "workshop": _html(_("Workshop that produces it")),
        "finish_workshop": _html(_("Finish the workshop and submit it again.")),
        "nothing": _html(
            _(
                "Nothing: every section is filled from the team's answers, and the plan holds\n"
                "together."
            )
        ),
        "changes": _html(
            _("The changes the {signer} asked for: {changes}"),
            signer=signer(sign.role) if sign is not None else _("mayor"),
            changes=Markup('<span class="cda-team">{}</span>').format(changes),
        ),
        "approved_by": _html(_("Approved by the Mayor of {city}:"), city=strategy.city_name),
        "date": _html(_("Date:")),
        "presented_by": _html(_("Presented by the senior team's lead for data:")),
        "shared": _html(_("Shared with the city council on:")),
    }


def _flag_try(flag: Flag) -> Markup:
    return _html(
        _("Try: {fix} (from {answer}, {workshop})"),
        fix=flag.fix,
        answer=flag.answer_label,
        workshop=flag.workshop,
    )


def _gap_note(gap: Gap) -> Markup:
    return _html(
        _("{answer} is\n{kind}: {detail}. Produced by {workshop}."),
        answer=gap.answer_label.capitalize(),
        kind=gap_kind(gap.kind),
        detail=gap.detail,
        workshop=Markup("<em>{}</em>").format(gap.workshop),
    )


def _gap_row(gap: Gap) -> Markup:
    return _html(
        _("{answer} is {kind}: {detail}."),
        answer=gap.answer_label.capitalize(),
        kind=gap_kind(gap.kind),
        detail=gap.detail,
    )


def to_html(strategy: Strategy, *, png: bool = False) -> str:
    """A self-contained, accessible page (charts inline: SVG, or PNG for the PDF)."""
    view = {
        "title": strategy.title,
        "summary": strategy.summary,
        "horizon_years": strategy.horizon_years,
        "period": strategy.period,
        "made_on": fmt.date(strategy.made_on),
        "front": _sections(strategy.front, png=png),
        "sections": _sections(strategy.sections, png=png),
        "appendices": _sections(strategy.appendices, png=png),
        "gaps": strategy.gaps,
        "flags": strategy.flags,
        "to_resolve": len(strategy.gaps) + len(strategy.flags),
        "city_name": strategy.city_name,
        **_sign_off_view(strategy),
    }
    complete = sum(s.complete for s in strategy.sections)
    style = _STYLE + _PRINT % {
        "paper": _paper(strategy),
        "status": status_line(strategy),
        "page": _("Page"),
        "of": _("of"),
    }
    breaks = {"vision", "roadmap", "measurement"}
    return _TEMPLATE.render(
        s=view,
        style=style,
        complete=complete,
        breaks=breaks,
        t=_words(strategy),
        lang=_lang(),
        flag_try=_flag_try,
        gap_note=_gap_note,
        gap_row=_gap_row,
    )


NOT_SIGNED = N_("Not signed yet.")


def sign_off_sentence(strategy: Strategy) -> str:
    """The sign-off in one sentence: the mayor's decision from the strategy studio, or
    "Not signed yet." """
    sign = strategy.studio.sign_off
    return sign.sentence(strategy.city_name) if sign is not None else _(NOT_SIGNED)


def status_line(strategy: Strategy) -> str:
    """The running header's status: "Approved June 24, 2026" or "Draft for signature"."""
    sign = strategy.studio.sign_off
    if sign is None or not sign.signed:
        return _("Draft for signature")
    return _("Approved {date}").format(date=fmt.date(sign.date))


def _sign_off_view(strategy: Strategy) -> dict[str, Any]:
    sign = strategy.studio.sign_off
    return {
        "signed": strategy.signed,
        "sign_off": sign_off_sentence(strategy),
        "sign_changes": sign.changes if sign is not None and sign.changes else "",
        "signer": signer(sign.role) if sign is not None else _("mayor"),
    }


def pdf_html(strategy: Strategy) -> str:
    """The page printed as the tagged PDF (``render.page.pdf_from_pages``): title page, running
    header, page numbers (see the module note), charts as PNG images."""
    return to_html(strategy, png=True)


def public_title(strategy: Strategy) -> str:
    return _("{city}'s data strategy: what it means for you").format(city=strategy.city_name)


def public_html(strategy: Strategy) -> str:
    """The one-page summary for residents."""
    return _PUBLIC.render(
        title=public_title(strategy),
        items=[_block_view(b, png=False) for b in strategy.public],
        footer=_html(
            _("A summary of the citywide data strategy, {period}. Draft of {date}."),
            period=strategy.period,
            date=fmt.date(strategy.made_on),
        ),
        lang=_lang(),
        style=CSS,
    ).replace("%(paper)s", _paper(strategy))


# -- Word -----------------------------------------------------------------------------------------


def _docx_table(doc: Any, columns: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement

    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
    for i, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        keep = OxmlElement("w:cantSplit")  # a row never breaks across pages
        props.append(keep)
        if i == 0:
            header = OxmlElement("w:tblHeader")  # the header row repeats on each page
            props.append(header)


def _docx_field(paragraph: Any, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin, instr, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def _docx_blocks(doc: Any, blocks: Sequence[Block]) -> None:
    from docx.shared import Inches

    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=1 + block.level)
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph(block.text, style="Quote" if block.team else None)
            del p
        elif isinstance(block, Note):
            doc.add_paragraph(block.text, style="Intense Quote")
        elif isinstance(block, Bullets):
            style = "List Number" if block.ordered else "List Bullet"
            for item in block.items:
                doc.add_paragraph(item, style=style)
        elif isinstance(block, Facts):
            _docx_table(doc, [_("Field"), _("Value")], [[k, v] for k, v in block.pairs])
        elif isinstance(block, Table):
            _docx_table(doc, block.columns, block.rows)
        elif isinstance(block, Figure):
            shape = doc.add_picture(io.BytesIO(block.png), width=Inches(6))
            shape._inline.docPr.set("descr", block.alt)  # the picture's alt text in Word
            doc.add_paragraph(_("Chart description:") + " " + block.alt)
            doc.add_paragraph(_("Takeaway:") + " " + block.takeaway)


def to_docx(strategy: Strategy) -> bytes:
    """An editable Word document with the same sections, real heading styles, a running header,
    page numbers and table rows that do not split (city staff edit in Word)."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.core_properties.title = strategy.title
    doc.core_properties.language = _lang()
    doc.styles["Normal"].font.size = Pt(10.5)
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = f"{strategy.title} - {status_line(strategy).lower()}"
    footer = section.footer.paragraphs[0]
    footer.add_run(_("Page") + " ")
    _docx_field(footer, "PAGE")
    footer.add_run(" " + _("of") + " ")
    _docx_field(footer, "NUMPAGES")

    doc.add_heading(strategy.title, level=0)
    doc.add_paragraph(
        _("A {years}-year plan, {period}").format(
            years=strategy.horizon_years, period=strategy.period
        ),
        style="Subtitle",
    )
    doc.add_paragraph(strategy.summary)
    made_on = fmt.date(strategy.made_on)
    doc.add_paragraph(
        (
            _("{sign_off} Assembled on {date}:").format(
                sign_off=sign_off_sentence(strategy), date=made_on
            )
            if strategy.signed
            else _("Draft for the mayor's signature, assembled on {date}:").format(date=made_on)
        )
        + " "
        + _status(strategy).replace(";\n", "; ")
        + "."
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for front in strategy.front:
        doc.add_heading(front.title, level=1)
        if front.description:
            doc.add_paragraph(front.description).runs[0].italic = True
        _docx_blocks(doc, front.blocks)
        if front.id == "summary":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for number, part in enumerate(strategy.sections, start=1):
        doc.add_heading(f"{number}. {part.title}", level=1)
        doc.add_paragraph(part.description).runs[0].italic = True
        _docx_blocks(doc, part.blocks)
        for flag in part.flags:
            p = doc.add_paragraph()
            run = p.add_run(_("To settle:") + " " + flag.problem + " ")
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
            p.add_run(
                _("Try: {fix} (from {answer}, {workshop})").format(
                    fix=flag.fix, answer=flag.answer_label, workshop=flag.workshop
                )
            )
        for gap in part.gaps:
            p = doc.add_paragraph()
            run = p.add_run(
                _("Gap:")
                + " "
                + _("{answer} is {kind}: {detail}.").format(
                    answer=gap.answer_label, kind=gap_kind(gap.kind), detail=gap.detail
                )
                + " "
            )
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x45, 0x00)
            p.add_run(_("Produced by {workshop}.").format(workshop=gap.workshop))
    for appendix in strategy.appendices:
        doc.add_heading(appendix.title, level=1)
        doc.add_paragraph(appendix.description).runs[0].italic = True
        _docx_blocks(doc, appendix.blocks)
    doc.add_heading(_("Still to settle before signing"), level=1)
    if strategy.flags or strategy.gaps:
        _docx_table(
            doc,
            [_("Section"), _("What to settle"), _("Try"), _("Workshop that produces it")],
            [[f.part, f.problem, f.fix, f.workshop] for f in strategy.flags]
            + [
                [
                    g.part,
                    _("{answer} is {kind}: {detail}.").format(
                        answer=g.answer_label, kind=gap_kind(g.kind), detail=g.detail
                    ),
                    _("Finish the workshop and submit it again."),
                    g.workshop,
                ]
                for g in strategy.gaps
            ],
        )
    else:
        doc.add_paragraph(_("Nothing: every section is filled from the team's answers."))
    doc.add_heading(_("Sign-off"), level=1)
    doc.add_paragraph(sign_off_sentence(strategy)).runs[0].bold = True
    sign = strategy.studio.sign_off
    if sign is not None and sign.changes:
        doc.add_paragraph(
            _("The changes the {signer} asked for: {changes}").format(
                signer=signer(sign.role), changes=sign.changes
            )
        )
    date_line = " ______________________   " + _("Date:") + " ____________"
    doc.add_paragraph(
        _("Approved by the Mayor of {city}:").format(city=strategy.city_name) + date_line
    )
    doc.add_paragraph(_("Presented by the senior team's lead for data:") + date_line)
    doc.add_paragraph(_("Shared with the city council on:") + " ____________")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- completeness ----------------------------------------------------------------------------------


def completeness(strategy: Strategy) -> dict[str, Any]:
    """The completeness report as data (read by the strategy-review packet, the cohort view and
    the studio): sections and gaps, points to resolve, and the quality rubric."""
    return {
        "city": strategy.city_id,
        "city_name": strategy.city_name,
        "made_on": strategy.made_on.isoformat(),
        "sections_complete": sum(s.complete for s in strategy.sections),
        "sections": len(strategy.sections),
        "ready_to_sign": strategy.ready_to_sign,
        "parts": [
            {
                "id": s.id,
                "title": s.title,
                "complete": s.complete,
                "gaps": [
                    {
                        "answer": g.answer,
                        "kind": g.kind,
                        "detail": g.detail,
                        "session": g.session_id,
                        "session_title": g.session_title,
                        "notebook": g.notebook,
                    }
                    for g in s.gaps
                ],
            }
            for s in strategy.sections
        ],
        "to_resolve": [
            {
                "part": f.part_id,
                "check": f.check,
                "what": f.what,
                "answer": f.answer,
                "problem": f.problem,
                "fix": f.fix,
                "session": f.session_id,
                "session_title": f.session_title,
                "workshop": f.workshop,
                "notebook": f.notebook,
            }
            for f in strategy.flags
        ],
        "rubric": [score.as_dict() for score in strategy.rubric],
        "coach": [
            {
                "workshop": title,
                "notebook": notebook,
                "written_answers": reading.answers,
                "scored_by_coach": reading.read,
                "waiting_for_coach": reading.waiting,
                "points": reading.points,
                "max_points": reading.max_points,
            }
            for title, notebook, reading in strategy.coach
        ],
        "studio": {
            "done": strategy.studio.done,
            "signed": strategy.signed,
            "sign_off": sign_off_sentence(strategy),
            "decision": strategy.studio.sign_off.decision if strategy.studio.sign_off else None,
            "points_in_draft": len(strategy.points),
            "points_kept": len(strategy.studio.kept),
            "actions_left_for_later": len(strategy.studio.deferred),
        },
    }


def completeness_markdown(strategy: Strategy) -> str:
    done = sum(s.complete for s in strategy.sections)
    lines = [
        "# " + _("{city}: completeness of the data strategy").format(city=strategy.city_name),
        "",
        _("{done} of {total} sections complete (report made {date}).").format(
            done=done, total=len(strategy.sections), date=fmt.date(strategy.made_on)
        ),
        "",
        "| "
        + " | ".join(
            [
                _("Section"),
                _("Status"),
                _("What is missing or inconsistent"),
                _("Workshop that produces it"),
            ]
        )
        + " |",
        "|---|---|---|---|",
    ]
    for s in strategy.sections:
        if s.complete:
            lines.append("| " + s.title + " | " + _("complete") + " | | |")
        for g in s.gaps:
            lines.append(
                f"| {s.title} | {gap_kind(g.kind)} | '{g.answer}': {g.detail.replace('|', '/')} | "
                f"{g.session_title} ({g.notebook}) |"
            )
    lines += ["", _("Sign-off: {sentence}").format(sentence=sign_off_sentence(strategy))]
    lines += ["", "## " + _("Points to resolve before the mayor signs"), ""]
    if strategy.flags:
        lines += [
            "| "
            + " | ".join(
                [
                    _("Section"),
                    _("Check"),
                    _("What is wrong"),
                    _("Try"),
                    _("Workshop that produces it"),
                ]
            )
            + " |",
            "|---|---|---|---|---|",
        ]
        for f in strategy.flags:
            lines.append(
                f"| {f.part} | {f.what} | {f.problem.replace('|', '/')} | "
                f"{f.fix.replace('|', '/')} | "
                + _("{workshop}, answer '{answer}' ({notebook})").format(
                    workshop=f.workshop, answer=f.answer, notebook=f.notebook
                )
                + " |"
            )
    else:
        lines.append(_("None: the plan holds together."))
    lines += ["", "## " + _("The coach's scores on the team's written answers"), ""]
    lines += coach_lines(strategy)
    lines += [
        "",
        "## " + _("Quality rubric (0-3 per criterion)"),
        "",
        "| " + " | ".join([_("Criterion"), _("Score"), _("Evidence")]) + " |",
        "|---|---|---|",
    ]
    for score in strategy.rubric:
        evidence = " ".join(score.evidence).replace("|", "/")
        level = _(LEVEL_WORDS.get(score.level, score.level))
        lines.append(f"| {score.title} | {score.score} ({level}) | {evidence} |")
    return "\n".join(lines) + "\n"


def coach_lines(strategy: Strategy) -> list[str]:
    """The coach's scores (from the grading page) on the reflections behind the strategy."""
    if not strategy.coach:
        return [_("No written answer has reached the gradebook yet.")]
    waiting = sum(r.waiting for _title, _notebook, r in strategy.coach)
    lines = [
        "| " + " | ".join([_("Workshop"), _("Scored by the coach"), _("Points so far")]) + " |",
        "|---|---|---|",
    ]
    for title, _notebook, r in strategy.coach:
        read = _("{count} of {total}").format(count=r.read, total=r.answers)
        points = _("{count} of {total}").format(count=fmt.g(r.points), total=fmt.g(r.max_points))
        lines.append(f"| {title} | {read} | {points} |")
    lines.append("")
    lines.append(
        _("Every written answer has a coach's score.")
        if not waiting
        else (
            _(
                "1 written answer still waits for the coach, who scores each one with its rubric "
                "on the grading page."
            )
            if waiting == 1
            else _(
                "{count} written answers still wait for the coach, who scores each one with its "
                "rubric on the grading page."
            ).format(count=waiting)
        )
    )
    return lines


def completeness_json(strategy: Strategy) -> str:
    return json.dumps(completeness(strategy), indent=1)

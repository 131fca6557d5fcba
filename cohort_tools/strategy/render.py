"""The strategy document as HTML, PDF (WeasyPrint) and Word (python-docx), and its completeness
report as Markdown and JSON. All formats render the same blocks (:mod:`.document`)."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import jinja2

from cohort_tools.render.page import CSS

from .document import Bullets, Facts, Figure, Heading, Paragraph, Strategy, Table

_STYLE = (
    CSS
    + """
.cda-gap { border-left: 4px solid #b35900; background: #fff4e5; padding: 0.4rem 0.8rem;
           margin: 0.6rem 0; }
.cda-status { font-weight: bold; }
.cda-sign { margin-top: 2rem; border-top: 1px solid #999; padding-top: 0.6rem; }
dl.cda-facts { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.cda-facts dt { font-weight: bold; }
dl.cda-facts dd { margin: 0; }
"""
)

_TEMPLATE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ s.title }}</title>
<style>{{ style | safe }}</style>
</head>
<body>
<main>
<h1>{{ s.title }}</h1>
<p>{{ s.summary }}</p>
<p class="cda-meta">A {{ s.horizon_years }}-year strategy. Draft assembled on
{{ s.made_on.strftime("%d %B %Y") }} from the senior team's workshop answers and the city's own
data. <span class="cda-status">{{ complete }} of {{ s.sections | length }} sections complete.</span>
{% if s.gaps %}Gaps are marked in each section and listed at the end.{% endif %}</p>
<nav aria-label="Sections"><ol>
{% for sec in s.sections %}<li><a href="#{{ sec.id }}">{{ sec.title }}</a></li>
{% endfor %}</ol></nav>
{% for sec in s.sections %}
<section id="{{ sec.id }}" aria-labelledby="h-{{ sec.id }}">
<h2 id="h-{{ sec.id }}">{{ loop.index }}. {{ sec.title }}</h2>
<p class="cda-meta">{{ sec.description }}</p>
{% for b in sec.blocks %}
{% if b.kind == "heading" %}<h3>{{ b.text }}</h3>
{% elif b.kind == "paragraph" %}<p>{{ b.text }}</p>
{% elif b.kind == "bullets" %}<ul>{% for i in b.entries %}<li>{{ i }}</li>{% endfor %}</ul>
{% elif b.kind == "facts" %}<dl class="cda-facts">{% for k, v in b.pairs %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>
{% elif b.kind == "table" %}<table>{% if b.caption %}<caption>{{ b.caption }}</caption>{% endif %}
<thead><tr>{% for c in b.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in b.rows %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% elif b.kind == "figure" %}<figure class="cda-chart"><img src="{{ b.src }}" alt="{{ b.alt }}">
<figcaption>Chart description: {{ b.alt }}</figcaption></figure>
<p><strong>Takeaway:</strong> {{ b.takeaway }}</p>
{% endif %}
{% endfor %}
{% for g in sec.gaps %}<p class="cda-gap" role="note"><strong>Gap:</strong> '{{ g.answer }}' is
{{ g.kind }}: {{ g.detail }}. Produced by <em>{{ g.session_title }}</em> ({{ g.notebook }}).</p>
{% endfor %}
</section>
{% endfor %}
<section aria-labelledby="h-gaps">
<h2 id="h-gaps">What is still missing</h2>
{% if s.gaps %}
<table><thead><tr><th scope="col">Section</th><th scope="col">Answer</th>
<th scope="col">Problem</th><th scope="col">Workshop that produces it</th></tr></thead><tbody>
{% for g in s.gaps %}<tr><td>{{ g.part }}</td><td>{{ g.answer }}</td><td>{{ g.kind }}: {{ g.detail }}</td>
<td>{{ g.session_title }} ({{ g.notebook }})</td></tr>
{% endfor %}</tbody></table>
{% else %}<p>Nothing: every section is filled from the team's answers.</p>{% endif %}
</section>
<p class="cda-sign">Approved by the Mayor of {{ s.city_name }}: ______________________
&nbsp; Date: ____________</p>
</main>
</body>
</html>
"""
)


def _block_view(block: Any, *, png: bool) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, Bullets):
        return {"kind": "bullets", "entries": block.items}
    if isinstance(block, Facts):
        return {"kind": "facts", "pairs": block.pairs}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "columns": block.columns,
            "rows": block.rows,
            "caption": block.caption,
        }
    if isinstance(block, Figure):
        if png:
            src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
        else:
            src = "data:image/svg+xml;base64," + base64.b64encode(block.svg.encode()).decode()
        return {"kind": "figure", "src": src, "alt": block.alt, "takeaway": block.takeaway}
    raise TypeError(type(block).__name__)


def to_html(strategy: Strategy, *, png: bool = False) -> str:
    """A self-contained, accessible page (charts inline: SVG, or PNG for the PDF)."""
    sections = [
        {
            "id": s.id,
            "title": s.title,
            "description": s.description,
            "blocks": [_block_view(b, png=png) for b in s.blocks],
            "gaps": s.gaps,
        }
        for s in strategy.sections
    ]
    view = {
        "title": strategy.title,
        "summary": strategy.summary,
        "horizon_years": strategy.horizon_years,
        "made_on": strategy.made_on,
        "sections": sections,
        "gaps": strategy.gaps,
        "city_name": strategy.city_name,
    }
    complete = sum(s.complete for s in strategy.sections)
    return _TEMPLATE.render(s=view, style=_STYLE, complete=complete)


def to_pdf(strategy: Strategy) -> bytes:
    """A tagged PDF (structure and the chart's alt text kept for screen readers)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=to_html(strategy, png=True)).write_pdf(pdf_tags=True)
    return pdf


def to_docx(strategy: Strategy) -> bytes:
    """An editable Word document with the same sections (city staff edit in Word)."""
    from docx import Document
    from docx.shared import Inches, RGBColor

    doc = Document()
    doc.core_properties.title = strategy.title
    doc.add_heading(strategy.title, level=0)
    doc.add_paragraph(strategy.summary)
    complete = sum(s.complete for s in strategy.sections)
    doc.add_paragraph(
        f"Draft assembled on {strategy.made_on:%d %B %Y}: {complete} of "
        f"{len(strategy.sections)} sections complete."
    )

    def table(columns: list[str], rows: list[list[str]]) -> None:
        t = doc.add_table(rows=1, cols=len(columns))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, columns, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=False):
                cell.text = text

    for number, section in enumerate(strategy.sections, start=1):
        doc.add_heading(f"{number}. {section.title}", level=1)
        doc.add_paragraph(section.description).runs[0].italic = True
        for block in section.blocks:
            if isinstance(block, Heading):
                doc.add_heading(block.text, level=2)
            elif isinstance(block, Paragraph):
                doc.add_paragraph(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    doc.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Facts):
                table(["", ""], [[k, v] for k, v in block.pairs])
            elif isinstance(block, Table):
                table(block.columns, block.rows)
            elif isinstance(block, Figure):
                shape = doc.add_picture(io.BytesIO(block.png), width=Inches(6))
                shape._inline.docPr.set("descr", block.alt)  # the picture's alt text in Word
                doc.add_paragraph(f"Chart description: {block.alt}")
                doc.add_paragraph(f"Takeaway: {block.takeaway}")
        for gap in section.gaps:
            p = doc.add_paragraph()
            run = p.add_run(f"Gap: '{gap.answer}' is {gap.kind}: {gap.detail}. ")
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x45, 0x00)
            p.add_run(f"Produced by {gap.session_title} ({gap.notebook}).")
    doc.add_heading("What is still missing", level=1)
    if strategy.gaps:
        table(
            ["Section", "Answer", "Problem", "Workshop"],
            [
                [g.part, g.answer, f"{g.kind}: {g.detail}", f"{g.session_title} ({g.notebook})"]
                for g in strategy.gaps
            ],
        )
    else:
        doc.add_paragraph("Nothing: every section is filled from the team's answers.")
    doc.add_paragraph(
        f"Approved by the Mayor of {strategy.city_name}: ______________________   "
        "Date: ____________"
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def completeness(strategy: Strategy) -> dict[str, Any]:
    """The completeness report as data (read by the strategy-review packet and the cohort view)."""
    return {
        "city": strategy.city_id,
        "city_name": strategy.city_name,
        "made_on": strategy.made_on.isoformat(),
        "sections_complete": sum(s.complete for s in strategy.sections),
        "sections": len(strategy.sections),
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
    }


def completeness_markdown(strategy: Strategy) -> str:
    done = sum(s.complete for s in strategy.sections)
    lines = [
        f"# {strategy.city_name}: completeness of the data strategy",
        "",
        f"{done} of {len(strategy.sections)} sections complete "
        f"(report made {strategy.made_on:%d %B %Y}).",
        "",
        "| Section | Status | What is missing or inconsistent | Workshop that produces it |",
        "|---|---|---|---|",
    ]
    for s in strategy.sections:
        if s.complete:
            lines.append(f"| {s.title} | complete | | |")
        for g in s.gaps:
            lines.append(
                f"| {s.title} | {g.kind} | '{g.answer}': {g.detail.replace('|', '/')} | "
                f"{g.session_title} ({g.notebook}) |"
            )
    return "\n".join(lines) + "\n"


def completeness_json(strategy: Strategy) -> str:
    return json.dumps(completeness(strategy), indent=1)

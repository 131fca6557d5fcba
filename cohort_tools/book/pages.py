"""Pages the book generates from the product's data: the programme overview, one page per module,
the capstone, the data dictionary, the References page (with the facts that can change), the
facilitation kit's pages and the table of contents.

Every function returns text; :mod:`cohort_tools.book.build` writes it into the staging folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cohort_tools.model.programme import AUDIENCE_LABELS, Convening, Module, Programme, Session
from cohort_tools.model.references import References
from cohort_tools.policy.facts import Facts

KIND_LABELS = {"keynote": "Keynote", "workshop": "Workshop", "studio": "Strategy studio"}
TIMELINE_FILE = "programme-timeline.svg"
CONVENING_DOC = "convening-workbook"


@dataclass
class SessionPage:
    """A session whose notebook exists, staged as ``docname`` (no suffix) in the book."""

    session: Session | Convening
    source: Path
    docname: str


@dataclass
class BookPlan:
    """What the book will contain: generated markdown pages and the session notebooks found."""

    pages: dict[str, str] = field(default_factory=dict)  # relative path -> text
    notebooks: list[SessionPage] = field(default_factory=list)
    missing_notebooks: list[Session] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the reader of the build log should know


def audience(items: Sequence[str]) -> str:
    return ", ".join(AUDIENCE_LABELS[a] for a in items)


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _months(months: list[int]) -> str:
    return f"months {months[0]}-{months[-1]}" if len(months) > 1 else f"month {months[0]}"


def session_docname(module_id: str, session: Session) -> str:
    return f"modules/{module_id}/{session.id}"


def find_notebooks(programme: Programme, root: Path) -> tuple[list[SessionPage], list[Session]]:
    """Sessions whose ``notebook`` file exists under ``root`` (in programme order), and the rest."""
    found: list[SessionPage] = []
    missing: list[Session] = []
    conv = programme.convening
    if conv.notebook and (root / conv.notebook).is_file():
        found.append(SessionPage(conv, root / conv.notebook, CONVENING_DOC))
    for m in programme.modules:
        for s in m.sessions:
            if s.notebook and (root / s.notebook).is_file():
                found.append(SessionPage(s, root / s.notebook, session_docname(m.id, s)))
            elif s.notebook:
                missing.append(s)
    for s in programme.capstone:
        if s.notebook and (root / s.notebook).is_file():
            found.append(SessionPage(s, root / s.notebook, session_docname("capstone", s)))
        elif s.notebook:
            missing.append(s)
    return found, missing


def _producers(programme: Programme) -> dict[str, list[str]]:
    """Session id -> titles of the data-strategy parts it feeds."""
    feeds: dict[str, list[str]] = {}
    for part in programme.deliverable.parts:
        for ref in part.produced_by:
            feeds.setdefault(ref, []).append(part.title)
    return feeds


def _session_block(s: Session, feeds: dict[str, list[str]], page: SessionPage | None) -> list[str]:
    lines = [
        f"## {KIND_LABELS[s.kind]}: {s.title}",
        "",
        f"- **When:** month {s.month}, week {s.week_of_month}, {s.duration_minutes} minutes, online.",
        f"- **Who attends:** {audience(s.audience)}.",
    ]
    if s.id in feeds:
        lines.append(f"- **Feeds the data strategy:** {', '.join(feeds[s.id])}.")
    lines += ["", "By the end of the session, participants can:", ""]
    lines += [f"- {o}" for o in s.objectives]
    lines.append("")
    if page is not None:
        lines.append(
            f"The session notebook, run on a demo city: {{doc}}`{s.title} </{page.docname}>`. "
            "Exercises appear as learners receive them, without answers."
        )
    elif s.notebook:
        lines.append(
            f"The notebook for this session (`{s.notebook}`) is not written yet. "
            "It will appear here when it is."
        )
    lines.append("")
    return lines


def module_page(module: Module, programme: Programme, pages: dict[str, SessionPage]) -> str:
    """The page that opens a module: theme, months, summary and every session."""
    feeds = _producers(programme)
    lines = [
        f"# Module {module.number}: {module.title}",
        "",
        f"**Theme:** {module.theme}. **When:** {_months(module.months)} of the program.",
        "",
        module.summary.strip(),
        "",
    ]
    count = len(module.sessions)
    lines += [
        f"The module has {count} online session{'s' if count != 1 else ''}. Between sessions the team "
        "works on its own city's data and meets its coach every "
        f"{programme.coaching.cadence_weeks} weeks.",
        "",
    ]
    for s in module.sessions:
        lines += _session_block(s, feeds, pages.get(s.id))
    return "\n".join(lines).rstrip() + "\n"


def capstone_page(programme: Programme, pages: dict[str, SessionPage]) -> str:
    d = programme.deliverable
    feeds = _producers(programme)
    lines = [
        "# Capstone: the citywide data strategy",
        "",
        d.summary.strip(),
        "",
        f"In the last month the team turns its workshop answers into a {d.horizon_years}-year plan. "
        "The mayor signs it at the end of the program.",
        "",
    ]
    for s in programme.capstone:
        lines += _session_block(s, feeds, pages.get(s.id))
    lines += ["## The parts of the strategy and where each comes from", ""]
    lines += _deliverable_table(programme)
    return "\n".join(lines).rstrip() + "\n"


def _session_names(programme: Programme) -> dict[str, str]:
    names = {s.id: f"{s.title} (month {s.month})" for s in programme.sessions()}
    names[programme.convening.id] = (
        f"{programme.convening.title} (month {programme.convening.month})"
    )
    names.update({m.id: f"{m.title} (month {m.month})" for m in programme.showcases})
    names.update({m.id: f"{m.title} (month {m.month})" for m in programme.mayor_checkins})
    names.update({m.id: f"Module {m.number}: {m.title}" for m in programme.modules})
    names["coaching"] = "Coaching sessions"
    return names


def _deliverable_table(programme: Programme) -> list[str]:
    names = _session_names(programme)
    lines = ["| Part | What it contains | Comes from |", "|---|---|---|"]
    for part in programme.deliverable.parts:
        sources = "; ".join(names[i] for i in part.produced_by)
        lines.append(f"| {_cell(part.title)} | {_cell(part.description)} | {_cell(sources)} |")
    lines.append("")
    return lines


def programme_page(programme: Programme, *, timeline_alt: str, rows: list[tuple[str, ...]]) -> str:
    """The programme overview: the timeline chart, what happens when, who attends, the deliverable."""
    p = programme
    c = p.convening
    k = p.coaching
    lines = [
        "# The program at a glance",
        "",
        p.note.strip(),
        "",
        f"The program lasts {p.duration_months} months. It opens with an in-person convening for "
        f"mayors, then runs {len(p.modules)} modules of online keynotes and workshops for each city's "
        "senior team. A coach meets every city's team every "
        f"{k.cadence_weeks} weeks. Mayors come back at key moments to decide and to sign off.",
        "",
        "## Timeline",
        "",
        f"```{{figure}} {TIMELINE_FILE}",
        f":alt: {timeline_alt}",
        ":name: fig-timeline",
        ":width: 100%",
        "",
        "The six months at a glance: one row per strand, one diamond per event. "
        "The table below lists the same events in words.",
        "```",
        "",
        "## What happens when",
        "",
        "Weeks count from the cohort's start date. `cda cohort schedule` turns them into real dates, "
        "skipping weekends and public holidays.",
        "",
        "| When | Strand | Event | Who attends |",
        "|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(_cell(x) for x in row)} |" for row in rows]
    lines += [
        "",
        f"Coaching is not in the table: it runs every {k.cadence_weeks} weeks from week "
        f"{k.first_week}, {k.duration_minutes} minutes per city ({audience(k.audience)}). "
        f"{k.purpose}",
        "",
        "## Who takes part",
        "",
        f"- **The mayor** attends the {c.title.lower()} in person and returns for the check-ins, "
        "the showcases and the final sign-off.",
        f"- **The senior team** has {p.team.min_members} to {p.team.max_members} members chosen by "
        "the mayor. They attend every keynote and workshop.",
        "- **The CDA lead** runs the program inside the city: roster, calendar, data and follow-up. "
        "See {doc}`lead-orientation`.",
        "- **The coach** meets the team every two weeks. See {doc}`coaching-guide`.",
        "",
        "Roles a mayor might choose for the senior team:",
        "",
        "| Role | Why it helps |",
        "|---|---|",
    ]
    lines += [f"| {_cell(r.title)} | {_cell(r.why)} |" for r in p.team.roles]
    lines += [
        "",
        f"## The {c.title.lower()}",
        "",
        f"Month {c.month}, {c.days} days in person, {c.start_time} to {c.end_time}.",
        "",
    ]
    lines += [f"- {r}" for r in c.rules]
    lines += ["", "| Day | Part | Topic | Who attends |", "|---|---|---|---|"]
    lines += [
        f"| {b.day} | {b.part} | {_cell(b.title)} | {audience(b.audience)} |" for b in c.agenda
    ]
    lines += ["", "What the convening is for:", ""]
    lines += [f"- {o}" for o in c.objectives]
    lines += ["", "## The modules", ""]
    for m in p.modules:
        lines.append(
            f"- {{doc}}`Module {m.number}: {m.title} <modules/{m.id}>` ({_months(m.months)}): "
            f"{m.theme.lower()}."
        )
    if p.capstone:
        lines.append("- {doc}`The capstone <modules/capstone>` (month 6): the data strategy.")
    lines += [
        "",
        "## Showcases and mayor check-ins",
        "",
        "Each city has its own showcases and check-ins, booked in the city's time zone.",
        "",
    ]
    for e in [*p.showcases, *p.mayor_checkins]:
        lines.append(
            f"- **{e.title}** (month {e.month}, {e.duration_minutes} minutes): {e.purpose}"
        )
    d = p.deliverable
    lines += [
        "",
        f"## What the city leaves with: a {d.title.lower()}",
        "",
        d.summary.strip(),
        "",
    ]
    lines += _deliverable_table(p)
    return "\n".join(lines).rstrip() + "\n"


def timeline_table_rows(programme: Programme) -> list[tuple[str, ...]]:
    from cohort_tools.book.timeline import timeline_rows

    return [
        (f"Month {r.month}, week {r.week}", r.track, r.title, r.audience)
        for r in timeline_rows(programme)
    ]


_HEADING = re.compile(r"^(#{1,5}) ")


def demote_headings(markdown: str) -> str:
    """Push every heading one level down (outside code fences), so a page can add its own title."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            mark = stripped[:3]
            fence = None if fence == mark else (fence or mark)
        elif fence is None and _HEADING.match(line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


DICTIONARY_MISSING = """\
# Data dictionary

```{note}
This page lists every table and column a city brings to the program. It is generated from the
city-data schemas in `cohort_tools.citydata`, which this copy of the package does not have yet
(REASON). Rebuild the book once that part is installed.
```
"""


def data_dictionary_page(render: Callable[[], str] | None = None) -> tuple[str, str | None]:
    """The data dictionary page and, when it could not be generated, a note saying why."""
    if render is None:
        try:
            from cohort_tools.citydata.dictionary import render_markdown
        except ImportError as exc:
            reason = f"cohort_tools.citydata.dictionary could not be imported: {exc}"
            return DICTIONARY_MISSING.replace("REASON", f"import failed: {exc}"), reason
        render = render_markdown
    body = render().strip()
    if any(line.startswith("# ") for line in body.splitlines()):
        body = demote_headings(body)
    intro = (
        "# Data dictionary\n\n"
        "Every table a city brings to the program, and every column in it: its type, whether it "
        "is required and what values are allowed. `cda data check` tests a city's folder against "
        "exactly these rules. This page is generated from the same schemas, so it cannot drift "
        "from what the check does.\n\n"
    )
    return intro + body + "\n", None


REFERENCES_DOC = "references"


def references_page(refs: References, facts: Facts) -> str:
    """The References page: facts that can change (with their "as of" dates), the program's own
    rules of thumb, and every source the curriculum cites (title, publisher, year, link, the date
    it was last checked, and what it supports)."""
    from cohort_tools.kit.pages import ref_label
    from cohort_tools.policy.facts import us_date

    def cited(ids: list[str]) -> str:
        return "; ".join(f"{{ref}}`{_cell(refs.get(i).title)} <{ref_label(i)}>`" for i in ids)

    lines = [
        "# References",
        "",
        "Every source this curriculum cites is listed on this page: its title, who published it, "
        "the year, a link, the date we last checked it, and what we use it for. When we could not "
        "confirm part of an entry, the entry says so. Check those before you rely on them.",
        "",
        "## Facts that can change",
        "",
        "Dates and rules set by public bodies change. The notebooks and the tools read these facts "
        "from one file (`curriculum/facts.yaml`), so a change made there reaches every page.",
        "",
    ]
    for f in facts.facts:
        if f.kind != "published":
            continue
        status = "" if f.confirmed else f" **Not fully confirmed:** {' '.join(f.note.split())}"
        lines.append(
            f"- {f.text} *(As of {us_date(f.as_of)}. Sources: {cited(f.sources)}.)*{status}"
        )
    lines += [
        "",
        "## The program's own rules of thumb",
        "",
        "Some exercises check answers against a range. These ranges are this program's own guides, "
        "not published standards. A team with a good reason may go outside them and say why.",
        "",
    ]
    for f in facts.facts:
        if f.kind == "program_rule":
            lines.append(f"- {f.text} *(As of {us_date(f.as_of)}.)*")
    lines += ["", "## Sources", ""]
    for r in refs.references:
        lines += [f"({ref_label(r.id)})=", f"### {r.title}", ""]
        lines.append(f"- **Publisher:** {r.publisher}")
        lines.append(f"- **Year:** {r.year if r.year is not None else 'not confirmed'}")
        lines.append(
            f"- **Link:** <{r.link}>" if r.link else "- **Link:** no stable link confirmed"
        )
        lines.append(
            f"- **Last checked:** {us_date(r.checked)}"
            if r.checked
            else "- **Last checked:** not re-read for this edition"
        )
        if len(r.supports) == 1:
            lines.append(f"- **We use it for:** {' '.join(r.supports[0].split())}")
        else:
            lines.append("- **We use it for:**")
            lines += [f"  - {' '.join(s.split())}" for s in r.supports]
        if r.note:
            label = "Note" if r.confirmed else "Not fully confirmed"
            lines.append(f"- **{label}:** {' '.join(r.note.split())}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def toc_yaml(programme: Programme, notebooks: list[SessionPage]) -> str:
    """The jupyter-book table of contents: one part per module, with its session notebooks."""
    import yaml

    by_module: dict[str, list[str]] = {}
    for page in notebooks:
        if page.docname.startswith("modules/"):
            by_module.setdefault(page.docname.split("/")[1], []).append(page.docname)
    convening = (
        [{"file": CONVENING_DOC}] if any(p.docname == CONVENING_DOC for p in notebooks) else []
    )

    def chapter(doc: str, module_id: str) -> dict[str, object]:
        # The part caption names the module; the page's own title would repeat it in the sidebar.
        entry: dict[str, object] = {"file": doc, "title": "Sessions and objectives"}
        if by_module.get(module_id):
            entry["sections"] = [{"file": d} for d in by_module[module_id]]
        return entry

    parts: list[dict[str, object]] = [
        {
            "caption": "The program",
            "chapters": [
                {"file": "programme"},
                *convening,
                {"file": "lead-orientation"},
                {"file": "coaching-guide"},
            ],
        }
    ]
    for m in programme.modules:
        parts.append(
            {
                "caption": f"Module {m.number}: {m.title}",
                "chapters": [chapter(f"modules/{m.id}", m.id)],
            }
        )
    if programme.capstone:
        parts.append({"caption": "Capstone", "chapters": [chapter("modules/capstone", "capstone")]})
    from cohort_tools.kit.pages import KIT_INDEX, kit_docnames

    parts.append(
        {
            "caption": "Facilitation kit",
            "chapters": [
                {
                    "file": KIT_INDEX,
                    "sections": [{"file": d} for d in kit_docnames(programme) if d != KIT_INDEX],
                }
            ],
        }
    )
    parts.append(
        {
            "caption": "Reference",
            "chapters": [
                {"file": REFERENCES_DOC},
                {"file": "data-dictionary"},
                {"file": "standards/race-and-ethnicity"},
                {"file": "standards/disability"},
                {"file": "standards/small-numbers"},
                {"file": "glossary"},
            ],
        }
    )
    toc = {"format": "jb-book", "root": "index", "parts": parts}
    header = "# Generated by cohort_tools.book from curriculum/programme.yaml; do not edit.\n"
    return header + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)


def plan_book(programme: Programme, root: Path) -> BookPlan:
    """Everything the book generates, and which session notebooks it will include."""
    from cohort_tools.book.timeline import alt_text

    plan = BookPlan()
    plan.notebooks, plan.missing_notebooks = find_notebooks(programme, root)
    by_session = {p.session.id: p for p in plan.notebooks}
    plan.pages["programme.md"] = programme_page(
        programme, timeline_alt=alt_text(programme), rows=timeline_table_rows(programme)
    )
    for m in programme.modules:
        plan.pages[f"modules/{m.id}.md"] = module_page(m, programme, by_session)
    if programme.capstone:
        plan.pages["modules/capstone.md"] = capstone_page(programme, by_session)
    from cohort_tools.kit.pages import kit_pages
    from cohort_tools.model.references import default_references
    from cohort_tools.policy.facts import default_facts

    refs = default_references()
    plan.pages[f"{REFERENCES_DOC}.md"] = references_page(refs, default_facts())
    for kit_page in kit_pages(
        programme, references=refs, notebooks={p.docname for p in plan.notebooks}
    ):
        plan.pages[f"{kit_page.docname}.md"] = kit_page.text
    dictionary, note = data_dictionary_page()
    plan.pages["data-dictionary.md"] = dictionary
    if note:
        plan.notes.append(f"data dictionary is a placeholder: {note}")
    plan.pages["_toc.yml"] = toc_yaml(programme, plan.notebooks)
    if plan.missing_notebooks:
        plan.notes.append(
            f"{len(plan.missing_notebooks)} session notebook(s) not written yet: "
            + ", ".join(s.id for s in plan.missing_notebooks)
        )
    return plan

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

from cohort_tools.core import i18n
from cohort_tools.core.i18n import N_
from cohort_tools.core.i18n import gettext as _
from cohort_tools.model.programme import AUDIENCE_LABELS, Convening, Module, Programme, Session
from cohort_tools.model.references import References
from cohort_tools.policy.facts import Facts

#: Catalog messages: ``_()`` them where shown (pages are made in the edition's language).
DAY_PARTS = {"morning": N_("morning"), "afternoon": N_("afternoon"), "all day": N_("all day")}
KIND_LABELS = {
    "keynote": N_("Keynote"),
    "workshop": N_("Workshop"),
    "studio": N_("Strategy studio"),
}
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
    return ", ".join(_(AUDIENCE_LABELS[a]) for a in items)


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _months(months: list[int]) -> str:
    if len(months) > 1:
        return _("months {first}-{last}").format(first=months[0], last=months[-1])
    return _("month {month}").format(month=months[0])


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
        f"## {_(KIND_LABELS[s.kind])}: {s.title}",
        "",
        _("- **When:** month {month}, week {week}, {minutes} minutes, online.").format(
            month=s.month, week=s.week_of_month, minutes=s.duration_minutes
        ),
        _("- **Who attends:** {audience}.").format(audience=audience(s.audience)),
    ]
    if s.id in feeds:
        lines.append(
            _("- **Feeds the data strategy:** {parts}.").format(parts=", ".join(feeds[s.id]))
        )
    lines += ["", _("By the end of the session, participants can:"), ""]
    lines += [f"- {o}" for o in s.objectives]
    lines.append("")
    if page is not None:
        lines.append(
            _(
                "The session notebook, run on a demo city: {link}. "
                "Exercises appear as learners receive them, without answers."
            ).format(link=f"{{doc}}`{s.title} </{page.docname}>`")
        )
    elif s.notebook:
        lines.append(
            _(
                "The notebook for this session ({file}) is not written yet. "
                "It will appear here when it is."
            ).format(file=f"`{s.notebook}`")
        )
    lines.append("")
    return lines


def module_page(module: Module, programme: Programme, pages: dict[str, SessionPage]) -> str:
    """The page that opens a module: theme, months, summary and every session."""
    feeds = _producers(programme)
    lines = [
        "# " + _("Module {number}: {title}").format(number=module.number, title=module.title),
        "",
        _("**Theme:** {theme}. **When:** {months} of the program.").format(
            theme=module.theme, months=_months(module.months)
        ),
        "",
        module.summary.strip(),
        "",
    ]
    count = len(module.sessions)
    sessions = (
        _("The module has one online session.")
        if count == 1
        else _("The module has {count} online sessions.").format(count=count)
    )
    lines += [
        sessions
        + " "
        + _(
            "Between sessions the team works on its own city's data and meets its coach every "
            "{weeks} weeks."
        ).format(weeks=programme.coaching.cadence_weeks),
        "",
    ]
    for s in module.sessions:
        lines += _session_block(s, feeds, pages.get(s.id))
    return "\n".join(lines).rstrip() + "\n"


def capstone_page(programme: Programme, pages: dict[str, SessionPage]) -> str:
    d = programme.deliverable
    feeds = _producers(programme)
    lines = [
        "# " + _("Capstone: the citywide data strategy"),
        "",
        d.summary.strip(),
        "",
        _(
            "In the last month the team turns its workshop answers into a {years}-year plan. "
            "The mayor signs it at the end of the program."
        ).format(years=d.horizon_years),
        "",
    ]
    for s in programme.capstone:
        lines += _session_block(s, feeds, pages.get(s.id))
    lines += ["## " + _("The parts of the strategy and where each comes from"), ""]
    lines += _deliverable_table(programme)
    return "\n".join(lines).rstrip() + "\n"


def _session_names(programme: Programme) -> dict[str, str]:
    when = _("{title} (month {month})")
    names = {s.id: when.format(title=s.title, month=s.month) for s in programme.sessions()}
    conv = programme.convening
    names[conv.id] = when.format(title=conv.title, month=conv.month)
    for event in [*programme.showcases, *programme.mayor_checkins]:
        names[event.id] = when.format(title=event.title, month=event.month)
    module = _("Module {number}: {title}")
    names.update({m.id: module.format(number=m.number, title=m.title) for m in programme.modules})
    names["coaching"] = _("Coaching sessions")
    return names


def _deliverable_table(programme: Programme) -> list[str]:
    names = _session_names(programme)
    lines = [
        "| " + " | ".join((_("Part"), _("What it contains"), _("Comes from"))) + " |",
        "|---|---|---|",
    ]
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
        "# " + _("The program at a glance"),
        "",
        p.note.strip(),
        "",
        _(
            "The program lasts {months} months. It opens with an in-person convening for mayors, "
            "then runs {modules} modules of online keynotes and workshops for each city's senior "
            "team. A coach meets every city's team every {weeks} weeks. Mayors come back at key "
            "moments to decide and to sign off."
        ).format(months=p.duration_months, modules=len(p.modules), weeks=k.cadence_weeks),
        "",
        "## " + _("Timeline"),
        "",
        f"```{{figure}} {TIMELINE_FILE}",
        f":alt: {timeline_alt}",
        ":name: fig-timeline",
        ":width: 100%",
        "",
        _(
            "The six months at a glance: one row per strand, one diamond per event. "
            "The table below lists the same events in words."
        ),
        "```",
        "",
        "## " + _("What happens when"),
        "",
        _(
            "Weeks count from the cohort's start date. {command} turns them into real dates, "
            "skipping weekends and public holidays."
        ).format(command="`cda cohort schedule`"),
        "",
        _row((_("When"), _("Strand"), _("Event"), _("Who attends"))),
        "|---|---|---|---|",
    ]
    lines += [_row(row) for row in rows]
    lines += [
        "",
        _(
            "Coaching is not in the table: it runs every {weeks} weeks from week {first}, "
            "{minutes} minutes per city ({audience})."
        ).format(
            weeks=k.cadence_weeks,
            first=k.first_week,
            minutes=k.duration_minutes,
            audience=audience(k.audience),
        )
        + f" {k.purpose}",
        "",
        "## " + _("Who takes part"),
        "",
        _(
            "- **The mayor** attends the {convening} in person and returns for the check-ins, "
            "the showcases and the final sign-off."
        ).format(convening=c.title.lower()),
        _(
            "- **The senior team** has {least} to {most} members chosen by the mayor. They attend "
            "every keynote and workshop."
        ).format(least=p.team.min_members, most=p.team.max_members),
        _(
            "- **The CDA lead** runs the program inside the city: roster, calendar, data and "
            "follow-up. See {link}."
        ).format(link="{doc}`lead-orientation`"),
        _("- **The coach** meets the team every {weeks} weeks. See {link}.").format(
            weeks=k.cadence_weeks, link="{doc}`coaching-guide`"
        ),
        "",
        _("Roles a mayor might choose for the senior team:"),
        "",
        _row((_("Role"), _("Why it helps"))),
        "|---|---|",
    ]
    lines += [_row((r.title, r.why)) for r in p.team.roles]
    lines += [
        "",
        "## " + _("The {convening}").format(convening=c.title.lower()),
        "",
        _("Month {month}, {days} days in person, {start} to {end}.").format(
            month=c.month, days=c.days, start=c.start_time, end=c.end_time
        ),
        "",
    ]
    lines += [f"- {r}" for r in c.rules]
    lines += ["", _row((_("Day"), _("Part"), _("Topic"), _("Who attends"))), "|---|---|---|---|"]
    lines += [
        _row((str(b.day), _(DAY_PARTS[b.part]), b.title, audience(b.audience))) for b in c.agenda
    ]
    lines += ["", _("What the convening is for:"), ""]
    lines += [f"- {o}" for o in c.objectives]
    lines += ["", "## " + _("The modules"), ""]
    module = _("Module {number}: {title}")
    for m in p.modules:
        title = module.format(number=m.number, title=m.title)
        lines.append(
            f"- {{doc}}`{title} <modules/{m.id}>` ({_months(m.months)}): {m.theme.lower()}."
        )
    if p.capstone:
        lines.append(
            _("- {link} (month {month}): the data strategy.").format(
                link="{doc}`" + _("The capstone") + " <modules/capstone>`",
                month=p.capstone[0].month,
            )
        )
    lines += [
        "",
        "## " + _("Showcases and mayor check-ins"),
        "",
        _("Each city has its own showcases and check-ins, booked in the city's time zone."),
        "",
    ]
    for e in [*p.showcases, *p.mayor_checkins]:
        lines.append(
            _("- **{title}** (month {month}, {minutes} minutes): {purpose}").format(
                title=e.title, month=e.month, minutes=e.duration_minutes, purpose=e.purpose
            )
        )
    d = p.deliverable
    lines += [
        "",
        "## " + _("What the city leaves with: a {deliverable}").format(deliverable=d.title.lower()),
        "",
        d.summary.strip(),
        "",
    ]
    lines += _deliverable_table(p)
    return "\n".join(lines).rstrip() + "\n"


def _row(cells: Sequence[str]) -> str:
    """One markdown table row."""
    return f"| {' | '.join(_cell(x) for x in cells)} |"


def timeline_table_rows(programme: Programme) -> list[tuple[str, ...]]:
    from cohort_tools.book.timeline import timeline_rows

    when = _("Month {month}, week {week}")
    return [
        (when.format(month=r.month, week=r.week), r.track, r.title, r.audience)
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


#: The data dictionary page's title (a catalog message).
DICTIONARY_TITLE = N_("Data dictionary")


def data_dictionary_page(render: Callable[[], str] | None = None) -> tuple[str, str | None]:
    """The data dictionary page in the current language (the book's Spanish edition makes it inside
    ``i18n.speaking``) and, when it could not be generated, a note saying why."""
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
    intro = _(
        "Every table a city brings to the program, and every column in it: its type, whether it "
        "is required and what values are allowed. `cda data check` tests a city's folder against "
        "exactly these rules. This page is generated from the same schemas, so it cannot drift "
        "from what the check does."
    )
    return f"# {_(DICTIONARY_TITLE)}\n\n{intro}\n\n{body}\n", None


REFERENCES_DOC = "references"

#: The reference part of the book, in order (every edition lists what it has in this order).
REFERENCE_ORDER = (
    REFERENCES_DOC,
    "data-dictionary",
    "standards/race-and-ethnicity",
    "standards/disability",
    "standards/small-numbers",
    "glossary",
)


#: MyST's mark for text in another language than the page's: ``[The Baltimore Sun]{.lang-en}``.
_MARKED = re.compile(r"\[((?:\\.|[^\]\\\n])*)\]\{\.lang-([\w-]+)\}")


def _name(text: str) -> str:
    """A source's title or publisher as the page shows it (MyST), in the current language.

    A name keeps its own language. In the source language it is the text as written. In another
    edition it is the catalog's entry, where the translator writes what is not a name in that
    language and marks the English names, as on any translated page
    (``Reglas de otros publicadores: [US Cancer Statistics]{.lang-en}``); a name the catalog does
    not have yet is the English text, marked as English.
    """
    text = " ".join(text.split())
    language = i18n.current_language()
    if language == i18n.SOURCE_LANGUAGE:
        return text
    if not i18n.untranslated([text], language):
        return i18n.gettext(text)
    escaped = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{escaped}]{{.lang-{i18n.SOURCE_LANGUAGE}}}"


def _plain(myst: str) -> str:
    """Text of MyST with only backslash escapes (a role's text is not parsed)."""
    return re.sub(r"\\(.)", r"\1", myst)


def _cited(title: str, label: str) -> str:
    """A link to a source's entry, its text the title (MyST from :func:`_name`).

    A ``{ref}`` role's text is plain, so a title in parts (a translation with English names marked
    in it) is linked by its first part and the rest follows the link; an English title in a
    translation is linked whole, the link inside the span that marks it English.
    """
    first = _MARKED.match(title)
    if first:
        link = f"{{ref}}`{_cell(_plain(first.group(1)))} <{label}>`"
        return f"[{link}]{{.lang-{first.group(2)}}}" + title[first.end() :]
    marked = _MARKED.search(title)
    head = (title[: marked.start()] if marked else title).rstrip(" (")
    return f"{{ref}}`{_cell(_plain(head))} <{label}>`" + title[len(head) :]


def references_page(refs: References, facts: Facts) -> str:
    """The References page, in the current language: facts that can change (with their "as of"
    dates), the program's own rules of thumb, and every source the curriculum cites (title,
    publisher, year, link, the date it was last checked, and what it supports). Sources keep their
    titles and publishers in their own language (:func:`_name`); the ``(ref-...)=`` targets are the
    same in every edition, so links to an entry work in each."""
    from cohort_tools.kit.pages import ref_label

    def cited(ids: list[str]) -> str:
        return "; ".join(_cited(_name(refs.get(i).title), ref_label(i)) for i in ids)

    lines = [
        "# " + _("References"),
        "",
        _(
            "Every source this curriculum cites is listed on this page: its title, who published "
            "it, the year, a link, the date we last checked it, and what we use it for. When we "
            "could not confirm part of an entry, the entry says so. Check those before you rely on "
            "them."
        ),
        "",
        "## " + _("Facts that can change"),
        "",
        _(
            "Dates and rules set by public bodies change. The notebooks and the tools read these "
            "facts from one file ({file}), so a change made there reaches every page."
        ).format(file="`curriculum/facts.yaml`"),
        "",
    ]
    for f in facts.facts:
        if f.kind != "published":
            continue
        status = (
            "" if f.confirmed else " " + _("**Not fully confirmed:** {note}").format(note=f.caveat)
        )
        when = _("As of {date}. Sources: {sources}.").format(
            date=i18n.format_date(f.as_of), sources=cited(f.sources)
        )
        lines.append(f"- {f.text} *({when})*{status}")
    lines += [
        "",
        "## " + _("The program's own rules of thumb"),
        "",
        _(
            "Some exercises check answers against a range. These ranges are this program's own "
            "guides, not published standards. A team with a good reason may go outside them and "
            "say why."
        ),
        "",
    ]
    for f in facts.facts:
        if f.kind == "program_rule":
            when = _("As of {date}.").format(date=i18n.format_date(f.as_of))
            lines.append(f"- {f.text} *({when})*")
    lines += ["", "## " + _("Sources"), ""]
    for r in refs.references:
        lines += [f"({ref_label(r.id)})=", f"### {_name(r.title)}", ""]
        lines.append(_("- **Publisher:** {publisher}").format(publisher=_name(r.publisher)))
        lines.append(
            _("- **Year:** {year}").format(year=r.year)
            if r.year is not None
            else _("- **Year:** not confirmed")
        )
        lines.append(
            _("- **Link:** {link}").format(link=f"<{r.link}>")
            if r.link
            else _("- **Link:** no stable link confirmed")
        )
        lines.append(
            _("- **Last checked:** {date}").format(date=i18n.format_date(r.checked))
            if r.checked
            else _("- **Last checked:** not re-read for this edition")
        )
        uses = r.uses
        if len(uses) == 1:
            lines.append(_("- **We use it for:** {use}").format(use=uses[0]))
        else:
            lines.append(_("- **We use it for:**"))
            lines += [f"  - {u}" for u in uses]
        if r.caveat:
            lines.append(
                _("- **Note:** {note}").format(note=r.caveat)
                if r.confirmed
                else _("- **Not fully confirmed:** {note}").format(note=r.caveat)
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


#: The sidebar title of a module's own page (the part caption already names the module).
SESSIONS_TITLE = N_("Sessions and objectives")


def programme_pages(programme: Programme, notebooks: list[SessionPage]) -> dict[str, str]:
    """The overview, one page per module and the capstone page, in the current language (give
    ``programme`` in that language: :func:`cohort_tools.model.programme.in_language`)."""
    from cohort_tools.book.timeline import alt_text

    by_session = {p.session.id: p for p in notebooks}
    pages = {
        "programme.md": programme_page(
            programme, timeline_alt=alt_text(programme), rows=timeline_table_rows(programme)
        )
    }
    for m in programme.modules:
        pages[f"modules/{m.id}.md"] = module_page(m, programme, by_session)
    if programme.capstone:
        pages["modules/capstone.md"] = capstone_page(programme, by_session)
    return pages


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
        entry: dict[str, object] = {"file": doc, "title": _(SESSIONS_TITLE)}
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
    parts.append({"caption": "Reference", "chapters": [{"file": d} for d in REFERENCE_ORDER]})
    toc = {"format": "jb-book", "root": "index", "parts": parts}
    header = "# Generated by cohort_tools.book from curriculum/programme.yaml; do not edit.\n"
    return header + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)


def plan_book(programme: Programme, root: Path) -> BookPlan:
    """Everything the book generates, and which session notebooks it will include."""
    plan = BookPlan()
    plan.notebooks, plan.missing_notebooks = find_notebooks(programme, root)
    plan.pages.update(programme_pages(programme, plan.notebooks))
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

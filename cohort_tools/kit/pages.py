"""The facilitation kit as book pages (MyST Markdown), generated from curriculum/kit/*.yaml.

Each function returns the text of one page. :func:`kit_pages` gives every page with its place in the
book, for :mod:`cohort_tools.book.pages`; :mod:`cohort_tools.kit.printable` turns the same text into
the printable HTML and PDF copies, so the book and the printed kit never disagree.

The pages are written in the current language (:func:`cohort_tools.core.i18n.speaking`): their
labels and sentences are catalog messages, the kit's text comes translated from its loaders
(:mod:`cohort_tools.kit.content`), and the programme is given in that language
(``model.programme.in_language``). English is the source: its pages are the messages themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cohort_tools.core.i18n import N_, SOURCE_LANGUAGE, current_language
from cohort_tools.core.i18n import gettext as _
from cohort_tools.kit.content import (
    KeynoteBrief,
    KeynoteBriefs,
    RunOfShow,
    ShowcaseRubrics,
    SkillsSurvey,
    load_keynote_briefs,
    load_run_of_show,
    load_showcase_rubrics,
    load_skills_survey,
)
from cohort_tools.kit.feedback import feedback_file_name, feedback_template
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.references import References, default_references

KIT_INDEX = "kit/index"
RUN_OF_SHOW = "kit/convening"
RUBRICS = "kit/showcase-rubrics"
FEEDBACK = "kit/showcase-feedback"
SURVEY = "kit/skills-survey"
COHORT_VIEW_FILE = "cohort-keynotes.html"

WHO = {  # plural: the convening and keynotes gather every city
    "mayor": N_("mayors"),
    "cda_lead": N_("CDA leads"),
    "senior_team": N_("senior teams"),
    "coach": N_("coaches"),
    "govex": N_("the program team"),
}
WHO_ONE_CITY = {  # singular: a showcase or check-in is one city's meeting
    "mayor": N_("the mayor"),
    "cda_lead": N_("the CDA lead"),
    "senior_team": N_("the senior team"),
    "coach": N_("the coach"),
    "govex": N_("the program team"),
}

#: The pages' titles (each page's heading, its entry in the book's contents and the kit index).
KIT_TITLE = N_("Facilitation kit")
RUN_OF_SHOW_TITLE = N_("The convening, hour by hour")
BRIEF_TITLE = N_("Speaker brief: {title}")
RUBRICS_TITLE = N_("Showcase rubrics")
FEEDBACK_TITLE = N_("Showcase feedback form")

#: A blank to write on, in the printed forms.
_BLANK, _SHORT_BLANK, _LONG_BLANK = "_" * 22, "_" * 14, "_" * 30


def brief_docname(session_id: str) -> str:
    return f"kit/brief-{session_id}"


def ref_label(ref_id: str) -> str:
    """The MyST label of a reference's entry on the References page."""
    return f"ref-{ref_id}"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _who(roles: Sequence[str], *, one_city: bool = False) -> str:
    names = [_(name) if (name := (WHO_ONE_CITY if one_city else WHO).get(r)) else r for r in roles]
    if len(names) == 1:
        return names[0]
    return _("{items} and {last}").format(items=", ".join(names[:-1]), last=names[-1])


def _row(*cells: str) -> str:
    """One row of a Markdown table."""
    return "| " + " | ".join(cells) + " |"


def _doc(text: str, docname: str) -> str:
    """A link to a page of the book, with its text (already in the reader's language)."""
    return f"{{doc}}`{text} </{docname}>`"


def _translated() -> bool:
    """Whether the pages are being written in a language other than English (the source)."""
    return current_language() != SOURCE_LANGUAGE


@dataclass(frozen=True)
class KitPage:
    """One generated page: where it goes in the book, its title, and its text."""

    docname: str
    title: str
    text: str
    printable: bool = True


# --- the convening --------------------------------------------------------------------------------


def run_of_show_page(
    run: RunOfShow, programme: Programme, *, notebooks: set[str] | None = None
) -> str:
    conv = programme.convening
    workbook = (
        "{doc}`/convening-workbook`"
        if notebooks is None or "convening-workbook" in notebooks
        else f"`{conv.notebook}`"
    )
    lines = [
        f"# {_(RUN_OF_SHOW_TITLE)}",
        "",
        _(
            "The convening lasts {days} days, in person, from {start} to {end}. Mayors attend "
            "every day; no one may attend in a mayor's place. Each city's CDA lead joins from "
            "lunch on day 2. This page lists every activity: who runs it, who takes part, and "
            "what it produces."
        ).format(days=conv.days, start=conv.start_time, end=conv.end_time),
        "",
        _(
            "The agenda in {agenda} names the blocks. The mayor's workbook ({workbook}) is used "
            "on the afternoon of day 2."
        ).format(agenda="{doc}`/programme`", workbook=workbook),
        "",
    ]
    header = _row(_("Time"), _("Activity"), _("Who takes part"))
    for day in run.days:
        lines += ["## " + _("Day {day}: {theme}").format(day=day.day, theme=day.theme), ""]
        lines += [header, "|---|---|---|"]
        for act in day.activities:
            lines.append(f"| {act.start}-{act.end} | {_cell(act.title)} | {_cell(_who(act.who))} |")
        lines.append("")
        for act in day.activities:
            if act.is_break:
                continue
            lines += [f"### {act.start}-{act.end}: {act.title}", ""]
            led = _("Led by: {lead}.").format(lead=act.lead) + " " if act.lead else ""
            who = _("For {who}.").format(who=_who(act.who))
            lines += [f"{led}{who}", "", " ".join(act.activity.split()), ""]
            if act.output:
                output = " ".join(act.output.split())
                lines += [_("**It produces:** {output}").format(output=output), ""]
            if act.materials:
                materials = " ".join(act.materials.split())
                lines += [_("**Materials:** {materials}").format(materials=materials), ""]
    return "\n".join(lines).rstrip() + "\n"


# --- keynote briefs ---------------------------------------------------------------------------------


def _sources(ref_ids: Sequence[str], refs: References, *, linked: bool = True) -> str:
    """The sources of an example, each linked to its entry on the References page (``linked``), or
    named only. A source keeps its own title: in another language's pages it is marked as English."""
    cited = []
    for r in ref_ids:
        title = _cell(refs.get(r).title)
        source = f"{{ref}}`{title} <{ref_label(r)}>`" if linked else title
        cited.append(f"[{source}]{{.lang-en}}" if _translated() else source)
    return "; ".join(cited)


def keynote_brief_page(
    brief: KeynoteBrief,
    briefs: KeynoteBriefs,
    programme: Programme,
    refs: References,
    *,
    notebooks: set[str] | None = None,
    linked_references: bool = True,
) -> str:
    """One keynote's brief. ``notebooks``: the docnames of the session notebooks in the book (links
    are made only to those; None links all). ``linked_references``: the book has the References
    page, so each source links to its entry (otherwise sources are named, and the page says where
    they are listed)."""
    session = programme.session(brief.session)
    module = next(m for m in programme.modules if any(s.id == session.id for s in m.sessions))
    talk, talk_end = briefs.talk_minutes, briefs.talk_minutes + briefs.discussion_minutes
    lines = [
        f"# {_(BRIEF_TITLE).format(title=session.title)}",
        "",
        _(
            "**Module {number}, {module}.** Month {month}, week {week}, online, {minutes} "
            "minutes: {talk} minutes of talk and {discussion} of discussion. For the {who} of "
            "every city."
        ).format(
            number=module.number,
            module=module.title.lower(),
            month=session.month,
            week=session.week_of_month,
            minutes=session.duration_minutes,
            talk=talk,
            discussion=briefs.discussion_minutes,
            who=_who(session.audience),
        ),
        "",
        "## " + _("Who should speak"),
        "",
        " ".join(brief.speaker.split()),
        "",
        "## " + _("What the audience should leave with"),
        "",
    ]
    lines += [f"- {a}" for a in brief.aims]
    welcome = _("Welcome. Show the cohort view: every city side by side (see below).")
    lines += [
        "",
        "## " + _("The {minutes} minutes").format(minutes=session.duration_minutes),
        "",
        _row(_("Minutes"), _("What happens")),
        "|---|---|",
        f"| 0-5 | {welcome} |",
        _row(f"5-{talk}", _("The talk. {talk}").format(talk=_cell(brief.talk))),
    ]
    start = talk
    for i, prompt in enumerate(brief.prompts, start=1):
        end = start + prompt.minutes
        lines.append(_row(f"{start}-{end}", _("Discussion prompt {number}").format(number=i)))
        start = end
    if start < talk_end:
        close = _("Close: one thing each team will try before the workshop")
        lines.append(f"| {start}-{talk_end} | {close} |")
    notebook = f"modules/{module.id}/{session.id}"
    shown = (
        _doc(session.title, notebook)
        if notebooks is None or notebook in notebooks
        else f'"{session.title}" (`{session.notebook}`)'
    )
    lines += [
        "",
        _(
            "The keynote's notebook is {notebook}. Run it on a city that has agreed to be shown, "
            "or show the cohort view only."
        ).format(notebook=shown),
        "",
        "## " + _("Real-world examples"),
        "",
    ]
    if not linked_references:
        listed = _("The sources of each example are listed on the {references} page.")
        lines += [listed.format(references="{doc}`/references`"), ""]
    for example in brief.examples:
        sources = _sources(example.refs, refs, linked=linked_references)
        lines += [
            f"### {example.name}",
            "",
            " ".join(example.story.split()),
            "",
            _("**Ask the room:** {question}").format(question=example.ask),
            "",
            _("**Sources:** {sources}.").format(sources=sources),
            "",
        ]
    lines += ["## " + _("Discussion prompts"), ""]
    for i, prompt in enumerate(brief.prompts, start=1):
        text = _("({minutes} minutes) {prompt}").format(
            minutes=prompt.minutes, prompt=" ".join(prompt.text.split())
        )
        lines.append(f"{i}. {text}")
    lines.append("")
    if brief.watch_for:
        lines += ["## " + _("Watch for"), ""]
        lines += [f"- {w}" for w in brief.watch_for]
        lines.append("")
    lines += [
        "## " + _("The cohort view"),
        "",
        _(
            "A keynote is for every city at once, but its notebook shows one city. `cda demo` "
            "writes a page with every city side by side (`kit/{file}` in its output folder), with "
            "one table per keynote. Open the talk with this keynote's table: the spread across the "
            "cohort first, then one city. Do not rank cities aloud."
        ).format(file=COHORT_VIEW_FILE),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


# --- showcase rubrics and feedback ---------------------------------------------------------------


def rubrics_page(rubrics: ShowcaseRubrics, programme: Programme) -> str:
    lines = [
        f"# {_(RUBRICS_TITLE)}",
        "",
        _(
            "A showcase is where the senior team and the mayor show a practice they have put in "
            "place, and the coach gives feedback. The rubric below tells the team in advance what "
            "the coach will look for. Share it at the coaching call before the showcase."
        ),
        "",
        _("Each criterion has four levels:"),
        "",
        _row(_("Level"), _("Points"), _("What it means")),
        "|---|---|---|",
    ]
    lines += [f"| {lv.name} | {lv.points} | {_cell(lv.means)} |" for lv in rubrics.levels]
    lines += [
        "",
        _(
            "The points are for feedback, not a grade. They show the team where the practice is "
            "strong and what would make it last. The coach records them in the {form}."
        ).format(form=_doc(_("feedback form"), FEEDBACK)),
        "",
    ]
    names = [lv.name for lv in rubrics.levels]
    for showcase in programme.showcases:
        rubric = rubrics.for_showcase(showcase.id)
        lines += [
            f"## {showcase.title}",
            "",
            _("Month {month}, {minutes} minutes, with {who}.").format(
                month=showcase.month,
                minutes=showcase.duration_minutes,
                who=_who(showcase.audience, one_city=True),
            ),
            "",
            " ".join(rubric.summary.split()),
            "",
            _("**What to bring:**"),
            "",
        ]
        lines += [f"- {p}" for p in rubric.prepare]
        lines += [
            "",
            _row(_("Criterion"), *(f"{n} ({i})" for i, n in enumerate(names))),
            "|---|---|---|---|---|",
        ]
        for c in rubric.criteria:
            lines.append(
                f"| **{_cell(c.name)}**: {_cell(c.question)} | "
                + " | ".join(_cell(lv) for lv in c.levels)
                + " |"
            )
        lines += ["", _("Highest total: {points} points.").format(points=rubric.max_points), ""]
    return "\n".join(lines).rstrip() + "\n"


def feedback_page(rubrics: ShowcaseRubrics, programme: Programme) -> str:
    spec = rubrics.feedback_form
    lines = [
        f"# {_(FEEDBACK_TITLE)}",
        "",
        " ".join(spec.intro.split()),
        "",
        _(
            "Rate each criterion of the {rubric} from 0 (not yet) to 3 (built to last), and write "
            "the evidence you saw. Then name what worked, what to improve, and the next steps, "
            "each with the role that owns it and a date."
        ).format(rubric=_doc(_("rubric"), RUBRICS)),
        "",
    ]
    for showcase in programme.showcases:
        rubric = rubrics.for_showcase(showcase.id)
        lines += [
            f"## {showcase.title}",
            "",
            _("City: {city}  Date: {date}  Who attended (roles): {attendees}").format(
                city=_BLANK, date=_SHORT_BLANK, attendees=_LONG_BLANK
            ),
            "",
            _row(_("Criterion"), _("Level (0-3)"), _("Evidence you saw")),
            "|---|---|---|",
        ]
        lines += [f"| {_cell(c.name)} | | |" for c in rubric.criteria]
        lines += [
            "",
            _row(_("What worked well"), _("What to improve next")),
            "|---|---|",
            "| 1. | 1. |",
            "| 2. | 2. |",
            "| 3. | 3. |",
            "",
            _row(_("Next step"), _("Owner (role)"), _("Due date")),
            "|---|---|---|",
            "| | | |",
            "| | | |",
            "| | | |",
            "",
            _("A decision the mayor needs to make, if any: {blank}").format(blank="_" * 44),
            "",
        ]
    first = rubrics.for_showcase(programme.showcases[0].id)
    file_name = feedback_file_name(first.showcase)
    lines += [
        "## " + _("The same form as a file"),
        "",
        _(
            "Coaches can fill in the form as a YAML file instead, one per city and showcase, saved "
            "beside the city's coaching log (for example `{file}`). The check reads it like the "
            "coaching log: roles only, every criterion rated, a level from 0 to 3 with evidence, "
            "and next steps dated on or after the showcase."
        ).format(file=file_name),
        "",
        "```yaml",
        feedback_template(first).rstrip(),
        "```",
        "",
        _("Check a filled-in form with:"),
        "",
        "```console",
        f"cda kit feedback cities/riverton/{file_name} --city riverton",
        "```",
        "",
        _(
            "The command lists every problem, with the line and the field, and what to write instead."
        ),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


# --- the skills survey ---------------------------------------------------------------------------


def survey_page(survey: SkillsSurvey, *, threshold: int) -> str:
    from cohort_tools.citydata.schemas import TABLES
    from cohort_tools.kit.survey import SURVEY_TABLE, survey_columns

    def fill(text: str) -> str:
        return " ".join(text.replace("{threshold}", str(threshold)).split())

    box = "\u2610"
    lines = [
        f"# {survey.title}",
        "",
        _(
            "Module 2 starts from what staff can do with data today. This survey measures it. The "
            "CDA lead runs it in month 2, after the convening, so the results are ready for the "
            "Module 2 keynote. It takes about {minutes} minutes to answer. The answers go into the "
            "city's data folder as the staff survey table, which the Module 2 notebooks read."
        ).format(minutes=survey.minutes),
        "",
        "## " + _("How to run it"),
        "",
    ]
    for i, step in enumerate(survey.how_to_run, start=1):
        lines.append(f"{i}. **{step.title}.** {fill(step.text)}")
    lines += [
        "",
        "```{note}",
        _(
            "The reporting limit is the city's own suppression threshold. The tools use "
            "{threshold} when a city sets none. See {page}."
        ).format(threshold=threshold, page="{doc}`/standards/small-numbers`"),
        "```",
        "",
        "## " + _("The form"),
        "",
        _(
            "Print this section, or copy its questions into a form tool that does not record who "
            "answered."
        ),
        "",
        f"**{survey.title}.** {fill(survey.intro)}",
        "",
        _("**Your privacy.** {text}").format(text=fill(survey.anonymity)),
        "",
        f"**1. {survey.questions.department.text}** {survey.questions.department.help}",
        "",
        _("Department: {blank}").format(blank=_LONG_BLANK),
        "",
        f"**2. {survey.questions.role_family.text}**",
        "",
    ]
    lines += [f"- {box} {text}" for text in survey.questions.role_family.options.values()]
    lines += [
        "",
        _(
            "**For each skill below, choose the one level that fits you best, then answer "
            '"{question}"**'
        ).format(question=survey.questions.training.text),
        "",
    ]
    lines += [f"- {text}" for text in survey.scale.values()]
    lines.append("")
    levels = "  ".join(f"{box} {_level_name(code, text)}" for code, text in survey.scale.items())
    training = "  ".join(f"{box} {t}" for t in survey.questions.training.options.values())
    for n, skill in enumerate(survey.skills.values(), start=3):
        lines += [
            f"**{n}. {skill.name}.** {skill.question}",
            "",
            _("For example: {example}").format(example=skill.example),
            "",
            _("My level: {levels}").format(levels=levels),
            "",
            _("Training: {options}").format(options=training),
            "",
        ]
    schema = TABLES[SURVEY_TABLE]
    lines += [
        "## " + _("The data file"),
        "",
        _(
            "Write one row per person and skill in `staff_survey.csv`, in the city's data folder. "
            "The columns are:"
        ),
        "",
        _row(_("Column"), _("What to write")),
        "|---|---|",
    ]
    for name in survey_columns():
        description = schema.columns[name].description or ""
        lines.append(f"| `{name}` | {_cell(_(description) if description else '')} |")
    lines += [
        "",
        _(
            "The levels are the words of the scale, in lower case. Training is `True`, `False`, "
            "or blank for not sure. For example:"
        ),
        "",
        "```text",
        ",".join(survey_columns()),
        "R7F3A21,PW,frontline,data_literacy,working,True",
        "R7F3A21,PW,frontline,data_analysis,awareness,",
        "```",
        "",
        _("Then check the folder. The check lists every problem, with the row and the column:"),
        "",
        "```console",
        "cda data check cities/riverton",
        "```",
        "",
        _(
            "`cda demo` writes an example folder that passes the check "
            "(`kit/skills-survey-example/` in its output), with the template `staff_survey.csv` "
            "to copy."
        ),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def _level_name(code: str, text: str) -> str:
    """A level's name as the scale writes it ("Awareness: I know..." -> "Awareness"), in the
    reader's language; the code, capitalised, when the scale gives no name."""
    name, colon, _rest = text.partition(":")
    return name.strip() if colon and name.strip() else code.capitalize()


# --- the kit as a whole --------------------------------------------------------------------------


def kit_index_page(programme: Programme, briefs: KeynoteBriefs) -> str:
    lines = [
        f"# {_(KIT_TITLE)}",
        "",
        _(
            "The notebooks teach the practices. This kit is for the people who run the program "
            "around them: the program team at the convening, keynote speakers, coaches and CDA "
            "leads. Every page here also prints: `cda demo` writes each one as a PDF in the `kit` "
            "folder of its output."
        ),
        "",
        "- "
        + _("{page}: every activity of the three days, who leads it and what it produces.").format(
            page=_doc(_(RUN_OF_SHOW_TITLE), RUN_OF_SHOW)
        ),
    ]
    for brief in briefs.briefs:
        session = programme.session(brief.session)
        page = _doc(_(BRIEF_TITLE).format(title=session.title), brief_docname(brief.session))
        lines.append(
            "- "
            + _(
                "{page}: who should speak, real-world examples and prompts for the discussion."
            ).format(page=page)
        )
    lines += [
        "- "
        + _("{rubrics} and the {form} the coach fills in.").format(
            rubrics=_doc(_(RUBRICS_TITLE), RUBRICS), form=_doc(_("feedback form"), FEEDBACK)
        ),
        "- "
        + _("{survey} that Module 2 reads, and how to run it.").format(
            survey=_doc(_("The staff skills survey"), SURVEY)
        ),
        "- "
        + _("{guide}, phase by phase.").format(
            guide=_doc(_("The coaching guide"), "coaching-guide")
        ),
        "- "
        + _("{guide} to the role.").format(
            guide=_doc(_("The CDA lead's guide"), "lead-orientation")
        ),
        "",
        _("Every fact on these pages is cited on the {references} page.").format(
            references="{doc}`/references`"
        ),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def kit_docnames(programme: Programme) -> list[str]:
    """The kit's pages in book order (without reading the kit's files)."""
    briefs = [brief_docname(s.id) for s in programme.sessions() if s.kind == "keynote"]
    return [KIT_INDEX, RUN_OF_SHOW, *briefs, RUBRICS, FEEDBACK, SURVEY]


def kit_pages(
    programme: Programme | None = None,
    *,
    references: References | None = None,
    threshold: int | None = None,
    notebooks: set[str] | None = None,
    linked_references: bool = True,
) -> list[KitPage]:
    """Every generated page of the kit, in book order, in the current language (give ``programme``
    in that language: :func:`cohort_tools.model.programme.in_language`). ``notebooks`` and
    ``linked_references``: see :func:`keynote_brief_page`."""
    from cohort_tools.policy.privacy import DEFAULT_THRESHOLD

    prog = programme or load_programme()
    refs = references or default_references()
    briefs = load_keynote_briefs(programme=prog, references=refs)
    rubrics = load_showcase_rubrics(programme=prog)
    survey = load_skills_survey()
    pages = [
        KitPage(KIT_INDEX, _(KIT_TITLE), kit_index_page(prog, briefs), printable=False),
        KitPage(
            RUN_OF_SHOW,
            _(RUN_OF_SHOW_TITLE),
            run_of_show_page(load_run_of_show(programme=prog), prog, notebooks=notebooks),
        ),
    ]
    order = [s.id for s in prog.sessions()]
    for brief in sorted(briefs.briefs, key=lambda b: order.index(b.session)):
        pages.append(
            KitPage(
                brief_docname(brief.session),
                _(BRIEF_TITLE).format(title=prog.session(brief.session).title),
                keynote_brief_page(
                    brief,
                    briefs,
                    prog,
                    refs,
                    notebooks=notebooks,
                    linked_references=linked_references,
                ),
            )
        )
    pages += [
        KitPage(RUBRICS, _(RUBRICS_TITLE), rubrics_page(rubrics, prog)),
        KitPage(FEEDBACK, _(FEEDBACK_TITLE), feedback_page(rubrics, prog)),
        KitPage(
            SURVEY, survey.title, survey_page(survey, threshold=threshold or DEFAULT_THRESHOLD)
        ),
    ]
    return pages

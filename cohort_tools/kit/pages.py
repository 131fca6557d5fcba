"""The facilitation kit as book pages (MyST Markdown), generated from curriculum/kit/*.yaml.

Each function returns the text of one page. :func:`kit_pages` gives every page with its place in the
book, for :mod:`cohort_tools.book.pages`; :mod:`cohort_tools.kit.printable` turns the same text into
the printable HTML and PDF copies, so the book and the printed kit never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    "mayor": "mayors",
    "cda_lead": "CDA leads",
    "senior_team": "senior teams",
    "coach": "coaches",
    "govex": "the program team",
}
WHO_ONE_CITY = {  # singular: a showcase or check-in is one city's meeting
    "mayor": "the mayor",
    "cda_lead": "the CDA lead",
    "senior_team": "the senior team",
    "coach": "the coach",
    "govex": "the program team",
}


def brief_docname(session_id: str) -> str:
    return f"kit/brief-{session_id}"


def ref_label(ref_id: str) -> str:
    """The MyST label of a reference's entry on the References page."""
    return f"ref-{ref_id}"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _who(roles: Sequence[str], *, one_city: bool = False) -> str:
    names = [(WHO_ONE_CITY if one_city else WHO).get(r, r) for r in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
    lines = [
        "# The convening, hour by hour",
        "",
        f"The convening lasts {conv.days} days, in person, from {conv.start_time} to "
        f"{conv.end_time}. Mayors attend every day; no one may attend in a mayor's place. Each "
        "city's CDA lead joins from lunch on day 2. This page lists every activity: who runs it, "
        "who takes part, and what it produces.",
        "",
        "The agenda in {doc}`/programme` names the blocks. The mayor's workbook "
        + (
            "({doc}`/convening-workbook`)"
            if notebooks is None or "convening-workbook" in notebooks
            else f"(`{conv.notebook}`)"
        )
        + " is used on the afternoon of day 2.",
        "",
    ]
    for day in run.days:
        lines += [f"## Day {day.day}: {day.theme}", ""]
        lines += ["| Time | Activity | Who takes part |", "|---|---|---|"]
        for act in day.activities:
            lines.append(f"| {act.start}-{act.end} | {_cell(act.title)} | {_cell(_who(act.who))} |")
        lines.append("")
        for act in day.activities:
            if act.is_break:
                continue
            lines += [f"### {act.start}-{act.end}: {act.title}", ""]
            led = f"Led by: {act.lead}. " if act.lead else ""
            lines += [f"{led}For {_who(act.who)}.", "", " ".join(act.activity.split()), ""]
            if act.output:
                lines += [f"**It produces:** {' '.join(act.output.split())}", ""]
            if act.materials:
                lines += [f"**Materials:** {' '.join(act.materials.split())}", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- keynote briefs ---------------------------------------------------------------------------------


def _sources(ref_ids: Sequence[str], refs: References) -> str:
    return "; ".join(f"{{ref}}`{_cell(refs.get(r).title)} <{ref_label(r)}>`" for r in ref_ids)


def keynote_brief_page(
    brief: KeynoteBrief,
    briefs: KeynoteBriefs,
    programme: Programme,
    refs: References,
    *,
    notebooks: set[str] | None = None,
) -> str:
    """One keynote's brief. ``notebooks``: the docnames of the session notebooks in the book (links
    are made only to those; None links all)."""
    session = programme.session(brief.session)
    module = next(m for m in programme.modules if any(s.id == session.id for s in m.sessions))
    talk, talk_end = briefs.talk_minutes, briefs.talk_minutes + briefs.discussion_minutes
    lines = [
        f"# Speaker brief: {session.title}",
        "",
        f"**Module {module.number}, {module.title.lower()}.** Month {session.month}, week "
        f"{session.week_of_month}, online, {session.duration_minutes} minutes: {talk} minutes of "
        f"talk and {briefs.discussion_minutes} of discussion. For the {_who(session.audience)} "
        "of every city.",
        "",
        "## Who should speak",
        "",
        " ".join(brief.speaker.split()),
        "",
        "## What the audience should leave with",
        "",
    ]
    lines += [f"- {a}" for a in brief.aims]
    lines += [
        "",
        "## The 90 minutes",
        "",
        "| Minutes | What happens |",
        "|---|---|",
        "| 0-5 | Welcome. Show the cohort view: every city side by side (see below). |",
        f"| 5-{talk} | The talk. {_cell(brief.talk)} |",
    ]
    start = talk
    for i, prompt in enumerate(brief.prompts, start=1):
        end = start + prompt.minutes
        lines.append(f"| {start}-{end} | Discussion prompt {i} |")
        start = end
    if start < talk_end:
        lines.append(
            f"| {start}-{talk_end} | Close: one thing each team will try before the workshop |"
        )
    notebook = f"modules/{module.id}/{session.id}"
    shown = (
        f"{{doc}}`{session.title} </{notebook}>`"
        if notebooks is None or notebook in notebooks
        else f'"{session.title}" (`{session.notebook}`)'
    )
    lines += [
        "",
        f"The keynote's notebook is {shown}. Run it on a city that has agreed to be shown, or "
        "show the cohort view only.",
        "",
        "## Real-world examples",
        "",
    ]
    for example in brief.examples:
        lines += [
            f"### {example.name}",
            "",
            " ".join(example.story.split()),
            "",
            f"**Ask the room:** {example.ask}",
            "",
            f"**Sources:** {_sources(example.refs, refs)}.",
            "",
        ]
    lines += ["## Discussion prompts", ""]
    for i, prompt in enumerate(brief.prompts, start=1):
        lines.append(f"{i}. ({prompt.minutes} minutes) {' '.join(prompt.text.split())}")
    lines.append("")
    if brief.watch_for:
        lines += ["## Watch for", ""]
        lines += [f"- {w}" for w in brief.watch_for]
        lines.append("")
    lines += [
        "## The cohort view",
        "",
        "A keynote is for every city at once, but its notebook shows one city. `cda demo` writes "
        f"a page with every city side by side (`kit/{COHORT_VIEW_FILE}` in its output folder), "
        f"with one table per keynote. Open the talk with this keynote's table: the spread across "
        "the cohort first, then one city. Do not rank cities aloud.",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


# --- showcase rubrics and feedback ---------------------------------------------------------------


def rubrics_page(rubrics: ShowcaseRubrics, programme: Programme) -> str:
    lines = [
        "# Showcase rubrics",
        "",
        "A showcase is where the senior team and the mayor show a practice they have put in "
        "place, and the coach gives feedback. The rubric below tells the team in advance what the "
        "coach will look for. Share it at the coaching call before the showcase.",
        "",
        "Each criterion has four levels:",
        "",
        "| Level | Points | What it means |",
        "|---|---|---|",
    ]
    lines += [f"| {lv.name} | {lv.points} | {_cell(lv.means)} |" for lv in rubrics.levels]
    lines += [
        "",
        "The points are for feedback, not a grade. They show the team where the practice is "
        "strong and what would make it last. The coach records them in the "
        f"{{doc}}`feedback form </{FEEDBACK}>`.",
        "",
    ]
    names = [lv.name for lv in rubrics.levels]
    for showcase in programme.showcases:
        rubric = rubrics.for_showcase(showcase.id)
        lines += [
            f"## {showcase.title}",
            "",
            f"Month {showcase.month}, {showcase.duration_minutes} minutes, with "
            f"{_who(showcase.audience, one_city=True)}.",
            "",
            " ".join(rubric.summary.split()),
            "",
            "**What to bring:**",
            "",
        ]
        lines += [f"- {p}" for p in rubric.prepare]
        lines += [
            "",
            "| Criterion | " + " | ".join(f"{n} ({i})" for i, n in enumerate(names)) + " |",
            "|---|---|---|---|---|",
        ]
        for c in rubric.criteria:
            lines.append(
                f"| **{_cell(c.name)}**: {_cell(c.question)} | "
                + " | ".join(_cell(lv) for lv in c.levels)
                + " |"
            )
        lines += ["", f"Highest total: {rubric.max_points} points.", ""]
    return "\n".join(lines).rstrip() + "\n"


def feedback_page(rubrics: ShowcaseRubrics, programme: Programme) -> str:
    spec = rubrics.feedback_form
    lines = [
        "# Showcase feedback form",
        "",
        " ".join(spec.intro.split()),
        "",
        f"Rate each criterion of the {{doc}}`rubric </{RUBRICS}>` from 0 (not yet) to 3 (built to "
        "last), and write the evidence you saw. Then name what worked, what to improve, and the "
        "next steps, each with the role that owns it and a date.",
        "",
    ]
    for showcase in programme.showcases:
        rubric = rubrics.for_showcase(showcase.id)
        lines += [
            f"## {showcase.title}",
            "",
            "City: ______________________  Date: ______________  "
            "Who attended (roles): ______________________________",
            "",
            "| Criterion | Level (0-3) | Evidence you saw |",
            "|---|---|---|",
        ]
        lines += [f"| {_cell(c.name)} | | |" for c in rubric.criteria]
        lines += [
            "",
            "| What worked well | What to improve next |",
            "|---|---|",
            "| 1. | 1. |",
            "| 2. | 2. |",
            "| 3. | 3. |",
            "",
            "| Next step | Owner (role) | Due date |",
            "|---|---|---|",
            "| | | |",
            "| | | |",
            "| | | |",
            "",
            "A decision the mayor needs to make, if any: "
            "____________________________________________",
            "",
        ]
    first = rubrics.for_showcase(programme.showcases[0].id)
    lines += [
        "## The same form as a file",
        "",
        "Coaches can fill in the form as a YAML file instead, one per city and showcase, saved "
        f"beside the city's coaching log (for example `{feedback_file_name(first.showcase)}`). "
        "The check reads it like the coaching log: roles only, every criterion rated, a level "
        "from 0 to 3 with evidence, and next steps dated on or after the showcase.",
        "",
        "```yaml",
        feedback_template(first).rstrip(),
        "```",
        "",
        "Check a filled-in form with:",
        "",
        "```console",
        f"cda kit feedback cities/riverton/{feedback_file_name(first.showcase)} --city riverton",
        "```",
        "",
        "The command lists every problem, with the line and the field, and what to write instead.",
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
        "Module 2 starts from what staff can do with data today. This survey measures it. The "
        "CDA lead runs it in month 2, after the convening, so the results are ready for the "
        "Module 2 keynote. It takes about "
        f"{survey.minutes} minutes to answer. The answers go into the city's data folder as the "
        "staff survey table, which the Module 2 notebooks read.",
        "",
        "## How to run it",
        "",
    ]
    for i, step in enumerate(survey.how_to_run, start=1):
        lines.append(f"{i}. **{step.title}.** {fill(step.text)}")
    lines += [
        "",
        "```{note}",
        f"The reporting limit is the city's own suppression threshold. The tools use {threshold} "
        "when a city sets none. See {doc}`/standards/small-numbers`.",
        "```",
        "",
        "## The form",
        "",
        "Print this section, or copy its questions into a form tool that does not record who "
        "answered.",
        "",
        f"**{survey.title}.** {fill(survey.intro)}",
        "",
        f"**Your privacy.** {fill(survey.anonymity)}",
        "",
        f"**1. {survey.questions.department.text}** {survey.questions.department.help}",
        "",
        "Department: ______________________________",
        "",
        f"**2. {survey.questions.role_family.text}**",
        "",
    ]
    lines += [f"- {box} {text}" for text in survey.questions.role_family.options.values()]
    lines += [
        "",
        f"**For each skill below, choose the one level that fits you best, then answer "
        f'"{survey.questions.training.text}"**',
        "",
    ]
    lines += [f"- {text}" for text in survey.scale.values()]
    lines.append("")
    levels = "  ".join(f"{box} {code.capitalize()}" for code in survey.scale)
    training = "  ".join(f"{box} {t}" for t in survey.questions.training.options.values())
    for n, skill in enumerate(survey.skills.values(), start=3):
        lines += [
            f"**{n}. {skill.name}.** {skill.question}",
            "",
            f"For example: {skill.example}",
            "",
            f"My level: {levels}",
            "",
            f"Training: {training}",
            "",
        ]
    schema = TABLES[SURVEY_TABLE]
    lines += [
        "## The data file",
        "",
        "Write one row per person and skill in `staff_survey.csv`, in the city's data folder. The "
        "columns are:",
        "",
        "| Column | What to write |",
        "|---|---|",
    ]
    for name in survey_columns():
        description = schema.columns[name].description or ""
        lines.append(f"| `{name}` | {_cell(description)} |")
    lines += [
        "",
        "The levels are the words of the scale, in lower case. Training is `True`, `False`, or "
        "blank for not sure. For example:",
        "",
        "```text",
        ",".join(survey_columns()),
        "R7F3A21,PW,frontline,data_literacy,working,True",
        "R7F3A21,PW,frontline,data_analysis,awareness,",
        "```",
        "",
        "Then check the folder. The check lists every problem, with the row and the column:",
        "",
        "```console",
        "cda data check cities/riverton",
        "```",
        "",
        "`cda demo` writes an example folder that passes the check (`kit/skills-survey-example/` "
        "in its output), with the template `staff_survey.csv` to copy.",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


# --- the kit as a whole --------------------------------------------------------------------------


def kit_index_page(programme: Programme, briefs: KeynoteBriefs) -> str:
    lines = [
        "# Facilitation kit",
        "",
        "The notebooks teach the practices. This kit is for the people who run the program "
        "around them: the program team at the convening, keynote speakers, coaches and CDA "
        "leads. Every page here also prints: `cda demo` writes each one as a PDF in the `kit` "
        "folder of its output.",
        "",
        f"- {{doc}}`The convening, hour by hour </{RUN_OF_SHOW}>`: every activity of the three "
        "days, who leads it and what it produces.",
    ]
    for brief in briefs.briefs:
        session = programme.session(brief.session)
        lines.append(
            f"- {{doc}}`Speaker brief: {session.title} </{brief_docname(brief.session)}>`: who "
            "should speak, real-world examples and prompts for the discussion."
        )
    lines += [
        f"- {{doc}}`Showcase rubrics </{RUBRICS}>` and the {{doc}}`feedback form </{FEEDBACK}>` "
        "the coach fills in.",
        f"- {{doc}}`The staff skills survey </{SURVEY}>` that Module 2 reads, and how to run it.",
        "- {doc}`The coaching guide </coaching-guide>`, phase by phase.",
        "- {doc}`The CDA lead's guide </lead-orientation>` to the role.",
        "",
        "Every fact on these pages is cited on the {doc}`/references` page.",
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
) -> list[KitPage]:
    """Every generated page of the kit, in book order (``notebooks``: see keynote_brief_page)."""
    from cohort_tools.policy.privacy import DEFAULT_THRESHOLD

    prog = programme or load_programme()
    refs = references or default_references()
    briefs = load_keynote_briefs(programme=prog, references=refs)
    rubrics = load_showcase_rubrics(programme=prog)
    pages = [
        KitPage(KIT_INDEX, "Facilitation kit", kit_index_page(prog, briefs), printable=False),
        KitPage(
            RUN_OF_SHOW,
            "The convening, hour by hour",
            run_of_show_page(load_run_of_show(programme=prog), prog, notebooks=notebooks),
        ),
    ]
    order = [s.id for s in prog.sessions()]
    for brief in sorted(briefs.briefs, key=lambda b: order.index(b.session)):
        pages.append(
            KitPage(
                brief_docname(brief.session),
                f"Speaker brief: {prog.session(brief.session).title}",
                keynote_brief_page(brief, briefs, prog, refs, notebooks=notebooks),
            )
        )
    pages += [
        KitPage(RUBRICS, "Showcase rubrics", rubrics_page(rubrics, prog)),
        KitPage(FEEDBACK, "Showcase feedback form", feedback_page(rubrics, prog)),
        KitPage(
            SURVEY,
            load_skills_survey().title,
            survey_page(load_skills_survey(), threshold=threshold or DEFAULT_THRESHOLD),
        ),
    ]
    return pages

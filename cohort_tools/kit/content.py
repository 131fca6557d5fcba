"""The facilitation kit's content as data: typed, strict models for curriculum/kit/*.yaml.

- ``showcases.yaml``: one rubric per showcase of the program, and the coach's feedback form;
- ``skills_survey.yaml``: the staff data-skills survey that Module 2 reads;
- ``convening.yaml``: the three-day convening, activity by activity;
- ``keynotes.yaml``: a speaker brief, cited examples and discussion prompts for each keynote.

Each loader checks its file against the program (``curriculum/programme.yaml``), the references
(``curriculum/references.yaml``) and, for the survey, the city data format, and raises
:class:`~cohort_tools.core.errors.CdaError` naming the file, the line and the field of every problem.
It then gives the file's text in the current language (:func:`cohort_tools.core.i18n.speaking`):
the text people read is extracted into the catalog (babel.cfg, :data:`TEXT_KEYS`), and translated
through it as the programme is (``model.programme.in_language``); ids, codes, roles, clock times and
numbers are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from cohort_tools.core.config import StrictModel, YamlDocument, load_yaml, problems_from_validation
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import SOURCE_LANGUAGE, current_language, translate_texts
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.references import References, curriculum_file, default_references

Text = Annotated[str, Field(min_length=1)]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Role = Literal["mayor", "cda_lead", "senior_team", "coach", "govex"]
M = TypeVar("M", bound=BaseModel)


class _Strict(StrictModel):
    """Kit content: unknown fields are errors, values do not change."""


def kit_dir() -> Path:
    return curriculum_file("kit")


#: Each kit file's keys whose values are text people read. babel.cfg extracts the same keys into
#: the catalog (its ``keys = ...`` line for the file; a mapping under one of them, such as the
#: survey's ``options``, is a table of codes to texts), and the loaders translate them.
TEXT_KEYS: dict[str, frozenset[str]] = {
    "convening.yaml": frozenset({"theme", "title", "lead", "activity", "output", "materials"}),
    "keynotes.yaml": frozenset(
        {"speaker", "aims", "talk", "watch_for", "name", "story", "ask", "text"}
    ),
    "showcases.yaml": frozenset(
        {"name", "means", "summary", "prepare", "question", "levels", "intro"}
    ),
    "skills_survey.yaml": frozenset(
        {
            "title",
            "intro",
            "anonymity",
            "text",
            "help",
            "options",
            "scale",
            "name",
            "question",
            "example",
        }
    ),
}

#: Keys whose values hold no text people read, under a key that does (babel.cfg's ``skip = ...``):
#: the feedback form's field list (``name`` there is a field id; no page shows the labels).
SKIP_KEYS: dict[str, frozenset[str]] = {"showcases.yaml": frozenset({"fields"})}


def in_current_language(value: M, name: str) -> M:
    """A validated kit file (``name``: its file name in curriculum/kit) with its text in the current
    language; the English where the catalog has no translation yet."""
    if current_language() == SOURCE_LANGUAGE:
        return value
    data = translate_texts(
        value.model_dump(), TEXT_KEYS[name], skip=SKIP_KEYS.get(name, frozenset())
    )
    return type(value).model_validate(data)


# --- showcase rubrics ----------------------------------------------------------------------------


class Level(_Strict):
    points: int = Field(ge=0, le=3)
    name: Text
    means: Text


class Criterion(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Text
    question: Text
    levels: list[Text] = Field(min_length=4, max_length=4)


class Rubric(_Strict):
    showcase: str
    summary: Text
    prepare: list[Text] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=3)

    @property
    def max_points(self) -> int:
        return 3 * len(self.criteria)

    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]


class FormField(_Strict):
    name: Text
    label: Text


class FeedbackFormSpec(_Strict):
    intro: Text
    fields: list[FormField] = Field(min_length=1)


class ShowcaseRubrics(_Strict):
    levels: list[Level] = Field(min_length=4, max_length=4)
    rubrics: list[Rubric] = Field(min_length=1)
    feedback_form: FeedbackFormSpec

    @model_validator(mode="after")
    def _levels_in_order(self) -> ShowcaseRubrics:
        if [lv.points for lv in self.levels] != [0, 1, 2, 3]:
            raise ValueError("the levels must be worth 0, 1, 2 and 3 points, in that order")
        for rubric in self.rubrics:
            ids = rubric.criterion_ids()
            if len(set(ids)) != len(ids):
                raise ValueError(f"the rubric for {rubric.showcase} repeats a criterion id")
        return self

    def for_showcase(self, showcase_id: str) -> Rubric:
        for rubric in self.rubrics:
            if rubric.showcase == showcase_id:
                return rubric
        raise KeyError(showcase_id)


# --- the staff skills survey ---------------------------------------------------------------------


class SkillQuestion(_Strict):
    name: Text
    question: Text
    example: Text


class ChoiceQuestion(_Strict):
    text: Text
    help: str = ""
    options: dict[str, Text] = Field(default_factory=dict)


class SurveyQuestions(_Strict):
    department: ChoiceQuestion
    role_family: ChoiceQuestion
    training: ChoiceQuestion


class Step(_Strict):
    title: Text
    text: Text


class SkillsSurvey(_Strict):
    title: Text
    minutes: int = Field(gt=0, le=60)
    intro: Text
    anonymity: Text
    questions: SurveyQuestions
    scale: dict[str, Text]
    skills: dict[str, SkillQuestion]
    how_to_run: list[Step] = Field(min_length=1)


# --- the convening -------------------------------------------------------------------------------


class Activity(_Strict):
    start: Clock
    end: Clock
    block: Text  # "<day> <part>" of an agenda block in programme.yaml, e.g. "2 afternoon"
    title: Text
    lead: str
    who: list[Role] = Field(min_length=1)
    activity: Text
    output: str
    materials: str = ""

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)

    @property
    def is_break(self) -> bool:
        """A break or a meal: no one leads it (read from the data, in any language)."""
        return not self.lead.strip()


class ConveningDay(_Strict):
    day: int = Field(ge=1, le=3)
    theme: Text
    activities: list[Activity] = Field(min_length=1)


class RunOfShow(_Strict):
    days: list[ConveningDay] = Field(min_length=1)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


# --- keynote briefs ------------------------------------------------------------------------------


class Example(_Strict):
    name: Text
    refs: list[str] = Field(min_length=1)
    story: Text
    ask: Text


class Prompt(_Strict):
    minutes: int = Field(gt=0)
    text: Text


class KeynoteBrief(_Strict):
    session: str
    speaker: Text
    aims: list[Text] = Field(min_length=1)
    talk: Text
    watch_for: list[Text] = Field(default_factory=list)
    examples: list[Example] = Field(min_length=2, max_length=3)
    prompts: list[Prompt] = Field(min_length=3)


class KeynoteBriefs(_Strict):
    talk_minutes: int = Field(gt=0)
    discussion_minutes: int = Field(gt=0)
    briefs: list[KeynoteBrief] = Field(min_length=1)

    def for_session(self, session_id: str) -> KeynoteBrief:
        for brief in self.briefs:
            if brief.session == session_id:
                return brief
        raise KeyError(session_id)


# --- loading -------------------------------------------------------------------------------------


def _load(
    model: type[M],
    name: str,
    what: str,
    path: Path | None,
    rules: Callable[[M, YamlDocument], list[Problem]],
) -> M:
    doc = load_yaml(path or kit_dir() / name, what=what)
    try:
        value = model.model_validate(doc.data)
    except ValidationError as exc:
        raise CdaError(
            problems_from_validation(exc, doc), headline=f"{doc.path} is not a valid {what}."
        ) from None
    problems = rules(value, doc)
    if problems:
        raise CdaError(problems, headline=f"{doc.path} does not match the program.")
    return in_current_language(value, name)


def _problem(doc: YamlDocument, loc: tuple[str | int, ...], message: str, fix: str) -> Problem:
    return doc.problem(loc, message, fix)


def load_showcase_rubrics(
    path: Path | None = None, *, programme: Programme | None = None
) -> ShowcaseRubrics:
    """The showcase rubrics and feedback form: exactly one rubric per showcase of the program."""
    prog = programme or load_programme()

    def rules(value: ShowcaseRubrics, doc: YamlDocument) -> list[Problem]:
        known = [s.id for s in prog.showcases]
        out: list[Problem] = []
        seen: list[str] = []
        for i, rubric in enumerate(value.rubrics):
            if rubric.showcase not in known:
                out.append(
                    _problem(
                        doc,
                        ("rubrics", i, "showcase"),
                        f"'{rubric.showcase}' is not a showcase of the program.",
                        f"use one of: {', '.join(known)}.",
                    )
                )
            if rubric.showcase in seen:
                out.append(
                    _problem(
                        doc,
                        ("rubrics", i, "showcase"),
                        f"'{rubric.showcase}' has two rubrics.",
                        "keep one rubric per showcase.",
                    )
                )
            seen.append(rubric.showcase)
        for sid in known:
            if sid not in seen:
                out.append(
                    _problem(
                        doc,
                        ("rubrics",),
                        f"the showcase '{sid}' has no rubric.",
                        "add a rubric for it.",
                    )
                )
        return out

    return _load(ShowcaseRubrics, "showcases.yaml", "showcase rubrics file", path, rules)


def load_skills_survey(path: Path | None = None) -> SkillsSurvey:
    """The survey instrument; its codes must be exactly those of the staff_survey data table."""
    from cohort_tools.citydata.schemas import ROLE_FAMILIES, SKILL_LEVELS, SKILLS

    def rules(value: SkillsSurvey, doc: YamlDocument) -> list[Problem]:
        out: list[Problem] = []
        for loc, have, want, what in (
            (("skills",), list(value.skills), list(SKILLS), "skill"),
            (("scale",), list(value.scale), list(SKILL_LEVELS), "level"),
            (
                ("questions", "role_family", "options"),
                list(value.questions.role_family.options),
                list(ROLE_FAMILIES),
                "kind of role",
            ),
        ):
            if (have != want) if what == "level" else (sorted(have) != sorted(want)):
                out.append(
                    _problem(
                        doc,
                        loc,
                        f"the survey's {what} codes ({', '.join(have)}) are not those the data "
                        f"check accepts ({', '.join(want)}).",
                        "use exactly the codes of the staff_survey table (levels in order, "
                        "lowest first).",
                    )
                )
        return out

    return _load(SkillsSurvey, "skills_survey.yaml", "skills survey file", path, rules)


def load_run_of_show(path: Path | None = None, *, programme: Programme | None = None) -> RunOfShow:
    """The convening's activities: each day fills the convening's hours with no gap or overlap."""
    prog = programme or load_programme()
    conv = prog.convening
    blocks = {f"{b.day} {b.part}": b for b in conv.agenda}

    def rules(value: RunOfShow, doc: YamlDocument) -> list[Problem]:
        out: list[Problem] = []
        days = [d.day for d in value.days]
        if sorted(days) != list(range(1, conv.days + 1)):
            out.append(
                _problem(
                    doc,
                    ("days",),
                    f"the run of show has days {days}; the convening has {conv.days} days.",
                    "give each day of the convening once, in order.",
                )
            )
        used: set[str] = set()
        for i, day in enumerate(value.days):
            clock = conv.start_time
            for j, act in enumerate(day.activities):
                loc: tuple[str | int, ...] = ("days", i, "activities", j)
                if act.start != clock:
                    out.append(
                        _problem(
                            doc,
                            (*loc, "start"),
                            f"day {day.day}: '{act.title}' starts at {act.start}, but the one "
                            f"before ends at {clock}.",
                            "make each activity start when the one before ends.",
                        )
                    )
                if act.minutes <= 0:
                    out.append(
                        _problem(
                            doc,
                            (*loc, "end"),
                            f"day {day.day}: '{act.title}' ends before it starts.",
                            "check the times.",
                        )
                    )
                block = blocks.get(act.block)
                if block is None or block.day != day.day:
                    out.append(
                        _problem(
                            doc,
                            (*loc, "block"),
                            f"'{act.block}' is not an agenda block of day {day.day}.",
                            f"use one of: {', '.join(k for k in blocks if k.startswith(str(day.day)))}.",
                        )
                    )
                else:
                    used.add(act.block)
                    if not act.is_break and not act.output.strip() and act.minutes >= 45:
                        out.append(
                            _problem(
                                doc,
                                (*loc, "output"),
                                f"'{act.title}' lasts {act.minutes} minutes but produces nothing.",
                                "say what the activity produces.",
                            )
                        )
                clock = act.end
            if clock != conv.end_time:
                out.append(
                    _problem(
                        doc,
                        ("days", i),
                        f"day {day.day} ends at {clock}; the convening ends at {conv.end_time}.",
                        "fill the day to the end time.",
                    )
                )
        for key in blocks:
            if key not in used:
                out.append(
                    _problem(
                        doc,
                        ("days",),
                        f"the agenda block '{key}' ({blocks[key].title}) has no activities.",
                        "add its activities.",
                    )
                )
        return out

    return _load(RunOfShow, "convening.yaml", "convening run of show", path, rules)


def load_keynote_briefs(
    path: Path | None = None,
    *,
    programme: Programme | None = None,
    references: References | None = None,
) -> KeynoteBriefs:
    """The keynote briefs: one per keynote; cited examples; prompts that fill the discussion."""
    prog = programme or load_programme()
    refs = references or default_references()
    keynotes = [s.id for s in prog.sessions() if s.kind == "keynote"]

    def rules(value: KeynoteBriefs, doc: YamlDocument) -> list[Problem]:
        out: list[Problem] = []
        known = set(refs.ids())
        seen: list[str] = []
        for i, brief in enumerate(value.briefs):
            if brief.session not in keynotes:
                out.append(
                    _problem(
                        doc,
                        ("briefs", i, "session"),
                        f"'{brief.session}' is not a keynote of the program.",
                        f"use one of: {', '.join(keynotes)}.",
                    )
                )
            seen.append(brief.session)
            total = sum(p.minutes for p in brief.prompts)
            if total != value.discussion_minutes:
                out.append(
                    _problem(
                        doc,
                        ("briefs", i, "prompts"),
                        f"the prompts for {brief.session} take {total} minutes; the discussion "
                        f"lasts {value.discussion_minutes}.",
                        "adjust the minutes of the prompts.",
                    )
                )
            for j, example in enumerate(brief.examples):
                for k, ref in enumerate(example.refs):
                    if ref not in known:
                        out.append(
                            _problem(
                                doc,
                                ("briefs", i, "examples", j, "refs", k),
                                f"'{ref}' is not in the references.",
                                "add the source to curriculum/references.yaml, or fix the id.",
                            )
                        )
        for sid in keynotes:
            if sid not in seen:
                out.append(
                    _problem(
                        doc,
                        ("briefs",),
                        f"the keynote '{sid}' has no brief.",
                        "add a brief for it.",
                    )
                )
        return out

    return _load(KeynoteBriefs, "keynotes.yaml", "keynote briefs file", path, rules)


def today() -> dt.date:
    return dt.date.today()

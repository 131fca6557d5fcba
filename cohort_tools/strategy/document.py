"""The citywide data strategy as a document: sections of plain blocks, and the gaps that remain.

Each part of the deliverable (``curriculum/programme.yaml``, ``deliverable.parts``) becomes a
section. Its content comes from the team's named answers (see :mod:`.collect`), laid out by the
shape of each value (text, list, table, fields), plus figures from the city's own data where a
section needs today's starting point. An answer that is missing, or whose checkpoint did not pass,
is a :class:`Gap`: the section still renders, with the gap marked and the workshop that fills it.

The document is format-neutral: :mod:`.render` turns the same blocks into HTML, PDF and Word.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from cohort_tools.core.i18n import N_, _
from cohort_tools.course.answers import NOT_JSON
from cohort_tools.course.report import CoachReading
from cohort_tools.lessons import coherence
from cohort_tools.model.programme import DeliverablePart, Programme

from . import fmt
from .collect import TeamAnswers
from .studio import MAY_BE_EMPTY, Point, StudioDecisions

# -- blocks --------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    team: bool = False  # the team's own words (quoted as written), not this module's templates


@dataclass
class Bullets:
    items: list[str]
    ordered: bool = False
    team: bool = False


@dataclass
class Facts:
    """Label: value pairs."""

    pairs: list[tuple[str, str]]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    css: str = ""  # a layout class for the HTML and PDF ("cda-actions")


@dataclass
class Figure:
    svg: str
    png: bytes
    alt: str
    takeaway: str


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: a heading inside a section; 2: one level below


@dataclass
class Note:
    """A short highlighted note (a goal banner, a point to settle)."""

    text: str
    kind: str = "goal"  # "goal" | "resolve"


Block = Paragraph | Bullets | Facts | Table | Figure | Heading | Note


#: Why a section is not complete: an answer is not there, or its checkpoint did not pass.
GapKind = Literal["missing", "inconsistent"]
#: The kinds in words, for the document (the ids stay in completeness.json).
GAP_KIND_WORDS = {"missing": N_("missing"), "inconsistent": N_("inconsistent")}


def gap_kind(kind: str) -> str:
    return _(GAP_KIND_WORDS[kind]) if kind in GAP_KIND_WORDS else kind


@dataclass
class Gap:
    part: str  # part title
    answer: str  # the named answer (or a check) that is missing or inconsistent
    kind: GapKind
    session_id: str
    session_title: str
    notebook: str
    detail: str
    answer_label: str = ""  # the answer in plain words ("the hiring plan")
    workshop: str = ""  # the workshop in plain words ("Data routines (Module 1, workshop A)")
    check: str = ""  # for a gap a coherence check makes: its key in coherence.CHECKS
    fix: str = ""  # and what to try

    def line(self) -> str:
        return (
            f"{self.part}: '{self.answer}' is {self.kind} - {self.detail} "
            f"(produced by {self.session_title}, {self.notebook})"
        )


@dataclass
class Flag:
    """A point to resolve before the mayor signs: a coherence check that did not hold."""

    part_id: str  # the section it shows in
    part: str
    check: str  # a key of cohort_tools.lessons.coherence.CHECKS
    what: str  # the check in words
    answer: str
    answer_label: str
    session_id: str
    session_title: str
    workshop: str  # "Data routines (Module 1, workshop A)"
    notebook: str
    problem: str
    fix: str

    def line(self) -> str:
        return (
            f"{self.part}: {self.what} - {self.problem} Try: {self.fix} "
            f"(answer '{self.answer}', produced by {self.workshop}, {self.notebook})"
        )


@dataclass
class Section:
    id: str
    title: str
    description: str
    blocks: list[Block] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps


@dataclass
class Strategy:
    city_id: str
    city_name: str
    title: str
    summary: str
    horizon_years: int
    made_on: dt.date
    sections: list[Section]
    answers: dict[str, Any] = field(default_factory=dict)  # the named answers used
    period: str = ""  # "July 2027 to June 2030"
    country: str = "US"  # paper size and spelling follow the city's country
    front: list[Section] = field(default_factory=list)  # executive summary, where the city stands
    appendices: list[Section] = field(default_factory=list)
    public: list[Block] = field(default_factory=list)  # the one-page summary for residents
    actions: list[Any] = field(default_factory=list)  # plan.PlanAction
    measures: list[Any] = field(default_factory=list)  # plan.Measure
    rubric: list[Any] = field(default_factory=list)  # rubric.Score
    team_roles: list[str] = field(default_factory=list)
    #: The draft's points to settle, numbered, before the studio's decisions (what the studio
    #: works through; each with a suggested change where one can be worked out).
    points: list[Point] = field(default_factory=list)
    studio: StudioDecisions = field(default_factory=StudioDecisions)
    costs: dict[str, list[float]] = field(default_factory=dict)  # money by kind and year
    #: The coherence checks that still do not hold once the studio's decisions are applied, as
    #: (check, answer, subject): the flags, and the gaps the cross-checks make. Empty when
    #: ``check_all`` finds nothing left (points the team kept with a reason are not counted).
    left: list[tuple[str, str, str]] = field(default_factory=list)
    goals: list[tuple[str, str]] = field(default_factory=list)  # (id, title) of the plan's goals
    #: The coach's scores on the team's written answers, per workshop: (workshop title, notebook,
    #: reading), in programme order (workshops with no written answer left out).
    coach: list[tuple[str, str, CoachReading]] = field(default_factory=list)

    @property
    def total_cost(self) -> float:
        return float(sum(sum(v) for v in self.costs.values()))

    @property
    def signed(self) -> bool:
        """The mayor approved it (with or without changes) in the strategy studio."""
        return self.studio.sign_off is not None and self.studio.sign_off.signed

    @property
    def gaps(self) -> list[Gap]:
        return [g for s in self.sections for g in s.gaps]

    @property
    def flags(self) -> list[Flag]:
        """Points to resolve before signing (coherence checks that did not hold)."""
        return [f for s in self.sections for f in s.flags]

    @property
    def ready_to_sign(self) -> bool:
        return not self.gaps and not self.flags

    @property
    def complete_share(self) -> float:
        return sum(s.complete for s in self.sections) / len(self.sections) if self.sections else 0


# -- answers to blocks ---------------------------------------------------------------------------

LABELS = {
    "usd": N_("(USD)"),
}


def label(name: str) -> str:
    """``cost_usd`` -> ``Cost (USD)``; ``year_1`` -> ``Year 1``."""
    words = str(name).replace("-", "_").split("_")
    words = [_(LABELS[w]) if w in LABELS else w for w in words if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def show(value: Any) -> str:
    """A value as short plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return fmt.brief(value)
    if isinstance(value, int):
        return fmt.number(value)
    if isinstance(value, list):
        return "; ".join(show(v) for v in value)
    if isinstance(value, dict):
        if NOT_JSON in value:
            return _("(a {kind}; see the workshop notebook)").format(kind=value[NOT_JSON])
        return "; ".join(f"{label(k)}: {show(v)}" for k, v in value.items())
    return str(value)


def blocks_for(name: str, value: Any) -> list[Block]:
    """Blocks for one named answer, by the shape of its value."""
    title = Heading(label(name))
    if isinstance(value, dict) and NOT_JSON in value:
        return []
    if isinstance(value, str):
        return [title, Paragraph(value)]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns: list[str] = []
        for row in value:
            columns += [k for k in row if k not in columns]
        return [
            title,
            Table([label(c) for c in columns], [[show(r.get(c)) for c in columns] for r in value]),
        ]
    if isinstance(value, list):
        return [title, Bullets([show(v) for v in value])]
    if isinstance(value, dict):
        return [title, Facts([(label(k), show(v)) for k, v in value.items()])]
    return [title, Paragraph(show(value))]


def is_empty(value: Any) -> bool:
    if value is None or value is ...:
        return True
    if isinstance(value, str | list | dict) and not value:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    return False


# -- sections from answers -----------------------------------------------------------------------


def answer_values(
    part: DeliverablePart, team: TeamAnswers, programme: Programme
) -> tuple[dict[str, Any], list[Gap]]:
    """The part's named answers that hold up, and a gap for each one that does not."""
    values: dict[str, Any] = {}
    gaps: list[Gap] = []
    for session_id, names in part.answers.items():
        session = programme.session(session_id)
        notebook = str(session.notebook)
        sub = team.submission(session_id)
        if sub is None and session.kind == "studio":
            # The studio refines a draft that is whole without it: until the team has done it,
            # the strategy keeps the generated summary and reads "not signed yet".
            continue

        def gap(name: str, kind: GapKind, detail: str, where: tuple[str, str, str]) -> None:
            gaps.append(Gap(part.title, name, kind, *where, detail))

        source = (session_id, session.title, notebook)
        for name in names:
            if sub is None:
                gap(name, "missing", _("the team has not submitted this workshop yet"), source)
                continue
            answers = sub.answers or {}
            nothing_to_decide = (
                session.kind == "studio" and name in MAY_BE_EMPTY and answers.get(name) in ([], {})
            )
            if name not in answers or (is_empty(answers[name]) and not nothing_to_decide):
                gap(
                    name,
                    "missing",
                    _("the answer cell is still empty in the team's submission"),
                    source,
                )
                continue
            check = sub.checkpoints.get(sub.checkpoint_of.get(name, ""))
            if check is not None and not check.passed:
                why = "; ".join(check.problems) or _("its checkpoint did not pass")
                gap(
                    name,
                    "inconsistent",
                    _("its checkpoint did not pass: {why}").format(why=why),
                    source,
                )
            values[name] = answers[name]
    return values, gaps


def cross_checks(answers: dict[str, Any], threshold: int) -> list[tuple[str, str, str]]:
    """Consistency across workshops: (answer, producing answer, problem) for each one found.

    The checks live in :mod:`cohort_tools.lessons.coherence` (so workshop checkpoints can call
    them); these three make a section incomplete (a gap), the others are points to resolve."""
    source = {
        "roles-not-hired": "roles_to_hire",
        "skills-not-trained": "priority_skills",
        "threshold-below-privacy": "demographic_standard",
    }
    return [
        (f.answer, source[f.check], f.problem)
        for f in coherence.roles_and_skills(answers, threshold)
    ]

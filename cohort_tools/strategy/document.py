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

from cohort_tools.course.answers import NOT_JSON
from cohort_tools.model.programme import DeliverablePart, Programme

from .collect import TeamAnswers

# -- blocks --------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Facts:
    """Label: value pairs."""

    pairs: list[tuple[str, str]]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Figure:
    svg: str
    png: bytes
    alt: str
    takeaway: str


@dataclass
class Heading:
    text: str


Block = Paragraph | Bullets | Facts | Table | Figure | Heading


#: Why a section is not complete: an answer is not there, or its checkpoint did not pass.
GapKind = Literal["missing", "inconsistent"]


@dataclass
class Gap:
    part: str  # part title
    answer: str  # the named answer (or a check) that is missing or inconsistent
    kind: GapKind
    session_id: str
    session_title: str
    notebook: str
    detail: str

    def line(self) -> str:
        return (
            f"{self.part}: '{self.answer}' is {self.kind} - {self.detail} "
            f"(produced by {self.session_title}, {self.notebook})"
        )


@dataclass
class Section:
    id: str
    title: str
    description: str
    blocks: list[Block] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

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

    @property
    def gaps(self) -> list[Gap]:
        return [g for s in self.sections for g in s.gaps]

    @property
    def complete_share(self) -> float:
        return sum(s.complete for s in self.sections) / len(self.sections) if self.sections else 0


# -- answers to blocks ---------------------------------------------------------------------------

LABELS = {
    "usd": "(USD)",
}


def label(name: str) -> str:
    """``cost_usd`` -> ``Cost (USD)``; ``year_1`` -> ``Year 1``."""
    words = str(name).replace("-", "_").split("_")
    words = [LABELS.get(w, w) for w in words if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def show(value: Any) -> str:
    """A value as short plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return "; ".join(show(v) for v in value)
    if isinstance(value, dict):
        if NOT_JSON in value:
            return f"(a {value[NOT_JSON]}; see the workshop notebook)"
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

        def gap(name: str, kind: GapKind, detail: str, where: tuple[str, str, str]) -> None:
            gaps.append(Gap(part.title, name, kind, *where, detail))

        source = (session_id, session.title, notebook)
        for name in names:
            if sub is None:
                gap(name, "missing", "the team has not submitted this workshop yet", source)
                continue
            answers = sub.answers or {}
            if name not in answers or is_empty(answers[name]):
                gap(
                    name,
                    "missing",
                    "the answer cell is still empty in the team's submission",
                    source,
                )
                continue
            check = sub.checkpoints.get(sub.checkpoint_of.get(name, ""))
            if check is not None and not check.passed:
                why = "; ".join(check.problems) or "its checkpoint did not pass"
                gap(name, "inconsistent", f"its checkpoint did not pass: {why}", source)
            values[name] = answers[name]
    return values, gaps


def cross_checks(answers: dict[str, Any], threshold: int) -> list[tuple[str, str, str]]:
    """Consistency across workshops: (answer, producing answer, problem) for each one found."""
    found: list[tuple[str, str, str]] = []
    roles = answers.get("roles_to_hire")
    plan = answers.get("hiring_plan")
    if isinstance(roles, list) and isinstance(plan, list):
        planned = " ".join(str(r.get("role", "")).lower() for r in plan if isinstance(r, dict))
        absent = [str(r) for r in roles if str(r).lower() not in planned]
        if absent:
            found.append(
                (
                    "hiring_plan",
                    "roles_to_hire",
                    f"the skills assessment names roles to hire that the hiring plan leaves out: "
                    f"{', '.join(absent)}",
                )
            )
    skills = answers.get("priority_skills")
    upskilling = answers.get("upskilling_plan")
    if isinstance(skills, list) and isinstance(upskilling, list):
        covered = {str(r.get("skill")) for r in upskilling if isinstance(r, dict)}
        absent = [str(s) for s in skills if str(s) not in covered]
        if absent:
            found.append(
                (
                    "upskilling_plan",
                    "priority_skills",
                    f"the upskilling plan does not train the priority skills {', '.join(absent)}",
                )
            )
    standard = answers.get("demographic_standard")
    if isinstance(standard, dict):
        value = standard.get("small_numbers_threshold")
        if isinstance(value, int | float) and value < threshold:
            found.append(
                (
                    "demographic_standard",
                    "demographic_standard",
                    f"the standard lets counts under {value:g} be published, below the city's "
                    f"privacy threshold of {threshold}",
                )
            )
    return found

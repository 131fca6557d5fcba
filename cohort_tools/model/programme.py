"""The six-month programme as data: typed models for curriculum/programme.yaml.

A :class:`Programme` has a convening, three :class:`Module` objects (one per learning theme) with their
keynote and workshop :class:`Session` objects, a coaching cadence, showcases, mayor check-ins and the
:class:`Deliverable` (the citywide data strategy), each part of which names the sessions that produce it.
Cross-references are checked when the file is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from cohort_tools.core import paths
from cohort_tools.core.config import StrictModel, load_yaml, problems_from_validation
from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import N_, SOURCE_LANGUAGE, YAML_TEXT_KEYS, gettext

Audience = Literal["mayor", "cda_lead", "senior_team", "coach", "govex"]
SessionKind = Literal["keynote", "workshop", "studio"]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]

AUDIENCE_LABELS: dict[str, str] = {  # catalog messages: gettext() them where shown
    "mayor": N_("Mayor"),
    "cda_lead": N_("CDA lead"),
    "senior_team": N_("Senior team"),
    "coach": N_("Coach"),
    "govex": N_("Program team"),
}


class Role(StrictModel):
    id: Id
    title: str
    why: str


class ConveningBlock(StrictModel):
    day: int = Field(ge=1, le=3)
    part: Literal["morning", "afternoon", "all day"]
    title: str
    audience: list[Audience]


class Convening(StrictModel):
    id: Id
    title: str
    days: Literal[3]
    month: int = Field(ge=1)
    start_time: Clock
    end_time: Clock
    in_person: bool
    rules: list[str]
    objectives: list[str]
    agenda: list[ConveningBlock]
    notebook: str | None = None  # the mayor's workbook, a MyST source under curriculum/


class Session(StrictModel):
    """A cohort-wide virtual session: a keynote, a workshop or a strategy studio."""

    id: Id
    kind: SessionKind
    title: str
    month: int = Field(ge=1)
    week_of_month: int = Field(ge=1, le=4)
    duration_minutes: int = Field(gt=0, le=480)
    audience: list[Audience]
    objectives: list[str] = Field(min_length=1)
    notebook: str | None = None  # MyST source under workshops/ or curriculum/, once written


class Module(StrictModel):
    id: Id
    number: int
    theme: str
    title: str
    summary: str
    months: list[int]
    sessions: list[Session]


class Coaching(StrictModel):
    cadence_weeks: int = Field(ge=1, le=8)
    first_week: int = Field(ge=1)
    duration_minutes: int = Field(gt=0)
    audience: list[Audience]
    purpose: str


class CityMoment(StrictModel):
    """A per-city event on the calendar: a showcase or a mayor check-in."""

    id: Id
    title: str
    month: int = Field(ge=1)
    week_of_month: int = Field(ge=1, le=4)
    duration_minutes: int = Field(gt=0)
    audience: list[Audience]
    purpose: str


class DeliverablePart(StrictModel):
    id: Id
    title: str
    description: str
    produced_by: list[str] = Field(min_length=1)
    #: The named answers this part is built from: session id -> variable names assigned in that
    #: session's workshop notebook (read from the team's graded submissions by `cda strategy build`).
    answers: dict[str, list[str]] = Field(default_factory=dict)


class Deliverable(StrictModel):
    title: str
    horizon_years: int
    summary: str
    core_components: list[str]
    parts: list[DeliverablePart]


class TeamRules(StrictModel):
    min_members: int = Field(ge=1)
    max_members: int = Field(ge=1)
    roles: list[Role]


class Programme(StrictModel):
    name: str
    note: str
    duration_months: int = Field(ge=1, le=24)
    session_start_time: Clock
    city_slots: list[Clock] = Field(min_length=1)
    team: TeamRules
    convening: Convening
    modules: list[Module] = Field(min_length=1)
    capstone: list[Session] = Field(default_factory=list)
    coaching: Coaching
    showcases: list[CityMoment]
    mayor_checkins: list[CityMoment]
    deliverable: Deliverable

    @model_validator(mode="after")
    def _cross_references(self) -> Programme:
        problems: list[str] = []
        ids = [self.convening.id] + [s.id for s in self.sessions()]
        ids += [m.id for m in self.showcases] + [m.id for m in self.mayor_checkins]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"session ids must be unique; repeated: {', '.join(dupes)}")
        known = set(ids) | {m.id for m in self.modules} | {"coaching"}
        for part in self.deliverable.parts:
            for ref in part.produced_by:
                if ref not in known:
                    problems.append(
                        f"deliverable part '{part.id}' is produced by unknown session '{ref}'"
                    )
            for ref in part.answers:
                if ref not in part.produced_by:
                    problems.append(
                        f"deliverable part '{part.id}' takes answers from '{ref}', which is not "
                        "in its produced_by list"
                    )
        events: list[Session | CityMoment] = [
            *self.sessions(),
            *self.showcases,
            *self.mayor_checkins,
        ]
        for event in events:
            if event.month > self.duration_months:
                problems.append(
                    f"'{event.id}' is in month {event.month}, after the program ends "
                    f"(month {self.duration_months})"
                )
        for module in self.modules:
            for s in module.sessions:
                if s.month not in module.months:
                    problems.append(
                        f"session '{s.id}' is in month {s.month}, outside its module's months "
                        f"{module.months}"
                    )
        if self.team.min_members > self.team.max_members:
            problems.append("team.min_members is larger than team.max_members")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def sessions(self) -> list[Session]:
        return [s for m in self.modules for s in m.sessions] + list(self.capstone)

    def session(self, session_id: str) -> Session:
        for s in self.sessions():
            if s.id == session_id:
                return s
        raise KeyError(session_id)

    def role_ids(self) -> list[str]:
        return [r.id for r in self.team.roles]

    def producers_of(self, part_id: str) -> list[str]:
        for part in self.deliverable.parts:
            if part.id == part_id:
                return list(part.produced_by)
        raise KeyError(part_id)


#: The programme's fields people read: their values are catalog messages (extracted from
#: programme.yaml by :func:`cohort_tools.core.i18n.extract_yaml`, see babel.cfg).
TRANSLATED_FIELDS = YAML_TEXT_KEYS


def _translate(value: Any, language: str, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _translate(v, language, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_translate(v, language, key) for v in value]
    if isinstance(value, str) and key in TRANSLATED_FIELDS:
        return gettext(value.strip(), language=language)
    return value


def in_language(programme: Programme, language: str) -> Programme:
    """The programme with every text people read in ``language`` (the English where the catalog
    has no translation yet). Ids, numbers and notebook paths are unchanged."""
    if language == SOURCE_LANGUAGE:
        return programme
    return Programme.model_validate(_translate(programme.model_dump(), language))


def load_programme(path: Path | None = None) -> Programme:
    """Load and validate curriculum/programme.yaml (or ``path``); raise CdaError on any problem."""
    doc = load_yaml(path or paths.programme_file(), what="program file")
    try:
        return Programme.model_validate(doc.data)
    except ValidationError as exc:
        raise CdaError(
            problems_from_validation(exc, doc), headline=f"{doc.path} is not a valid program file."
        ) from None


def _audience(items: Sequence[str]) -> str:
    return ", ".join(AUDIENCE_LABELS[a] for a in items)


def outline(programme: Programme) -> str:
    """The programme as a readable plain-text outline (what `cda programme show` prints)."""
    p = programme
    out: list[str] = [p.name, "=" * len(p.name), p.note.strip(), ""]
    c = p.convening
    out += [
        f"Month {c.month}: {c.title} ({c.days} days, in person)",
    ]
    out += [f"  rule: {r}" for r in c.rules]
    for block in c.agenda:
        out.append(f"  day {block.day}, {block.part}: {block.title} [{_audience(block.audience)}]")
    out.append("")
    for m in p.modules:
        months = (
            "-".join(str(x) for x in (m.months[0], m.months[-1]))
            if len(m.months) > 1
            else m.months[0]
        )
        out.append(f'Module {m.number}: {m.title} - "{m.theme}" (months {months})')
        out.append(f"  {m.summary.strip()}")
        for s in m.sessions:
            out.append(
                f"  - month {s.month}, week {s.week_of_month}: {s.kind} '{s.title}' "
                f"({s.duration_minutes} min; {_audience(s.audience)})"
            )
            out += [f"      objective: {o}" for o in s.objectives]
        out.append("")
    for s in p.capstone:
        out.append(
            f"Capstone, month {s.month}, week {s.week_of_month}: {s.title} "
            f"({s.duration_minutes} min; {_audience(s.audience)})"
        )
        out += [f"  objective: {o}" for o in s.objectives]
    out.append("")
    k = p.coaching
    out.append(
        f"Coaching: every {k.cadence_weeks} weeks from week {k.first_week}, "
        f"{k.duration_minutes} min per city [{_audience(k.audience)}] - {k.purpose}"
    )
    for title, moments in (("Showcases", p.showcases), ("Mayor check-ins", p.mayor_checkins)):
        out.append(f"{title}:")
        for e in moments:
            out.append(
                f"  - month {e.month}, week {e.week_of_month}: {e.title} "
                f"({e.duration_minutes} min; {_audience(e.audience)}) - {e.purpose}"
            )
    d = p.deliverable
    out += [
        "",
        f"Deliverable: {d.title} ({d.horizon_years}-year vision and plan)",
        f"  {d.summary.strip()}",
    ]
    out.append(f"  core components: {', '.join(d.core_components)}")
    names = {s.id: f"{s.title} (month {s.month})" for s in p.sessions()}
    names[c.id] = f"{c.title} (month {c.month})"
    for part in d.parts:
        out.append(f"  - {part.title}: from {'; '.join(names[i] for i in part.produced_by)}")
    return "\n".join(out) + "\n"

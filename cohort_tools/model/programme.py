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

from cohort_tools.core import i18n, paths
from cohort_tools.core.config import StrictModel, load_yaml, problems_from_validation
from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import N_, SOURCE_LANGUAGE, YAML_TEXT_KEYS, current_language, gettext

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


#: Programmes in a language, by the programme they translate (kept alive here, so its id is not
#: reused), the language and the catalog it was read through: a programme is frozen, so its
#: translation changes only with the catalog.
_TRANSLATED: dict[tuple[int, str, int], tuple[Programme, object, Programme]] = {}


def in_language(programme: Programme, language: str) -> Programme:
    """The programme with every text people read in ``language`` (the English where the catalog
    has no translation yet). Ids, numbers and notebook paths are unchanged."""
    if language == SOURCE_LANGUAGE:
        return programme
    catalog = i18n.catalog(language)
    key = (id(programme), language, id(catalog))
    known = _TRANSLATED.get(key)
    if known is not None and known[0] is programme and known[1] is catalog:
        return known[2]
    translated = Programme.model_validate(_translate(programme.model_dump(), language))
    if len(_TRANSLATED) > 64:
        _TRANSLATED.clear()
    _TRANSLATED[key] = (programme, catalog, translated)
    return translated


def role_titles(programme: Programme, language: str | None = None) -> dict[str, str]:
    """Each senior-team role's title by its id (``chief_of_staff`` -> ``Jefe o jefa de gabinete``),
    in ``language`` (else as ``programme`` is written): how a role is named where people read it."""
    local = programme if language is None else in_language(programme, language)
    return {r.id: r.title for r in local.team.roles}


#: Programmes loaded in this process, by file (path, size, modification time): a programme is
#: frozen, and each kernel and command reads the same file many times (about 10 ms each).
_LOADED: dict[tuple[str, int, int], Programme] = {}


def load_programme(path: Path | None = None) -> Programme:
    """Load and validate curriculum/programme.yaml (or ``path``); raise CdaError on any problem.
    The same unchanged file is read once per process."""
    file = Path(path or paths.programme_file())
    try:
        stat = file.stat()
        key: tuple[str, int, int] | None = (str(file.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None  # load_yaml says what is wrong with it
    if key is not None and key in _LOADED:
        return _LOADED[key]
    doc = load_yaml(file, what=N_("program file"))
    try:
        programme = Programme.model_validate(doc.data)
    except ValidationError as exc:
        raise CdaError(
            problems_from_validation(exc, doc), headline=f"{doc.path} is not a valid program file."
        ) from None
    if key is not None:
        _LOADED[key] = programme
    return programme


def _audience(items: Sequence[str]) -> str:
    return ", ".join(gettext(AUDIENCE_LABELS[a]) for a in items)


#: How the outline names a kind of session and a part of a day (the data keeps the English word).
_KINDS = {"keynote": N_("keynote"), "workshop": N_("workshop"), "studio": N_("studio")}
_PARTS = {"morning": N_("morning"), "afternoon": N_("afternoon"), "all day": N_("all day")}


def outline(programme: Programme) -> str:
    """The programme as a readable plain-text outline (what `cda programme show` prints), in the
    current language: the programme's own text from its catalog, the outline's words too."""
    _ = gettext
    p = in_language(programme, current_language())
    out: list[str] = [p.name, "=" * len(p.name), p.note.strip(), ""]
    c = p.convening
    out.append(
        _("Month {month}: {title} ({days} days, in person)").format(
            month=c.month, title=c.title, days=c.days
        )
    )
    out += ["  " + _("rule: {rule}").format(rule=r) for r in c.rules]
    for block in c.agenda:
        out.append(
            "  "
            + _("day {day}, {part}: {title} [{audience}]").format(
                day=block.day,
                part=_(_PARTS[block.part]),
                title=block.title,
                audience=_audience(block.audience),
            )
        )
    out.append("")
    for m in p.modules:
        months = (
            "-".join(str(x) for x in (m.months[0], m.months[-1]))
            if len(m.months) > 1
            else str(m.months[0])
        )
        out.append(
            _('Module {number}: {title} - "{theme}" (months {months})').format(
                number=m.number, title=m.title, theme=m.theme, months=months
            )
        )
        out.append(f"  {m.summary.strip()}")
        for s in m.sessions:
            out.append(
                "  - "
                + _(
                    "month {month}, week {week}: {kind} '{title}' ({minutes} min; {audience})"
                ).format(
                    month=s.month,
                    week=s.week_of_month,
                    kind=_(_KINDS[s.kind]),
                    title=s.title,
                    minutes=s.duration_minutes,
                    audience=_audience(s.audience),
                )
            )
            out += ["      " + _("objective: {text}").format(text=o) for o in s.objectives]
        out.append("")
    for s in p.capstone:
        out.append(
            _("Capstone, month {month}, week {week}: {title} ({minutes} min; {audience})").format(
                month=s.month,
                week=s.week_of_month,
                title=s.title,
                minutes=s.duration_minutes,
                audience=_audience(s.audience),
            )
        )
        out += ["  " + _("objective: {text}").format(text=o) for o in s.objectives]
    out.append("")
    k = p.coaching
    out.append(
        _(
            "Coaching: every {weeks} weeks from week {first}, {minutes} min per city "
            "[{audience}] - {purpose}"
        ).format(
            weeks=k.cadence_weeks,
            first=k.first_week,
            minutes=k.duration_minutes,
            audience=_audience(k.audience),
            purpose=k.purpose,
        )
    )
    for title, moments in ((_("Showcases"), p.showcases), (_("Mayor check-ins"), p.mayor_checkins)):
        out.append(f"{title}:")
        for e in moments:
            out.append(
                "  - "
                + _(
                    "month {month}, week {week}: {title} ({minutes} min; {audience}) - {purpose}"
                ).format(
                    month=e.month,
                    week=e.week_of_month,
                    title=e.title,
                    minutes=e.duration_minutes,
                    audience=_audience(e.audience),
                    purpose=e.purpose,
                )
            )
    d = p.deliverable
    out += [
        "",
        _("Deliverable: {title} ({years}-year vision and plan)").format(
            title=d.title, years=d.horizon_years
        ),
        f"  {d.summary.strip()}",
    ]
    out.append("  " + _("core components: {items}").format(items=", ".join(d.core_components)))
    names = {
        s.id: _("{title} (month {month})").format(title=s.title, month=s.month)
        for s in p.sessions()
    }
    names[c.id] = _("{title} (month {month})").format(title=c.title, month=c.month)
    for part in d.parts:
        sources = "; ".join(names[i] for i in part.produced_by)
        out.append("  - " + _("{part}: from {sources}").format(part=part.title, sources=sources))
    return "\n".join(out) + "\n"

"""Cohorts: the cities taking the programme together, their teams and where their data lives.

A cohort file is YAML (see cohort_tools/demo_cohort/cohort.yaml). :func:`check_cohort` reports every problem
in one run, each naming the file, line, city, field and fix; :func:`load_cohort` returns a validated
:class:`Cohort` or raises :class:`~cohort_tools.core.errors.CdaError`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import (
    ConfigDict,
    EmailStr,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from cohort_tools.core import paths
from cohort_tools.core.config import (
    StrictModel,
    YamlDocument,
    load_yaml,
    problems_from_validation,
)
from cohort_tools.core.errors import CdaError, Problem, errors_only
from cohort_tools.core.i18n import (
    N_,
    SOURCE_LANGUAGE,
    current_language,
    format_day,
    format_number,
    gettext,
    known_language,
)
from cohort_tools.model.programme import Programme, load_programme, role_titles

CityId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Name = Annotated[str, Field(min_length=1)]


class Strict(StrictModel):
    """The cohort file's models: strict, and surrounding spaces in a value are ignored."""

    model_config = ConfigDict(str_strip_whitespace=True)


class Person(Strict):
    name: Name
    email: EmailStr


class Member(Person):
    role: str = Field(description="a role id from the program (curriculum/programme.yaml)")
    title: str | None = Field(default=None, description="job title; required when role is 'other'")


class CdaLead(Person):
    title: str | None = None


def _valid_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            gettext(
                "'{value}' is not a known time zone; use an IANA name such as America/New_York"
            ).format(value=value)
        ) from None
    return value


class City(Strict):
    """One city in a cohort."""

    id: CityId
    name: Name
    state: str | None = Field(default=None, description="state or province code, e.g. OH")
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. US")
    population: int = Field(gt=0)
    timezone: str | None = None
    language: str | None = Field(
        default=None,
        description="the language the city's team reads (en, es); the cohort's language if not given",
    )
    fictional: bool = False
    mayor: Person
    cda_lead: CdaLead
    senior_team: list[Member]
    coach: Person
    data_folder: str = Field(min_length=1)

    _base: Path = PrivateAttr(default=Path("."))

    _tz = field_validator("timezone")(lambda v: v if v is None else _valid_timezone(v))
    _lang = field_validator("language")(lambda v: v if v is None else known_language(v))

    @property
    def lang(self) -> str:
        """The language everything made for this city is written in."""
        return self.language or SOURCE_LANGUAGE

    @property
    def data_dir(self) -> Path:
        return (self._base / self.data_folder).resolve()

    def holiday_calendar(self, years: range) -> holidays.HolidayBase:
        return holidays.country_holidays(self.country, subdiv=self.state, years=list(years))


class CohortHeader(Strict):
    name: Name
    start_date: dt.date
    timezone: str
    language: str = Field(
        default=SOURCE_LANGUAGE, description="the cohort's default language (en, es)"
    )
    cities: list[Any] = Field(min_length=1)

    _tz = field_validator("timezone")(_valid_timezone)
    _lang = field_validator("language")(known_language)

    @field_validator("start_date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(
                    gettext("'{value}' is not a date in the form YYYY-MM-DD").format(value=value)
                ) from None
        return value


class Cohort(StrictModel):
    """A validated cohort: header fields and its cities, with the file it came from."""

    name: str
    start_date: dt.date
    timezone: str
    cities: list[City]
    path: Path
    language: str = SOURCE_LANGUAGE

    def city(self, city_id: str) -> City:
        for c in self.cities:
            if c.id == city_id:
                return c
        known = ", ".join(c.id for c in self.cities)
        raise CdaError.single(
            self.path,
            gettext("there is no city '{city}' in this cohort.").format(city=city_id),
            gettext("use one of: {known}.").format(known=known),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# Hints for the fields people most often get wrong, added to the generic fix.
_FIELD_HINTS = {
    "mayor": N_(
        "add the mayor's name and email. The mayor must attend the convening in person; "
        "no one may stand in for them."
    ),
    "cda_lead": N_(
        "name the city's CDA lead (name, email): they coordinate the program and join the "
        "second half of the convening."
    ),
    "coach": N_("name the GovEx coach for this city (name, email)."),
    "start_date": N_("write the date as YYYY-MM-DD, e.g. 2027-01-11."),
    "data_folder": N_("give the folder of the city's data, relative to the cohort file."),
}


def _hint(problem: Problem) -> Problem:
    if not problem.field:
        return problem
    last = [p for p in problem.field.replace("]", "").replace("[", ".").split(".") if p]
    for key in reversed(last):
        if key in _FIELD_HINTS:
            from dataclasses import replace

            return replace(problem, fix=gettext(_FIELD_HINTS[key]))
    return problem


def _city_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return str(raw["id"])
    return f"#{index + 1}"


def check_cohort(
    path: Path | None = None, programme: Programme | None = None
) -> tuple[Cohort | None, list[Problem]]:
    """Validate a cohort file against the programme's rules.

    Returns the cohort (None if any error) and every problem found. Raises CdaError only when the file
    itself cannot be read (missing, empty, not YAML).
    """
    programme = programme or load_programme()
    doc = load_yaml(path or paths.default_cohort_file(), what=N_("cohort file"))
    problems: list[Problem] = []
    try:
        header = CohortHeader.model_validate(doc.data)
    except ValidationError as exc:
        header = None
        problems += [_hint(p) for p in problems_from_validation(exc, doc)]

    raw_cities = doc.data.get("cities")
    cities: list[City] = []
    if isinstance(raw_cities, list):
        for i, raw in enumerate(raw_cities):
            label = _city_label(raw, i)
            try:
                city = City.model_validate(raw)
            except ValidationError as exc:
                problems += [
                    _hint(p) for p in problems_from_validation(exc, doc, ("cities", i), city=label)
                ]
                _rules_on_raw(raw, i, label, doc, programme, problems)
                continue
            if city.language is None:
                default = header.language if header else SOURCE_LANGUAGE
                city = city.model_copy(update={"language": default})
            city._base = doc.path.parent
            cities.append(city)
            _city_rules(city, i, doc, programme, problems)
    _cohort_rules(doc, problems)

    if errors_only(problems) or header is None:
        return None, problems
    cohort = Cohort(
        name=header.name,
        start_date=header.start_date,
        timezone=header.timezone,
        cities=cities,
        path=doc.path.resolve(),
        language=header.language,
    )
    return cohort, problems


def load_cohort(path: Path | None = None, programme: Programme | None = None) -> Cohort:
    """Load a cohort file (None = $CDA_COHORT_FILE or the demo cohort); raise CdaError listing all."""
    cohort, problems = check_cohort(path, programme)
    if cohort is None:
        raise CdaError(
            problems,
            headline=gettext("{path} is not a valid cohort.").format(
                path=path or paths.default_cohort_file()
            ),
        )
    return cohort


def _team_size_problem(
    count: int, i: int, label: str, doc: YamlDocument, programme: Programme
) -> Problem | None:
    lo, hi = programme.team.min_members, programme.team.max_members
    if lo <= count <= hi:
        return None
    fix = (
        gettext("choose {hi} of them; the others can join the city's working groups.").format(hi=hi)
        if count > hi
        else gettext("add {missing} more senior team member(s).").format(missing=lo - count)
    )
    return Problem(
        file=str(doc.path),
        line=doc.line_of(("cities", i, "senior_team")),
        city=label,
        field=f"cities[{i}].senior_team",
        message=gettext(
            "the senior team has {count} members; the program takes {lo} to {hi} "
            "(not counting the mayor)."
        ).format(count=count, lo=lo, hi=hi),
        fix=fix,
    )


def _role_problems(
    members: list[Any], i: int, label: str, doc: YamlDocument, programme: Programme
) -> list[Problem]:
    out = []
    roles = programme.role_ids()
    for j, m in enumerate(members):
        if not isinstance(m, dict):
            continue
        role = m.get("role")
        loc = ("cities", i, "senior_team", j, "role")
        if role is not None and role not in roles:
            out.append(
                Problem(
                    file=str(doc.path),
                    line=doc.line_of(loc),
                    city=label,
                    field=f"cities[{i}].senior_team[{j}].role",
                    message=gettext("'{role}' is not one of the program's roles.").format(
                        role=role
                    ),
                    fix=gettext(
                        "use one of {roles}; for another role write role: other "
                        "and give the job title in 'title'."
                    ).format(roles=", ".join(roles)),
                )
            )
        if role == "other" and not m.get("title"):
            out.append(
                Problem(
                    file=str(doc.path),
                    line=doc.line_of(loc),
                    city=label,
                    field=f"cities[{i}].senior_team[{j}].title",
                    message=gettext("a member with role 'other' needs a job title."),
                    fix=gettext("add title: <their job title>."),
                )
            )
    return out


def _rules_on_raw(
    raw: Any, i: int, label: str, doc: YamlDocument, programme: Programme, problems: list[Problem]
) -> None:
    """Programme rules that still apply when the city failed structural validation."""
    if not isinstance(raw, dict):
        return
    team = raw.get("senior_team")
    if isinstance(team, list):
        p = _team_size_problem(len(team), i, label, doc, programme)
        if p:
            problems.append(p)
        problems += _role_problems(team, i, label, doc, programme)
    folder = raw.get("data_folder")
    if isinstance(folder, str) and folder:
        _folder_rule(folder, i, label, doc, problems)


def _folder_rule(
    folder: str, i: int, label: str, doc: YamlDocument, problems: list[Problem]
) -> None:
    target = (doc.path.parent / folder).resolve()
    if not target.is_dir():
        problems.append(
            Problem(
                file=str(doc.path),
                line=doc.line_of(("cities", i, "data_folder")),
                city=label,
                field=f"cities[{i}].data_folder",
                message=gettext(
                    "the data folder '{folder}' does not exist (looked in {target})."
                ).format(folder=folder, target=target),
                fix=gettext(
                    "create it (e.g. `cda data demo --out <folder>` for a practice city), or fix "
                    "the path; it is relative to the cohort file."
                ),
            )
        )


@functools.cache
def supported_countries() -> dict[str, list[str]]:
    """The countries (and their subdivisions) with a public-holiday calendar: holidays imports
    every country's module to list them (about 60 ms), so once per process."""
    return dict(holidays.list_supported_countries())


def _city_rules(
    city: City, i: int, doc: YamlDocument, programme: Programme, problems: list[Problem]
) -> None:
    raw_team = [m.model_dump() for m in city.senior_team]
    p = _team_size_problem(len(city.senior_team), i, city.id, doc, programme)
    if p:
        problems.append(p)
    problems += _role_problems(raw_team, i, city.id, doc, programme)
    _folder_rule(city.data_folder, i, city.id, doc, problems)
    supported = supported_countries()
    if city.country not in supported:
        problems.append(
            Problem(
                file=str(doc.path),
                city=city.id,
                line=doc.line_of(("cities", i, "country")),
                field=f"cities[{i}].country",
                message=gettext(
                    "'{country}' has no public-holiday calendar, so sessions cannot avoid its "
                    "holidays."
                ).format(country=city.country),
                fix=gettext(
                    "use the ISO 3166-1 two-letter code of the city's country, e.g. US, CA, GB, MX."
                ),
            )
        )
    elif city.state and city.state not in supported[city.country]:
        problems.append(
            Problem(
                file=str(doc.path),
                city=city.id,
                line=doc.line_of(("cities", i, "state")),
                field=f"cities[{i}].state",
                message=gettext("'{state}' is not a state or province code of {country}.").format(
                    state=city.state, country=city.country
                ),
                fix=gettext("use the official code (e.g. OH, BC) or leave 'state' out."),
            )
        )
    team_emails = [m.email.lower() for m in city.senior_team]
    if city.mayor.email.lower() in team_emails:
        problems.append(
            Problem(
                file=str(doc.path),
                city=city.id,
                line=doc.line_of(("cities", i, "senior_team")),
                field=f"cities[{i}].senior_team",
                message=gettext(
                    "the mayor is listed in the senior team; the mayor takes part separately "
                    "and is not one of the 3-4 members."
                ),
                fix=gettext("remove the mayor from senior_team."),
            )
        )


def _cohort_rules(doc: YamlDocument, problems: list[Problem]) -> None:
    """Rules across cities: unique ids, and one person per email address."""
    raw_cities = doc.data.get("cities")
    if not isinstance(raw_cities, list):
        return
    seen_ids: dict[str, int] = {}
    # email -> list of (city label, field path, name, is_coach)
    people: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    for i, raw in enumerate(raw_cities):
        if not isinstance(raw, dict):
            continue
        label = _city_label(raw, i)
        cid = raw.get("id")
        if isinstance(cid, str):
            if cid in seen_ids:
                problems.append(
                    Problem(
                        file=str(doc.path),
                        line=doc.line_of(("cities", i, "id")),
                        city=cid,
                        field=f"cities[{i}].id",
                        message=gettext(
                            "the city id '{city}' is used twice (also by city #{number})."
                        ).format(city=cid, number=seen_ids[cid] + 1),
                        fix=gettext(
                            "give each city its own id, e.g. add the state: '{id}'."
                        ).format(id=f"{cid}-{str(raw.get('state') or 'xx').lower()}"),
                    )
                )
            else:
                seen_ids[cid] = i
        for key in ("mayor", "cda_lead", "coach"):
            person = raw.get(key)
            if isinstance(person, dict) and isinstance(person.get("email"), str):
                people[person["email"].strip().lower()].append(
                    (label, f"cities[{i}].{key}", str(person.get("name", "")), key == "coach")
                )
        team = raw.get("senior_team")
        if isinstance(team, list):
            for j, m in enumerate(team):
                if isinstance(m, dict) and isinstance(m.get("email"), str):
                    people[m["email"].strip().lower()].append(
                        (label, f"cities[{i}].senior_team[{j}]", str(m.get("name", "")), False)
                    )
    for email, uses in people.items():
        names = {u[2].strip().casefold() for u in uses}
        if len(names) > 1:
            problems.append(
                Problem(
                    file=str(doc.path),
                    city=uses[1][0],
                    field=f"{uses[1][1]}.email",
                    message=gettext(
                        "the email {email} belongs to different people ({names})."
                    ).format(email=email, names=", ".join(sorted({u[2] for u in uses}))),
                    fix=gettext("give each person their own email address."),
                )
            )
            continue
        non_coach = [u for u in uses if not u[3]]
        cities_used = {u[0] for u in non_coach}
        if len(cities_used) > 1:
            problems.append(
                Problem(
                    file=str(doc.path),
                    city=non_coach[1][0],
                    field=f"{non_coach[1][1]}.email",
                    message=gettext(
                        "{email} is on the teams of more than one city ({cities})."
                    ).format(email=email, cities=", ".join(sorted(cities_used))),
                    fix=gettext(
                        "each person belongs to one city's team; only coaches work with several."
                    ),
                )
            )
        team_uses = [u for u in non_coach if ".senior_team[" in u[1]]
        if len(team_uses) > 1 and len(cities_used) == 1:
            problems.append(
                Problem(
                    file=str(doc.path),
                    city=team_uses[1][0],
                    field=f"{team_uses[1][1]}.email",
                    message=gettext("{email} appears twice in the senior team.").format(
                        email=email
                    ),
                    fix=gettext("list each member once."),
                )
            )


#: The e-mail domain of the people in a city-only cohort: reserved for examples (RFC 2606).
ROLE_ONLY_DOMAIN = "cohort.example"


def city_only_cohort(cohort: Cohort, city_id: str, *, data_folder: str) -> dict[str, Any]:
    """The cohort as one city's notebooks may see it: that city alone, each person by role, with
    a placeholder e-mail (no names, no e-mails), its data in ``data_folder`` (relative to where the
    file is written). Team roles, owners and the chair stay what they are; nothing identifies anyone.
    """
    city = cohort.city(city_id)

    def person(label: str, slug: str) -> dict[str, str]:
        return {"name": label, "email": f"{slug}@{ROLE_ONLY_DOMAIN}"}

    data = city.model_dump(mode="json", exclude_none=True)
    data["data_folder"] = data_folder
    data["mayor"] = person("Mayor", "mayor")
    data["cda_lead"] = person("CDA lead", "cda-lead")
    if city.cda_lead.title:
        data["cda_lead"]["title"] = city.cda_lead.title
    data["senior_team"] = [
        {
            **person(m.title or m.role.replace("_", " ").capitalize(), f"member-{i}"),
            "role": m.role,
            **({"title": m.title} if m.title else {}),
        }
        for i, m in enumerate(city.senior_team, start=1)
    ]
    data["coach"] = person("Coach", "coach")
    return {
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "timezone": cohort.timezone,
        "cities": [data],
    }


def summary(cohort: Cohort, programme: Programme) -> str:
    """A short readable summary of a valid cohort, in the current language."""
    _ = gettext
    lines = [
        _("{cohort}: {count} cities, starting {day} ({timezone})").format(
            cohort=cohort.name,
            count=len(cohort.cities),
            day=format_day(cohort.start_date),
            timezone=cohort.timezone,
        )
    ]
    titles = role_titles(programme, current_language())
    for c in cohort.cities:
        where = ", ".join(x for x in (c.state, c.country) if x)
        tag = " " + _("[fictional]") if c.fictional else ""
        population = _("population {count}").format(count=format_number(c.population))
        lines.append(f"  {c.name} ({where}; {population}){tag}")
        roles = [m.title or titles.get(m.role, m.role) for m in c.senior_team]
        team = _("senior team of {count}: {roles}").format(
            count=len(c.senior_team), roles="; ".join(roles)
        )
        lines.append(f"    {team}")
    return "\n".join(lines)

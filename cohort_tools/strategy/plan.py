"""Goals, objectives and actions: the plan inside the strategy, built from the team's answers.

Five goals group the parts of the deliverable (use, governance and quality, workforce, openness,
equity). Each goal has objectives, written from the answers with the templates below, and actions.
Every action has an owner role, a start and a finish month, a cost (or "staff time") and a success
measure. Owners come from the answers where the team named one (the stat meeting's chair, the
governance body's chair, the reviewer of the data-use log, each engagement activity's owner).
Where the answers name none, the draft proposes the team role whose job it is (the programme's role
descriptions: the chief data officer owns data and the people who work with it, the equity lead
measures results for every group...), marked "proposed" for the studio to confirm.

Months count from the first month after the programme (month 1 of year 1). The roadmap has three
phases: foundations (months 1-6), pilots and quick wins (months 7-12) and scale (years 2 and 3).
A line of a plan dated "year 1" is placed by what it is: what the rest rests on (the governance
body, the standards, the stat meeting, the data-use log, year-1 hires, practices such as data
stewards, ways to keep staff) starts in the foundations; what delivers (year-1 training, the first
datasets published, year-1 platforms) runs in the pilots. Lines dated year 2 or 3 run that year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cohort_tools.core.i18n import N_, _
from cohort_tools.lessons.coherence import on_team, valid_month, valid_year

from . import fmt
from .names import Names, cadence, join, sentence_case


@dataclass(frozen=True)
class Goal:
    id: str
    name: str  # the title, in English (read translated: ``title``)
    reason: str  # one plain sentence (``why``)
    parts: tuple[str, ...]  # deliverable parts whose actions serve it
    short: str  # its short name on the roadmap chart (``workstream``)
    leads: tuple[str, ...]  # team role ids who lead it by default, in order

    @property
    def title(self) -> str:
        return _(self.name)

    @property
    def why(self) -> str:
        return _(self.reason)

    @property
    def workstream(self) -> str:
        return _(self.short)


GOALS: tuple[Goal, ...] = (
    Goal(
        "use",
        N_("Use data to run the city"),
        N_("The team looks at a few numbers often and acts on them."),
        ("use", "data_use_protocol"),
        N_("Data use"),
        ("chief_of_staff", "city_manager", "policy_lead"),
    ),
    Goal(
        "govern",
        N_("Govern data and keep it accurate"),
        N_("Every dataset has an owner, and key data meets a written standard."),
        ("governance", "quality"),
        N_("Governance and quality"),
        ("chief_data_officer", "city_manager"),
    ),
    Goal(
        "people",
        N_("Grow the people who work with data"),
        N_("Staff get the skills they need, and the city hires and keeps data experts."),
        ("workforce_strategy",),
        N_("Workforce"),
        ("chief_data_officer", "city_manager", "chief_of_staff"),
    ),
    Goal(
        "open",
        N_("Share data openly and listen to residents"),
        N_("Residents can see the city's data and help decide what it is used for."),
        ("transparency",),
        N_("Openness"),
        ("communications_lead", "chief_data_officer"),
    ),
    Goal(
        "fair",
        N_("Measure results for every group of residents"),
        N_("The city counts every group the same way and keeps people's data safe."),
        ("demographic_standard",),
        N_("Equity"),
        ("equity_lead", "policy_lead", "chief_data_officer"),
    ),
)
GOAL_OF_PART = {part: g for g in GOALS for part in g.parts}
#: Maturity areas (Module 2 self-assessment) -> the goal an improvement in them serves.
AREA_GOAL = {
    "governance": "govern",
    "data_management": "govern",
    "analytics": "use",
    "performance": "use",
    "open_data": "open",
    "engagement": "open",
    "workforce": "people",
    "equity": "fair",
}

PHASES: tuple[tuple[str, str, int, int], ...] = (
    ("foundations", N_("Foundations"), 1, 6),
    ("pilots", N_("Pilots and quick wins"), 7, 12),
    ("scale", N_("Scale"), 13, 36),
)
STAFF_TIME = N_("staff time")
#: A measure's target that is not a number to reach yet.
TO_BE_SET = N_("to be set")
#: The measure of the engagement round that reports back (the rubric looks for it).
SHOWN_BACK = N_("Every group shown what the city did with what they said")
#: Units of the performance metrics, in words (the city's data writes them in English).
UNITS = (N_("days"), N_("hours"), N_("minutes"), N_("weeks"), N_("months"))


@dataclass
class Team:
    """The roles on the city's team (never names)."""

    roles: list[str]  # titles as owners: "mayor", "chief of staff", ...
    ids: list[str]  # programme role ids of the senior team
    cda_lead: str  # the CDA lead's title, the owner of last resort
    names: dict[str, str] = field(default_factory=dict)  # role id -> title
    confirmed: dict[str, str] = field(default_factory=dict)  # goal id -> lead the studio chose

    def lead(self, goal: Goal) -> str:
        if goal.id in self.confirmed:
            return self.confirmed[goal.id]
        for role in goal.leads:
            if role in self.ids:
                return self.names.get(role, role)
        return self.cda_lead or _("mayor")


@dataclass
class Calendar:
    """Months of the strategy (1 = its first month) as calendar months."""

    start: dt.date  # the first day of month 1
    years: int

    def month(self, n: int) -> dt.date:
        index = self.start.month - 1 + n - 1
        return dt.date(self.start.year + index // 12, index % 12 + 1, 1)

    def label(self, n: int | None, *, long: bool = False) -> str:
        if n is None:
            return _("date to be set")
        return fmt.month(self.month(n), long=long)

    def span(self, first: int | None, last: int | None) -> str:
        if first is None:
            return _("date to be set")
        return _("{first} to {last}").format(first=self.label(first), last=self.label(last))

    @property
    def period(self) -> str:
        return _("{first} to {last}").format(
            first=self.label(1, long=True), last=self.label(12 * self.years, long=True)
        )


def plan_calendar(cohort_start: dt.date, programme_months: int, years: int) -> Calendar:
    """Year 1 starts on the first of the month after the programme ends."""
    index = cohort_start.month - 1 + programme_months
    return Calendar(dt.date(cohort_start.year + index // 12, index % 12 + 1, 1), years)


@dataclass
class PlanAction:
    goal: str  # a Goal id
    part: str  # the deliverable part it belongs to
    text: str
    owner: str  # a role title; "" when none is named
    #: "answer" (the team named it in a workshop), "proposed" (this draft suggests the goal's
    #: lead) or "confirmed" (the team confirmed or changed the goal's lead in the studio)
    owner_from: str
    start: int | None  # month of the strategy, 1..36
    finish: int | None
    cost_usd: float | None  # over the whole plan; None: staff time
    measure: str
    source: str  # the named answer it comes from
    details: list[str] = field(default_factory=list)  # for grouped actions: every line
    #: For an action with a cost, the line of the plan it comes from ("hire 2": the second line
    #: of the hiring plan), which the strategy studio keeps, moves or defers; "" otherwise.
    key: str = ""

    @property
    def phase(self) -> str:
        if self.start is None:
            return "undated"
        return next(p for p, _, first, last in PHASES if first <= self.start <= last)

    @property
    def year(self) -> int | None:
        return None if self.start is None else (self.start - 1) // 12 + 1


@dataclass
class Objective:
    goal: str
    text: str


@dataclass
class Measure:
    """One line of the measurement table."""

    name: str
    today: str
    target: str
    by: str
    accountable: str
    session: str  # the session id whose answer sets it
    goal: str
    today_value: float | None = None
    target_value: float | None = None
    higher_is_better: bool = True
    note: str = ""  # why a target is "to be set"


# -- helpers --------------------------------------------------------------------------------------


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _numbered(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """The rows of a plan with their line numbers (1, 2, ...), as the team wrote them."""
    if not isinstance(value, list):
        return []
    return [(n, r) for n, r in enumerate(value, start=1) if isinstance(r, Mapping)]


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def money(usd: float | None) -> str:
    if usd is None:
        return _(STAFF_TIME)
    return fmt.usd(usd)


def year_months(year: int, *, first_half: bool = False, delivers: bool = False) -> tuple[int, int]:
    """The months a line dated ``year`` runs (see the module note on year 1)."""
    start = 12 * (year - 1) + 1
    if year == 1 and delivers:
        return 7, 12
    return start, start + (5 if first_half else 11)


# -- actions from the answers ----------------------------------------------------------------------


def build_actions(
    answers: Mapping[str, Any], names: Names, team: Team, years: int
) -> list[PlanAction]:
    """Every action of the plan, grouped and de-duplicated (see the module note)."""
    goals = {g.id: g for g in GOALS}
    end = 12 * years
    out: list[PlanAction] = []

    def add(
        goal: str,
        part: str,
        text: str,
        owner: str | None,
        start: int | None,
        finish: int | None,
        cost: float | None,
        measure: str,
        source: str,
        details: Sequence[str] = (),
        key: str = "",
    ) -> None:
        if owner is None:
            who = team.lead(goals[goal])
            source_of_owner = "confirmed" if goal in team.confirmed else "proposed"
        else:
            who, source_of_owner = owner.strip(), "answer"
        out.append(
            PlanAction(
                goal,
                part,
                text,
                who,
                source_of_owner,
                start,
                finish,
                cost,
                measure,
                source,
                list(details),
                key,
            )
        )

    # Goal: use data to run the city
    meeting = answers.get("stat_meeting")
    if isinstance(meeting, Mapping) and meeting.get("cadence"):
        first = meeting.get("first_metric")
        add(
            "use",
            "use",
            _("Hold a stat meeting {cadence} to review the priority metrics").format(
                cadence=cadence(meeting["cadence"])
            ),
            str(meeting.get("chair") or ""),
            1,
            end,
            None,
            _("Every meeting ends with a written record of who does what")
            + (_("; it starts with {metric}").format(metric=names.metric(first)) if first else ""),
            "stat_meeting",
        )
    roles = answers.get("protocol_roles")
    if answers.get("protocol_fields") or isinstance(roles, Mapping):
        reviewer = str(roles.get("reviews") or "") if isinstance(roles, Mapping) else None
        review = cadence(roles.get("review_cadence")) if isinstance(roles, Mapping) else ""
        add(
            "use",
            "data_use_protocol",
            _("Record each decision where data changed a program or moved money"),
            reviewer,
            1,
            end,
            None,
            _("A record for each such decision")
            + (_(", with the log reviewed {cadence}").format(cadence=review) if review else ""),
            "protocol_roles" if isinstance(roles, Mapping) else "protocol_fields",
        )

    # Goal: govern data and keep it accurate
    model = answers.get("governance_model")
    chair = str(model.get("chair") or "") if isinstance(model, Mapping) else None
    if isinstance(model, Mapping) and model.get("body"):
        body = names.humanise(model["body"])
        meets = cadence(model.get("meets")) if model.get("meets") else _("on a fixed rhythm")
        add(
            "govern",
            "governance",
            _("Set up the {body} and name a data owner for each dataset").format(body=body),
            chair,
            1,
            3,
            None,
            _("The {body} meets {cadence} and publishes its decisions").format(
                body=body, cadence=meets
            ),
            "governance_model",
        )
    standard = answers.get("quality_standard")
    if isinstance(standard, Mapping) and standard:
        add(
            "govern",
            "quality",
            _("Adopt the data quality standard and score key tables against it"),
            chair,
            2,
            6,
            None,
            _("Each key table has a quality score, and owners fix what fails"),
            "quality_standard",
        )
    for number, row in _numbered(answers.get("investment_priorities")):
        year = valid_year(row.get("year"), years)
        kind = str(row.get("kind") or "")
        start, finish = year_months(year, delivers=kind == "platform") if year else (None, None)
        what = names.humanise(row.get("investment") or _("An investment"))
        measure = (
            _("In use by departments") if kind == "platform" else _("Running in every department")
        ) + (_(" by the end of year {year}").format(year=year) if year else "")
        add(
            "govern",
            "governance",
            what,
            chair,
            start,
            finish,
            _num(row.get("cost_usd")),
            measure,
            "investment_priorities",
            key=f"investment {number}",
        )

    # Goal: grow the people who work with data
    for number, row in _numbered(answers.get("upskilling_plan")):
        year = valid_year(row.get("year"), years)
        start, finish = year_months(year, delivers=True) if year else (None, None)
        people = _num(row.get("people"))
        count = fmt.number(people) + " " if people else ""
        how = names.humanise(row.get("how") or _("training"))
        skill = names.skill(row.get("skill")).lower()
        add(
            "people",
            "workforce_strategy",
            _("Train {count}{who} in {skill} ({how})").format(
                count=count, who=names.who(row.get("who")), skill=skill, how=how
            ),
            None,
            start,
            finish,
            _num(row.get("cost_usd")),
            (
                _("{count}people finish the {how}; the next staff survey shows the skill rising")
                if count
                else _("All people finish the {how}; the next staff survey shows the skill rising")
            ).format(count=count, how=how),
            "upskilling_plan",
            key=f"training {number}",
        )
    for number, row in _numbered(answers.get("hiring_plan")):
        year = valid_year(row.get("year"), years)
        start, finish = year_months(year, first_half=True) if year else (None, None)
        heads = int(_num(row.get("count")) or 1)
        role = names.hire(row.get("role") or _("data specialist"))
        pay = _num(row.get("salary_usd"))
        cost = heads * pay * (years - year + 1) if pay is not None and year else None
        plural = "s" if heads > 1 and not role.endswith("s") and fmt.english() else ""
        add(
            "people",
            "workforce_strategy",
            _("Hire {count} {role}").format(count=heads, role=role + plural),
            None,
            start,
            finish,
            cost,
            _("{count} {role} in post").format(count=heads, role=role + plural),
            "hiring_plan",
            key=f"hire {number}",
        )
    retention = [
        names.humanise(a) for a in answers.get("retention_actions") or [] if str(a).strip()
    ]
    if retention:
        add(
            "people",
            "workforce_strategy",
            _("Keep data staff: ") + join(retention),
            None,
            1,
            6,
            None,
            _("Fewer data staff leave each year than today"),
            "retention_actions",
            retention,
        )

    # Goal: share data openly and listen to residents
    by_year: dict[int | None, list[Mapping[str, Any]]] = {}
    for row in _rows(answers.get("publication_plan")):
        by_year.setdefault(valid_year(row.get("year"), years), []).append(row)
    publisher = chair if chair else None
    for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
        rows = by_year[year]
        titles = [names.dataset(r.get("dataset_id")) for r in rows]
        start, finish = year_months(year, delivers=True) if year else (None, None)
        counts = sum(1 for r in rows if r.get("aggregated"))
        text = (
            _("Publish {count} datasets on the open data portal: ")
            if len(rows) > 1
            else _("Publish {count} dataset on the open data portal: ")
        ).format(count=len(rows)) + join(titles, most=3)
        details = [
            f"{t} ({cadence(r.get('frequency'))}"
            + (_(", as counts by group or area") if r.get("aggregated") else "")
            + ")"
            for t, r in zip(titles, rows, strict=True)
        ]
        measure = _("{count} more datasets online, each updated on its promised rhythm").format(
            count=len(rows)
        )
        if counts:
            measure += _("; {count} shown only as counts, with small numbers hidden").format(
                count=counts
            )
        add(
            "open",
            "transparency",
            text,
            publisher,
            start,
            finish,
            None,
            measure,
            "publication_plan",
            details,
        )
    out += _engagement(answers, names, years)

    # Goal: measure results for every group of residents
    standard_d = answers.get("demographic_standard")
    if isinstance(standard_d, Mapping) and standard_d:
        fields = [str(f) for f in standard_d.get("fields") or []]
        add(
            "fair",
            "demographic_standard",
            _("Adopt the demographic data standard in every service"),
            None,
            2,
            6,
            None,
            _("Every new form asks {questions} the same way").format(
                questions=join([_field(f) for f in fields]) or _("its questions")
            ),
            "demographic_standard",
        )
    return out


def _field(name: str) -> str:
    from .names import DEMOGRAPHIC_FIELD_WORDS

    return (
        _(DEMOGRAPHIC_FIELD_WORDS[name])
        if name in DEMOGRAPHIC_FIELD_WORDS
        else name.replace("_", " ")
    )


def _engagement(answers: Mapping[str, Any], names: Names, years: int) -> list[PlanAction]:
    """The engagement plan as a few actions: one per round (listening, then reporting back),
    whatever the number of stakeholders. The full list goes to an appendix."""
    rows = _rows(answers.get("engagement_plan"))
    asks = {str(e.get("ask")) for e in _rows(answers.get("stakeholder_map")) if e.get("ask")}
    rounds: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    undated: list[Mapping[str, Any]] = []
    for row in rows:
        month = valid_month(row.get("month"), years)
        if month is None:
            undated.append(row)
            continue
        kind = "ask" if str(row.get("activity")) in asks or (not asks and month <= 6) else "show"
        rounds.setdefault(kind, []).append((month, row))
    out: list[PlanAction] = []
    for kind, dated in sorted(rounds.items()):
        first = min(m for m, _ in dated)
        last = max(m for m, _ in dated)
        groups = list(dict.fromkeys(names.humanise(r.get("stakeholder") or "") for _, r in dated))
        owners = Counter(str(r.get("owner") or "").strip() for _, r in dated)
        owner = owners.most_common(1)[0][0] if owners else ""
        others = [o for o in owners if o and o != owner]
        details = [
            _("{stakeholder}: {activity} (month {month}; {owner})").format(
                stakeholder=names.humanise(r.get("stakeholder")),
                activity=names.humanise(r.get("activity")),
                month=m,
                owner=str(r.get("owner") or _("no owner")).strip(),
            )
            for m, r in sorted(dated, key=lambda x: x[0])
        ]
        if kind == "ask":
            text = _("Meet {count} groups to hear what they need from city data: ").format(
                count=len(groups)
            ) + join(groups, most=3)
            measure = _("Every group on the list met, and what they said written down")
        else:
            text = _("Go back to the same {count} groups and show them what changed").format(
                count=len(groups)
            )
            measure = _(SHOWN_BACK)
        if others:
            text += _(" (with the {others})").format(others=join(others, most=2))
        out.append(
            PlanAction(
                "open",
                "transparency",
                text,
                owner,
                "answer",
                first,
                last,
                None,
                measure,
                "engagement_plan",
                details,
            )
        )
    for row in undated:
        out.append(
            PlanAction(
                "open",
                "transparency",
                _("Engage {stakeholder}: {activity}").format(
                    stakeholder=names.humanise(row.get("stakeholder") or _("a stakeholder")),
                    activity=names.humanise(row.get("activity") or ""),
                ),
                str(row.get("owner") or "").strip(),
                "answer",
                None,
                None,
                None,
                _("Done and written down"),
                "engagement_plan",
            )
        )
    return out


def owner_problems(actions: Sequence[PlanAction], team: Team) -> list[PlanAction]:
    """Actions whose owner is missing or not on the team."""
    return [a for a in actions if not a.owner or not on_team(a.owner, team.roles)]


# -- objectives ------------------------------------------------------------------------------------


def build_objectives(
    answers: Mapping[str, Any],
    names: Names,
    *,
    service: str | None,
    today_roles: int | None,
    published_today: float | None,
    years: int,
) -> list[Objective]:
    """Two to four objectives per goal, each one sentence from the answers."""
    out: list[Objective] = []

    def add(goal: str, text: str) -> None:
        out.append(Objective(goal, text))

    chosen = [names.metric(m) for m in answers.get("priority_metrics") or []]
    meeting = answers.get("stat_meeting")
    if chosen:
        how = cadence(meeting.get("cadence")) if isinstance(meeting, Mapping) else _("often")
        add(
            "use",
            _("Review {count} priority metrics {cadence}: {metrics}.").format(
                count=len(chosen), cadence=how, metrics=join(chosen)
            ),
        )
    base, target = _num(answers.get("baseline_days")), _num(answers.get("target_days"))
    if base is not None and target is not None:
        what = (
            _("{service} requests").format(service=service)
            if service
            else _("the most common service request")
        )
        add(
            "use",
            _(
                "Close {what} faster: from {base} days to {target} days (the median) within a year."
            ).format(what=what, base=fmt.g(base), target=fmt.g(target)),
        )
    if answers.get("protocol_fields"):
        add("use", _("Keep a record of each time data changes a program or moves money."))
    model = answers.get("governance_model")
    if isinstance(model, Mapping) and model.get("body"):
        add(
            "govern",
            _("Give each dataset an owner, with a {body} to decide the rules.").format(
                body=names.humanise(model["body"])
            ),
        )
    if isinstance(answers.get("quality_standard"), Mapping):
        add("govern", _("Bring key tables up to a written quality standard."))
    invest = _rows(answers.get("investment_priorities"))
    if invest:
        total = sum(_num(r.get("cost_usd")) or 0 for r in invest)
        add(
            "govern",
            _("Invest {money} in {count} shared tools and practices over {years} years.").format(
                money=money(total), count=len(invest), years=years
            ),
        )
    skills = [names.skill(s).lower() for s in answers.get("priority_skills") or []]
    if skills:
        add("people", _("Build the skills staff lack most: {skills}.").format(skills=join(skills)))
    path = answers.get("staffing_path")
    last = _num(path.get(f"year_{years}")) if isinstance(path, Mapping) else None
    if last is not None and today_roles is not None:
        add(
            "people",
            _("Grow the people in data roles from {today} today to {last} by year {years}.").format(
                today=today_roles, last=fmt.g(last), years=years
            ),
        )
    if answers.get("retention_actions"):
        add("people", _("Keep the data staff the city trains and hires."))
    plan = _rows(answers.get("publication_plan"))
    targets = answers.get("transparency_targets")
    if plan:
        reach = _num(targets.get("published")) if isinstance(targets, Mapping) else None
        tail = (
            _(", from {today} to {reach} of the inventory").format(
                today=fmt.share(published_today), reach=fmt.share(reach)
            )
            if reach is not None and published_today is not None and reach > published_today
            else ""
        )
        add("open", _("Publish {count} more datasets{tail}.").format(count=len(plan), tail=tail))
    engaged = {str(r.get("stakeholder")) for r in _rows(answers.get("engagement_plan"))}
    if engaged:
        add(
            "open",
            _("Listen to {count} groups of staff, partners and residents, and report back.").format(
                count=len(engaged)
            ),
        )
    story = answers.get("data_story")
    if isinstance(story, Mapping) and story.get("headline"):
        add("open", _("Tell residents what the data shows, in plain words and charts."))
    standard = answers.get("demographic_standard")
    if isinstance(standard, Mapping) and standard:
        fields = [_field(str(f)) for f in standard.get("fields") or []]
        if fields:
            add(
                "fair",
                _("Ask about {fields} the same way in every service.").format(fields=join(fields)),
            )
        limit = _num(standard.get("small_numbers_threshold"))
        if limit is not None:
            add(
                "fair",
                _(
                    "Show results by group, and hide any count under {limit} to protect privacy."
                ).format(limit=fmt.g(limit)),
            )
    for area in answers.get("improvement_areas") or []:
        goal = AREA_GOAL.get(str(area))
        if goal:
            add(
                goal,
                _("Move {area} up one level on the data maturity self-assessment.").format(
                    area=names.area(area).lower()
                ),
            )
    return out


# -- the measurement table ---------------------------------------------------------------------------


def show_value(value: float, unit: str = "") -> str:
    """76.5 percent -> "76.5%"; 4.74 days -> "4.74 days"; a count -> "16"."""
    if fmt.english():
        number = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    else:
        number = fmt.brief(value)
    if unit == "percent":
        return _("{number}%").format(number=number)
    if unit in ("", "count", "rate"):
        return number
    return f"{number} {_(unit)}" if unit in UNITS else f"{number} {unit}"


def build_measures(
    answers: Mapping[str, Any],
    names: Names,
    *,
    metrics: Any,
    service: str | None,
    today_roles: int | None,
    inventory_today: Mapping[str, float] | None,
    team: Team,
    years: int,
) -> list[Measure]:
    """The indicators the city will track: today, the target, by when and who answers for it.

    A target that is no better than today (or already met) is not shown as a target: it reads
    "to be set", with the reason, and the coherence checks list it for the studio."""
    from cohort_tools.lessons.coherence import TRANSPARENCY_WORDS, compare_target

    out: list[Measure] = []
    goals = {g.id: g for g in GOALS}

    def add(
        name: str,
        today: float,
        target: float | None,
        unit: str,
        *,
        by: str,
        accountable: str,
        session: str,
        goal: str,
        up: bool = True,
        best: float | None = None,
        shown_target: str | None = None,
    ) -> None:
        measure = Measure(
            name, show_value(today, unit), "", by, accountable, session, goal, today, target, up
        )
        if target is None:
            measure.target = shown_target or _(TO_BE_SET)
        elif (verdict := compare_target(today, target, higher_is_better=up, best=best)) is not None:
            measure.target, measure.target_value = _(TO_BE_SET), None
            measure.note = (
                _("the target of {value} is already met today")
                if verdict == "met"
                else _("the target of {value} is the same as today")
            ).format(value=show_value(target, unit))
        else:
            measure.target = shown_target or show_value(target, unit)
        out.append(measure)

    chosen = answers.get("priority_metrics") or []
    if len(metrics) and isinstance(chosen, list):
        latest = metrics.sort_values("period").groupby("metric_id").tail(1).set_index("metric_id")
        for metric_id in chosen:
            if metric_id not in latest.index:
                continue
            row = latest.loc[metric_id]
            target = None if row["target"] != row["target"] else float(row["target"])
            add(
                str(row["metric"]),
                float(row["value"]),
                target,
                str(row["unit"]),
                by=_("year {year}").format(year=years),
                accountable=names.department(row["department_id"]),
                session="m1-workshop-a",
                goal="use",
                up=bool(row["higher_is_better"]),
                best=100.0 if str(row["unit"]) == "percent" else None,
            )
    base, target = _num(answers.get("baseline_days")), _num(answers.get("target_days"))
    if base is not None:
        meeting = answers.get("stat_meeting")
        chair = str(meeting.get("chair") or "") if isinstance(meeting, Mapping) else ""
        what = (
            _("{service} requests").format(service=service)
            if service
            else _("the most common service request")
        )
        add(
            _("Median days to close {what}").format(what=what),
            base,
            target,
            "days",
            by=_("year {year}").format(year=1),
            accountable=chair or team.lead(goals["use"]),
            session="m1-workshop-a",
            goal="use",
            up=False,
        )
    path = answers.get("staffing_path")
    if isinstance(path, Mapping) and today_roles is not None:
        last = _num(path.get(f"year_{years}"))
        add(
            _("People in dedicated data roles"),
            float(today_roles),
            last,
            "",
            by=_("year {year}").format(year=years),
            accountable=team.lead(goals["people"]),
            session="m2-workshop-b",
            goal="people",
        )
    targets = answers.get("transparency_targets")
    if isinstance(targets, Mapping) and inventory_today is not None:
        for key, words in TRANSPARENCY_WORDS.items():
            if key in inventory_today and _num(targets.get(key)) is not None:
                add(
                    sentence_case(_(words)),
                    100 * float(inventory_today[key]),
                    100 * float(targets[key]),
                    "percent",
                    by=_("year {year}").format(year=years),
                    accountable=team.lead(goals["open"]),
                    session="m3-workshop-d",
                    goal="open",
                    best=100.0,
                )
    scores = answers.get("maturity_scores")
    if isinstance(scores, Mapping):
        for area in answers.get("improvement_areas") or []:
            score = _num(scores.get(area))
            goal = AREA_GOAL.get(str(area))
            if score is None or goal is None or score >= 100:
                continue
            level_up = min(100.0, round(score + 100 / 3))
            add(
                _("{area} (self-assessed maturity, 0-100)").format(area=names.area(area)),
                score,
                level_up,
                "",
                by=_("year {year}").format(year=1),
                accountable=team.lead(goals[goal]),
                session="m2-maturity",
                goal=goal,
                shown_target=_("{score} (one level up)").format(score=fmt.fixed(level_up)),
            )
    return out


def costs_by_year(
    actions: Sequence[PlanAction], answers: Mapping[str, Any], years: int
) -> dict[str, list[float]]:
    """Money the plan spends, by kind and year (new hires are paid every year from their start)."""
    out = {
        N_("training"): [0.0] * years,
        N_("new staff"): [0.0] * years,
        N_("tools and practices"): [0.0] * years,
    }
    for row in _rows(answers.get("upskilling_plan")):
        year, cost = valid_year(row.get("year"), years), _num(row.get("cost_usd"))
        if year and cost:
            out["training"][year - 1] += cost
    for row in _rows(answers.get("hiring_plan")):
        year, pay = valid_year(row.get("year"), years), _num(row.get("salary_usd"))
        count = _num(row.get("count")) or 0
        if year and pay:
            for y in range(year, years + 1):
                out["new staff"][y - 1] += count * pay
    for row in _rows(answers.get("investment_priorities")):
        year, cost = valid_year(row.get("year"), years), _num(row.get("cost_usd"))
        if year and cost:
            out["tools and practices"][year - 1] += cost
    return out

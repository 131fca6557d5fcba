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

from cohort_tools.lessons.coherence import on_team, valid_month, valid_year

from .names import Names, cadence, join, sentence_case


@dataclass(frozen=True)
class Goal:
    id: str
    title: str
    why: str  # one plain sentence
    parts: tuple[str, ...]  # deliverable parts whose actions serve it
    workstream: str  # its short name on the roadmap chart
    leads: tuple[str, ...]  # team role ids who lead it by default, in order


GOALS: tuple[Goal, ...] = (
    Goal(
        "use",
        "Use data to run the city",
        "The team looks at a few numbers often and acts on them.",
        ("use", "data_use_protocol"),
        "Data use",
        ("chief_of_staff", "city_manager", "policy_lead"),
    ),
    Goal(
        "govern",
        "Govern data and keep it accurate",
        "Every dataset has an owner, and key data meets a written standard.",
        ("governance", "quality"),
        "Governance and quality",
        ("chief_data_officer", "city_manager"),
    ),
    Goal(
        "people",
        "Grow the people who work with data",
        "Staff get the skills they need, and the city hires and keeps data experts.",
        ("workforce_strategy",),
        "Workforce",
        ("chief_data_officer", "city_manager", "chief_of_staff"),
    ),
    Goal(
        "open",
        "Share data openly and listen to residents",
        "Residents can see the city's data and help decide what it is used for.",
        ("transparency",),
        "Openness",
        ("communications_lead", "chief_data_officer"),
    ),
    Goal(
        "fair",
        "Measure results for every group of residents",
        "The city counts every group the same way and keeps people's data safe.",
        ("demographic_standard",),
        "Equity",
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
    ("foundations", "Foundations", 1, 6),
    ("pilots", "Pilots and quick wins", 7, 12),
    ("scale", "Scale", 13, 36),
)
STAFF_TIME = "staff time"


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
        return self.cda_lead or "mayor"


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
            return "date to be set"
        return self.month(n).strftime("%B %Y" if long else "%b %Y")

    def span(self, first: int | None, last: int | None) -> str:
        if first is None:
            return "date to be set"
        return f"{self.label(first)} to {self.label(last)}"

    @property
    def period(self) -> str:
        return f"{self.label(1, long=True)} to {self.label(12 * self.years, long=True)}"


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
        return STAFF_TIME
    if abs(usd) >= 1_000_000:
        return f"${usd / 1_000_000:,.2f} million".replace(".00 million", " million")
    return f"${usd:,.0f}"


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
            f"Hold a stat meeting {cadence(meeting['cadence'])} to review the priority metrics",
            str(meeting.get("chair") or ""),
            1,
            end,
            None,
            "Every meeting ends with a written record of who does what"
            + (f"; it starts with {names.metric(first)}" if first else ""),
            "stat_meeting",
        )
    roles = answers.get("protocol_roles")
    if answers.get("protocol_fields") or isinstance(roles, Mapping):
        reviewer = str(roles.get("reviews") or "") if isinstance(roles, Mapping) else None
        review = cadence(roles.get("review_cadence")) if isinstance(roles, Mapping) else ""
        add(
            "use",
            "data_use_protocol",
            "Record each decision where data changed a program or moved money",
            reviewer,
            1,
            end,
            None,
            "A record for each such decision"
            + (f", with the log reviewed {review}" if review else ""),
            "protocol_roles" if isinstance(roles, Mapping) else "protocol_fields",
        )

    # Goal: govern data and keep it accurate
    model = answers.get("governance_model")
    chair = str(model.get("chair") or "") if isinstance(model, Mapping) else None
    if isinstance(model, Mapping) and model.get("body"):
        body = names.humanise(model["body"])
        meets = cadence(model.get("meets")) if model.get("meets") else "on a fixed rhythm"
        add(
            "govern",
            "governance",
            f"Set up the {body} and name a data owner for each dataset",
            chair,
            1,
            3,
            None,
            f"The {body} meets {meets} and publishes its decisions",
            "governance_model",
        )
    standard = answers.get("quality_standard")
    if isinstance(standard, Mapping) and standard:
        add(
            "govern",
            "quality",
            "Adopt the data quality standard and score key tables against it",
            chair,
            2,
            6,
            None,
            "Each key table has a quality score, and owners fix what fails",
            "quality_standard",
        )
    for number, row in _numbered(answers.get("investment_priorities")):
        year = valid_year(row.get("year"), years)
        kind = str(row.get("kind") or "")
        start, finish = year_months(year, delivers=kind == "platform") if year else (None, None)
        what = names.humanise(row.get("investment") or "An investment")
        measure = (
            "In use by departments" if kind == "platform" else "Running in every department"
        ) + (f" by {'the end of year ' + str(year)}" if year else "")
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
        count = f"{people:,.0f} " if people else ""
        how = names.humanise(row.get("how") or "training")
        skill = names.skill(row.get("skill")).lower()
        add(
            "people",
            "workforce_strategy",
            f"Train {count}{names.who(row.get('who'))} in {skill} ({how})",
            None,
            start,
            finish,
            _num(row.get("cost_usd")),
            f"{count or 'All '}people finish the {how}; the next staff survey shows the skill "
            "rising",
            "upskilling_plan",
            key=f"training {number}",
        )
    for number, row in _numbered(answers.get("hiring_plan")):
        year = valid_year(row.get("year"), years)
        start, finish = year_months(year, first_half=True) if year else (None, None)
        heads = int(_num(row.get("count")) or 1)
        role = names.humanise(row.get("role") or "data specialist")
        pay = _num(row.get("salary_usd"))
        cost = heads * pay * (years - year + 1) if pay is not None and year else None
        plural = "s" if heads > 1 and not role.endswith("s") else ""
        add(
            "people",
            "workforce_strategy",
            f"Hire {heads} {role}{plural}",
            None,
            start,
            finish,
            cost,
            f"{heads} {role}{plural} in post",
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
            "Keep data staff: " + join(retention, word="and"),
            None,
            1,
            6,
            None,
            "Fewer data staff leave each year than today",
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
            f"Publish {len(rows)} dataset{'s' if len(rows) > 1 else ''} on the open data portal: "
            + join(titles, most=3)
        )
        details = [
            f"{t} ({cadence(r.get('frequency'))}{', as counts by group or area' if r.get('aggregated') else ''})"
            for t, r in zip(titles, rows, strict=True)
        ]
        measure = f"{len(rows)} more datasets online, each updated on its promised rhythm"
        if counts:
            measure += f"; {counts} shown only as counts, with small numbers hidden"
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
            "Adopt the demographic data standard in every service",
            None,
            2,
            6,
            None,
            "Every new form asks "
            + (join([_field(f) for f in fields]) or "its questions")
            + " the same way",
            "demographic_standard",
        )
    return out


def _field(name: str) -> str:
    from .names import DEMOGRAPHIC_FIELD_WORDS

    return DEMOGRAPHIC_FIELD_WORDS.get(name, name.replace("_", " "))


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
            f"{names.humanise(r.get('stakeholder'))}: {names.humanise(r.get('activity'))} "
            f"(month {m}; {str(r.get('owner') or 'no owner').strip()})"
            for m, r in sorted(dated, key=lambda x: x[0])
        ]
        if kind == "ask":
            text = f"Meet {len(groups)} groups to hear what they need from city data: " + join(
                groups, most=3
            )
            measure = "Every group on the list met, and what they said written down"
        else:
            text = f"Go back to the same {len(groups)} groups and show them what changed"
            measure = "Every group shown what the city did with what they said"
        if others:
            text += " (with the " + join(others, most=2) + ")"
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
                f"Engage {names.humanise(row.get('stakeholder') or 'a stakeholder')}: "
                f"{names.humanise(row.get('activity') or '')}",
                str(row.get("owner") or "").strip(),
                "answer",
                None,
                None,
                None,
                "Done and written down",
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
        how = cadence(meeting.get("cadence")) if isinstance(meeting, Mapping) else "often"
        add("use", f"Review {len(chosen)} priority metrics {how}: {join(chosen)}.")
    base, target = _num(answers.get("baseline_days")), _num(answers.get("target_days"))
    if base is not None and target is not None:
        what = f"{service} requests" if service else "the most common service request"
        add(
            "use",
            f"Close {what} faster: from {base:g} days to {target:g} days (the median) within a year.",
        )
    if answers.get("protocol_fields"):
        add("use", "Keep a record of each time data changes a program or moves money.")
    model = answers.get("governance_model")
    if isinstance(model, Mapping) and model.get("body"):
        add(
            "govern",
            f"Give each dataset an owner, with a {names.humanise(model['body'])} to decide the rules.",
        )
    if isinstance(answers.get("quality_standard"), Mapping):
        add("govern", "Bring key tables up to a written quality standard.")
    invest = _rows(answers.get("investment_priorities"))
    if invest:
        total = sum(_num(r.get("cost_usd")) or 0 for r in invest)
        add(
            "govern",
            f"Invest {money(total)} in {len(invest)} shared tools and practices over {years} years.",
        )
    skills = [names.skill(s).lower() for s in answers.get("priority_skills") or []]
    if skills:
        add("people", f"Build the skills staff lack most: {join(skills)}.")
    path = answers.get("staffing_path")
    last = _num(path.get(f"year_{years}")) if isinstance(path, Mapping) else None
    if last is not None and today_roles is not None:
        add(
            "people",
            f"Grow the people in data roles from {today_roles} today to {last:g} by year {years}.",
        )
    if answers.get("retention_actions"):
        add("people", "Keep the data staff the city trains and hires.")
    plan = _rows(answers.get("publication_plan"))
    targets = answers.get("transparency_targets")
    if plan:
        reach = _num(targets.get("published")) if isinstance(targets, Mapping) else None
        tail = (
            f", from {published_today:.0%} to {reach:.0%} of the inventory"
            if reach is not None and published_today is not None and reach > published_today
            else ""
        )
        add("open", f"Publish {len(plan)} more datasets{tail}.")
    engaged = {str(r.get("stakeholder")) for r in _rows(answers.get("engagement_plan"))}
    if engaged:
        add(
            "open",
            f"Listen to {len(engaged)} groups of staff, partners and residents, and report back.",
        )
    story = answers.get("data_story")
    if isinstance(story, Mapping) and story.get("headline"):
        add("open", "Tell residents what the data shows, in plain words and charts.")
    standard = answers.get("demographic_standard")
    if isinstance(standard, Mapping) and standard:
        fields = [_field(str(f)) for f in standard.get("fields") or []]
        if fields:
            add("fair", f"Ask about {join(fields)} the same way in every service.")
        limit = _num(standard.get("small_numbers_threshold"))
        if limit is not None:
            add(
                "fair",
                f"Show results by group, and hide any count under {limit:g} to protect privacy.",
            )
    for area in answers.get("improvement_areas") or []:
        goal = AREA_GOAL.get(str(area))
        if goal:
            add(
                goal,
                f"Move {names.area(area).lower()} up one level on the data maturity self-assessment.",
            )
    return out


# -- the measurement table ---------------------------------------------------------------------------


def show_value(value: float, unit: str = "") -> str:
    """76.5 percent -> "76.5%"; 4.74 days -> "4.74 days"; a count -> "16"."""
    number = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if unit == "percent":
        return f"{number}%"
    if unit in ("", "count", "rate"):
        return number
    return f"{number} {unit}"


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
            measure.target = shown_target or "to be set"
        elif (verdict := compare_target(today, target, higher_is_better=up, best=best)) is not None:
            measure.target, measure.target_value = "to be set", None
            measure.note = (
                f"the target of {show_value(target, unit)} is already met today"
                if verdict == "met"
                else f"the target of {show_value(target, unit)} is the same as today"
            )
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
                by=f"year {years}",
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
        what = f"{service} requests" if service else "the most common service request"
        add(
            f"Median days to close {what}",
            base,
            target,
            "days",
            by="year 1",
            accountable=chair or team.lead(goals["use"]),
            session="m1-workshop-a",
            goal="use",
            up=False,
        )
    path = answers.get("staffing_path")
    if isinstance(path, Mapping) and today_roles is not None:
        last = _num(path.get(f"year_{years}"))
        add(
            "People in dedicated data roles",
            float(today_roles),
            last,
            "",
            by=f"year {years}",
            accountable=team.lead(goals["people"]),
            session="m2-workshop-b",
            goal="people",
        )
    targets = answers.get("transparency_targets")
    if isinstance(targets, Mapping) and inventory_today is not None:
        for key, words in TRANSPARENCY_WORDS.items():
            if key in inventory_today and _num(targets.get(key)) is not None:
                add(
                    sentence_case(words),
                    100 * float(inventory_today[key]),
                    100 * float(targets[key]),
                    "percent",
                    by=f"year {years}",
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
                f"{names.area(area)} (self-assessed maturity, 0-100)",
                score,
                level_up,
                "",
                by="year 1",
                accountable=team.lead(goals[goal]),
                session="m2-maturity",
                goal=goal,
                shown_target=f"{level_up:.0f} (one level up)",
            )
    return out


def costs_by_year(
    actions: Sequence[PlanAction], answers: Mapping[str, Any], years: int
) -> dict[str, list[float]]:
    """Money the plan spends, by kind and year (new hires are paid every year from their start)."""
    out = {
        "training": [0.0] * years,
        "new staff": [0.0] * years,
        "tools and practices": [0.0] * years,
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

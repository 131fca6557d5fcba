"""Assemble a city's data strategy from its team's answers and its data (see :mod:`.document`).

The document a mayor signs: a title page, a one-page executive summary, where the city stands (in
sentences from its data), one section per part of the deliverable (goals, objectives and actions
with owners, dates, costs and success measures), a phased roadmap, the measurement table,
appendices with the full lists, the points still to resolve and the sign-off block. Every
identifier is shown by its name (:mod:`.names`); the sentences come from :mod:`.prose`; the plan
from :mod:`.plan`; the coherence checks from :mod:`cohort_tools.lessons.coherence`; the quality
rubric from :mod:`.rubric`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from cohort_tools.citydata import open_city
from cohort_tools.citydata.loader import CityData
from cohort_tools.core.i18n import _
from cohort_tools.lessons import coherence
from cohort_tools.lessons.inventory import inventory_metrics
from cohort_tools.model.cohort import City, Cohort
from cohort_tools.model.programme import Programme, Session

from . import fmt
from .collect import TeamAnswers
from .document import (
    Block,
    Bullets,
    Facts,
    Flag,
    Gap,
    Heading,
    Note,
    Paragraph,
    Section,
    Strategy,
    Table,
    answer_values,
)
from .names import (
    DEMOGRAPHIC_FIELD_WORDS,
    PROTOCOL_FIELD_WORDS,
    QUALITY_RULES,
    Names,
    answer_label,
    cadence,
    join,
    said,
    sentence_case,
    team_roles,
    words,
)
from .plan import (
    GOAL_OF_PART,
    GOALS,
    Calendar,
    Measure,
    Objective,
    PlanAction,
    Team,
    build_actions,
    build_measures,
    build_objectives,
    costs_by_year,
    money,
    plan_calendar,
)
from .prose import (
    CityFacts,
    executive_summary,
    public_summary,
    situation_facts,
    where_the_city_stands,
)
from .roadmap import roadmap_blocks, roadmap_items
from .rubric import score_strategy
from .studio import (
    KEEPABLE,
    PRIORITIES,
    Point,
    StudioDecisions,
    apply_studio,
    suggest,
)

#: Coherence checks that make a section incomplete (a gap); the others are points to resolve.
GAP_CHECKS = {"roles-not-hired", "skills-not-trained", "threshold-below-privacy"}


def workshop_name(session: Session, programme: Programme) -> str:
    """ "Data routines (Module 1, workshop A)"."""
    for module in programme.modules:
        if any(s.id == session.id for s in module.sessions):
            letter = session.id.rsplit("workshop-", 1)[-1] if "workshop-" in session.id else ""
            where = (
                _("Module {number}, workshop {letter}").format(
                    number=module.number, letter=letter.upper()
                )
                if letter
                else _("Module {number}").format(number=module.number)
            )
            return f"{session.title} ({where})"
    return session.title


def studio_sessions(programme: Programme) -> list[Session]:
    return [s for s in programme.sessions() if s.kind == "studio"]


def studio_answer_names(programme: Programme) -> list[str]:
    """The named answers the strategy studio produces (declared in the deliverable's parts)."""
    ids = {s.id for s in studio_sessions(programme)}
    return [
        name
        for part in programme.deliverable.parts
        for session_id, names_ in part.answers.items()
        if session_id in ids
        for name in names_
    ]


def _actions_table(actions: Sequence[PlanAction], cal: Calendar, *, caption: str = "") -> Table:
    return Table(
        [_("Action"), _("Owner"), _("Start"), _("Finish"), _("Cost"), _("Success measure")],
        [
            [
                a.text,
                sentence_case(a.owner) + (_(" (proposed)") if a.owner_from == "proposed" else "")
                if a.owner
                else _("no owner yet"),
                cal.label(a.start),
                cal.label(a.finish),
                money(a.cost_usd),
                a.measure,
            ]
            for a in sorted(actions, key=lambda a: (a.start or 99, a.text))
        ],
        caption=caption,
        css="cda-actions",
    )


def _goal_note(part_id: str) -> list[Block]:
    goal = GOAL_OF_PART.get(part_id)
    if goal is None:
        return []
    number = [g.id for g in GOALS].index(goal.id) + 1
    return [
        Note(
            _("This part serves goal {number}: {goal}.").format(
                number=number, goal=goal.title.lower()
            )
        )
    ]


def _actions_for(part_id: str, actions: Sequence[PlanAction], cal: Calendar) -> list[Block]:
    mine = [a for a in actions if a.part == part_id]
    if not mine:
        return []
    return [Heading(_("Actions")), _actions_table(mine, cal)]


def _share(value: float | None) -> str:
    return _("not known") if value is None else fmt.share(value)


# -- one builder per part ----------------------------------------------------------------------------


def _vision(
    values: Mapping[str, Any],
    objectives: Sequence[Objective],
    names: Names,
    part_titles: Mapping[str, str],
) -> list[Block]:
    blocks: list[Block] = []
    if values.get("data_vision"):
        blocks.append(Paragraph(_("The mayor's vision for data, in the mayor's own words:")))
        blocks.append(Paragraph(names.humanise(values["data_vision"]), team=True))
    if values.get("mayor_priorities"):
        blocks.append(Paragraph(_("The mayor's priorities, which every part of this plan serves:")))
        blocks.append(
            Bullets(
                [names.humanise(p) for p in values["mayor_priorities"] if str(p).strip()], team=True
            )
        )
    if objectives:
        blocks.append(Heading(_("Goals and objectives")))
        for number, goal in enumerate(GOALS, start=1):
            mine = [o.text for o in objectives if o.goal == goal.id]
            if not mine:
                continue
            where = join([part_titles[p] for p in goal.parts if p in part_titles])
            blocks.append(
                Heading(
                    _("Goal {number}: {title}").format(number=number, title=goal.title), level=2
                )
            )
            blocks.append(
                Paragraph(_("{why} Its actions are in {where}.").format(why=goal.why, where=where))
            )
            blocks.append(Bullets(mine))
    return blocks


def _governance(values: Mapping[str, Any], facts: CityFacts, names: Names) -> list[Block]:
    blocks: list[Block] = []
    if facts.datasets:
        blocks.append(
            Paragraph(
                _(
                    "Today the data inventory lists {datasets} datasets, and "
                    "{share} of departments have one on the list."
                ).format(datasets=facts.datasets, share=_share(facts.departments_covered))
            )
        )
    model = values.get("governance_model")
    if isinstance(model, Mapping) and model:
        body = names.humanise(model.get("body") or _("governance body"))
        text = _("The {body} will decide how the city runs its data.").format(body=body)
        if model.get("chair"):
            text += _(" The {chair} chairs it.").format(chair=names.humanise(model["chair"]))
        if model.get("meets"):
            text += _(" It meets {cadence}.").format(cadence=cadence(model["meets"]))
        blocks.append(Paragraph(text))
        members = [names.humanise(m) for m in model.get("members") or []]
        if members:
            blocks.append(Paragraph(_("Its members: the {members}.").format(members=join(members))))
        decides = [names.humanise(d) for d in model.get("decides") or []]
        if decides:
            blocks.append(Paragraph(_("It decides:")))
            blocks.append(Bullets(decides, team=True))
        if model.get("owner_rule"):
            blocks.append(Paragraph(_("Who owns each dataset, in the team's words:")))
            blocks.append(Paragraph(names.humanise(model["owner_rule"]), team=True))
    invest = [r for r in values.get("investment_priorities") or [] if isinstance(r, Mapping)]
    if invest:
        blocks.append(Heading(_("Investments in tools and practices")))
        blocks.append(
            Table(
                [_("Investment"), _("Why"), _("Year"), _("Cost")],
                [
                    [
                        names.humanise(r.get("investment") or ""),
                        names.humanise(r.get("why") or ""),
                        str(r.get("year") or _("not set")),
                        money(
                            r.get("cost_usd")
                            if isinstance(r.get("cost_usd"), int | float)
                            else None
                        ),
                    ]
                    for r in invest
                ],
            )
        )
    return blocks


def _quality(values: Mapping[str, Any], names: Names) -> list[Block]:
    standard = values.get("quality_standard")
    if not isinstance(standard, Mapping) or not standard:
        return []
    rows = []
    for key, value in standard.items():
        words_, how = QUALITY_RULES.get(str(key), (sentence_case(words(str(key))), "{value}"))
        words_, how = (_(words_), _(how)) if str(key) in QUALITY_RULES else (words_, how)
        share = fmt.share(float(value)) if isinstance(value, int | float) else str(value)
        number = fmt.g(value) if isinstance(value, int | float) else str(value)
        rows.append(
            [
                words_,
                how.format(
                    share=share, number=number, cadence=cadence(value), value=names.humanise(value)
                ),
            ]
        )
    return [
        Paragraph(_("The data quality standard sets these rules for the city's key tables:")),
        Table([_("Rule"), _("Standard")], rows),
    ]


def _use(values: Mapping[str, Any], data: CityData, names: Names, facts: CityFacts) -> list[Block]:
    blocks: list[Block] = []
    chosen = values.get("priority_metrics") or []
    metrics = data.table_or_empty("performance_metrics")
    if isinstance(chosen, list) and chosen and len(metrics):
        latest = metrics.sort_values("period").groupby("metric_id").tail(1).set_index("metric_id")
        rows = []
        for metric_id in chosen:
            if metric_id not in latest.index:
                continue
            row = latest.loc[metric_id]
            unit = str(row["unit"])
            from .plan import show_value

            target = (
                "" if row["target"] != row["target"] else show_value(float(row["target"]), unit)
            )
            rows.append(
                [
                    names.metric(metric_id),
                    names.department(row["department_id"]),
                    show_value(float(row["value"]), unit),
                    target,
                ]
            )
        blocks.append(Paragraph(_("The priority metrics the team reviews at every stat meeting:")))
        blocks.append(
            Table([_("Metric"), _("Department"), _("Latest month"), _("Department's target")], rows)
        )
    meeting = values.get("stat_meeting")
    if isinstance(meeting, Mapping) and meeting.get("cadence"):
        text = _("A stat meeting reviews them {cadence}").format(
            cadence=cadence(meeting["cadence"])
        )
        if meeting.get("chair"):
            text += _(", chaired by the {chair}").format(chair=names.humanise(meeting["chair"]))
        text += "."
        if meeting.get("first_metric"):
            text += _(" The first meeting starts with {metric}.").format(
                metric=names.metric(meeting["first_metric"])
            )
        blocks.append(Paragraph(text))
    base, goal = values.get("baseline_days"), values.get("target_days")
    if isinstance(base, int | float) and isinstance(goal, int | float):
        what = (
            _("{service} requests").format(service=facts.top_service)
            if facts.top_service
            else _("the most common request")
        )
        blocks.append(
            Paragraph(
                _(
                    "Today half of {what} close within {base} days. "
                    "The target is {target} days a year from now."
                ).format(what=what, base=fmt.g(base), target=fmt.g(goal))
            )
        )
    return blocks


def _transparency(
    values: Mapping[str, Any],
    names: Names,
    facts: CityFacts,
    cal: Calendar,
    measures: Sequence[Measure],
) -> list[Block]:
    blocks: list[Block] = []
    if facts.datasets:
        blocks.append(
            Paragraph(
                _(
                    "Today {published} of the city's {datasets} datasets are open "
                    "to the public, and {fresh} are up to date."
                ).format(
                    published=_share(facts.published),
                    datasets=facts.datasets,
                    fresh=_share(facts.fresh),
                )
            )
        )
    plan = [r for r in values.get("publication_plan") or [] if isinstance(r, Mapping)]
    if plan:
        lines = []
        for year in sorted({int(r["year"]) for r in plan if isinstance(r.get("year"), int)}):
            titles = [names.dataset(r.get("dataset_id")) for r in plan if r.get("year") == year]
            lines.append(
                (
                    _("Year {year} ({when}): {count} datasets, such as {titles}.")
                    if len(titles) > 1
                    else _("Year {year} ({when}): {count} dataset, such as {titles}.")
                ).format(
                    year=year,
                    when=cal.span(12 * (year - 1) + 1, 12 * year),
                    count=len(titles),
                    titles=join(titles, most=3),
                )
            )
        blocks.append(
            Paragraph(_("The city will publish {count} more datasets:").format(count=len(plan)))
        )
        blocks.append(Bullets(lines))
    shown = [m for m in measures if m.session == "m3-workshop-d"]
    if shown:
        blocks.append(
            Paragraph(
                _("By the end of year {year}: ").format(year=cal.years)
                + "; ".join(
                    _("{measure}, {target} (today {today})").format(
                        measure=m.name.lower(),
                        target=m.target if m.target_value is not None else _("target to be set"),
                        today=m.today,
                    )
                    for m in shown
                )
                + "."
            )
        )
    groups = list(
        dict.fromkeys(
            names.humanise(r.get("stakeholder"))
            for r in values.get("engagement_plan") or []
            if isinstance(r, Mapping) and r.get("stakeholder")
        )
    )
    if groups:
        blocks.append(
            Paragraph(
                _(
                    "The team will listen to {count} groups, such as {groups}, "
                    "and go back to show what changed. An appendix lists every activity."
                ).format(count=len(groups), groups=join(groups, most=4))
            )
        )
    story = values.get("data_story")
    if isinstance(story, Mapping) and story.get("headline"):
        blocks.append(Heading(_("The data story")))
        blocks.append(Paragraph(_("The team's first story for residents, in its own words:")))
        for key in ("headline", "finding", "why_it_matters", "what_we_will_do", "about_the_data"):
            if story.get(key):
                blocks.append(Paragraph(names.humanise(story[key]), team=True))
    return blocks


def _workforce(
    values: Mapping[str, Any], names: Names, facts: CityFacts, years: int
) -> list[Block]:
    blocks: list[Block] = []
    if facts.staff and facts.data_roles is not None:
        blocks.append(
            Paragraph(
                _(
                    "Where the city starts: {roles} people work in data roles, out of "
                    "{staff} staff ({per} for every 100)."
                ).format(
                    roles=facts.data_roles,
                    staff=fmt.number(facts.staff),
                    per=fmt.fixed(facts.data_roles / facts.staff * 100, 1),
                )
            )
        )
    skills = [names.skill(s).lower() for s in values.get("priority_skills") or []]
    where = [names.department(d) for d in values.get("upskilling_departments") or []]
    roles = [names.humanise(r) for r in values.get("roles_to_hire") or []]
    if skills:
        text = _("The staff survey points to three skills to build first: {skills}.").format(
            skills=join(skills)
        )
        if where:
            text += _(" Training pays most in {departments}.").format(departments=join(where))
        if roles:
            text += _(" Some skills take years to grow, so the city will hire: {roles}.").format(
                roles=join(roles)
            )
        blocks.append(Paragraph(text))
    training = [r for r in values.get("upskilling_plan") or [] if isinstance(r, Mapping)]
    if training:
        blocks.append(Heading(_("Training plan")))
        blocks.append(
            Table(
                [_("Who"), _("Skill"), _("How"), _("People"), _("Year"), _("Cost")],
                [
                    [
                        sentence_case(names.who(r.get("who"))),
                        names.skill(r.get("skill")),
                        names.humanise(r.get("how") or ""),
                        str(r.get("people") or ""),
                        str(r.get("year") or _("not set")),
                        money(
                            r.get("cost_usd")
                            if isinstance(r.get("cost_usd"), int | float)
                            else None
                        ),
                    ]
                    for r in training
                ],
            )
        )
    hiring = [r for r in values.get("hiring_plan") or [] if isinstance(r, Mapping)]
    if hiring:
        blocks.append(Heading(_("Hiring plan")))
        rows = []
        for r in hiring:
            pay = r.get("salary_usd") if isinstance(r.get("salary_usd"), int | float) else None
            year = r.get("year") if isinstance(r.get("year"), int) else None
            count = r.get("count") if isinstance(r.get("count"), int) else 1
            total = count * pay * (years - year + 1) if pay and year else None
            rows.append(
                [
                    sentence_case(names.hire(r.get("role") or "")),
                    str(year or _("not set")),
                    str(count),
                    money(pay),
                    money(total),
                ]
            )
        blocks.append(
            Table(
                [
                    _("Role"),
                    _("Starts in year"),
                    _("Number"),
                    _("Yearly pay"),
                    _("Pay over the plan"),
                ],
                rows,
            )
        )
    keep = [names.humanise(a) for a in values.get("retention_actions") or [] if str(a).strip()]
    if keep:
        blocks.append(Heading(_("Keeping data staff")))
        blocks.append(Bullets(keep, team=True))
    budget = values.get("workforce_budget_usd")
    if isinstance(budget, int | float) and not isinstance(budget, bool):
        from cohort_tools.lessons.skills import hiring_cost, training_cost

        try:
            cost = training_cost(training) + hiring_cost(hiring, years)
            spent = _(" The training and hiring plans above cost {money}.").format(
                money=money(cost)
            )
        except (TypeError, ValueError, KeyError):
            spent = ""
        blocks.append(
            Paragraph(
                _("The team set a workforce budget of {money} for {years} years.").format(
                    money=money(float(budget)), years=years
                )
                + spent
            )
        )
    path = values.get("staffing_path")
    if isinstance(path, Mapping) and facts.data_roles is not None:
        steps = [
            _("{count} at the end of year {year}").format(count=path[k], year=k.split("_")[-1])
            for k in sorted(path)
            if isinstance(path[k], int)
        ]
        if steps:
            blocks.append(
                Paragraph(
                    _("People in data roles: {today} today, {steps}.").format(
                        today=facts.data_roles, steps=join(steps)
                    )
                )
            )
    return blocks


def _standard(values: Mapping[str, Any], names: Names, facts: CityFacts) -> list[Block]:
    standard = values.get("demographic_standard")
    if not isinstance(standard, Mapping) or not standard:
        return []
    blocks: list[Block] = []
    fields = [str(f) for f in standard.get("fields") or []]
    if fields:
        blocks.append(
            Paragraph(
                _("Every service will ask about {fields} the same way.").format(
                    fields=join([said(DEMOGRAPHIC_FIELD_WORDS, f) for f in fields])
                )
            )
        )
        rows = []
        for f in fields:
            key = "race_ethnicity_format" if f == "race_ethnicity" else f
            how = (
                names.convention(key, standard[key])
                if key in standard
                else _("as the service asks it now")
            )
            rows.append([sentence_case(said(DEMOGRAPHIC_FIELD_WORDS, f)), sentence_case(how)])
        blocks.append(Table([_("Question"), _("How it is asked")], rows))
    if standard.get("optional") is True:
        blocks.append(
            Paragraph(_("Answering is always up to the resident: no service may require it."))
        )
    if standard.get("when_collected"):
        blocks.append(Paragraph(_("When the city asks, in the team's words:")))
        blocks.append(Paragraph(names.humanise(standard["when_collected"]), team=True))
    limit = standard.get("small_numbers_threshold")
    if isinstance(limit, int | float):
        blocks.append(
            Paragraph(
                _("Results by group are published with any count under {limit} hidden.").format(
                    limit=fmt.g(limit)
                )
            )
        )
    access = standard.get("access")
    if isinstance(access, Mapping) and access:
        blocks.append(Heading(_("Who may see what")))
        blocks.append(
            Table(
                [_("Who"), _("What they may see")],
                [[sentence_case(names.humanise(k)), names.humanise(v)] for k, v in access.items()],
            )
        )
    if standard.get("review_cadence"):
        blocks.append(
            Paragraph(
                _("The standard is reviewed {cadence}.").format(
                    cadence=names.humanise(standard["review_cadence"])
                )
            )
        )
    if facts.old_race_question:
        blocks.append(
            Paragraph(
                _(
                    "{count} datasets must move to the new race and ethnicity question: {datasets}."
                ).format(
                    count=len(facts.old_race_question),
                    datasets=join(facts.old_race_question, most=4),
                )
            )
        )
    return blocks


def _protocol(values: Mapping[str, Any], names: Names) -> list[Block]:
    blocks: list[Block] = []
    roles = values.get("protocol_roles")
    if isinstance(roles, Mapping) and roles:
        text = _("Each time data changes a program or moves money, ")
        text += (
            _("the {role} writes a record.").format(role=names.humanise(roles["records"]))
            if roles.get("records")
            else _("a record is written.")
        )
        if roles.get("reviews"):
            text += _(" The {role} reviews the log").format(role=names.humanise(roles["reviews"]))
            text += f" {cadence(roles['review_cadence'])}." if roles.get("review_cadence") else "."
        blocks.append(Paragraph(text))
    fields = [str(f) for f in values.get("protocol_fields") or []]
    if fields:
        blocks.append(
            Paragraph(
                _("Each record holds: {fields}.").format(
                    fields=join([said(PROTOCOL_FIELD_WORDS, f) for f in fields])
                )
            )
        )
    first = values.get("first_record")
    if isinstance(first, Mapping) and first:
        blocks.append(Paragraph(_("The team's first record:")))
        blocks.append(
            Facts(
                [
                    (
                        sentence_case(said(PROTOCOL_FIELD_WORDS, str(k))),
                        names.humanise(v),
                    )
                    for k, v in first.items()
                ]
            )
        )
    return blocks


def _measurement(measures: Sequence[Measure], programme: Programme) -> list[Block]:
    if not measures:
        return [Paragraph(_("The measures fill in as the workshops are done."))]
    sessions = {s.id: s for s in programme.sessions()}
    rows = [
        [
            m.name,
            m.today,
            m.target,
            m.by,
            sentence_case(m.accountable),
            workshop_name(sessions[m.session], programme) if m.session in sessions else "",
        ]
        for m in measures
    ]
    blocks: list[Block] = [
        Paragraph(
            _(
                "The strategy is working when these numbers move. The stat meeting reviews "
                "them every quarter, and the city reports them every year."
            )
        ),
        Table(
            [
                _("Indicator"),
                _("Today"),
                _("Target"),
                _("By the end of"),
                _("Who answers for it"),
                _("Set in"),
            ],
            rows,
        ),
    ]
    notes = [
        _("{measure}: {note}. A new target is to be set.").format(measure=m.name, note=m.note)
        for m in measures
        if m.note
    ]
    if notes:
        blocks.append(Paragraph(_("Why some targets are still to be set:")))
        blocks.append(Bullets(notes))
    return blocks


# -- appendices --------------------------------------------------------------------------------------


def _appendices(
    values: Mapping[str, Any], names: Names, cal: Calendar, actions: Sequence[PlanAction]
) -> list[Section]:
    out: list[Section] = []
    engagement = [r for r in values.get("engagement_plan") or [] if isinstance(r, Mapping)]
    stakeholders = [r for r in values.get("stakeholder_map") or [] if isinstance(r, Mapping)]
    if engagement or stakeholders:
        blocks: list[Block] = []
        if engagement:
            blocks.append(
                Table(
                    [_("Stakeholder"), _("Activity"), _("When"), _("Owner")],
                    [
                        [
                            names.humanise(r.get("stakeholder") or ""),
                            names.humanise(r.get("activity") or ""),
                            cal.label(
                                r.get("month")
                                if isinstance(r.get("month"), int)
                                and 1 <= r["month"] <= 12 * cal.years
                                else None
                            ),
                            sentence_case(str(r.get("owner") or _("no owner yet"))),
                        ]
                        for r in engagement
                    ],
                    caption=_("Every engagement activity"),
                )
            )
        if stakeholders:
            blocks.append(
                Table(
                    [_("Stakeholder"), _("What they hold"), _("What they need"), _("When")],
                    [
                        [
                            names.humanise(r.get(k) or "")
                            for k in ("stakeholder", "holds", "needs", "when")
                        ]
                        for r in stakeholders
                    ],
                    caption=_("The stakeholder map"),
                )
            )
        out.append(
            Section(
                "appendix-engagement",
                _("stakeholder engagement in full"),
                _("Every group the team will engage, and every activity."),
                blocks,
            )
        )
    plan = [r for r in values.get("publication_plan") or [] if isinstance(r, Mapping)]
    if plan:
        out.append(
            Section(
                "appendix-publication",
                _("every dataset to publish"),
                _("The publication plan, dataset by dataset."),
                [
                    Table(
                        [_("Dataset"), _("Year"), _("How often"), _("Shown as")],
                        [
                            [
                                names.dataset(r.get("dataset_id")),
                                str(r.get("year") or _("not set")),
                                sentence_case(cadence(r.get("frequency"))),
                                _("counts by group or area")
                                if r.get("aggregated")
                                else _("records"),
                            ]
                            for r in plan
                        ],
                    )
                ],
            )
        )
    scores = values.get("maturity_scores")
    if isinstance(scores, Mapping) and scores:
        out.append(
            Section(
                "appendix-maturity",
                _("data maturity self-assessment"),
                _(
                    "The team's scores by practice area (0-100). This is a self-assessment, not a certification."
                ),
                [
                    Table(
                        [_("Practice area"), _("Score")],
                        [
                            [names.area(k), fmt.fixed(float(v))]
                            for k, v in scores.items()
                            if isinstance(v, int | float)
                        ],
                    )
                ],
            )
        )
    if actions:
        rows = []
        for number, goal in enumerate(GOALS, start=1):
            for a in sorted(
                (a for a in actions if a.goal == goal.id), key=lambda a: (a.start or 99, a.text)
            ):
                rows.append(
                    [
                        f"{number}. {goal.title}",
                        a.text,
                        sentence_case(a.owner) if a.owner else _("no owner yet"),
                        cal.span(a.start, a.finish),
                        money(a.cost_usd),
                        a.measure,
                    ]
                )
        out.append(
            Section(
                "appendix-actions",
                _("every action, by goal"),
                _("Goals, actions, owners, dates, costs and measures in one table."),
                [
                    Table(
                        [
                            _("Goal"),
                            _("Action"),
                            _("Owner"),
                            _("When"),
                            _("Cost"),
                            _("Success measure"),
                        ],
                        rows,
                    )
                ],
            )
        )
    return out


def _lettered(sections: list[Section]) -> list[Section]:
    for letter, section in zip("ABCDEFGHIJ", sections, strict=False):
        section.title = _("Appendix {letter}: {title}").format(letter=letter, title=section.title)
    return sections


# -- the strategy studio -----------------------------------------------------------------------------


def _today_roles(data: CityData) -> int | None:
    if not data.has("departments"):
        return None
    departments = data.table("departments")
    return int(departments["data_roles"].sum()) if len(departments) else None


def _points(
    findings: Sequence[coherence.Finding],
    values: Mapping[str, Any],
    *,
    by_answer: Mapping[str, tuple[Any, str]],
    sessions: Mapping[str, Session],
    programme: Programme,
    suggestion: Any,
) -> list[Point]:
    """The draft's points to settle, numbered, each with a suggested change where there is one
    (one suggestion per answer settles every point on that answer)."""
    by_name: dict[str, list[coherence.Finding]] = {}
    for f in findings:
        by_name.setdefault(f.answer, []).append(f)
    suggested = {answer: suggestion(answer, found) for answer, found in by_name.items()}
    out: list[Point] = []
    for number, f in enumerate(findings, start=1):
        session = sessions[by_answer[f.answer][1]]
        out.append(
            Point(
                number,
                f.check,
                f.what,
                f.answer,
                answer_label(f.answer),
                f.subject,
                sentence_case(f.problem),
                sentence_case(f.fix),
                workshop_name(session, programme),
                session.id,
                f.check in KEEPABLE,
                suggested.get(f.answer),
            )
        )
    return out


def _studio_actions(
    decisions: StudioDecisions, draft: Sequence[PlanAction]
) -> dict[str, list[tuple[str, float | None, int, int]]]:
    """The actions the studio moved to another year or left for later: (text, cost, from, to)."""
    by_key = {a.key: a for a in draft if a.key}
    out: dict[str, list[tuple[str, float | None, int, int]]] = {"moved": [], "deferred": []}
    for key, before, after in decisions.moved:
        if key in by_key:
            out["moved"].append((by_key[key].text, by_key[key].cost_usd, before, after))
    for key in decisions.deferred:
        if key in by_key:
            a = by_key[key]
            out["deferred"].append((a.text, a.cost_usd, a.year or 0, 0))
    return out


def _priorities(
    decisions: StudioDecisions,
    studio_actions: Mapping[str, list[tuple[str, float | None, int, int]]],
    costs: Mapping[str, Sequence[float]],
) -> list[Block]:
    """What the roadmap says about the studio's priorities: the budget and what waits."""
    blocks: list[Block] = []
    total = sum(sum(v) for v in costs.values())
    if decisions.budget is not None:
        blocks.append(
            Paragraph(
                _(
                    "In the strategy studio the team set a budget of {budget} for "
                    "the three years. The actions on this roadmap cost {total}."
                ).format(budget=money(decisions.budget), total=money(total))
            )
        )
    deferred = [text for text, *_rest in studio_actions.get("deferred", [])]
    if deferred:
        blocks.append(
            Paragraph(
                _("Not funded in these three years, so left for the next plan: {actions}.").format(
                    actions=join([t[:1].lower() + t[1:] for t in deferred])
                )
            )
        )
    return blocks


def _studio_appendix(
    decisions: StudioDecisions,
    studio_actions: Mapping[str, list[tuple[str, float | None, int, int]]],
    names: Names,
    costs: Mapping[str, Sequence[float]],
) -> list[Section]:
    """The decisions the team took in the strategy studio, in words."""
    if not decisions.done:
        return []
    blocks: list[Block] = []
    changed = [
        (
            _("{answer} changed: {note}.").format(
                answer=sentence_case(answer_label(answer)), note=names.humanise(note).rstrip(".")
            )
            if note
            else _("{answer} changed.").format(answer=sentence_case(answer_label(answer)))
        )
        for answer, note in decisions.changed
    ]
    kept = [
        _("{problem} The team keeps it: {why}").format(problem=p.problem, why=names.humanise(why))
        for p, why in decisions.kept
    ]
    if changed or kept:
        blocks += [Heading(_("Points settled")), Bullets(changed + kept)]
    moved = [
        _("{action}: moved from year {before} to year {after}.").format(
            action=text, before=before, after=after
        )
        for text, _cost, before, after in studio_actions.get("moved", [])
    ]
    deferred = [
        _("{action} ({money}): left for after year 3.").format(action=text, money=money(cost))
        for text, cost, *_rest in studio_actions.get("deferred", [])
    ]
    if decisions.budget is not None or moved or deferred:
        total = sum(sum(v) for v in costs.values())
        blocks.append(Heading(_("Priorities against the budget")))
        if decisions.budget is not None:
            blocks.append(
                Paragraph(
                    _(
                        "Budget for the three years: {budget}. The actions kept cost {total}."
                    ).format(budget=money(decisions.budget), total=money(total))
                )
            )
        if moved or deferred:
            blocks.append(Bullets(moved + deferred))
    if decisions.leads:
        blocks += [
            Heading(_("Who leads each goal")),
            Bullets(
                [
                    _("{goal}: the {lead}.").format(goal=g.title, lead=decisions.leads[g.id])
                    for g in GOALS
                    if g.id in decisions.leads
                ]
            ),
        ]
    if not blocks:
        blocks.append(Paragraph(_("The team confirmed the draft as it stood.")))
    return [
        Section(
            "appendix-studio",
            _("decisions taken in the strategy studio"),
            _("How the team settled the open points, set its priorities and named who leads."),
            blocks,
        )
    ]


# -- the whole document -------------------------------------------------------------------------------


def _team(city: City, programme: Programme) -> Team:
    return Team(
        roles=team_roles(city, programme),
        ids=[m.role for m in city.senior_team],
        cda_lead=_title(city.cda_lead.title or _("CDA lead")),
        names={r.id: _title(r.title) for r in programme.team.roles},
    )


def _title(title: str) -> str:
    from .names import role_title

    return role_title(title)


def assemble(
    city: City,
    team: TeamAnswers,
    programme: Programme,
    cohort: Cohort,
    *,
    made_on: dt.date | None = None,
    draw: bool = True,
    studio: Mapping[str, Any] | None = None,
) -> Strategy:
    """The city's strategy (see :func:`_assemble`). Learner values are untrusted: when the studio's
    changes give an answer a value the strategy cannot read, the strategy is the draft without
    the studio's decisions, with a gap that says so."""
    try:
        return _assemble(city, team, programme, cohort, made_on=made_on, draw=draw, studio=studio)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        holds_studio = studio if studio is not None else _studio_submission(team, programme)
        if not holds_studio:
            raise
        strategy = _assemble(city, team, programme, cohort, made_on=made_on, draw=draw, studio={})
        session = studio_sessions(programme)[0]
        roadmap = next(s for s in strategy.sections if s.id == "roadmap")
        roadmap.gaps.append(
            Gap(
                roadmap.title,
                "resolutions",
                "inconsistent",
                session.id,
                session.title,
                str(session.notebook),
                _(
                    "the strategy could not use the studio's decisions, so this is the draft "
                    "without them: a changed answer has a value it cannot read ({error})"
                ).format(error=type(exc).__name__),
                answer_label("resolutions"),
                workshop_name(session, programme),
            )
        )
        return strategy


def _studio_submission(team: TeamAnswers, programme: Programme) -> dict[str, Any]:
    for session in studio_sessions(programme):
        sub = team.submission(session.id)
        if sub is not None and sub.answers:
            return dict(sub.answers)
    return {}


def _assemble(
    city: City,
    team: TeamAnswers,
    programme: Programme,
    cohort: Cohort,
    *,
    made_on: dt.date | None = None,
    draw: bool = True,
    studio: Mapping[str, Any] | None = None,
) -> Strategy:
    """The city's strategy: front matter, one section per deliverable part, appendices; gaps and
    points to resolve marked. ``draw=False`` skips drawing the roadmap chart, for callers that
    only read the content.

    The strategy studio's decisions (:mod:`.studio`) are applied to the workshops' answers before
    anything is built: from the team's graded studio submission, or from ``studio`` when given
    (the studio notebook passes its own answers, or ``{}`` for the draft before any decision)."""
    data = open_city(city.data_dir)
    threshold = int(data.config.suppression_threshold or 11)
    years = programme.deliverable.horizon_years
    all_values: dict[str, Any] = {}
    per_part: dict[str, tuple[dict[str, Any], list[Gap]]] = {}
    for part in programme.deliverable.parts:
        values, gaps = answer_values(part, team, programme)
        per_part[part.id] = (values, gaps)
        all_values.update(values)
    studio_names = studio_answer_names(programme)
    # A studio answer whose checkpoint did not pass is a gap, and is not applied: a sign-off or
    # a change the checks refused must not reach the document.
    refused = {g.answer for _, gaps in per_part.values() for g in gaps if g.kind == "inconsistent"}
    from_team = {n: all_values.pop(n) for n in studio_names if n in all_values and n not in refused}
    for n in studio_names:
        all_values.pop(n, None)
    for values, _gaps in per_part.values():
        for n in studio_names:
            values.pop(n, None)
    studio_values = dict(studio) if studio is not None else from_team

    names = Names.for_city(data, programme)
    crew = _team(city, programme)
    cal = plan_calendar(cohort.start_date, programme.duration_months, years)
    inventory = data.table_or_empty("data_inventory")
    inventory_today = inventory_metrics(inventory).as_dict() if len(inventory) else None
    metrics = data.table_or_empty("performance_metrics")
    sessions = {s.id: s for s in programme.sessions()}
    by_answer = {
        name: (part, session_id)
        for part in programme.deliverable.parts
        for session_id, names_ in part.answers.items()
        for name in names_
    }

    def findings_on(values: Mapping[str, Any]) -> list[coherence.Finding]:
        return [
            f
            for f in coherence.check_all(
                values,
                metrics=metrics,
                inventory=inventory,
                today_roles=_today_roles(data),
                team=crew.roles,
                threshold=threshold,
                horizon=years,
            )
            if f.answer in by_answer
        ]

    goal_by_id = {g.id: g for g in GOALS}
    points = _points(
        findings_on(all_values),
        all_values,
        by_answer=by_answer,
        sessions=sessions,
        programme=programme,
        suggestion=lambda answer, found: suggest(
            answer,
            found,
            all_values,
            metrics=metrics,
            inventory=inventory,
            today=inventory_today,
            today_roles=_today_roles(data),
            team=crew.roles,
            lead=lambda goal: crew.lead(goal_by_id[goal]),
            threshold=threshold,
            years=years,
        ),
    )
    decisions = StudioDecisions()
    draft_actions: list[PlanAction] = []
    if studio_values:

        def studio_step(given: Mapping[str, Any]) -> tuple[dict[str, Any], StudioDecisions]:
            return apply_studio(
                all_values,
                given,
                points,
                changeable=[n for n in by_answer if n not in studio_names],
                team=crew.roles,
                goals=[g.id for g in GOALS],
                years=years,
            )

        # The actions as the points were settled, before the priorities moved or dropped any.
        resolved, _decided = studio_step(
            {k: v for k, v in studio_values.items() if k != PRIORITIES}
        )
        draft_actions = build_actions(resolved, names, crew, years)
        after, decisions = studio_step(studio_values)
        for values, _gaps in per_part.values():
            for name in values:
                if name in after:
                    values[name] = after[name]
        all_values = after
        crew.confirmed = dict(decisions.leads)
    facts = situation_facts(data, all_values, names)
    actions = build_actions(all_values, names, crew, years)
    objectives = build_objectives(
        all_values,
        names,
        service=facts.top_service,
        today_roles=facts.data_roles,
        published_today=facts.published,
        years=years,
    )
    measures = build_measures(
        all_values,
        names,
        metrics=metrics,
        service=facts.top_service,
        today_roles=facts.data_roles,
        inventory_today=inventory_today,
        team=crew,
        years=years,
    )
    costs = costs_by_year(actions, all_values, years)
    moved_or_deferred = _studio_actions(decisions, draft_actions)

    sections: list[Section] = []
    part_titles = {p.id: p.title for p in programme.deliverable.parts}
    for part in programme.deliverable.parts:
        values, gaps = per_part[part.id]
        for gap in gaps:
            gap.answer_label = answer_label(gap.answer)
            gap.workshop = workshop_name(sessions[gap.session_id], programme)
        section = Section(part.id, part.title, part.description, gaps=list(gaps))
        section.blocks += _goal_note(part.id)
        if part.id == "vision":
            section.blocks += _vision(values, objectives, names, part_titles)
        elif part.id == "governance":
            section.blocks += _governance(all_values, facts, names)
        elif part.id == "quality":
            section.blocks += _quality(values, names)
        elif part.id == "use":
            section.blocks += _use(values, data, names, facts)
        elif part.id == "transparency":
            section.blocks += _transparency(values, names, facts, cal, measures)
        elif part.id == "workforce_strategy":
            section.blocks += _workforce(values, names, facts, years)
        elif part.id == "demographic_standard":
            section.blocks += _standard(values, names, facts)
        elif part.id == "data_use_protocol":
            section.blocks += _protocol(values, names)
        elif part.id == "roadmap":
            section.blocks += roadmap_blocks(
                actions, city.name, cal, lines=len(roadmap_items(all_values)), draw=draw
            )
            section.blocks += _priorities(decisions, moved_or_deferred, costs)
        elif part.id == "measurement":
            section.blocks += _measurement(measures, programme)
        section.blocks += _actions_for(part.id, actions, cal)
        sections.append(section)

    kept = decisions.kept_keys
    left: list[tuple[str, str, str]] = []
    for finding in findings_on(all_values):
        if (finding.check, finding.answer, finding.subject) in kept:
            continue
        left.append((finding.check, finding.answer, finding.subject))
        part, session_id = by_answer[finding.answer]
        session = sessions[session_id]
        target = next(s for s in sections if s.id == part.id)
        if finding.check in GAP_CHECKS:
            source = {"roles-not-hired": "roles_to_hire", "skills-not-trained": "priority_skills"}
            origin = sessions[by_answer[source.get(finding.check, finding.answer)][1]]
            target.gaps.append(
                Gap(
                    part.title,
                    finding.answer,
                    "inconsistent",
                    origin.id,
                    origin.title,
                    str(origin.notebook),
                    finding.problem,
                    answer_label(finding.answer),
                    workshop_name(origin, programme),
                    finding.check,
                    sentence_case(finding.fix),
                )
            )
        else:
            target.flags.append(
                Flag(
                    part.id,
                    part.title,
                    finding.check,
                    finding.what,
                    finding.answer,
                    answer_label(finding.answer),
                    session.id,
                    session.title,
                    workshop_name(session, programme),
                    str(session.notebook),
                    sentence_case(finding.problem),
                    sentence_case(finding.fix),
                )
            )
    flags = [f for s in sections for f in s.flags]
    front = [
        Section(
            "summary",
            _("Executive summary"),
            "",
            executive_summary(
                answers=all_values,
                names=names,
                cal=cal,
                facts=facts,
                objectives=objectives,
                actions=actions,
                costs=costs,
                to_resolve=len(flags) + sum(len(s.gaps) for s in sections),
                team=decisions.summary,
                budget=decisions.budget,
                deferred=[text for text, *_rest in moved_or_deferred["deferred"]],
            ),
        ),
        Section(
            "today",
            _("Where the city stands today"),
            _("From the city's own data and the team's assessments."),
            where_the_city_stands(city.name, facts, all_values, names),
        ),
    ]
    rubric = score_strategy(
        answers=all_values,
        actions=actions,
        measures=measures,
        flags=flags,
        team=crew.roles,
        costs=costs,
        years=years,
    )
    title = _("{city} citywide data strategy").format(city=city.name)
    return Strategy(
        city_id=city.id,
        city_name=city.name,
        title=title,
        summary=" ".join(programme.deliverable.summary.split()),
        horizon_years=years,
        made_on=made_on or dt.date.today(),
        sections=sections,
        answers=all_values,
        period=cal.period,
        country=city.country,
        front=front,
        appendices=_lettered(
            _appendices(all_values, names, cal, actions)
            + _studio_appendix(decisions, moved_or_deferred, names, costs)
        ),
        public=public_summary(
            city_name=city.name,
            answers=all_values,
            names=names,
            cal=cal,
            facts=facts,
            actions=actions,
            measures=measures,
        ),
        actions=actions,
        measures=measures,
        rubric=rubric,
        team_roles=crew.roles,
        points=points,
        studio=decisions,
        costs=costs,
        left=left,
        goals=[(g.id, g.title) for g in GOALS if any(a.goal == g.id for a in actions)],
        coach=[
            (sub.session.title, sub.notebook.name, sub.coach)
            for sub in team.submissions.values()
            if sub.coach is not None
        ],
    )


__all__ = ["GAP_CHECKS", "assemble", "workshop_name"]

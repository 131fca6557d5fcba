"""The strategy studio's decisions (month 6), read into the strategy.

In the studio (``workshops/m6_strategy_studio.md``) the team reads the draft assembled from its
workshop answers and decides, as data:

- ``resolutions``: one entry per point to settle (a coherence check that did not hold), numbered as
  the draft lists them: ``{"point": 1, "decision": "change", "answer": "workforce_budget_usd",
  "value": 1081000, "note": "..."}`` gives a workshop answer a new value (the draft's suggestion,
  or the team's own); ``{"point": 2, "decision": "keep", "why": "..."}`` keeps a stretch target
  the city's history cannot support yet, with the change in how the work is done that will make
  the difference (only that kind of point may be kept). A change needs no ``point`` when it settles
  something a later decision of the studio brought up.
- ``strategy_budget_usd`` and ``priorities``: the three-year budget for the whole strategy, and
  for each action with a cost (``"training 1"``, ``"hire 2"``, ``"investment 3"``: its line in the
  workshop's plan) the year it runs (1 to 3) or ``"later"`` (not funded in these three years).
- ``goal_leads``: for each goal whose actions have a proposed owner, the role on the team who leads
  it (the proposal confirmed, or another role).
- ``executive_summary``: the summary's sentences in the team's own words (why now, one sentence per
  goal, what residents will notice, what the mayor is asked to approve); they replace the
  generated ones.
- ``sign_off``: the mayor's decision as a role, a date and one of "approve", "approve with changes"
  or "not yet" (with the changes asked for). Never a name.

:func:`apply_studio` turns these into the answers the strategy is built from and a record of the
decisions (:class:`StudioDecisions`) the document shows. Learner values are untrusted: anything
malformed is skipped and listed in plain words, never raised.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cohort_tools.core.i18n import N_, _
from cohort_tools.lessons import coherence
from cohort_tools.lessons.skills import hiring_cost, training_cost

#: The studio's named answers (declared in curriculum/programme.yaml under the roadmap part).
RESOLUTIONS = "resolutions"
BUDGET = "strategy_budget_usd"
PRIORITIES = "priorities"
LEADS = "goal_leads"
SUMMARY = "executive_summary"
SIGN_OFF = "sign_off"
ANSWERS = (RESOLUTIONS, BUDGET, PRIORITIES, LEADS, SUMMARY, SIGN_OFF)
#: Answers that may rightly be empty: no point to settle, no action with a cost, no proposed owner.
MAY_BE_EMPTY = frozenset({RESOLUTIONS, PRIORITIES, LEADS})

#: Points the team may keep (with the reason) instead of changing an answer.
KEEPABLE = frozenset({"target-unsupported"})
#: The decisions a mayor can take on the strategy (the answers keep these words; forms show them
#: in the city's language).
DECISIONS = (N_("approve"), N_("approve with changes"), N_("not yet"))
#: Roles that may record the sign-off (the decision is the mayor's).
SIGNERS = ("mayor", "acting mayor")
#: The signers in words (the role stays an id in the answers).
SIGNER_WORDS = {"mayor": N_("mayor"), "acting mayor": N_("acting mayor")}


def signer(role: str) -> str:
    """The role who signs, in the current language ("mayor")."""
    return _(SIGNER_WORDS[role]) if role in SIGNER_WORDS else role


LATER = "later"
#: Prefix of an action key -> the plan (named answer) whose line it is.
PLAN_OF_KEY = {
    "training": "upskilling_plan",
    "hire": "hiring_plan",
    "investment": "investment_priorities",
}
#: The summary's parts: (key, what the team writes, most words).
SUMMARY_PARTS = (
    ("why", "why the city needs this plan now", 45),
    ("residents", "what residents will notice", 50),
    ("ask", "what the mayor is asked to approve", 40),
)
GOAL_SENTENCE_WORDS = 25


# -- the points to settle ------------------------------------------------------------------------


@dataclass
class Point:
    """A point to settle in the studio: a coherence check on the draft that did not hold."""

    number: int
    check: str  # a key of cohort_tools.lessons.coherence.CHECKS
    what: str
    answer: str  # the named answer to change
    answer_label: str
    subject: str
    problem: str
    fix: str
    workshop: str  # the workshop that produces the answer, in words
    session_id: str
    keepable: bool
    #: A new value for ``answer`` that settles this point (and any other point on the same
    #: answer), worked out from the answers and the city's data; None when the team must decide.
    suggestion: Any = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.check, self.answer, self.subject)

    def change_words(self, current: Any) -> list[str]:
        """What the suggestion changes in ``current`` (the answer as the draft holds it)."""
        return describe_change(current, self.suggestion) if self.suggestion is not None else []

    def suggested_entry(self) -> dict[str, Any] | None:
        """The resolution that takes the suggestion, as the team would write it."""
        if self.suggestion is None:
            return None
        return {
            "point": self.number,
            "decision": "change",
            "answer": self.answer,
            "value": self.suggestion,
        }


def _show(value: Any) -> str:
    number = _number(value)
    if number is not None:
        return f"{number:,.0f}" if number >= 1000 or number == int(number) else f"{number:g}"
    return repr(value)


def describe_change(old: Any, new: Any, *, most: int = 6) -> list[str]:
    """Short lines saying what differs between two values of an answer ("line 3: owner 'x' ->
    'y'", "remove 'A'", "chair: 'x' -> 'y'"), for a person deciding whether to take it."""
    lines: list[str] = []
    if isinstance(old, list) and isinstance(new, list):
        if all(isinstance(v, Mapping) for v in [*old, *new]):
            for n, (a, b) in enumerate(zip(old, new, strict=False), start=1):
                for k in dict.fromkeys([*a, *b]):
                    if a.get(k) != b.get(k):
                        lines.append(
                            _("line {n}: {key} {old} -> {new}").format(
                                n=n, key=k, old=_show(a.get(k)), new=_show(b.get(k))
                            )
                        )
            lines += [_("add line {n}").format(n=n) for n in range(len(old) + 1, len(new) + 1)]
            lines += [_("remove line {n}").format(n=n) for n in range(len(new) + 1, len(old) + 1)]
        else:
            lines += [_("remove {value}").format(value=_show(v)) for v in old if v not in new]
            lines += [_("add {value}").format(value=_show(v)) for v in new if v not in old]
    elif isinstance(old, Mapping) and isinstance(new, Mapping):
        for k in dict.fromkeys([*old, *new]):
            if old.get(k) != new.get(k):
                lines.append(f"{k}: {_show(old.get(k))} -> {_show(new.get(k))}")
    elif old != new:
        lines.append(f"{_show(old)} -> {_show(new)}")
    if len(lines) > most:
        lines = [*lines[:most], _("and {count} more").format(count=len(lines) - most)]
    return lines


# -- what the studio decided ---------------------------------------------------------------------


@dataclass(frozen=True)
class SignOff:
    """The mayor's decision on the strategy (a role, never a name)."""

    role: str
    date: dt.date
    decision: str  # one of DECISIONS
    changes: str = ""

    @property
    def signed(self) -> bool:
        return self.decision != "not yet"

    def sentence(self, city_name: str) -> str:
        from . import fmt

        when = fmt.date(self.date)
        who = (
            _("The mayor")
            if self.role == "mayor"
            else _("The {role}").format(role=signer(self.role))
        )
        if self.decision == "approve":
            return _("{who} of {city} approved this strategy on {date}.").format(
                who=who, city=city_name, date=when
            )
        if self.decision == "approve with changes":
            return _("{who} of {city} approved this strategy with changes on {date}.").format(
                who=who, city=city_name, date=when
            )
        return _("Not signed yet: on {date} the {role} asked the team to change it first.").format(
            date=when, role=signer(self.role)
        )


@dataclass
class TeamSummary:
    """The executive summary's sentences in the team's own words."""

    why: str = ""
    goals: dict[str, str] = field(default_factory=dict)  # goal id -> sentence
    residents: str = ""
    ask: str = ""


@dataclass
class StudioDecisions:
    """What the studio decided, for the document and the strategy-review packet."""

    done: bool = False  # the team's studio answers were read
    changed: list[tuple[str, str]] = field(default_factory=list)  # (answer, note)
    kept: list[tuple[Point, str]] = field(default_factory=list)  # (point, why)
    moved: list[tuple[str, int, int]] = field(default_factory=list)  # (action key, from, to)
    deferred: list[str] = field(default_factory=list)  # action keys not funded in these years
    budget: float | None = None
    leads: dict[str, str] = field(default_factory=dict)  # goal id -> role title
    summary: TeamSummary | None = None
    sign_off: SignOff | None = None
    unused: list[str] = field(default_factory=list)  # entries that could not be used, in words

    @property
    def kept_keys(self) -> set[tuple[str, str, str]]:
        return {p.key for p, _ in self.kept}


# -- reading the answers -------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_sign_off(value: Any) -> SignOff | None:
    """The sign-off, or None when it is not filled in or not valid (the studio's checkpoint says
    why; the strategy then reads "not signed yet")."""
    if not isinstance(value, Mapping):
        return None
    role = _text(value.get("role")).lower()
    date = parse_date(value.get("date"))
    decision = _text(value.get("decision")).lower()
    changes = _text(value.get("changes"))
    if role not in SIGNERS or date is None or decision not in DECISIONS:
        return None
    if decision != "approve" and not changes:
        return None
    return SignOff(role, date, decision, changes)


def parse_summary(value: Any, goals: Collection[str]) -> TeamSummary | None:
    """The team's summary, or None when nothing usable is written."""
    if not isinstance(value, Mapping):
        return None
    raw_goals = value.get("goals")
    found = TeamSummary(
        why=_text(value.get("why")),
        goals={
            str(k): _text(v)
            for k, v in (raw_goals.items() if isinstance(raw_goals, Mapping) else [])
            if str(k) in goals and _text(v)
        },
        residents=_text(value.get("residents")),
        ask=_text(value.get("ask")),
    )
    if not (found.why or found.goals or found.residents or found.ask):
        return None
    return found


def action_key(value: Any) -> tuple[str, int] | None:
    """``"hire 2"`` -> ("hiring_plan", 1): the plan and the index of its line."""
    if not isinstance(value, str):
        return None
    kind, _space, number = value.strip().lower().partition(" ")
    if kind not in PLAN_OF_KEY or not number.strip().isdigit() or int(number) < 1:
        return None
    return PLAN_OF_KEY[kind], int(number) - 1


def _same_kind(old: Any, new: Any) -> bool:
    """A new value has the shape of the old one: a list for a list, a number for a number..."""
    if old is None:
        return True
    if _number(old) is not None:
        return _number(new) is not None
    for kind in (list, Mapping, str):
        if isinstance(old, kind):
            return isinstance(new, kind)
    return True


def apply_studio(
    values: Mapping[str, Any],
    studio: Mapping[str, Any],
    points: Sequence[Point],
    *,
    changeable: Collection[str],
    team: Sequence[str],
    goals: Collection[str],
    years: int,
) -> tuple[dict[str, Any], StudioDecisions]:
    """The answers with the studio's decisions applied, and the record of those decisions.

    ``changeable``: the answers a resolution may change (the workshops' answers the strategy reads);
    ``team``: the role titles on the city's team; ``goals``: the goal ids of the plan.
    """
    out = copy.deepcopy(dict(values))
    made = StudioDecisions(done=bool(studio))
    by_number = {p.number: p for p in points}

    # 1. Points settled: changes first (later entries for the same answer win), then keeps.
    entries = studio.get(RESOLUTIONS)
    for n, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        if not isinstance(entry, Mapping):
            made.unused.append(_("resolution {n} is not written in curly brackets").format(n=n))
            continue
        decision = _text(entry.get("decision")).lower()
        point = by_number.get(entry["point"]) if isinstance(entry.get("point"), int) else None
        if decision == "change":
            answer = str(entry.get("answer") or (point.answer if point else ""))
            if answer not in changeable:
                made.unused.append(
                    _("resolution {n} changes '{answer}', which the strategy does not read").format(
                        n=n, answer=answer
                    )
                )
                continue
            if "value" not in entry:
                continue  # the same change as another entry (checked by the studio's checkpoint)
            if not _same_kind(values.get(answer), entry["value"]):
                made.unused.append(
                    _("resolution {n} gives '{answer}' a value of another kind").format(
                        n=n, answer=answer
                    )
                )
                continue
            out[answer] = copy.deepcopy(entry["value"])
            made.changed.append((answer, _text(entry.get("note"))))
        elif decision == "keep":
            why = _text(entry.get("why"))
            if point is None or not point.keepable or not why:
                made.unused.append(
                    _(
                        "resolution {n} keeps a point that must be changed, or gives no reason"
                    ).format(n=n)
                )
                continue
            made.kept.append((point, why))
        else:
            made.unused.append(_("resolution {n} has no decision ('change' or 'keep')").format(n=n))

    # 2. The budget, and each action with a cost kept in a year or left for later.
    made.budget = _number(studio.get(BUDGET))
    priorities = studio.get(PRIORITIES)
    if isinstance(priorities, Mapping):
        plans = {plan: out.get(plan) for plan in PLAN_OF_KEY.values()}
        drop: dict[str, set[int]] = {}
        for key, when in priorities.items():
            found = action_key(key)
            rows = plans.get(found[0]) if found else None
            if found is None or not isinstance(rows, list) or found[1] >= len(rows):
                made.unused.append(
                    _("'{key}' is not an action with a cost in the plan").format(key=key)
                )
                continue
            plan, index = found
            row = rows[index]
            if not isinstance(row, Mapping):
                continue
            label = str(key).strip().lower()
            if isinstance(when, str) and when.strip().lower() == LATER:
                drop.setdefault(plan, set()).add(index)
                made.deferred.append(label)
            elif isinstance(when, int) and not isinstance(when, bool) and 1 <= when <= years:
                before = coherence.valid_year(row.get("year"), years)
                if before != when:
                    rows[index] = {**row, "year": when}
                    if before is not None:
                        made.moved.append((label, before, when))
            else:
                made.unused.append(
                    _("'{key}': {when} is not a year from 1 to {years} or 'later'").format(
                        key=key, when=repr(when), years=years
                    )
                )
        for plan, indexes in drop.items():
            rows = plans[plan]
            if isinstance(rows, list):
                out[plan] = [r for i, r in enumerate(rows) if i not in indexes]

    # 3. Who leads each goal, from the roles on the team.
    leads = studio.get(LEADS)
    if isinstance(leads, Mapping):
        for goal, role in leads.items():
            match = next(
                (t for t in team if isinstance(role, str) and coherence.same_role(role, t)), None
            )
            if str(goal) in goals and match:
                made.leads[str(goal)] = match
            else:
                made.unused.append(
                    _("the lead of '{goal}' is not a role on the team").format(goal=goal)
                )

    # 4. The summary in the team's words, and the sign-off.
    made.summary = parse_summary(studio.get(SUMMARY), goals)
    made.sign_off = parse_sign_off(studio.get(SIGN_OFF))
    return out, made


# -- costs ---------------------------------------------------------------------------------------


def plan_cost(values: Mapping[str, Any], years: int) -> float:
    """What the training plan, the hiring plan and the investments cost over ``years``."""
    rows: dict[str, list[Mapping[str, Any]]] = {
        plan: [r for r in values.get(plan) or [] if isinstance(r, Mapping)]
        for plan in PLAN_OF_KEY.values()
    }
    hires = [
        r
        for r in rows["hiring_plan"]
        if _number(r.get("count")) is not None and _number(r.get("salary_usd")) is not None
    ]
    total = training_cost(r for r in rows["upskilling_plan"] if _number(r.get("cost_usd")))
    total += hiring_cost(
        [r for r in hires if coherence.valid_year(r.get("year"), years)], horizon=years
    )
    total += sum(
        _number(r.get("cost_usd")) or 0.0
        for r in rows["investment_priorities"]
        if coherence.valid_year(r.get("year"), years)
    )
    return float(total)


# -- suggestions ---------------------------------------------------------------------------------


def _round_up(value: float, step: float = 1000.0) -> float:
    return float(math.ceil(value / step) * step)


def suggest(
    answer: str,
    findings: Sequence[coherence.Finding],
    values: Mapping[str, Any],
    *,
    metrics: pd.DataFrame,
    inventory: pd.DataFrame,
    today: Mapping[str, float] | None,
    today_roles: int | None,
    team: Sequence[str],
    lead: Callable[[str], str],
    threshold: int,
    years: int,
) -> Any:
    """A new value for ``answer`` that settles ``findings`` (all on that answer), or None when
    the team must decide (a missing cost, a role to hire, a training line to add...).

    ``lead(goal)`` is the role on the team who leads a goal ("use", "govern", "open"...).
    """
    try:
        return _suggest(
            answer,
            findings,
            values,
            metrics=metrics,
            inventory=inventory,
            today=today,
            today_roles=today_roles,
            team=team,
            lead=lead,
            threshold=threshold,
            years=years,
        )
    except (TypeError, ValueError, KeyError):  # a malformed line: its workshop's checkpoint says so
        return None


def _suggest(
    answer: str,
    findings: Sequence[coherence.Finding],
    values: Mapping[str, Any],
    *,
    metrics: pd.DataFrame,
    inventory: pd.DataFrame,
    today: Mapping[str, float] | None,
    today_roles: int | None,
    team: Sequence[str],
    lead: Callable[[str], str],
    threshold: int,
    years: int,
) -> Any:
    checks = {f.check for f in findings}
    current = values.get(answer)
    if answer == "priority_metrics" and isinstance(current, list):
        return _other_metrics(current, findings, metrics, years)
    if answer == "target_days":
        base = _number(values.get("baseline_days"))
        return round(0.85 * base, 2) if base else None
    if answer == "transparency_targets" and isinstance(current, Mapping) and today:
        new = dict(current)
        for key, words in coherence.TRANSPARENCY_WORDS.items():
            if any(f.subject == words for f in findings) and key in today:
                now = float(today[key])
                new[key] = 1.0 if now >= 0.9 else round(min(1.0, now + 0.1), 2)
        return new
    if answer == "workforce_budget_usd" and checks & {"budget-overrun", "budget-unplanned"}:
        cost = plan_cost({k: values.get(k) for k in ("upskilling_plan", "hiring_plan")}, years)
        return _round_up(1.1 * cost) if cost else None
    if answer == "staffing_path" and "staffing-vs-hiring" in checks and today_roles is not None:
        from cohort_tools.lessons.skills import cumulative_hires

        hires = [r for r in values.get("hiring_plan") or [] if isinstance(r, Mapping)]
        return {y: today_roles + n for y, n in cumulative_hires(hires, years).items()}
    if checks & {"owner-not-on-team", "action-no-owner"}:
        return _owners(answer, current, team, lead)
    if answer == "governance_model" and isinstance(current, Mapping):
        decides = [str(d) for d in current.get("decides") or []]
        return {**current, "decides": [*decides, "what is published"]}
    if answer == "publication_plan" and isinstance(current, list):
        return _publication(current, values, inventory, findings)
    if answer == "demographic_standard" and isinstance(current, Mapping):
        return {**current, "small_numbers_threshold": threshold}
    if "action-no-date" in checks and isinstance(current, list):
        field_ = "month" if answer == "engagement_plan" else "year"
        valid = coherence.valid_month if field_ == "month" else coherence.valid_year
        default = 6 if field_ == "month" else 2
        return [
            {**r, field_: default}
            if isinstance(r, Mapping) and valid(r.get(field_), years) is None
            else r
            for r in current
        ]
    return None


def _other_metrics(
    chosen: list[Any], findings: Sequence[coherence.Finding], metrics: pd.DataFrame, years: int
) -> list[Any] | None:
    """The chosen metrics with each flagged one swapped for one with a target to reach."""
    if metrics.empty:
        return None
    names = metrics.drop_duplicates("metric_id").set_index("metric_id")["metric"].astype(str)
    flagged = {str(f.subject) for f in findings}
    keep = [m for m in chosen if str(names.get(m, m)) not in flagged]
    spare = [
        m
        for m in dict.fromkeys(metrics["metric_id"].astype(str))
        if m not in chosen
        and not coherence.metric_targets(metrics, [m], years=years)
        and metrics.loc[metrics["metric_id"] == m, "target"].notna().any()
    ]
    new = keep + spare[: len(chosen) - len(keep)]
    return new or None


def _owners(answer: str, current: Any, team: Sequence[str], lead: Callable[[str], str]) -> Any:
    """Each owner who is missing or not on the team replaced by the lead of the goal it serves."""
    if answer == "engagement_plan" and isinstance(current, list):
        owner = lead("open")
        return [
            {**r, "owner": owner}
            if isinstance(r, Mapping) and not _on_team(r.get("owner"), team)
            else r
            for r in current
        ]
    goal = {"stat_meeting": "use", "protocol_roles": "use", "governance_model": "govern"}
    field_ = {"stat_meeting": "chair", "governance_model": "chair", "protocol_roles": "reviews"}
    if answer in field_ and isinstance(current, Mapping):
        return {**current, field_[answer]: lead(goal[answer])}
    return None


def _on_team(owner: Any, team: Sequence[str]) -> bool:
    return isinstance(owner, str) and bool(owner.strip()) and coherence.on_team(owner, team)


def _publication(
    plan: list[Any],
    values: Mapping[str, Any],
    inventory: pd.DataFrame,
    findings: Sequence[coherence.Finding],
) -> list[Any]:
    """Personal data published as counts; a year-1 dataset that is not up to date moved to year 2."""
    personal: set[str] = set()
    if len(inventory) and "contains_personal_data" in inventory:
        flags = inventory.set_index("dataset_id")["contains_personal_data"]
        personal = {str(k) for k, v in flags.items() if bool(v)}
    new: list[Any] = []
    for row in plan:
        if not isinstance(row, Mapping):
            new.append(row)
            continue
        row = dict(row)
        if str(row.get("dataset_id")) in personal:
            row["aggregated"] = True
        if row.get("year") == 1 and coherence.publication_vs_governance(
            [row], None, values.get("quality_standard"), inventory
        ):
            row["year"] = 2
        new.append(row)
    return new


__all__ = [
    "ANSWERS",
    "BUDGET",
    "DECISIONS",
    "KEEPABLE",
    "LATER",
    "LEADS",
    "MAY_BE_EMPTY",
    "PLAN_OF_KEY",
    "PRIORITIES",
    "RESOLUTIONS",
    "SIGNERS",
    "SIGN_OFF",
    "SUMMARY",
    "SUMMARY_PARTS",
    "Point",
    "SignOff",
    "StudioDecisions",
    "TeamSummary",
    "action_key",
    "apply_studio",
    "describe_change",
    "parse_date",
    "parse_sign_off",
    "parse_summary",
    "plan_cost",
    "suggest",
]

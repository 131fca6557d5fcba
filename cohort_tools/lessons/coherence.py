"""Does the plan hold together? Coherence checks across a city team's workshop answers.

Each check is a plain function of the answers (and the city's own tables where a check needs
today's figure). It returns :class:`Finding` objects: the answer that must change, what is wrong
and what to try, in plain words. The same findings feed two places:

- ``cda strategy build``: the completeness report lists them, each with the workshop that produces the
  answer, and the document marks them "to resolve before signing";
- a workshop checkpoint, which can fail on them the usual way::

      from cohort_tools.lessons import coherence
      with Checkpoint("a target better than today") as cp:
          for f in coherence.metric_targets(metrics, priority_metrics):
              cp.require(False, *f.pair)

The checks (ids in :data:`CHECKS`): a target no better than today and a target already met (both
direction-aware: for "lower is better" metrics a higher number is worse); a target the city's own
history cannot support; the workforce budget against the training plan, the hiring plan and the
investments; the staffing path against the hiring plan; the publication plan against the
governance decisions (the board's remit, the quality standard, personal data); owners who are not
on the team; actions without an owner or a date. The three older cross-checks (roles to hire left
out of the hiring plan, priority skills left out of the training plan, a standard that publishes
counts under the privacy threshold) live here too.

Nothing here reads files or prints: callers pass plain values and data frames.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cohort_tools.core.i18n import LANGUAGE_NAMES, _, gettext
from cohort_tools.lessons.inventory import inventory_metrics, with_freshness
from cohort_tools.lessons.skills import HORIZON_YEARS, SKILL_LABELS, hiring_cost, training_cost
from cohort_tools.lessons.translated import N_, Translated
from cohort_tools.model.cohort import City
from cohort_tools.model.programme import Programme, in_language, load_programme
from cohort_tools.policy.facts import fact

#: Every check, by id, in the words the completeness report uses for it.
CHECKS: Mapping[str, str] = Translated(
    {
        "target-not-better": N_("a target no better than today"),
        "target-met": N_("a target already met today"),
        "target-unsupported": N_("a target the city's own history cannot support"),
        "budget-overrun": N_("plans that cost more than the budget"),
        "budget-unplanned": N_("a budget much larger than its plans"),
        "cost-missing": N_("an investment without a cost"),
        "staffing-vs-hiring": N_("a staffing path the hiring plan cannot reach"),
        "publication-vs-governance": N_("a publication plan the governance decisions do not back"),
        "owner-not-on-team": N_("an owner who is not on the team"),
        "action-no-owner": N_("an action without an owner"),
        "action-no-date": N_("an action without a date"),
        "roles-not-hired": N_("roles to hire that the hiring plan leaves out"),
        "skills-not-trained": N_("priority skills the training plan leaves out"),
        "threshold-below-privacy": N_(
            "a standard that publishes counts under the privacy threshold"
        ),
    }
)

#: A target counts as "no better" when it improves on today by less than this share of today's
#: figure (measurement noise), or by less than this many points for shares in 0-1.
_TOLERANCE = 0.001


@dataclass(frozen=True)
class Finding:
    """One coherence problem: the ``answer`` to change, what is wrong and what to try."""

    check: str  # a key of CHECKS
    answer: str  # the named answer the team should change
    problem: str
    fix: str
    subject: str = ""  # what it is about (a metric, a role, a dataset), for grouping

    @property
    def pair(self) -> tuple[str, str]:
        """``(what is wrong, what to try)``, as :meth:`Checkpoint.require` takes them."""
        return self.problem, self.fix

    @property
    def what(self) -> str:
        return CHECKS.get(self.check, self.check)


def _producers(programme: Programme) -> dict[str, str]:
    return {
        name: session
        for part in programme.deliverable.parts
        for session, names in part.answers.items()
        for name in names
    }


def producer(answer: str, programme: Programme | None = None) -> str | None:
    """The id of the session (workshop) that produces the named answer, from the programme."""
    return _producers(programme or load_programme()).get(answer)


# -- small helpers ---------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _money(usd: float) -> str:
    if abs(usd) >= 1_000_000:
        return f"${usd / 1_000_000:,.1f} million".replace(".0 million", " million")
    return f"${usd:,.0f}"


def _num(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def compare_target(
    today: float, target: float, *, higher_is_better: bool, best: float | None = None
) -> str | None:
    """``"not-better"`` (the target equals today), ``"met"`` (today is already past the target) or
    None (the target improves on today). A city already at the best possible value (``best``, e.g.
    100% published) may keep it: that is not flagged."""
    if best is not None and abs(today - best) <= _TOLERANCE * max(abs(best), 1):
        return None
    gain = (target - today) if higher_is_better else (today - target)
    if abs(gain) <= _TOLERANCE * max(abs(today), 1):
        return "not-better"
    return "met" if gain < 0 else None


def yearly_gain(history: Sequence[float], *, higher_is_better: bool) -> float | None:
    """The best improvement over any 12 consecutive months of a monthly series, per year (in the
    better direction; negative when it only got worse). With less than 13 months, the change from
    the first to the last month scaled to a year. None with fewer than 6 months."""
    values = [float(v) for v in history if _number(v) is not None]
    if len(values) < 6:
        return None
    sign = 1.0 if higher_is_better else -1.0
    if len(values) >= 13:
        return max(sign * (values[i + 12] - values[i]) for i in range(len(values) - 12))
    return sign * (values[-1] - values[0]) * 12 / (len(values) - 1)


def target_supported(
    today: float,
    target: float,
    history: Sequence[float],
    *,
    higher_is_better: bool,
    years: int = HORIZON_YEARS,
    unit: str = "",
) -> tuple[bool, float, float | None]:
    """Whether the city's own history can support reaching ``target`` in ``years``.

    Rule (written for the strategy, after GovEx's advice to set targets from your own history): a
    target is unsupported when the yearly gain it needs is more than twice the best year-long gain
    in the history AND more than 15% of today's figure a year (Module 1 workshop A calls a cut of
    10 to 30 percent in a year usual; 15% a year for three years is the middle of that). A share
    in percent cannot pass 100. Returns (supported, gain needed per year, best yearly gain).
    """
    needed = ((target - today) if higher_is_better else (today - target)) / max(years, 1)
    best = yearly_gain(history, higher_is_better=higher_is_better)
    if unit == "percent" and not 0 <= target <= 100:
        return False, needed, best
    if needed <= 0 or best is None:
        return True, needed, best
    return not (needed > 2 * max(best, 0.0) and needed > 0.15 * abs(today)), needed, best


# -- targets ----------------------------------------------------------------------------------------


def metric_targets(
    metrics: pd.DataFrame,
    chosen: Iterable[str],
    *,
    answer: str = "priority_metrics",
    years: int = HORIZON_YEARS,
) -> list[Finding]:
    """The chosen performance metrics' targets against today's value and their own history."""
    if metrics.empty or not isinstance(chosen, list | tuple):
        return []
    found: list[Finding] = []
    ordered = metrics.sort_values("period")
    for metric_id in chosen:
        rows = ordered[ordered["metric_id"] == metric_id]
        if rows.empty:
            continue
        last = rows.iloc[-1]
        target = _number(last["target"])
        if target is None:
            continue
        today = float(last["value"])
        name, unit = str(last["metric"]), str(last["unit"])
        up = bool(last["higher_is_better"])
        words = f"{_num(today)} {unit}".strip() if unit not in ("count", "") else _num(today)
        goal = f"{_num(target)} {unit}".strip() if unit not in ("count", "") else _num(target)
        verdict = compare_target(today, target, higher_is_better=up)
        if verdict == "not-better":
            found.append(
                Finding(
                    "target-not-better",
                    answer,
                    _("{metric}: the target ({goal}) is the same as today ({today}).").format(
                        metric=name, goal=goal, today=words
                    ),
                    _(
                        "set a target that improves on today, or choose a metric that still "
                        "needs to improve."
                    ),
                    name,
                )
            )
            continue
        if verdict == "met":
            found.append(
                Finding(
                    "target-met",
                    answer,
                    _("{metric}: today's {today} already beats the target of {goal}.").format(
                        metric=name, today=words, goal=goal
                    ),
                    _(
                        "raise the target above today's figure, or choose a metric that has not "
                        "met its target yet."
                    ),
                    name,
                )
            )
            continue
        ok, needed, best = target_supported(
            today, target, list(rows["value"]), higher_is_better=up, years=years, unit=unit
        )
        if not ok:
            history = (
                _("the best year in the city's history gained {gain}").format(gain=_num(best))
                if best is not None and best > 0
                else _("the city's history shows no gain in any year")
            )
            found.append(
                Finding(
                    "target-unsupported",
                    answer,
                    _(
                        "{metric}: going from {today} to {goal} in {years} years needs a gain of "
                        "{gain} a year; {history}."
                    ).format(
                        metric=name,
                        today=words,
                        goal=goal,
                        years=years,
                        gain=_num(needed),
                        history=history,
                    ),
                    _(
                        "set a target the trend can reach, or name the change in how the work is "
                        "done that will make the difference."
                    ),
                    name,
                )
            )
    return found


def days_target(baseline_days: Any, target_days: Any) -> list[Finding]:
    """The one-year target for the median days to close (lower is better) against the baseline."""
    base, target = _number(baseline_days), _number(target_days)
    if base is None or target is None:
        return []
    verdict = compare_target(base, target, higher_is_better=False)
    if verdict is not None:
        return [
            Finding(
                "target-not-better" if verdict == "not-better" else "target-met",
                "target_days",
                _(
                    "a target of {target} days to close is not faster than today's {today} days."
                ).format(target=_num(target), today=_num(base)),
                _("pick a number of days below the baseline."),
                _("median days to close"),
            )
        ]
    if target < 0.5 * base:
        most, usual = fact("target-max-cut").shown_value, fact("target-cut").shown_value
        return [
            Finding(
                "target-unsupported",
                "target_days",
                _(
                    "{target} days would cut today's {today} days by more than {most} in one "
                    "year (the program's own rule of thumb, not a published standard)."
                ).format(target=_num(target), today=_num(base), most=most),
                _(
                    "aim for a cut of {usual} (the program's own rule of thumb) unless you are "
                    "changing how the work is done."
                ).format(usual=usual),
                _("median days to close"),
            )
        ]
    return []


TRANSPARENCY_WORDS: Mapping[str, str] = Translated(
    {
        "published": N_("datasets published openly"),
        "documented": N_("datasets documented"),
        "fresh": N_("datasets up to date"),
    }
)


def transparency_targets(targets: Any, today: Mapping[str, float]) -> list[Finding]:
    """Shares (0-1) the city aims for by year 3, against today's shares of the inventory."""
    if not isinstance(targets, Mapping):
        return []
    found: list[Finding] = []
    for key, words in TRANSPARENCY_WORDS.items():
        target, now = _number(targets.get(key)), today.get(key)
        if target is None or now is None:
            continue
        verdict = compare_target(float(now), target, higher_is_better=True, best=1.0)
        if verdict is not None:
            found.append(
                Finding(
                    "target-not-better" if verdict == "not-better" else "target-met",
                    "transparency_targets",
                    _("the target for {what} ({target}) is no better than today ({today}).").format(
                        what=words, target=f"{target:.0%}", today=f"{float(now):.0%}"
                    ),
                    _("aim above today's share: name the datasets that will get there."),
                    words,
                )
            )
    return found


def staffing(staffing_path: Any, today_roles: int, hiring_plan: Any) -> list[Finding]:
    """The staffing path's year 3 against today and against what the hiring plan can reach."""
    if not isinstance(staffing_path, Mapping):
        return []
    years = sorted(k for k in staffing_path if re.fullmatch(r"year_\d+", str(k)))
    if not years:
        return []
    last = _number(staffing_path.get(years[-1]))
    if last is None:
        return []
    hires = sum(int(_number(r.get("count")) or 0) for r in _rows(hiring_plan))
    found: list[Finding] = []
    if last <= today_roles:
        found.append(
            Finding(
                "target-not-better",
                "staffing_path",
                _(
                    "the staffing path ends with {last} people in data roles, no more than "
                    "today's {today}."
                ).format(last=_num(last), today=today_roles),
                _("plan the hires that will grow the team, and count them in the path."),
                _("people in data roles"),
            )
        )
    elif last > today_roles + hires:
        found.append(
            Finding(
                "staffing-vs-hiring",
                "staffing_path",
                _(
                    "the staffing path reaches {last} people in data roles, but today's {today} "
                    "plus the {hires} planned hires make only {total}."
                ).format(
                    last=_num(last), today=today_roles, hires=hires, total=today_roles + hires
                ),
                _("add the missing hires to the hiring plan, or lower the path."),
                _("people in data roles"),
            )
        )
    return found


# -- money ------------------------------------------------------------------------------------------


def budget(
    workforce_budget_usd: Any,
    upskilling_plan: Any,
    hiring_plan: Any,
    investments: Any = None,
    *,
    horizon: int = HORIZON_YEARS,
) -> list[Finding]:
    """The three-year workforce budget against what the training and hiring plans cost, and each
    investment's cost.

    Over budget is a conflict; a budget more than twice what its plans cost is one too (the mayor
    would approve money no plan spends). An investment with no cost cannot be budgeted.
    """
    found: list[Finding] = []
    for row in _rows(investments):
        if _number(row.get("cost_usd")) is None:
            found.append(
                Finding(
                    "cost-missing",
                    "investment_priorities",
                    _("the investment '{investment}' has no cost.").format(
                        investment=row.get("investment") or _("without a name")
                    ),
                    _("give every investment a cost in dollars, even a rough one."),
                    str(row.get("investment") or ""),
                )
            )
    money = _number(workforce_budget_usd)
    training, hiring = _rows(upskilling_plan), _rows(hiring_plan)
    if money is None or not (training or hiring):
        return found
    try:
        cost = training_cost(training) + hiring_cost(hiring, horizon)
    except (TypeError, ValueError, KeyError):
        return found  # a malformed line: the workshop's own checkpoint reports it
    if cost > money + 0.5:
        found.append(
            Finding(
                "budget-overrun",
                "workforce_budget_usd",
                _(
                    "the training and hiring plans cost {cost} over {years} years, more than the "
                    "workforce budget of {budget}."
                ).format(cost=_money(cost), years=horizon, budget=_money(money)),
                _("train fewer people, hire later or fewer, or raise the budget."),
                _("workforce budget"),
            )
        )
    elif cost < 0.5 * money:
        found.append(
            Finding(
                "budget-unplanned",
                "workforce_budget_usd",
                _(
                    "the training and hiring plans use only {share} of the workforce budget "
                    "({cost} of {budget}); the mayor would approve {rest} that no plan spends."
                ).format(
                    share=f"{cost / money:.0%}",
                    cost=_money(cost),
                    budget=_money(money),
                    rest=_money(money - cost),
                ),
                _(
                    "lower the budget to what the plans cost plus a margin, or add the training "
                    "and hires it pays for."
                ),
                _("workforce budget"),
            )
        )
    return found


# -- publishing and governance ----------------------------------------------------------------------

_PUBLISH_WORDS = (
    *("publish", "open data", "released", "release", "portal", "shared openly"),
    *("publica", "publicación", "publicacion", "datos abiertos", "divulga"),  # Spanish answers
)


def publication_vs_governance(
    publication_plan: Any,
    governance_model: Any,
    quality_standard: Any,
    inventory: pd.DataFrame,
) -> list[Finding]:
    """The publication plan against the governance decisions: someone must be charged with what is
    published; a dataset about people goes out only as counts; and a dataset published in year 1
    must be up to date: not behind its own promised update rhythm, and, for data updated monthly or
    more often, within the quality standard's timeliness limit."""
    plan = _rows(publication_plan)
    if not plan:
        return []
    found: list[Finding] = []
    if isinstance(governance_model, Mapping):
        decides = " ".join(str(d) for d in governance_model.get("decides") or []).lower()
        if not any(w in decides for w in _PUBLISH_WORDS):
            body = str(governance_model.get("body") or _("the governance body"))
            found.append(
                Finding(
                    "publication-vs-governance",
                    "governance_model",
                    _(
                        "the publication plan puts {count} datasets online, but the {body} is "
                        "not charged with deciding what is published."
                    ).format(count=len(plan), body=body),
                    _("add 'what is published' to the decisions the governance body takes."),
                    _("what is published"),
                )
            )
    rows = inventory.set_index("dataset_id") if len(inventory) else pd.DataFrame()
    names = rows["dataset"].astype(str).to_dict() if "dataset" in rows else {}
    personal_records = [
        names.get(str(p.get("dataset_id")), str(p.get("dataset_id")))
        for p in plan
        if str(p.get("dataset_id")) in rows.index
        and bool(rows.loc[str(p.get("dataset_id")), "contains_personal_data"])
        and p.get("aggregated") is not True
    ]
    if personal_records:
        found.append(
            Finding(
                "publication-vs-governance",
                "publication_plan",
                _(
                    "{datasets} holds data about people but would be published as records, "
                    "against the rules for personal data."
                ).format(datasets=", ".join(personal_records)),
                _("publish counts by group or area instead, with small counts hidden."),
                _("personal data"),
            )
        )
    limit = (
        _number(quality_standard.get("timeliness_max_days"))
        if isinstance(quality_standard, Mapping)
        else None
    )
    if len(inventory):
        aged = with_freshness(inventory).set_index("dataset_id")
        often = {"daily", "weekly", "monthly"}

        def late(dataset: str) -> bool:
            row = aged.loc[dataset]
            if not bool(row["fresh"]):
                return True
            return (
                limit is not None
                and str(row["update_frequency"]) in often
                and (float(row["age_days"]) > limit)
            )

        stale = [
            names.get(str(p.get("dataset_id")), str(p.get("dataset_id")))
            for p in plan
            if p.get("year") == 1
            and str(p.get("dataset_id")) in aged.index
            and late(str(p.get("dataset_id")))
        ]
        if stale:
            rule = (
                _(" or within the {days} days the quality standard allows").format(days=_num(limit))
                if limit
                else ""
            )
            found.append(
                Finding(
                    "publication-vs-governance",
                    "publication_plan",
                    _(
                        "{datasets} would go online in year 1, but is not updated on its "
                        "promised rhythm{rule}."
                    ).format(datasets=", ".join(stale), rule=rule),
                    _("bring it up to date first, or move it to year 2."),
                    _("quality standard"),
                )
            )
    return found


# -- owners and dates -------------------------------------------------------------------------------

_ROLE_STOP = {"and", "of", "or", "the", "a", "an", "similar", "s"} | {
    "de",
    "del",
    "la",
    "el",
    "los",
    "las",
    "y",
    "e",
    "o",
    "u",
    "similar",
}  # English and Spanish linking words
_ROLE_ALIASES = {"cdo": "chief data officer", "coo": "chief operating officer"}


def _role_words(role: str) -> frozenset[str]:
    text = _ROLE_ALIASES.get(role.strip().lower(), role.lower()).replace("_", " ")
    text = re.sub(r"\(.*?\)", " ", text)
    # "planeación" and "planeacion" are the same word: accents dropped before comparing
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return frozenset(w for w in re.findall(r"[a-z]+", text) if w not in _ROLE_STOP)


def same_role(a: str, b: str) -> bool:
    """True when two role titles name the same role: the same words, or all the words (two or
    more) of one in the other ("equity lead" and "Equity and accountability lead";
    "chief_of_staff" and "Chief of staff"). One word alone ("manager") is too vague to match."""
    wa, wb = _role_words(a), _role_words(b)
    if not wa or not wb:
        return False
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return small == large or (len(small) >= 2 and small <= large)


@functools.cache
def _role_titles() -> tuple[tuple[str, str], ...]:
    """(role, title) for the mayor and each program role, in every language the program speaks:
    ("chief_of_staff", "chief of staff"), ("chief_of_staff", "jefe o jefa de gabinete"), ..."""
    programme = load_programme()
    found: list[tuple[str, str]] = []
    for language in LANGUAGE_NAMES:
        found.append(("mayor", gettext("mayor", language=language)))
        found += [(r.id, role_title(r.title)) for r in in_language(programme, language).team.roles]
    return tuple(found)


def role_key(title: str) -> str | None:
    """Which program role a title names, in any language ("jefa de gabinete" and "Chief of staff"
    -> "chief_of_staff"); None for a role the program does not list."""
    said = _role_words(title)
    exact = [key for key, t in _role_titles() if _role_words(t) == said]
    near = [key for key, t in _role_titles() if same_role(title, t)]
    return next(iter(exact or near), None)


def on_team(owner: str, team: Collection[str]) -> bool:
    """True when the owner is a role on the team, in its words or as the same program role in
    another language ("chief of staff" on a team that lists "jefe o jefa de gabinete")."""
    if any(same_role(owner, member) for member in team):
        return True
    key = role_key(owner)
    return key is not None and any(role_key(member) == key for member in team)


def team_role(wanted: Sequence[str], team: Sequence[str], default: str | None = None) -> str:
    """The team's own title for the first role in ``wanted`` that is on the team, so that a plan
    names owners in the team's words and language (["chief of staff", "city manager"] on a
    Colombian team -> "jefe o jefa de gabinete"); ``default`` (or the first wanted) when none is."""
    for role in wanted:
        matches = [m for m in team if on_team(role, [m])]
        exact = [m for m in matches if _role_words(m) == _role_words(role)]
        if exact or matches:
            return (exact or matches)[0]
    return default if default is not None else wanted[0]


def role_title(title: str) -> str:
    """A program role title as an owner: "Chief data officer (or similar)" -> "chief data
    officer"."""
    text = re.sub(r"\s*\(.*?\)", "", str(title)).strip()
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def team_roles(city: City, programme: Programme | None = None) -> list[str]:
    """The roles on the city's team, as owners, in the city's language: the mayor, the CDA lead's
    title and each senior team member's role (or title, for "other"). Never names. The strategy and the workshop
    checkpoints use this one list."""
    programme = programme or in_language(load_programme(), city.lang)
    titles = {r.id: role_title(r.title) for r in programme.team.roles}
    found = [gettext("mayor", language=city.lang)]
    if city.cda_lead.title:
        found.append(role_title(city.cda_lead.title))
    for member in city.senior_team:
        if member.role == "other" or member.role not in titles:
            found.append(role_title(member.title or member.role.replace("_", " ")))
        else:
            found.append(titles[member.role])
    return list(dict.fromkeys(found))


#: The owner fields in the answers: (answer, what it owns, whose, owner).
def _owners(answers: Mapping[str, Any]) -> list[tuple[str, str, str, Any]]:
    out: list[tuple[str, str, str, Any]] = []
    meeting = answers.get("stat_meeting")
    if isinstance(meeting, Mapping):
        out.append(("stat_meeting", _("the stat meeting"), "", meeting.get("chair")))
    model = answers.get("governance_model")
    if isinstance(model, Mapping):
        out.append(("governance_model", _("the governance body"), "", model.get("chair")))
    roles = answers.get("protocol_roles")
    if isinstance(roles, Mapping):
        out.append(
            ("protocol_roles", _("the review of the data-use log"), "", roles.get("reviews"))
        )
    for row in _rows(answers.get("engagement_plan")):
        who = str(row.get("stakeholder") or _("a stakeholder"))
        out.append(("engagement_plan", _("the engagement with"), who, row.get("owner", "")))
    return out


def owners(answers: Mapping[str, Any], team: Collection[str]) -> list[Finding]:
    """Owner roles the answers name: each must be filled in and be a role on the city's team.

    One finding per answer and role (an owner named for ten engagement activities is one
    finding, listing them)."""
    found: list[Finding] = []
    missing: dict[tuple[str, str], list[str]] = {}
    strangers: dict[tuple[str, str, str], list[str]] = {}
    for answer, what, whose, owner in _owners(answers):
        if not isinstance(owner, str) or not owner.strip():
            missing.setdefault((answer, what), []).append(whose)
        elif team and not on_team(owner, team):
            strangers.setdefault((answer, what, owner.strip()), []).append(whose)
    for (answer, what), whose_list in missing.items():
        found.append(
            Finding(
                "action-no-owner",
                answer,
                _("no owner is named for {what}.").format(what=_owned(what, whose_list)),
                _("name the role on the team that answers for it."),
                _("owner"),
            )
        )
    team_words = _list(sorted(team), most=8)
    for (answer, what, owner), whose_list in strangers.items():
        found.append(
            Finding(
                "owner-not-on-team",
                answer,
                _("the {owner}, named as owner of {what}, is not on the team ({team}).").format(
                    owner=owner, what=_owned(what, whose_list), team=team_words
                ),
                _("give it to a role on the team, or agree who on the team answers for it."),
                owner,
            )
        )
    return found


def _owned(what: str, whose: Sequence[str]) -> str:
    named = [w for w in whose if w]
    return f"{what} {_list(named, most=4)}" if named else what


def _list(items: Sequence[str], most: int = 3) -> str:
    items = list(dict.fromkeys(items))
    if len(items) > most:
        return _("{items} and {count} more").format(
            items=", ".join(items[:most]), count=len(items) - most
        )
    if len(items) > 1:
        return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])
    return items[-1] if items else ""


#: Plans whose lines are dated actions: (answer, the field that dates a line, what a line is).
DATED_PLANS: tuple[tuple[str, str, str], ...] = (
    ("upskilling_plan", "year", N_("training line")),
    ("hiring_plan", "year", N_("hire")),
    ("investment_priorities", "year", N_("investment")),
    ("publication_plan", "year", N_("dataset to publish")),
    ("engagement_plan", "month", N_("engagement activity")),
)


def valid_year(value: Any, horizon: int = HORIZON_YEARS) -> int | None:
    number = _number(value)
    return (
        int(number)
        if number is not None and number == int(number) and 1 <= number <= horizon
        else None
    )


def valid_month(value: Any, horizon: int = HORIZON_YEARS) -> int | None:
    try:
        month = int(str(value))
    except (TypeError, ValueError):
        return None
    return month if 1 <= month <= 12 * horizon else None


def dates(answers: Mapping[str, Any], *, horizon: int = HORIZON_YEARS) -> list[Finding]:
    """Lines of the plans with no usable date (a year 1 to ``horizon``, or a month)."""
    found: list[Finding] = []
    for answer, field, what in DATED_PLANS:
        check = valid_year if field == "year" else valid_month
        bad = [
            n
            for n, row in enumerate(_rows(answers.get(answer)), start=1)
            if check(row.get(field), horizon) is None
        ]
        if bad:
            lines = ", ".join(map(str, bad))
            last = horizon if field == "year" else 12 * horizon
            item, when = _(what), _("year") if field == "year" else _("month")
            if len(bad) > 1:
                problem = _(
                    "lines {lines} of the {item} list have no {when} (1 to {last}), so they "
                    "cannot go on the roadmap."
                )
            else:
                problem = _(
                    "line {lines} of the {item} list has no {when} (1 to {last}), so it cannot "
                    "go on the roadmap."
                )
            found.append(
                Finding(
                    "action-no-date",
                    answer,
                    problem.format(lines=lines, item=item, when=when, last=last),
                    _("give every {item} the {when} it starts.").format(item=item, when=when),
                    item,
                )
            )
    return found


# -- the older cross-checks -------------------------------------------------------------------------


def roles_and_skills(answers: Mapping[str, Any], threshold: int) -> list[Finding]:
    """Roles to hire the hiring plan leaves out; priority skills the training plan leaves out; a
    demographic standard that would publish counts under the city's privacy threshold."""
    found: list[Finding] = []
    roles, plan = answers.get("roles_to_hire"), answers.get("hiring_plan")
    if isinstance(roles, list) and isinstance(plan, list):
        planned = " ".join(str(r.get("role", "")).lower() for r in _rows(plan))
        absent = [str(r) for r in roles if str(r).lower() not in planned]
        if absent:
            found.append(
                Finding(
                    "roles-not-hired",
                    "hiring_plan",
                    _(
                        "the skills assessment names roles to hire that the hiring plan leaves "
                        "out: {roles}"
                    ).format(roles=", ".join(_(r) for r in absent)),
                    _("add a line for each role, or say in the plan why it can wait."),
                )
            )
    skills, upskilling = answers.get("priority_skills"), answers.get("upskilling_plan")
    if isinstance(skills, list) and isinstance(upskilling, list):
        covered = {str(r.get("skill")) for r in _rows(upskilling)}
        absent = [str(s) for s in skills if str(s) not in covered]
        if absent:
            found.append(
                Finding(
                    "skills-not-trained",
                    "upskilling_plan",
                    _("the upskilling plan does not train the priority skills {skills}").format(
                        skills=", ".join(SKILL_LABELS.get(s, s).lower() for s in absent)
                    ),
                    _("add a training line for each priority skill."),
                )
            )
    standard = answers.get("demographic_standard")
    if isinstance(standard, Mapping):
        value = _number(standard.get("small_numbers_threshold"))
        if value is not None and value < threshold:
            found.append(
                Finding(
                    "threshold-below-privacy",
                    "demographic_standard",
                    _(
                        "the standard lets counts under {value} be published, below the city's "
                        "privacy threshold of {threshold}"
                    ).format(value=f"{value:g}", threshold=threshold),
                    _("hide any count under {threshold}.").format(threshold=threshold),
                )
            )
    return found


# -- everything at once -----------------------------------------------------------------------------


def check_all(
    answers: Mapping[str, Any],
    *,
    metrics: pd.DataFrame | None = None,
    inventory: pd.DataFrame | None = None,
    today_roles: int | None = None,
    team: Collection[str] = (),
    threshold: int = 11,
    horizon: int = HORIZON_YEARS,
) -> list[Finding]:
    """Every check above that the answers and tables given allow, in a stable order."""
    metrics = metrics if metrics is not None else pd.DataFrame()
    inventory = inventory if inventory is not None else pd.DataFrame()
    found = roles_and_skills(answers, threshold)
    found += metric_targets(metrics, answers.get("priority_metrics") or [], years=horizon)
    found += days_target(answers.get("baseline_days"), answers.get("target_days"))
    if len(inventory):
        found += transparency_targets(
            answers.get("transparency_targets"), inventory_metrics(inventory).as_dict()
        )
    if today_roles is not None:
        found += staffing(answers.get("staffing_path"), today_roles, answers.get("hiring_plan"))
    found += budget(
        answers.get("workforce_budget_usd"),
        answers.get("upskilling_plan"),
        answers.get("hiring_plan"),
        answers.get("investment_priorities"),
        horizon=horizon,
    )
    found += publication_vs_governance(
        answers.get("publication_plan"),
        answers.get("governance_model"),
        answers.get("quality_standard"),
        inventory,
    )
    found += owners(answers, team)
    found += dates(answers, horizon=horizon)
    return found


__all__ = [
    "CHECKS",
    "DATED_PLANS",
    "Finding",
    "budget",
    "check_all",
    "compare_target",
    "dates",
    "days_target",
    "metric_targets",
    "on_team",
    "owners",
    "producer",
    "publication_vs_governance",
    "role_title",
    "roles_and_skills",
    "same_role",
    "staffing",
    "target_supported",
    "team_role",
    "team_roles",
    "transparency_targets",
    "valid_month",
    "valid_year",
    "yearly_gain",
]

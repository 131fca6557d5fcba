"""The strategy quality rubric: seven criteria, each scored 0-3 with evidence from the document.

Criteria (what a reviewer of a city data strategy looks for): a clear vision, measurable goals,
owners, resources, equity, transparency and feasibility. Each score comes with the evidence it
rests on, quoted or counted from the document, and the one step that would raise it. The coach's
strategy-review packet shows the table; the studio reads the same data (``Strategy.rubric``, and
``rubric`` in completeness.json).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from cohort_tools.core.i18n import N_, _
from cohort_tools.lessons.coherence import on_team

from .document import Flag
from .names import join
from .plan import SHOWN_BACK, TO_BE_SET, Measure, PlanAction, money

LEVELS = ("missing", "weak", "fair", "strong")
#: The levels in words (``Score.level`` stays the id, read by the packets and completeness.json).
LEVEL_WORDS = {
    "missing": N_("missing"),
    "weak": N_("weak"),
    "fair": N_("fair"),
    "strong": N_("strong"),
}
MAX_SCORE = 3


@dataclass
class Score:
    criterion: str  # id
    title: str
    score: int  # 0-3
    evidence: list[str]
    next_step: str

    @property
    def level(self) -> str:
        return LEVELS[self.score]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "level": self.level, "out_of": MAX_SCORE}


def _first_sentence(text: str) -> str:
    cut = text.split(". ")[0].strip()
    return cut if cut.endswith(".") else cut + "."


def score_strategy(
    *,
    answers: Mapping[str, Any],
    actions: Sequence[PlanAction],
    measures: Sequence[Measure],
    flags: Sequence[Flag],
    team: Sequence[str],
    costs: Mapping[str, Sequence[float]],
    years: int,
) -> list[Score]:
    checks = {f.check for f in flags}
    out: list[Score] = []

    # 1. A clear vision
    vision = str(answers.get("data_vision") or "").strip()
    priorities = [p for p in answers.get("mayor_priorities") or [] if str(p).strip()]
    evidence: list[str] = []
    score = 0
    if vision:
        score = 1
        evidence.append(
            _('The vision opens: "{sentence}"').format(sentence=_first_sentence(vision))
        )
        words = len(vision.split())
        sentences = max(1, len([s for s in re.split(r"[.!?]+", vision) if s.strip()]))
        if 15 <= words <= 70 and words / sentences <= 20:
            score += 1
        evidence.append(
            (
                _("It has {words} words in {sentences} sentences.")
                if sentences > 1
                else _("It has {words} words in {sentences} sentence.")
            ).format(words=words, sentences=sentences)
        )
        if 1 <= len(priorities) <= 3:
            score += 1
            evidence.append(
                _("It serves {count} named priorities of the mayor.").format(count=len(priorities))
            )
    out.append(
        Score(
            "vision",
            _("Clear vision"),
            score,
            evidence or [_("No vision yet.")],
            _("Keep the vision under 70 words in short sentences, tied to one to three priorities.")
            if score < MAX_SCORE
            else _("Ask the mayor to say it aloud: it should fit in one breath."),
        )
    )

    # 2. Measurable goals
    numeric = [m for m in measures if m.target_value is not None]
    to_set = [m for m in measures if m.target == _(TO_BE_SET)]
    share = len(numeric) / len(measures) if measures else 0.0
    score = 0 if not measures else 3 if share >= 0.8 and not to_set else 2 if share >= 0.6 else 1
    evidence = [
        _("{count} of {total} indicators have a target better than today.").format(
            count=len(numeric), total=len(measures)
        )
    ]
    if to_set:
        evidence.append(
            _("Target still to be set: {names}.").format(
                names=join([m.name for m in to_set], most=3)
            )
        )
    out.append(
        Score(
            "measurable",
            _("Measurable goals"),
            score,
            evidence,
            _("Give every indicator a number to reach, better than today, and a date.")
            if score < MAX_SCORE
            else _("Agree who reports each number, and when."),
        )
    )

    # 3. Owners
    owned = [a for a in actions if a.owner and on_team(a.owner, team)]
    proposed = [a for a in owned if a.owner_from == "proposed"]
    strangers = sorted({a.owner for a in actions if a.owner and not on_team(a.owner, team)})
    share = len(owned) / len(actions) if actions else 0.0
    score = (
        0
        if not actions
        else 3
        if share == 1 and len(proposed) <= len(actions) / 2
        else (2 if share >= 0.8 else 1 if share >= 0.5 else 0)
    )
    evidence = [
        _("{count} of {total} actions have an owner on the team.").format(
            count=len(owned), total=len(actions)
        )
    ]
    if proposed:
        evidence.append(
            _("{count} owners were proposed by this draft and need confirming.").format(
                count=len(proposed)
            )
        )
    if strangers:
        evidence.append(_("Owners not on the team: {owners}.").format(owners=join(strangers)))
    out.append(
        Score(
            "owners",
            _("Named owners"),
            score,
            evidence,
            _("Give each action to a role on the team, and confirm the proposed owners.")
            if score < MAX_SCORE
            else _("Put each owner's actions in their yearly goals."),
        )
    )

    # 4. Resourced
    total = sum(sum(v) for v in costs.values())
    budget = answers.get("workforce_budget_usd")
    money_flags = checks & {"budget-overrun", "budget-unplanned", "cost-missing"}
    if not total and not isinstance(budget, int | float):
        score = 0
    else:
        score = 3 if total and not money_flags else 2 if total else 1
    evidence = [
        _("The plan costs {money} over {years} years.").format(money=money(total), years=years)
        if total
        else _("No costs yet.")
    ]
    if isinstance(budget, int | float) and not isinstance(budget, bool):
        evidence.append(_("The workforce budget is {money}.").format(money=money(float(budget))))
    evidence += [f.problem for f in flags if f.check in money_flags][:2]
    out.append(
        Score(
            "resourced",
            _("Resourced"),
            score,
            evidence,
            _("Make the budget match what the plans cost, and cost every investment.")
            if score < MAX_SCORE
            else _("Check the figures with the finance director before signing."),
        )
    )

    # 5. Equity
    standard = answers.get("demographic_standard")
    score, evidence = 0, []
    if isinstance(standard, Mapping) and standard:
        score += 1
        evidence.append(_("A demographic data standard is part of the plan."))
        if "threshold-below-privacy" not in checks and standard.get("small_numbers_threshold"):
            score += 1
            evidence.append(
                _("Counts under {limit} stay hidden, as the city's privacy rule asks.").format(
                    limit=standard["small_numbers_threshold"]
                )
            )
    story = answers.get("data_story")
    if isinstance(story, Mapping) and story.get("finding"):
        score += 1
        evidence.append(_("The data story shows results by group of residents."))
    out.append(
        Score(
            "equity",
            _("Equity"),
            min(score, MAX_SCORE),
            evidence or [_("No demographic standard or results by group yet.")],
            _("Show at least one result by group, and say what the city will do about the gap.")
            if score < MAX_SCORE
            else _("Review the standard with community groups before it starts."),
        )
    )

    # 6. Transparency
    score, evidence = 0, []
    plan = answers.get("publication_plan")
    if isinstance(plan, list) and plan:
        score += 1
        evidence.append(_("{count} datasets are planned for publication.").format(count=len(plan)))
    if "transparency_targets" in answers and not any(
        f.answer == "transparency_targets" for f in flags
    ):
        score += 1
        evidence.append(_("Each transparency target is better than today."))
    if any(
        a.source == "engagement_plan" and ("show" in a.text.lower() or a.measure == _(SHOWN_BACK))
        for a in actions
    ):
        score += 1
        evidence.append(_("Stakeholders are told what changed after they spoke."))
    out.append(
        Score(
            "transparency",
            _("Transparency"),
            score,
            evidence or [_("No publication or engagement plan yet.")],
            _("Publish a dataset residents asked for in year 1, and report back to them.")
            if score < MAX_SCORE
            else _("Publish the strategy's own measures on the portal."),
        )
    )

    # 7. Feasibility
    dated = [a for a in actions if a.year is not None]
    first = [a for a in dated if a.year == 1]
    score, evidence = MAX_SCORE, []
    if dated:
        evidence.append(
            _("{count} of {total} dated actions start in year 1.").format(
                count=len(first), total=len(dated)
            )
        )
    if dated and len(first) > 0.6 * len(dated):
        score -= 1
        evidence.append(_("Year 1 carries most of the work."))
    for check, label in (
        ("target-unsupported", N_("A target the city's history cannot support.")),
        ("budget-overrun", N_("The plans cost more than the budget.")),
        ("action-no-date", N_("Some actions have no date.")),
    ):
        if check in checks:
            score -= 1
            evidence.append(_(label))
    if not actions:
        score = 0
        evidence = [_("No actions yet.")]
    out.append(
        Score(
            "feasibility",
            _("Feasible"),
            max(score, 0),
            evidence,
            _("Move what can wait out of year 1, and date every action.")
            if score < MAX_SCORE
            else _("Check year 1 against the team's other work."),
        )
    )
    return out


__all__ = ["LEVELS", "MAX_SCORE", "Score", "score_strategy"]

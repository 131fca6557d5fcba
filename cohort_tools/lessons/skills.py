"""Staff data-skills survey logic shared by Module 2 (the keynote and workshops A and B).

The survey rates each respondent's level in each skill on the four-level scale of the UK Government
Digital and Data capability framework: awareness < working < practitioner < expert, scored 1 to 4
(ddat-capability-framework.service.gov.uk). A *gap* is how many levels a respondent falls short of the
level their role family needs (0 when they meet it).

Every figure about a group of respondents is built only from groups that
:func:`cohort_tools.policy.privacy.survey_groups` allows to be shown: a withheld group never reaches a
returned frame, so a notebook cannot chart or print it by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cohort_tools.citydata.schemas import ROLE_FAMILIES, SKILL_LEVELS, SKILLS
from cohort_tools.core.i18n import _
from cohort_tools.lessons.translated import N_, Translated
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD, SurveyGroups, survey_groups

#: Level name -> score, in order.
LEVEL_SCORES: dict[str, int] = {level: i for i, level in enumerate(SKILL_LEVELS, start=1)}

#: Plain names for the skill codes, for chart labels and prose.
SKILL_LABELS: Mapping[str, str] = Translated(
    {
        "data_literacy": N_("Data literacy"),
        "data_analysis": N_("Data analysis"),
        "data_visualisation": N_("Data visualization"),
        "performance_management": N_("Performance management"),
        "data_governance": N_("Data governance"),
        "data_engineering": N_("Data engineering"),
        "statistics": N_("Statistics"),
        "data_ethics": N_("Data ethics"),
    }
)

_N = {"awareness": 1, "working": 2, "practitioner": 3, "expert": 4}


def _needs(**levels: str) -> dict[str, int]:
    return {skill: _N[levels[skill]] for skill in SKILLS}


#: The level each role family needs in each skill. These are the curriculum's planning assumptions
#: (what the work of each kind of role calls for), not a published standard: a city should edit
#: them to match its own job descriptions.
ROLE_NEEDS: dict[str, dict[str, int]] = {
    "executive": _needs(
        data_literacy="practitioner", data_analysis="working", data_visualisation="working",
        performance_management="practitioner", data_governance="working",
        data_engineering="awareness", statistics="working", data_ethics="practitioner",
    ),
    "manager": _needs(
        data_literacy="practitioner", data_analysis="working", data_visualisation="working",
        performance_management="practitioner", data_governance="working",
        data_engineering="awareness", statistics="working", data_ethics="working",
    ),
    "analyst": _needs(
        data_literacy="expert", data_analysis="practitioner", data_visualisation="practitioner",
        performance_management="practitioner", data_governance="working",
        data_engineering="working", statistics="practitioner", data_ethics="practitioner",
    ),
    "specialist": _needs(
        data_literacy="practitioner", data_analysis="working", data_visualisation="working",
        performance_management="working", data_governance="working",
        data_engineering="awareness", statistics="working", data_ethics="working",
    ),
    "technical": _needs(
        data_literacy="practitioner", data_analysis="working", data_visualisation="working",
        performance_management="awareness", data_governance="practitioner",
        data_engineering="practitioner", statistics="working", data_ethics="working",
    ),
    "frontline": _needs(
        data_literacy="working", data_analysis="awareness", data_visualisation="awareness",
        performance_management="awareness", data_governance="awareness",
        data_engineering="awareness", statistics="awareness", data_ethics="working",
    ),
    "administrative": _needs(
        data_literacy="working", data_analysis="working", data_visualisation="awareness",
        performance_management="awareness", data_governance="working",
        data_engineering="awareness", statistics="awareness", data_ethics="working",
    ),
}  # fmt: skip

#: A dedicated data role to hire when the city has too few people at practitioner level or above
#: in a skill. Most titles are data role titles of the UK DDaT capability framework; "data trainer"
#: is NOT one (the framework has no data-literacy training role): it is this program's own title.
#: :data:`ROLE_TITLE_SOURCES` says which is which, for any table that shows these titles.
HIRE_FOR_SKILL: dict[str, str] = {
    "data_literacy": "data trainer",
    "data_analysis": "data analyst",
    "data_visualisation": "data analyst",
    "performance_management": "performance analyst",
    "data_governance": "data governance manager",
    "data_engineering": "data engineer",
    "statistics": "data scientist",
    "data_ethics": "data ethicist",
}

#: Where each title in :data:`HIRE_FOR_SKILL` comes from, in words a learner can read.
DDAT_TITLE = "UK DDaT capability framework"
PROGRAM_TITLE = "this program's own title (not a UK DDaT role)"
ROLE_TITLE_SOURCES: dict[str, str] = {
    "data analyst": DDAT_TITLE,
    "performance analyst": DDAT_TITLE,
    "data governance manager": DDAT_TITLE,
    "data engineer": DDAT_TITLE,
    "data scientist": DDAT_TITLE,
    "data ethicist": DDAT_TITLE,
    "data trainer": PROGRAM_TITLE,
}


def title_source(role_title: str) -> str:
    """Where a hiring title comes from: the UK DDaT framework, or this program's own title."""
    return ROLE_TITLE_SOURCES.get(role_title.strip().lower(), PROGRAM_TITLE)


#: Words that mark a role title as covering a skill (for checking free-text role titles).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "data_literacy": ("trainer", "literacy", "coach", "educat"),
    "data_analysis": ("analyst", "analytics", "scientist"),
    "data_visualisation": ("analyst", "visuali", "designer", "gis"),
    "performance_management": ("performance", "stat", "analyst"),
    "data_governance": ("governance", "steward", "officer", "privacy", "architect"),
    "data_engineering": ("engineer", "developer", "architect"),
    "statistics": ("scientist", "statistic", "research", "evaluat"),
    "data_ethics": ("ethic", "privacy"),
}


def level_score(level: str) -> int:
    """1 for awareness up to 4 for expert; ValueError naming the allowed levels otherwise."""
    try:
        return LEVEL_SCORES[level]
    except KeyError:
        raise ValueError(
            _("unknown skill level {level}; use one of {levels}.").format(
                level=repr(level), levels=", ".join(SKILL_LEVELS)
            )
        ) from None


def scored(
    survey: pd.DataFrame, needs: Mapping[str, Mapping[str, int]] = ROLE_NEEDS
) -> pd.DataFrame:
    """The survey with ``score`` (1-4), ``needed`` (1-4) and ``gap`` (levels short, >= 0)."""
    frame = survey.copy()
    frame["score"] = frame["level"].map(LEVEL_SCORES).astype("float64")
    frame["needed"] = [
        float(needs.get(str(r), {}).get(str(s), 1))
        for r, s in zip(frame["role_family"], frame["skill"], strict=True)
    ]
    frame["gap"] = (frame["needed"] - frame["score"]).clip(lower=0)
    frame["below_need"] = frame["gap"] > 0
    return frame


@dataclass(frozen=True)
class GroupTable:
    """Figures per shown group x skill. ``withheld`` counts the groups left out (never named)."""

    table: (
        pd.DataFrame
    )  # long: the group columns, skill, respondents, mean_level, share_below_need, gap_points
    groups: SurveyGroups

    @property
    def withheld(self) -> int:
        return len(self.groups.withheld)

    def wide(self, value: str) -> pd.DataFrame:
        """One row per shown group, one column per skill (in SKILLS order)."""
        by = list(self.groups.by)
        wide = self.table.pivot_table(index=by, columns="skill", values=value, observed=True)
        return wide.reindex(columns=[s for s in SKILLS if s in wide.columns])


def by_group(
    survey: pd.DataFrame,
    by: str | Sequence[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    needs: Mapping[str, Mapping[str, int]] = ROLE_NEEDS,
) -> GroupTable:
    """Mean level, share below need and gap points per shown group and skill.

    ``gap_points`` is the sum of levels missing across the group's respondents: where training the
    group would close the most distance. Groups with fewer than ``threshold`` respondents (and any
    group withheld to protect them) are dropped before anything is computed.
    """
    cols = [by] if isinstance(by, str) else list(by)
    groups = survey_groups(survey, cols, threshold=threshold)
    kept = groups.keep(scored(survey, needs))
    table = (
        kept.groupby([*cols, "skill"], observed=True)
        .agg(
            respondents=("respondent_id", "nunique"),
            mean_level=("score", "mean"),
            share_below_need=("below_need", "mean"),
            gap_points=("gap", "sum"),
        )
        .reset_index()
    )
    table["mean_level"] = table["mean_level"].round(2)
    table["share_below_need"] = table["share_below_need"].round(3)
    return GroupTable(table=table, groups=groups)


def citywide(
    survey: pd.DataFrame,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    needs: Mapping[str, Mapping[str, int]] = ROLE_NEEDS,
) -> pd.DataFrame:
    """Per skill, over every respondent: mean level, share below need, gap points, share wanting
    training, share at practitioner or above. Empty when the whole survey is below ``threshold``."""
    columns = [
        "mean_level",
        "share_below_need",
        "gap_points",
        "share_want_training",
        "share_practitioner_plus",
    ]
    if survey.empty or survey["respondent_id"].nunique() < threshold:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="skill"), dtype="float64")
    frame = scored(survey, needs)
    frame["want"] = frame["training_interest"].astype("boolean").fillna(False).astype(bool)
    frame["practitioner_plus"] = frame["score"] >= LEVEL_SCORES["practitioner"]
    table = frame.groupby("skill").agg(
        mean_level=("score", "mean"),
        share_below_need=("below_need", "mean"),
        gap_points=("gap", "sum"),
        share_want_training=("want", "mean"),
        share_practitioner_plus=("practitioner_plus", "mean"),
    )
    return table.reindex([s for s in SKILLS if s in table.index]).round(3)


def level_shares(survey: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Long frame of skill, level, share (0-1) over every respondent; empty when too few answered."""
    if survey.empty or survey["respondent_id"].nunique() < threshold:
        return pd.DataFrame({"skill": [], "level": [], "share": []})
    shares = survey.groupby("skill")["level"].value_counts(normalize=True).rename("share")
    out = shares.reset_index()
    out["order"] = out["level"].map(LEVEL_SCORES)
    return out.sort_values(["skill", "order"]).drop(columns="order").reset_index(drop=True)


def top(series: pd.Series, n: int) -> list[str]:
    """The ``n`` largest entries' labels, ties broken by label so the answer is stable."""
    frame = series.rename("v").reset_index()
    frame.columns = ["label", "v"]
    frame = frame.sort_values(["v", "label"], ascending=[False, True], kind="stable")
    return [str(x) for x in frame["label"].head(n)]


def priority_skills(
    survey: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD, n: int = 3
) -> list[str]:
    """The ``n`` skills with the most gap points citywide (where training closes most distance)."""
    table = citywide(survey, threshold=threshold)
    return top(table["gap_points"], n) if len(table) else []


def priority_departments(
    survey: pd.DataFrame,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    skills: Iterable[str] | None = None,
    n: int = 3,
) -> list[str]:
    """Shown departments with the most gap points (in ``skills`` if given)."""
    table = by_group(survey, "department_id", threshold=threshold).table
    if skills is not None:
        table = table[table["skill"].isin(list(skills))]
    if table.empty:
        return []
    return top(table.groupby("department_id")["gap_points"].sum(), n)


def thin_bench_skills(
    survey: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD, n: int = 2
) -> list[str]:
    """The ``n`` skills with the smallest share of staff at practitioner level or above."""
    table = citywide(survey, threshold=threshold)
    return top(-table["share_practitioner_plus"], n) if len(table) else []


def roles_for(skills: Iterable[str]) -> list[str]:
    """Role titles to hire for the given skills, without repeats, in order."""
    out: list[str] = []
    for skill in skills:
        role = HIRE_FOR_SKILL.get(skill)
        if role and role not in out:
            out.append(role)
    return out


def role_covers(role_title: str, skill: str) -> bool:
    """True when a free-text role title plausibly covers ``skill`` (see :data:`ROLE_WORDS`)."""
    title = role_title.lower()
    return any(word in title for word in ROLE_WORDS.get(skill, ()))


# --- workforce plan arithmetic (Workshop B) ---------------------------------------------------

HORIZON_YEARS = 3


def training_cost(plan: Iterable[Mapping[str, Any]]) -> float:
    """Sum of ``cost_usd`` over an upskilling plan."""
    return float(sum(float(item.get("cost_usd") or 0) for item in plan))


def hiring_cost(plan: Iterable[Mapping[str, Any]], horizon: int = HORIZON_YEARS) -> float:
    """Salary paid within the horizon: a hire in year y is paid for years y..horizon."""
    total = 0.0
    for item in plan:
        year = int(item.get("year") or 0)
        if 1 <= year <= horizon:
            total += float(item["count"]) * float(item["salary_usd"]) * (horizon - year + 1)
    return total


def cumulative_hires(
    plan: Iterable[Mapping[str, Any]], horizon: int = HORIZON_YEARS
) -> dict[str, int]:
    """``{"year_1": n1, "year_2": n1 + n2, ...}``: people hired by the end of each year."""
    per_year = dict.fromkeys(range(1, horizon + 1), 0)
    for item in plan:
        year = int(item.get("year") or 0)
        if year in per_year:
            per_year[year] += int(item.get("count") or 0)
    out, running = {}, 0
    for year in range(1, horizon + 1):
        running += per_year[year]
        out[f"year_{year}"] = running
    return out


__all__ = [
    "HIRE_FOR_SKILL",
    "LEVEL_SCORES",
    "ROLE_FAMILIES",
    "ROLE_NEEDS",
    "ROLE_TITLE_SOURCES",
    "SKILL_LABELS",
    "GroupTable",
    "by_group",
    "citywide",
    "cumulative_hires",
    "hiring_cost",
    "level_score",
    "level_shares",
    "priority_departments",
    "priority_skills",
    "role_covers",
    "roles_for",
    "scored",
    "thin_bench_skills",
    "title_source",
    "top",
    "training_cost",
]

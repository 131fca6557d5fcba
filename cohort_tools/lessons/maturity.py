"""The data-maturity self-assessment: our criteria, and scores per practice area.

Each criterion is rated 0-3 (0 not started, 1 beginning, 2 developing, 3 established). The criterion
ids and practice areas match the ``maturity_assessment`` table of the city data format (see
``cohort_tools/citydata/schemas.py``), so a city's recorded assessments can be read straight in.

Practice areas may echo the public practice names of What Works Cities certification: the names of
the 2018-2021 standard (its 2018 assessment guide) or of the 2022 standard
(whatworkscities.bloomberg.org/assessment/); each echo says which (see curriculum/references.yaml).
The criteria text is written for this program. This is NOT the official What Works Cities
certification and its scores are not certification scores.

Scores: an area's score is its points as a share of the points possible (3 per criterion), 0-100.
The overall score counts every criterion once, so areas with more criteria weigh more, as in a
points-based assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import pandas as pd

from cohort_tools.core.errors import CdaError, Problem

LEVELS: tuple[str, ...] = ("not started", "beginning", "developing", "established")
"""Rating labels, by rating 0-3."""

MAX_RATING = len(LEVELS) - 1


@dataclass(frozen=True)
class PracticeArea:
    """One practice area: id (as in the data), a title, and the public practice name it echoes."""

    id: str
    title: str
    echoes: str  # public What Works Cities practice name, or another public framework's area


@dataclass(frozen=True)
class Criterion:
    """One criterion: ``levels[r]`` describes what rating ``r`` looks like."""

    id: str
    practice_area: str
    title: str
    levels: tuple[str, str, str, str]

    @property
    def text(self) -> dict[int, str]:
        """Rating -> what it looks like."""
        return dict(enumerate(self.levels))


PRACTICE_AREAS: dict[str, PracticeArea] = {
    a.id: a
    for a in (
        PracticeArea("governance", "Data governance", "WWC 2018-2021 standard: Data Governance"),
        PracticeArea(
            "data_management", "Data management and quality", "WWC 2022 standard: Data Management"
        ),
        PracticeArea("analytics", "Analytics", "WWC 2018-2021 standard: Performance & Analytics"),
        PracticeArea(
            "performance",
            "Performance management",
            "WWC 2018-2021 standard: Performance & Analytics",
        ),
        PracticeArea("open_data", "Open data", "WWC 2018-2021 standard: Open Data"),
        PracticeArea(
            "equity",
            "Equity and disaggregated data",
            "WWC 2022 standard: Disaggregated Data for Decision-Making",
        ),
        PracticeArea("workforce", "Data workforce", "Beeck Center: data talent pipeline"),
        PracticeArea(
            "engagement", "Stakeholder engagement", "WWC 2018-2021 standard: Stakeholder Engagement"
        ),
    )
}


def _c(cid: str, area: str, title: str, *levels: str) -> Criterion:
    assert len(levels) == 4, cid
    return Criterion(cid, area, title, (levels[0], levels[1], levels[2], levels[3]))


CRITERIA: dict[str, Criterion] = {
    c.id: c
    for c in (
        _c("GOV-1", "governance", "A body that governs data",
           "No group is in charge of data decisions.",
           "A group has been named, but meets rarely or has no written remit.",
           "A chartered group meets on a fixed rhythm and keeps a record of its decisions.",
           "The group sets data rules for every department and checks that they are followed."),
        _c("GOV-2", "governance", "A senior lead for data",
           "No one is responsible for data across the city.",
           "Someone looks after data as a side task.",
           "A chief data officer (or similar) role is defined, with a budget line.",
           "The data lead reports to the senior team and has staff and a budget."),
        _c("GOV-3", "governance", "Named owners for datasets",
           "Datasets have no named owner.",
           "Some key datasets have an owner, informally.",
           "Most datasets in the inventory name an owning department and a contact role.",
           "Every dataset has an owner who answers for its quality and access."),
        _c("DM-1", "data_management", "A data inventory",
           "There is no list of the city's datasets.",
           "A partial list exists, kept by one team.",
           "The inventory covers most departments and is updated at least yearly.",
           "The inventory covers every department, is current, and is published."),
        _c("DM-2", "data_management", "Data quality checks",
           "Data quality is not checked.",
           "Errors are fixed when someone notices them.",
           "Key tables are scored on completeness, timeliness and validity.",
           "Quality is scored on a fixed rhythm against a written standard, and owners fix gaps."),
        _c("DM-3", "data_management", "Privacy and security rules",
           "There are no written rules for personal data.",
           "Rules exist in some departments only.",
           "Citywide rules say how personal data is stored, shared and kept.",
           "The rules are followed, reviewed yearly and staff are trained on them."),
        _c("AN-1", "analytics", "Analysis informs decisions",
           "Decisions rarely draw on analysis.",
           "Some departments ask for analysis now and then.",
           "Analysts support most departments on their main decisions.",
           "Analysis is planned into every major decision and budget."),
        _c("AN-2", "analytics", "Shared tools for analysis",
           "Each team uses its own spreadsheets.",
           "A few shared tools exist but are little used.",
           "A shared platform serves most analysts.",
           "A shared, supported platform serves all analysts and links key data."),
        _c("PM-1", "performance", "A regular performance review",
           "Performance is not reviewed on a rhythm.",
           "Some departments review their numbers now and then.",
           "The senior team reviews key metrics with department heads each month.",
           "Reviews lead to decisions that are recorded and followed up."),
        _c("PM-2", "performance", "Targets for key metrics",
           "Metrics have no targets.",
           "A few metrics have targets.",
           "Most key metrics have targets set from history and peers.",
           "Targets are public, reviewed yearly and tied to the budget."),
        _c("OD-1", "open_data", "An active open data portal",
           "The city publishes no open data.",
           "Some datasets are online but rarely updated.",
           "The portal adds and refreshes datasets on a plan.",
           "Publishing is routine, and residents' requests shape what comes next."),
        _c("OD-2", "open_data", "An open data policy",
           "There is no open data policy.",
           "A policy is being drafted.",
           "A policy is adopted and names who publishes what.",
           "The policy is in law or executive order and is reported on each year."),
        _c("EQ-1", "equity", "A standard for demographic data",
           "Each department collects race and ethnicity its own way, or not at all.",
           "A standard is being drafted.",
           "A citywide standard is adopted, in line with the 2024 federal standard.",
           "Most datasets follow the standard and results are broken down by group."),
        _c("EQ-2", "equity", "Results broken down by group",
           "Results are not broken down by group.",
           "A few programs look at results by group.",
           "Key programs report results by group, with small groups protected.",
           "Gaps between groups drive changes in programs and budgets."),
        _c("WF-1", "workforce", "Knowing staff data skills",
           "The city does not know its staff's data skills.",
           "A skills survey has been run once.",
           "A survey is run on a rhythm and a training plan follows from it.",
           "Training and hiring are planned from the survey and their effect is checked."),
        _c("WF-2", "workforce", "Data roles and careers",
           "There are no dedicated data roles.",
           "A few data roles exist in some departments.",
           "Data roles have job families and pay grades.",
           "Data careers have clear paths, and the city keeps its data staff."),
        _c("EN-1", "engagement", "Residents and staff help shape data work",
           "Residents and staff are not asked about data.",
           "They are asked now and then, for one project.",
           "Key data projects involve residents or staff from the start.",
           "Engagement is routine and the city shows what changed as a result."),
    )
}  # fmt: skip


def criteria_frame() -> pd.DataFrame:
    """The criteria as a table: one row per criterion, one column per rating label."""
    rows = [
        {"criterion_id": c.id, "practice_area": c.practice_area, "criterion": c.title}
        | {f"{r} {LEVELS[r]}": c.levels[r] for r in range(4)}
        for c in CRITERIA.values()
    ]
    return pd.DataFrame(rows).set_index("criterion_id")


def _is_rating(value: object) -> bool:
    """A whole number 0-3 (numpy integers too); True/False are not ratings."""
    return (
        isinstance(value, Integral)
        and not isinstance(value, bool)
        and 0 <= int(value) <= MAX_RATING
    )


def check_ratings(
    ratings: Any, *, complete: bool = False, source: str = "ratings"
) -> list[Problem]:
    """Problems with ``ratings`` (criterion id -> 0..3), each named plainly; [] when valid.

    ``complete=True`` also requires a rating for every criterion.
    """
    if not isinstance(ratings, Mapping):
        return [
            Problem(
                source,
                f"the ratings should be criterion id: rating pairs, not {type(ratings).__name__}.",
                'write them as {"GOV-1": 2, "GOV-2": 1, ...}.',
            )
        ]
    problems = []
    unknown = [str(k) for k in ratings if k not in CRITERIA]
    if unknown:
        problems.append(
            Problem(
                source,
                f"unknown criterion id(s): {', '.join(unknown[:5])}"
                + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
                + ".",
                f"use the ids of the criteria: {', '.join(CRITERIA)}.",
            )
        )
    bad = [f"{k}={v!r}" for k, v in ratings.items() if k in CRITERIA and not _is_rating(v)]
    if bad:
        problems.append(
            Problem(
                source,
                f"rating(s) out of range: {', '.join(bad[:5])}"
                + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
                + ".",
                "rate each criterion with a whole number from 0 (not started) to 3 (established).",
            )
        )
    if complete:
        missing = [c for c in CRITERIA if c not in ratings]
        if missing:
            problems.append(
                Problem(
                    source,
                    f"no rating for {len(missing)} criterion(s): {', '.join(missing)}.",
                    "rate every criterion; use 0 when the practice has not started.",
                )
            )
    return problems


def validate_ratings(ratings: Any, *, complete: bool = False, source: str = "ratings") -> None:
    """Raise CdaError listing every problem found by :func:`check_ratings`."""
    problems = check_ratings(ratings, complete=complete, source=source)
    if problems:
        raise CdaError(problems, headline="The maturity ratings are not valid.")


def area_scores(ratings: Mapping[str, int]) -> dict[str, float]:
    """Practice area -> score 0-100 (points as a share of points possible), in area order.

    Areas with no rated criterion are left out; unknown ids or ratings out of 0-3 raise CdaError.
    """
    validate_ratings(ratings)
    out: dict[str, float] = {}
    for area in PRACTICE_AREAS:
        rated = [
            int(ratings[c.id])
            for c in CRITERIA.values()
            if c.practice_area == area and c.id in ratings
        ]
        if rated:
            out[area] = round(100.0 * sum(rated) / (MAX_RATING * len(rated)), 1)
    return out


def overall_score(ratings: Mapping[str, int]) -> float:
    """Score 0-100 over every rated criterion (each criterion weighs the same)."""
    validate_ratings(ratings)
    if not ratings:
        return 0.0
    return round(100.0 * sum(int(v) for v in ratings.values()) / (MAX_RATING * len(ratings)), 1)


def latest_ratings(table: pd.DataFrame) -> dict[str, int]:
    """Criterion id -> rating from the latest ``assessed_on`` of each criterion.

    Rows for criteria this module does not know are ignored (another framework's extra rows must
    not stop a cohort comparison); an empty table gives {}.
    """
    if table.empty:
        return {}
    frame = table[table["criterion_id"].isin(list(CRITERIA))].copy()
    frame["assessed_on"] = pd.to_datetime(frame["assessed_on"])
    latest = frame.sort_values("assessed_on", kind="stable").groupby("criterion_id").tail(1)
    found = dict(zip(latest["criterion_id"], latest["rating"], strict=True))
    return {c: int(found[c]) for c in CRITERIA if c in found}

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

Texts people read (rating labels, practice area titles, criteria and what each rating looks like)
are written in English and marked ``N_``; :data:`LEVELS`, :data:`PRACTICE_AREAS` and
:data:`CRITERIA` give them in the current language when read (:mod:`cohort_tools.lessons.translated`).
Ids and area keys never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from numbers import Integral
from typing import Any

import pandas as pd

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import _
from cohort_tools.lessons.translated import N_, Translated, TranslatedTexts

LEVELS = TranslatedTexts((N_("not started"), N_("beginning"), N_("developing"), N_("established")))
"""Rating labels, by rating 0-3 (in the current language when read)."""

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


_PRACTICE_AREAS: dict[str, PracticeArea] = {
    a.id: a
    for a in (
        PracticeArea(
            "governance", N_("Data governance"), "WWC 2018-2021 standard: Data Governance"
        ),
        PracticeArea(
            "data_management",
            N_("Data management and quality"),
            "WWC 2022 standard: Data Management",
        ),
        PracticeArea(
            "analytics", N_("Analytics"), "WWC 2018-2021 standard: Performance & Analytics"
        ),
        PracticeArea(
            "performance",
            N_("Performance management"),
            "WWC 2018-2021 standard: Performance & Analytics",
        ),
        PracticeArea("open_data", N_("Open data"), "WWC 2018-2021 standard: Open Data"),
        PracticeArea(
            "equity",
            N_("Equity and disaggregated data"),
            "WWC 2022 standard: Disaggregated Data for Decision-Making",
        ),
        PracticeArea("workforce", N_("Data workforce"), "Beeck Center: data talent pipeline"),
        PracticeArea(
            "engagement",
            N_("Stakeholder engagement"),
            "WWC 2018-2021 standard: Stakeholder Engagement",
        ),
    )
}


def _area(area: PracticeArea) -> PracticeArea:
    return replace(area, title=_(area.title))


#: Practice areas by id; each title is in the current language when read.
PRACTICE_AREAS: Translated[str, PracticeArea] = Translated(_PRACTICE_AREAS, _area)


def _c(cid: str, area: str, title: str, *levels: str) -> Criterion:
    assert len(levels) == 4, cid
    return Criterion(cid, area, title, (levels[0], levels[1], levels[2], levels[3]))


_CRITERIA: dict[str, Criterion] = {
    c.id: c
    for c in (
        _c("GOV-1", "governance", N_("A body that governs data"),
           N_("No group is in charge of data decisions."),
           N_("A group has been named, but meets rarely or has no written remit."),
           N_("A chartered group meets on a fixed rhythm and keeps a record of its decisions."),
           N_("The group sets data rules for every department and checks that they are followed.")),
        _c("GOV-2", "governance", N_("A senior lead for data"),
           N_("No one is responsible for data across the city."),
           N_("Someone looks after data as a side task."),
           N_("A chief data officer (or similar) role is defined, with a budget line."),
           N_("The data lead reports to the senior team and has staff and a budget.")),
        _c("GOV-3", "governance", N_("Named owners for datasets"),
           N_("Datasets have no named owner."),
           N_("Some key datasets have an owner, informally."),
           N_("Most datasets in the inventory name an owning department and a contact role."),
           N_("Every dataset has an owner who answers for its quality and access.")),
        _c("DM-1", "data_management", N_("A data inventory"),
           N_("There is no list of the city's datasets."),
           N_("A partial list exists, kept by one team."),
           N_("The inventory covers most departments and is updated at least yearly."),
           N_("The inventory covers every department, is current, and is published.")),
        _c("DM-2", "data_management", N_("Data quality checks"),
           N_("Data quality is not checked."),
           N_("Errors are fixed when someone notices them."),
           N_("Key tables are scored on completeness, timeliness and validity."),
           N_("Quality is scored on a fixed rhythm against a written standard, and owners fix gaps.")),
        _c("DM-3", "data_management", N_("Privacy and security rules"),
           N_("There are no written rules for personal data."),
           N_("Rules exist in some departments only."),
           N_("Citywide rules say how personal data is stored, shared and kept."),
           N_("The rules are followed, reviewed yearly and staff are trained on them.")),
        _c("AN-1", "analytics", N_("Analysis informs decisions"),
           N_("Decisions rarely draw on analysis."),
           N_("Some departments ask for analysis now and then."),
           N_("Analysts support most departments on their main decisions."),
           N_("Analysis is planned into every major decision and budget.")),
        _c("AN-2", "analytics", N_("Shared tools for analysis"),
           N_("Each team uses its own spreadsheets."),
           N_("A few shared tools exist but are little used."),
           N_("A shared platform serves most analysts."),
           N_("A shared, supported platform serves all analysts and links key data.")),
        _c("PM-1", "performance", N_("A regular performance review"),
           N_("Performance is not reviewed on a rhythm."),
           N_("Some departments review their numbers now and then."),
           N_("The senior team reviews key metrics with department heads each month."),
           N_("Reviews lead to decisions that are recorded and followed up.")),
        _c("PM-2", "performance", N_("Targets for key metrics"),
           N_("Metrics have no targets."),
           N_("A few metrics have targets."),
           N_("Most key metrics have targets set from history and peers."),
           N_("Targets are public, reviewed yearly and tied to the budget.")),
        _c("OD-1", "open_data", N_("An active open data portal"),
           N_("The city publishes no open data."),
           N_("Some datasets are online but rarely updated."),
           N_("The portal adds and refreshes datasets on a plan."),
           N_("Publishing is routine, and residents' requests shape what comes next.")),
        _c("OD-2", "open_data", N_("An open data policy"),
           N_("There is no open data policy."),
           N_("A policy is being drafted."),
           N_("A policy is adopted and names who publishes what."),
           N_("The policy is in law or executive order and is reported on each year.")),
        _c("EQ-1", "equity", N_("A standard for demographic data"),
           N_("Each department collects race and ethnicity its own way, or not at all."),
           N_("A standard is being drafted."),
           N_("A citywide standard is adopted, in line with the 2024 federal standard."),
           N_("Most datasets follow the standard and results are broken down by group.")),
        _c("EQ-2", "equity", N_("Results broken down by group"),
           N_("Results are not broken down by group."),
           N_("A few programs look at results by group."),
           N_("Key programs report results by group, with small groups protected."),
           N_("Gaps between groups drive changes in programs and budgets.")),
        _c("WF-1", "workforce", N_("Knowing staff data skills"),
           N_("The city does not know its staff's data skills."),
           N_("A skills survey has been run once."),
           N_("A survey is run on a rhythm and a training plan follows from it."),
           N_("Training and hiring are planned from the survey and their effect is checked.")),
        _c("WF-2", "workforce", N_("Data roles and careers"),
           N_("There are no dedicated data roles."),
           N_("A few data roles exist in some departments."),
           N_("Data roles have job families and pay grades."),
           N_("Data careers have clear paths, and the city keeps its data staff.")),
        _c("EN-1", "engagement", N_("Residents and staff help shape data work"),
           N_("Residents and staff are not asked about data."),
           N_("They are asked now and then, for one project."),
           N_("Key data projects involve residents or staff from the start."),
           N_("Engagement is routine and the city shows what changed as a result.")),
    )
}  # fmt: skip


def _criterion(c: Criterion) -> Criterion:
    levels = c.levels
    return replace(
        c, title=_(c.title), levels=(_(levels[0]), _(levels[1]), _(levels[2]), _(levels[3]))
    )


#: The criteria by id; each title and rating text is in the current language when read.
CRITERIA: Translated[str, Criterion] = Translated(_CRITERIA, _criterion)


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
                _("the ratings should be criterion id: rating pairs, not {kind}.").format(
                    kind=type(ratings).__name__
                ),
                _("write them as {example}.").format(example='{"GOV-1": 2, "GOV-2": 1, ...}'),
            )
        ]
    problems = []
    unknown = [str(k) for k in ratings if k not in CRITERIA]
    if unknown:
        problems.append(
            Problem(
                source,
                _("unknown criterion id(s): {ids}.").format(ids=_first_five(unknown)),
                _("use the ids of the criteria: {ids}.").format(ids=", ".join(CRITERIA)),
            )
        )
    bad = [f"{k}={v!r}" for k, v in ratings.items() if k in CRITERIA and not _is_rating(v)]
    if bad:
        problems.append(
            Problem(
                source,
                _("rating(s) out of range: {ratings}.").format(ratings=_first_five(bad)),
                _(
                    "rate each criterion with a whole number from 0 ({lowest}) to 3 ({highest})."
                ).format(lowest=LEVELS[0], highest=LEVELS[MAX_RATING]),
            )
        )
    if complete:
        missing = [c for c in CRITERIA if c not in ratings]
        if missing:
            problems.append(
                Problem(
                    source,
                    _("no rating for {count} criterion(s): {ids}.").format(
                        count=len(missing), ids=", ".join(missing)
                    ),
                    _("rate every criterion; use 0 when the practice has not started."),
                )
            )
    return problems


def _first_five(items: list[str]) -> str:
    """``a, b, c, d, e and 2 more``."""
    shown = ", ".join(items[:5])
    if len(items) > 5:
        return _("{items} and {count} more").format(items=shown, count=len(items) - 5)
    return shown


def validate_ratings(ratings: Any, *, complete: bool = False, source: str = "ratings") -> None:
    """Raise CdaError listing every problem found by :func:`check_ratings`."""
    problems = check_ratings(ratings, complete=complete, source=source)
    if problems:
        raise CdaError(problems, headline=_("The maturity ratings are not valid."))


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

"""A cohort-wide view for the keynote sessions: every city of the cohort side by side.

A keynote is a cohort-wide session, but each keynote notebook shows one city. This page puts the
headline figures of each keynote's exhibits for all cities in one table per keynote, so the speaker
can open with the cohort's spread before turning to one city. It is built from each city's data
folder with the same lesson functions the notebooks use.

Privacy: the page holds only city-level figures. Survey figures appear only when at least the city's
threshold of staff answered; neighborhood rates are computed from counts that went through the
shared suppression function, and suppressed neighborhoods are counted, never dropped silently.
Takeaways are computed from the figures, so they say what the data shows, whatever it shows.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cohort_tools.citydata import open_city
from cohort_tools.citydata.loader import CityData
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.render.page import page

MISSING = "not shared"


@dataclass
class Table:
    """One keynote's table: a caption, column headings, one row per city, and takeaways."""

    keynote: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    takeaways: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _pct(share: float | None) -> str:
    return MISSING if share is None or math.isnan(share) else f"{100 * share:.0f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _table(city: CityData, name: str) -> pd.DataFrame | None:
    return city.table(name) if city.has(name) else None


# --- Module 1: leading with data -----------------------------------------------------------------


def _m1_row(city: CityData) -> tuple[list[str], dict[str, float]]:
    from cohort_tools.lessons import exhibits

    facts: dict[str, float] = {}
    requests = _table(city, "service_requests")
    if requests is not None and len(requests):
        span = exhibits.coverage(requests)
        closed = exhibits.with_days_to_close(requests)
        covered = f"{span.rows:,} over {span.weeks} weeks" if span.weeks else f"{span.rows:,}"
        median = float(closed["days_to_close"].median()) if len(closed) else float("nan")
        facts["median_days"] = median
    else:
        covered, median = MISSING, float("nan")
    metrics = _table(city, "performance_metrics")
    if metrics is not None and len(metrics):
        against = exhibits.metrics_against_target(metrics)
        with_target = against[against["target"].notna()]
        met = int(with_target["meets_target"].astype(bool).sum())
        no_target = int(against["target"].isna().sum())
        targets = f"{met} of {len(with_target)}"
        facts["met"], facts["with_target"], facts["no_target"] = met, len(with_target), no_target
        no_target_text = str(no_target)
    else:
        targets, no_target_text = MISSING, MISSING
    log = _table(city, "data_use_log")
    departments = _table(city, "departments")
    if log is not None:
        total = len(departments) if departments is not None else log["department_id"].nunique()
        with_log = log["department_id"].nunique()
        logged = f"{len(log)} entries; {with_log} of {total} departments"
        facts["departments_without_log"] = total - with_log
    else:
        logged = "no log yet"
        facts["departments_without_log"] = float("nan")
    return [city.config.name, covered, _num(median), targets, no_target_text, logged], facts


def m1_table(cities: Sequence[CityData]) -> Table:
    table = Table(
        keynote="m1-keynote",
        title="Module 1 keynote: leading with data",
        caption="Service requests, performance against targets and the data-use log, by city.",
        columns=[
            "City",
            "Service requests in the data",
            "Median days to close a request",
            "Metrics with a target that meet it",
            "Metrics with no target",
            "Data-use log",
        ],
    )
    all_facts = []
    for city in cities:
        row, facts = _m1_row(city)
        table.rows.append(row)
        all_facts.append((city.config.name, facts))
    met = sum(int(f.get("met", 0)) for _, f in all_facts)
    with_target = sum(int(f.get("with_target", 0)) for _, f in all_facts)
    if with_target:
        table.takeaways.append(
            f"Across the cohort, {met} of {with_target} metrics with a target meet it "
            f"({100 * met / with_target:.0f}%)."
        )
    missing_targets = [n for n, f in all_facts if f.get("no_target", 0) > 0]
    table.takeaways.append(
        f"{len(missing_targets)} of {len(all_facts)} cities have at least one metric with no "
        "target."
        if missing_targets
        else "Every city that shared its metrics has a target for each of them."
    )
    medians = [
        f["median_days"] for _, f in all_facts if not math.isnan(f.get("median_days", math.nan))
    ]
    if len(medians) >= 2:
        table.takeaways.append(
            f"Median days to close range from {min(medians):.1f} to {max(medians):.1f}. Cities "
            "count and close requests differently, so compare each city with its own history "
            "first."
        )
    return table


# --- Module 2: people, practices and platforms ----------------------------------------------------


def _m2_row(city: CityData, threshold: int) -> tuple[list[str], dict[str, float]]:
    from cohort_tools.lessons import skills
    from cohort_tools.lessons.inventory import inventory_metrics

    facts: dict[str, float] = {}
    survey = _table(city, "staff_survey")
    if survey is None:
        answered, thin, want = MISSING, MISSING, MISSING
    else:
        n = int(survey["respondent_id"].nunique())
        wide = skills.citywide(survey, threshold=threshold)
        if len(wide):
            answered = f"{n:,}"
            weakest = wide["share_practitioner_plus"].idxmin()
            share = float(wide.loc[weakest, "share_practitioner_plus"])
            thin = f"{skills.SKILL_LABELS[str(weakest)]} ({100 * share:.0f}%)"
            want_share = float(wide["share_want_training"].mean())
            want = _pct(want_share)
            facts["want"] = want_share
        else:
            answered, thin, want = f"fewer than {threshold}", "withheld", "withheld"
    departments = _table(city, "departments")
    if departments is not None and len(departments):
        staff = int(departments["headcount"].sum())
        roles = int(departments["data_roles"].sum())
        per_100 = 100 * roles / staff if staff else float("nan")
        none = int((departments["data_roles"] == 0).sum())
        capacity = f"{per_100:.1f}"
        without = f"{none} of {len(departments)}"
        facts["per_100"] = per_100
    else:
        capacity, without = MISSING, MISSING
    inventory = _table(city, "data_inventory")
    if inventory is not None and len(inventory):
        m = inventory_metrics(inventory, departments)
        inv = f"{m.datasets}: {_pct(m.documented)} documented, {_pct(m.fresh)} on time"
        facts["documented"] = m.documented
    else:
        inv = MISSING
    return [city.config.name, answered, thin, want, capacity, without, inv], facts


def m2_table(cities: Sequence[CityData]) -> Table:
    table = Table(
        keynote="m2-keynote",
        title="Module 2 keynote: people, practices and platforms",
        caption="Staff skills survey, data roles and the data inventory, by city.",
        columns=[
            "City",
            "Staff who answered the survey",
            "Thinnest bench: skill (share of staff at practitioner or expert)",
            "Skill ratings that come with a wish for training",
            "Staff in data roles per 100 staff",
            "Departments with no one in a data role",
            "Datasets in the inventory",
        ],
    )
    all_facts = []
    for city in cities:
        row, facts = _m2_row(city, city.config.suppression_threshold)
        table.rows.append(row)
        all_facts.append(facts)
    per_100 = [f["per_100"] for f in all_facts if "per_100" in f and not math.isnan(f["per_100"])]
    if len(per_100) >= 2:
        table.takeaways.append(
            f"Staff in data roles range from {min(per_100):.1f} to {max(per_100):.1f} per 100 "
            "staff across the cohort."
        )
    wants = [f["want"] for f in all_facts if "want" in f]
    if wants:
        low, high = min(wants), max(wants)
        if high < 0.5:
            tail = (
                " In every city, fewer than half of the ratings come with a wish for training: "
                "plan how to make training worth staff's time."
            )
        elif low < 0.5:
            tail = " In some cities, fewer than half do."
        else:
            tail = ""
        table.takeaways.append(
            f"The share of skill ratings that come with a wish for training ranges from "
            f"{100 * low:.0f}% to {100 * high:.0f}%.{tail}"
        )
    table.notes.append(
        "Survey figures are shown only when at least the city's threshold of staff answered; "
        "otherwise they are withheld."
    )
    return table


# --- Module 3: bringing people to the table ------------------------------------------------------


def _requests_per_1000(city: CityData, threshold: int) -> tuple[str, int, float]:
    """'lowest - highest' per 1,000 residents across shown neighborhoods, the number suppressed,
    and the ratio of highest to lowest."""
    from cohort_tools.policy.privacy import suppress

    requests = _table(city, "service_requests")
    areas = _table(city, "neighbourhoods")
    if requests is None or areas is None or "neighbourhood_id" not in requests:
        return MISSING, 0, float("nan")
    areas = areas.set_index("neighbourhood_id")
    counts = requests["neighbourhood_id"].value_counts().reindex(areas.index, fill_value=0)
    shown = suppress(counts, threshold=threshold, margins=False).values()
    hidden = int(shown.isna().sum())
    rates = (1000 * shown / areas["population"]).dropna()
    rates = rates[areas.loc[rates.index, "population"] > 0]
    if len(rates) < 2:
        return "too few to compare", hidden, float("nan")
    low, high = float(rates.min()), float(rates.max())
    ratio = high / low if low > 0 else float("nan")
    return f"{low:.0f} to {high:.0f}", hidden, ratio


def _m3_row(city: CityData) -> tuple[list[str], dict[str, float]]:
    from cohort_tools.lessons.inventory import inventory_metrics

    facts: dict[str, float] = {}
    threshold = city.config.suppression_threshold
    inventory = _table(city, "data_inventory")
    if inventory is not None and len(inventory):
        m = inventory_metrics(inventory, _table(city, "departments"))
        published, usable = _pct(m.published), _pct(m.published_and_documented)
        facts["published"] = m.published
    else:
        published, usable = MISSING, MISSING
    spread, hidden, ratio = _requests_per_1000(city, threshold)
    if not math.isnan(ratio):
        facts["ratio"] = ratio
    facts["hidden"] = hidden
    hidden_text = str(hidden) if spread != MISSING else MISSING
    return [city.config.name, published, usable, spread, hidden_text], facts


def m3_table(cities: Sequence[CityData]) -> Table:
    table = Table(
        keynote="m3-keynote",
        title="Module 3 keynote: bringing people to the table",
        caption="Open data and who the city hears from, by city.",
        columns=[
            "City",
            "Datasets published openly",
            "Published and documented",
            "311 requests per 1,000 residents, lowest to highest neighborhood",
            "Neighborhoods suppressed (too few requests to show)",
        ],
    )
    all_facts = []
    for city in cities:
        row, facts = _m3_row(city)
        table.rows.append(row)
        all_facts.append(facts)
    published = [f["published"] for f in all_facts if "published" in f]
    if published:
        table.takeaways.append(
            f"The share of datasets published openly ranges from {100 * min(published):.0f}% to "
            f"{100 * max(published):.0f}% across the cohort."
        )
    ratios = [f["ratio"] for f in all_facts if "ratio" in f]
    hidden = sum(int(f.get("hidden", 0)) for f in all_facts)
    if ratios:
        table.takeaways.append(
            f"Within a city, the busiest neighborhood sends between {min(ratios):.1f} and "
            f"{max(ratios):.1f} times as many requests per resident as the quietest one shown. "
            "A quiet neighborhood is not always a happy one."
            + (
                f" {hidden} neighborhood(s) are suppressed: they may be the quietest of all."
                if hidden
                else ""
            )
        )
    table.notes.append(
        "Neighborhood counts below the city's threshold are suppressed before any rate is "
        "computed. Suppressed neighborhoods are counted in the last column, not dropped."
    )
    return table


# --- the page ------------------------------------------------------------------------------------


def cohort_tables(cohort: Cohort) -> list[Table]:
    cities = [open_city(c.data_dir) for c in cohort.cities]
    return [m1_table(cities), m2_table(cities), m3_table(cities)]


def _html_table(table: Table) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table.columns)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{html.escape(row[0])}</th>'
        + "".join(f"<td>{html.escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in table.rows
    )
    parts = [
        f'<h2 id="{table.keynote}">{html.escape(table.title)}</h2>',
        f"<table><caption>{html.escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
    ]
    if table.takeaways:
        parts.append(
            "<p><strong>Takeaway:</strong> "
            + " ".join(html.escape(t) for t in table.takeaways)
            + "</p>"
        )
    parts += [f'<p class="cda-meta">{html.escape(n)}</p>' for n in table.notes]
    return "\n".join(parts)


def cohort_keynote_page(cohort: Cohort, tables: list[Table] | None = None) -> str:
    """The whole page: an introduction and one table per keynote."""
    tables = tables if tables is not None else cohort_tables(cohort)
    intro = (
        f"<h1>The cohort at a glance, for the keynotes: {html.escape(cohort.name)}</h1>"
        f"<p>Every city of the cohort side by side ({len(cohort.cities)} cities). Open each "
        "keynote with its table: the spread across the cohort first, then one city in the "
        "keynote's notebook. Compare each city with its own history before comparing cities: "
        "they count and record things differently.</p>"
        '<p class="cda-meta">Only city-level figures. No names. Small groups are suppressed '
        'with the program\'s shared rule. "Not shared" means the city has not shared that '
        "table yet.</p>"
    )
    return page(
        f"The cohort at a glance: {cohort.name}",
        intro + "\n" + "\n".join(_html_table(t) for t in tables),
    )


def write_cohort_keynote_view(*, out: Path, cohort: Path | None = None) -> Path:
    """Write ``out/cohort-keynotes.html`` for the cohort (the demo cohort when none is given)."""
    from cohort_tools.core.fileio import atomic_write_text

    loaded = load_cohort(cohort)
    target = out / "cohort-keynotes.html"
    atomic_write_text(target, cohort_keynote_page(loaded))
    return target

"""A cohort-wide view for the keynote sessions: every city of the cohort side by side.

A keynote is a cohort-wide session, but each keynote notebook shows one city. This page puts the
headline figures of each keynote's exhibits for all cities in one table per keynote, so the speaker
can open with the cohort's spread before turning to one city. It is built from each city's data
folder with the same lesson functions the notebooks use.

Privacy: the page holds only city-level figures. Survey figures appear only when at least the city's
threshold of staff answered; neighborhood rates are computed from counts that went through the
shared suppression function, and suppressed neighborhoods are counted, never dropped silently.
Takeaways are computed from the figures, so they say what the data shows, whatever it shows.

The page is written in the current language (:func:`cohort_tools.core.i18n.speaking`): every
sentence, caption and heading is a catalog message, and in a language other than English numbers
and percentages follow the locale (``12,5`` and ``45 %`` where CLDR writes them so). English keeps
its own formats.
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
from cohort_tools.core import i18n
from cohort_tools.core.i18n import N_
from cohort_tools.core.i18n import gettext as _
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.render.page import page

#: A figure the city has not shared the table for (shown in the current language).
MISSING = N_("not shared")


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


def _english() -> bool:
    """Whether the page is written in English (its own number formats: ``12.5``, ``45%``)."""
    return i18n.current_language() == i18n.SOURCE_LANGUAGE


def _pct(share: float | None) -> str:
    """A share as a whole percentage (``45%``; ``45 %`` where the locale writes it so)."""
    if share is None or math.isnan(share):
        return _(MISSING)
    return f"{100 * share:.0f}%" if _english() else i18n.format_percent(share)


def _num(value: float | None, digits: int = 1) -> str:
    """A figure with thousands separators, or "not shared"."""
    if value is None or math.isnan(value):
        return _(MISSING)
    return f"{value:,.{digits}f}" if _english() else i18n.format_number(value, digits=digits)


def _dec(value: float, digits: int = 1) -> str:
    """A figure in a sentence (``3.5``; ``3,5`` in Colombia)."""
    return f"{value:.{digits}f}" if _english() else i18n.format_number(value, digits=digits)


def _count(value: int) -> str:
    """A count (``1,200``; ``1.200`` in Colombia)."""
    return f"{value:,}" if _english() else i18n.format_number(value)


def _of(part: int, total: int) -> str:
    return _("{part} of {total}").format(part=_count(part), total=_count(total))


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
        covered = (
            _("{requests} over {weeks} weeks").format(
                requests=_count(span.rows), weeks=_count(span.weeks)
            )
            if span.weeks
            else _count(span.rows)
        )
        median = float(closed["days_to_close"].median()) if len(closed) else float("nan")
        facts["median_days"] = median
    else:
        covered, median = _(MISSING), float("nan")
    metrics = _table(city, "performance_metrics")
    if metrics is not None and len(metrics):
        against = exhibits.metrics_against_target(metrics)
        with_target = against[against["target"].notna()]
        met = int(with_target["meets_target"].astype(bool).sum())
        no_target = int(against["target"].isna().sum())
        targets = _of(met, len(with_target))
        facts["met"], facts["with_target"], facts["no_target"] = met, len(with_target), no_target
        no_target_text = _count(no_target)
    else:
        targets, no_target_text = _(MISSING), _(MISSING)
    log = _table(city, "data_use_log")
    departments = _table(city, "departments")
    if log is not None:
        total = len(departments) if departments is not None else log["department_id"].nunique()
        with_log = log["department_id"].nunique()
        logged = _("{entries} entries; {with_log} of {total} departments").format(
            entries=_count(len(log)), with_log=_count(with_log), total=_count(total)
        )
        facts["departments_without_log"] = total - with_log
    else:
        logged = _("no log yet")
        facts["departments_without_log"] = float("nan")
    return [city.config.name, covered, _num(median), targets, no_target_text, logged], facts


def m1_table(cities: Sequence[CityData]) -> Table:
    table = Table(
        keynote="m1-keynote",
        title=_("Module 1 keynote: leading with data"),
        caption=_("Service requests, performance against targets and the data-use log, by city."),
        columns=[
            _("City"),
            _("Service requests in the data"),
            _("Median days to close a request"),
            _("Metrics with a target that meet it"),
            _("Metrics with no target"),
            _("Data-use log"),
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
        share = f"{100 * met / with_target:.0f}%" if _english() else _pct(met / with_target)
        table.takeaways.append(
            _(
                "Across the cohort, {met} of {total} metrics with a target meet it ({share})."
            ).format(met=_count(met), total=_count(with_target), share=share)
        )
    missing_targets = [n for n, f in all_facts if f.get("no_target", 0) > 0]
    table.takeaways.append(
        _("{count} of {total} cities have at least one metric with no target.").format(
            count=_count(len(missing_targets)), total=_count(len(all_facts))
        )
        if missing_targets
        else _("Every city that shared its metrics has a target for each of them.")
    )
    medians = [
        f["median_days"] for _, f in all_facts if not math.isnan(f.get("median_days", math.nan))
    ]
    if len(medians) >= 2:
        table.takeaways.append(
            _(
                "Median days to close range from {low} to {high}. Cities count and close requests "
                "differently, so compare each city with its own history first."
            ).format(low=_dec(min(medians)), high=_dec(max(medians)))
        )
    return table


# --- Module 2: people, practices and platforms ----------------------------------------------------


def _m2_row(city: CityData, threshold: int) -> tuple[list[str], dict[str, float]]:
    from cohort_tools.lessons import skills
    from cohort_tools.lessons.inventory import inventory_metrics

    facts: dict[str, float] = {}
    survey = _table(city, "staff_survey")
    if survey is None:
        answered, thin, want = _(MISSING), _(MISSING), _(MISSING)
    else:
        n = int(survey["respondent_id"].nunique())
        wide = skills.citywide(survey, threshold=threshold)
        if len(wide):
            answered = _count(n)
            weakest = wide["share_practitioner_plus"].idxmin()
            share = float(wide.loc[weakest, "share_practitioner_plus"])
            thin = f"{skills.SKILL_LABELS[str(weakest)]} ({_pct(share)})"
            want_share = float(wide["share_want_training"].mean())
            want = _pct(want_share)
            facts["want"] = want_share
        else:
            answered = _("fewer than {threshold}").format(threshold=_count(threshold))
            thin, want = _("withheld"), _("withheld")
    departments = _table(city, "departments")
    if departments is not None and len(departments):
        staff = int(departments["headcount"].sum())
        roles = int(departments["data_roles"].sum())
        per_100 = 100 * roles / staff if staff else float("nan")
        none = int((departments["data_roles"] == 0).sum())
        capacity = _dec(per_100)
        without = _of(none, len(departments))
        facts["per_100"] = per_100
    else:
        capacity, without = _(MISSING), _(MISSING)
    inventory = _table(city, "data_inventory")
    if inventory is not None and len(inventory):
        m = inventory_metrics(inventory, departments)
        inv = _("{datasets}: {documented} documented, {fresh} on time").format(
            datasets=_count(m.datasets), documented=_pct(m.documented), fresh=_pct(m.fresh)
        )
        facts["documented"] = m.documented
    else:
        inv = _(MISSING)
    return [city.config.name, answered, thin, want, capacity, without, inv], facts


def m2_table(cities: Sequence[CityData]) -> Table:
    table = Table(
        keynote="m2-keynote",
        title=_("Module 2 keynote: people, practices and platforms"),
        caption=_("Staff skills survey, data roles and the data inventory, by city."),
        columns=[
            _("City"),
            _("Staff who answered the survey"),
            _("Thinnest bench: skill (share of staff at practitioner or expert)"),
            _("Skill ratings that come with a wish for training"),
            _("Staff in data roles per 100 staff"),
            _("Departments with no one in a data role"),
            _("Datasets in the inventory"),
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
            _(
                "Staff in data roles range from {low} to {high} per 100 staff across the cohort."
            ).format(low=_dec(min(per_100)), high=_dec(max(per_100)))
        )
    wants = [f["want"] for f in all_facts if "want" in f]
    if wants:
        low, high = min(wants), max(wants)
        if high < 0.5:
            tail = " " + _(
                "In every city, fewer than half of the ratings come with a wish for training: "
                "plan how to make training worth staff's time."
            )
        elif low < 0.5:
            tail = " " + _("In some cities, fewer than half do.")
        else:
            tail = ""
        table.takeaways.append(
            _(
                "The share of skill ratings that come with a wish for training ranges from {low} "
                "to {high}."
            ).format(low=_pct(low), high=_pct(high))
            + tail
        )
    table.notes.append(
        _(
            "Survey figures are shown only when at least the city's threshold of staff answered; "
            "otherwise they are withheld."
        )
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
        return _(MISSING), 0, float("nan")
    areas = areas.set_index("neighbourhood_id")
    counts = requests["neighbourhood_id"].value_counts().reindex(areas.index, fill_value=0)
    shown = suppress(counts, threshold=threshold, margins=False).values()
    hidden = int(shown.isna().sum())
    rates = (1000 * shown / areas["population"]).dropna()
    rates = rates[areas.loc[rates.index, "population"] > 0]
    if len(rates) < 2:
        return _("too few to compare"), hidden, float("nan")
    low, high = float(rates.min()), float(rates.max())
    ratio = high / low if low > 0 else float("nan")
    spread = _("{low} to {high}").format(low=_dec(low, 0), high=_dec(high, 0))
    return spread, hidden, ratio


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
        published, usable = _(MISSING), _(MISSING)
    spread, hidden, ratio = _requests_per_1000(city, threshold)
    if not math.isnan(ratio):
        facts["ratio"] = ratio
    facts["hidden"] = hidden
    hidden_text = _count(hidden) if spread != _(MISSING) else _(MISSING)
    return [city.config.name, published, usable, spread, hidden_text], facts


def m3_table(cities: Sequence[CityData]) -> Table:
    table = Table(
        keynote="m3-keynote",
        title=_("Module 3 keynote: bringing people to the table"),
        caption=_("Open data and who the city hears from, by city."),
        columns=[
            _("City"),
            _("Datasets published openly"),
            _("Published and documented"),
            _("311 requests per 1,000 residents, lowest to highest neighborhood"),
            _("Neighborhoods suppressed (too few requests to show)"),
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
            _(
                "The share of datasets published openly ranges from {low} to {high} across the cohort."
            ).format(low=_pct(min(published)), high=_pct(max(published)))
        )
    ratios = [f["ratio"] for f in all_facts if "ratio" in f]
    hidden = sum(int(f.get("hidden", 0)) for f in all_facts)
    if ratios:
        table.takeaways.append(
            _(
                "Within a city, the busiest neighborhood sends between {low} and {high} times as "
                "many requests per resident as the quietest one shown. A quiet neighborhood is not "
                "always a happy one."
            ).format(low=_dec(min(ratios)), high=_dec(max(ratios)))
            + (
                " "
                + _(
                    "{count} neighborhood(s) are suppressed: they may be the quietest of all."
                ).format(count=_count(hidden))
                if hidden
                else ""
            )
        )
    table.notes.append(
        _(
            "Neighborhood counts below the city's threshold are suppressed before any rate is "
            "computed. Suppressed neighborhoods are counted in the last column, not dropped."
        )
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
        takeaway = _("Takeaway:")
        parts.append(
            f"<p><strong>{html.escape(takeaway)}</strong> "
            + " ".join(html.escape(t) for t in table.takeaways)
            + "</p>"
        )
    parts += [f'<p class="cda-meta">{html.escape(n)}</p>' for n in table.notes]
    return "\n".join(parts)


def cohort_keynote_page(cohort: Cohort, tables: list[Table] | None = None) -> str:
    """The whole page: an introduction and one table per keynote."""
    tables = tables if tables is not None else cohort_tables(cohort)
    heading = _("The cohort at a glance, for the keynotes: {cohort}").format(cohort=cohort.name)
    about = _(
        "Every city of the cohort side by side ({count} cities). Open each keynote with its table: "
        "the spread across the cohort first, then one city in the keynote's notebook. Compare each "
        "city with its own history before comparing cities: they count and record things "
        "differently."
    ).format(count=_count(len(cohort.cities)))
    privacy = _(
        "Only city-level figures. No names. Small groups are suppressed with the program's shared "
        'rule. "Not shared" means the city has not shared that table yet.'
    )
    intro = (
        f"<h1>{html.escape(heading)}</h1>"
        f"<p>{html.escape(about, quote=False)}</p>"
        f'<p class="cda-meta">{html.escape(privacy, quote=False)}</p>'
    )
    return page(
        _("The cohort at a glance: {cohort}").format(cohort=cohort.name),
        intro + "\n" + "\n".join(_html_table(t) for t in tables),
    )


def write_cohort_keynote_view(*, out: Path, cohort: Path | None = None) -> Path:
    """Write ``out/cohort-keynotes.html`` for the cohort (the demo cohort when none is given)."""
    from cohort_tools.core.fileio import atomic_write_text

    loaded = load_cohort(cohort)
    target = out / "cohort-keynotes.html"
    atomic_write_text(target, cohort_keynote_page(loaded))
    return target

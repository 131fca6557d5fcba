"""`cda cohort view`: one page across the cohort's cities, for coaches and GovEx.

Per city: curriculum progress (workshops the team has handed in, and how they scored), the data
maturity score (the team's Module 2 self-assessment, else the city's last recorded assessment),
strategy completeness, open coaching commitments and showcase status. Only counts, scores and
dates: no names, no e-mail addresses, no learner ids. Written in the cohort's language (its
``language``: the programme team reads one page for every city, whatever each team's language).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel.numbers import format_percent

from cohort_tools.citydata import open_city
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import (
    N_,
    current_language,
    format_date,
    format_number,
    locale_for,
    speaking,
)
from cohort_tools.core.i18n import gettext as _
from cohort_tools.model.coaching import load_log
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.model.programme import Programme, in_language, load_programme
from cohort_tools.model.schedule import build_calendar
from cohort_tools.render.charts import chart_alt_text
from cohort_tools.render.page import page, vegalite_to_svg

#: Where a city's maturity score comes from (catalog messages: shown through ``_()``).
MaturitySource = Literal[
    "team's self-assessment (Module 2)", "last recorded assessment", "not assessed yet"
]
_MATURITY_SOURCES = (
    N_("team's self-assessment (Module 2)"),
    N_("last recorded assessment"),
    N_("not assessed yet"),
)


@dataclass
class CityRow:
    city: str
    workshops_done: int
    workshops: int
    best_score_share: float | None  # mean over handed-in workshops of the best score / max
    maturity: float | None  # 0-100
    maturity_source: MaturitySource
    sections_complete: int | None
    sections: int
    open_commitments: int | None  # None: no coaching log yet
    overdue_commitments: int
    showcases: str


def _progress(course_dir: Path | None, city: str, n_workshops: int) -> tuple[int, float | None]:
    from cohort_tools.course.layout import Course, is_course

    if course_dir is None or not is_course(course_dir):
        return 0, None
    from cohort_tools.course.report import progress_rows

    best: dict[str, float] = {}
    for row in progress_rows(Course(course_dir.resolve())):
        if row.city == city and row.score is not None and row.max_score:
            best[row.workshop] = max(best.get(row.workshop, 0.0), row.score / row.max_score)
    share = sum(best.values()) / len(best) if best else None
    return len(best), share


def _maturity(answers: dict[str, object], data_dir: Path) -> tuple[float | None, MaturitySource]:
    from cohort_tools.lessons.maturity import latest_ratings, overall_score

    scores = answers.get("maturity_scores")
    if isinstance(scores, dict) and scores:
        values = [float(v) for v in scores.values() if isinstance(v, int | float)]
        if values:
            return sum(values) / len(values), "team's self-assessment (Module 2)"
    data = open_city(data_dir)
    if data.has("maturity_assessment"):
        ratings = latest_ratings(data.table("maturity_assessment"))
        if ratings:
            return overall_score(ratings), "last recorded assessment"
    return None, "not assessed yet"


def _showcases(
    cohort: Cohort, programme: Programme, city: str, log_kinds: dict[str, dt.date]
) -> str:
    events = [
        e
        for e in build_calendar(cohort, programme).events
        if e.city_id == city and e.session_id in {s.id for s in programme.showcases}
    ]
    parts = []
    titles = {s.id: s.title for s in in_language(programme, current_language()).showcases}
    for show in programme.showcases:
        title = titles[show.id]
        if show.id in log_kinds:
            parts.append(
                _("{showcase}: held {date}").format(
                    showcase=title.split(" - ")[-1],
                    date=format_date(log_kinds[show.id], short=True),
                )
            )
            continue
        when = [e.start.date() for e in events if e.session_id == show.id]
        parts.append(
            _("{showcase}: scheduled {date}").format(
                showcase=title.split(" - ")[-1], date=format_date(when[0], short=True)
            )
            if when
            else _("{showcase}: not scheduled").format(showcase=title)
        )
    return "; ".join(parts)


def cohort_rows(
    *, cohort: Cohort | Path | None = None, course_dir: Path | None = None
) -> tuple[list[CityRow], list[Problem]]:
    """One row per city, and the problems found on the way (e.g. a malformed coaching log)."""
    from cohort_tools.strategy import review

    loaded = cohort if isinstance(cohort, Cohort) else load_cohort(cohort)
    programme = load_programme()
    n_workshops = sum(
        1 for s in programme.sessions() if s.notebook and s.notebook.startswith("workshops/")
    )
    rows: list[CityRow] = []
    problems: list[Problem] = []
    for c in loaded.cities:
        done, share = _progress(course_dir, c.id, n_workshops)
        strategy, crashed = review(city=c.id, cohort=loaded, course_dir=course_dir)
        problems += crashed
        maturity, source = _maturity(strategy.answers if strategy else {}, c.data_dir)
        try:
            log = load_log(c.data_dir, city=c.id, programme=programme)
        except CdaError as exc:
            problems += exc.problems
            log = None
        open_items = log.open_commitments() if log else []
        last = max((e.date for e in log.sessions), default=None) if log else None
        held = {e.kind: e.date for e in log.sessions} if log else {}
        rows.append(
            CityRow(
                city=c.name,
                workshops_done=done,
                workshops=n_workshops,
                best_score_share=share,
                maturity=maturity,
                maturity_source=source,
                sections_complete=sum(s.complete for s in strategy.sections) if strategy else None,
                sections=len(programme.deliverable.parts),
                open_commitments=len(open_items) if log else None,
                overdue_commitments=sum(1 for _, item in open_items if last and item.due < last),
                showcases=_showcases(loaded, programme, c.id, held),
            )
        )
    return rows, problems


def _chart(rows: list[CityRow]) -> tuple[str, str]:
    """A grouped bar chart of progress, maturity and strategy completeness (percent), as SVG."""
    import altair as alt
    import pandas as pd

    records = []
    for r in rows:
        records += [
            {
                "city": r.city,
                "measure": _("Workshops handed in"),
                "percent": 100 * r.workshops_done / r.workshops,
            },
            {"city": r.city, "measure": _("Maturity score"), "percent": r.maturity or 0},
            {
                "city": r.city,
                "measure": _("Strategy sections complete"),
                "percent": 100 * (r.sections_complete or 0) / r.sections,
            },
        ]
    frame = pd.DataFrame(records)

    def progress(r: CityRow) -> tuple[int, int]:
        return (r.sections_complete or 0, r.workshops_done)

    leader = max(rows, key=progress)
    tied = sum(progress(r) == progress(leader) for r in rows) > 1
    title = (
        _("The cities are level so far")
        if tied
        else _("{city} is furthest along").format(city=leader.city)
    )
    summary = "; ".join(
        _(
            "{city}: {done} of {workshops} workshops, maturity {maturity}, {sections_done} of "
            "{sections} strategy sections"
        ).format(
            city=r.city,
            done=r.workshops_done,
            workshops=r.workshops,
            maturity=_("not assessed") if r.maturity is None else format_number(r.maturity),
            sections_done=r.sections_complete or 0,
            sections=r.sections,
        )
        for r in rows
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", title=None),
            x=alt.X("percent:Q", title=_("Percent"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(range=["#0072B2", "#E69F00", "#009E73"]),  # Okabe-Ito
                legend=None,
            ),
            row=alt.Row("city:N", title=None),
        )
        .properties(width=360, height=70, title=title)
        .properties(
            description=_("Bar chart per city of three measures in percent. {summary}.").format(
                summary=summary
            )
        )
    )
    spec = chart.to_dict()
    return vegalite_to_svg(spec), chart_alt_text(spec)


def write_cohort_view(
    *, cohort: Cohort | Path | None = None, course_dir: Path | None = None, out: Path
) -> Path:
    """Write ``out/index.html`` (one page across the cohort, in the cohort's language); return its
    path."""
    loaded = cohort if isinstance(cohort, Cohort) else load_cohort(cohort)
    with speaking(loaded.language):
        rows, problems = cohort_rows(cohort=loaded, course_dir=course_dir)
        if problems:
            raise CdaError(problems, headline=_("The cohort view was not written."))
        text = _view(loaded, rows)
    target = out / "index.html"
    atomic_write_text(target, text)
    return target


def _view(loaded: Cohort, rows: list[CityRow]) -> str:
    """The cohort view's page, in the current language."""
    svg, alt_text = _chart(rows)
    e = html.escape
    columns = (
        _("City"),
        _("Workshops handed in"),
        _("Average best score"),
        _("Maturity (0-100)"),
        _("Strategy sections complete"),
        _("Open commitments"),
        _("Showcases"),
    )
    head = "<tr>" + "".join(f"<th scope='col'>{e(c)}</th>" for c in columns) + "</tr>"
    of = _("{done} of {total}")
    body_rows = []
    for r in rows:
        score = (
            ""
            if r.best_score_share is None
            else format_percent(r.best_score_share, locale=locale_for())
        )
        maturity = (
            _("not assessed")
            if r.maturity is None
            else f"{format_number(r.maturity)} ({_(r.maturity_source)})"
        )
        sections = (
            _("no course yet")
            if r.sections_complete is None
            else of.format(done=r.sections_complete, total=r.sections)
        )
        commitments = (
            _("no coaching log yet")
            if r.open_commitments is None
            else str(r.open_commitments)
            + (
                " " + _("({count} overdue)").format(count=r.overdue_commitments)
                if r.overdue_commitments
                else ""
            )
        )
        body_rows.append(
            f"<tr><th scope='row'>{e(r.city)}</th>"
            f"<td>{e(of.format(done=r.workshops_done, total=r.workshops))}</td>"
            f"<td>{e(score)}</td><td>{e(maturity)}</td><td>{e(sections)}</td>"
            f"<td>{e(commitments)}</td><td>{e(r.showcases)}</td></tr>"
        )
    import base64

    img = base64.b64encode(svg.encode()).decode()
    title = _("{cohort}: cohort view").format(cohort=loaded.name)
    body = (
        f"<h1>{e(title)}</h1>"
        "<p class='cda-meta'>"
        + e(
            _(
                "Made {date}. One line per city: curriculum progress, data maturity, strategy "
                "completeness, open coaching commitments and showcases. No names: teams are shown "
                "by city only."
            ).format(date=format_date(dt.date.today()))
        )
        + "</p>"
        f"<figure class='cda-chart'><img src='data:image/svg+xml;base64,{img}' alt='{e(alt_text)}'>"
        "<figcaption>" + e(_("Chart description: {text}").format(text=alt_text)) + "</figcaption>"
        "</figure>"
        "<p><strong>"
        + e(_("Takeaway:"))
        + "</strong> "
        + e(
            _(
                "the table below has the same figures; start coaching time with the city whose "
                "strategy has the most sections still open."
            )
        )
        + "</p>"
        "<table><caption>" + e(_("Each city at a glance")) + f"</caption><thead>{head}</thead>"
        f"<tbody>{''.join(body_rows)}</tbody></table>"
    )
    return page(title, body)

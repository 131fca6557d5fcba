"""`cda cohort view`: one page across the cohort's cities, for coaches and GovEx.

Per city: curriculum progress (workshops the team has handed in, and how they scored), the data
maturity score (the team's Module 2 self-assessment, else the city's last recorded assessment),
strategy completeness, open coaching commitments and showcase status. Only counts, scores and
dates: no names, no e-mail addresses, no learner ids.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cohort_tools.citydata import open_city
from cohort_tools.core.dates import us_date
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.model.coaching import load_log
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.schedule import build_calendar
from cohort_tools.render.charts import chart_alt_text
from cohort_tools.render.page import page, vegalite_to_svg

#: Where a city's maturity score comes from.
MaturitySource = Literal[
    "team's self-assessment (Module 2)", "last recorded assessment", "not assessed yet"
]


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
    for show in programme.showcases:
        if show.id in log_kinds:
            parts.append(
                f"{show.title.split(' - ')[-1]}: held {us_date(log_kinds[show.id], short=True)}"
            )
            continue
        when = [e.start.date() for e in events if e.session_id == show.id]
        parts.append(
            f"{show.title.split(' - ')[-1]}: scheduled {us_date(when[0], short=True)}"
            if when
            else f"{show.title}: not scheduled"
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
                "measure": "Workshops handed in",
                "percent": 100 * r.workshops_done / r.workshops,
            },
            {"city": r.city, "measure": "Maturity score", "percent": r.maturity or 0},
            {
                "city": r.city,
                "measure": "Strategy sections complete",
                "percent": 100 * (r.sections_complete or 0) / r.sections,
            },
        ]
    frame = pd.DataFrame(records)

    def progress(r: CityRow) -> tuple[int, int]:
        return (r.sections_complete or 0, r.workshops_done)

    leader = max(rows, key=progress)
    tied = sum(progress(r) == progress(leader) for r in rows) > 1
    title = "The cities are level so far" if tied else f"{leader.city} is furthest along"
    summary = "; ".join(
        f"{r.city}: {r.workshops_done} of {r.workshops} workshops, maturity "
        f"{'not assessed' if r.maturity is None else f'{r.maturity:.0f}'}, "
        f"{r.sections_complete or 0} of {r.sections} strategy sections"
        for r in rows
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", title=None),
            x=alt.X("percent:Q", title="Percent", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(range=["#0072B2", "#E69F00", "#009E73"]),  # Okabe-Ito
                legend=None,
            ),
            row=alt.Row("city:N", title=None),
        )
        .properties(width=360, height=70, title=title)
        .properties(description=f"Bar chart per city of three measures in percent. {summary}.")
    )
    spec = chart.to_dict()
    return vegalite_to_svg(spec), chart_alt_text(spec)


def write_cohort_view(
    *, cohort: Cohort | Path | None = None, course_dir: Path | None = None, out: Path
) -> Path:
    """Write ``out/index.html`` (one page across the cohort); return its path."""
    loaded = cohort if isinstance(cohort, Cohort) else load_cohort(cohort)
    rows, problems = cohort_rows(cohort=loaded, course_dir=course_dir)
    if problems:
        raise CdaError(problems, headline="The cohort view was not written.")
    svg, alt_text = _chart(rows)
    e = html.escape
    head = (
        "<tr><th scope='col'>City</th><th scope='col'>Workshops handed in</th>"
        "<th scope='col'>Average best score</th><th scope='col'>Maturity (0-100)</th>"
        "<th scope='col'>Strategy sections complete</th><th scope='col'>Open commitments</th>"
        "<th scope='col'>Showcases</th></tr>"
    )
    body_rows = []
    for r in rows:
        score = "" if r.best_score_share is None else f"{r.best_score_share:.0%}"
        maturity = (
            "not assessed" if r.maturity is None else f"{r.maturity:.0f} ({r.maturity_source})"
        )
        sections = (
            "no course yet"
            if r.sections_complete is None
            else f"{r.sections_complete} of {r.sections}"
        )
        commitments = (
            "no coaching log yet"
            if r.open_commitments is None
            else f"{r.open_commitments}"
            + (f" ({r.overdue_commitments} overdue)" if r.overdue_commitments else "")
        )
        body_rows.append(
            f"<tr><th scope='row'>{e(r.city)}</th><td>{r.workshops_done} of {r.workshops}</td>"
            f"<td>{score}</td><td>{e(maturity)}</td><td>{sections}</td><td>{e(commitments)}</td>"
            f"<td>{e(r.showcases)}</td></tr>"
        )
    import base64

    img = base64.b64encode(svg.encode()).decode()
    body = (
        f"<h1>{e(loaded.name)}: cohort view</h1>"
        f"<p class='cda-meta'>Made {us_date(dt.date.today())}. One line per city: curriculum "
        "progress, data maturity, strategy completeness, open coaching commitments and showcases. "
        "No names: teams are shown by city only.</p>"
        f"<figure class='cda-chart'><img src='data:image/svg+xml;base64,{img}' alt='{e(alt_text)}'>"
        f"<figcaption>Chart description: {e(alt_text)}</figcaption></figure>"
        "<p><strong>Takeaway:</strong> the table below has the same figures; start coaching time "
        "with the city whose strategy has the most sections still open.</p>"
        f"<table><caption>Each city at a glance</caption><thead>{head}</thead>"
        f"<tbody>{''.join(body_rows)}</tbody></table>"
    )
    target = out / "index.html"
    atomic_write_text(target, page(f"{loaded.name}: cohort view", body))
    return target

"""The curriculum author's API: the one cohort_tools module a notebook imports.

Keynotes, workshops and coaching templates (curriculum/, workshops/, coaching_templates/) start
with the notebook's ``parameters`` cell and then one setup cell::

    import altair as alt
    import pandas as pd

    from cohort_tools import nb

    _city = nb.start(city=city, cohort_file=cohort_file)
    city_name = _city.name

and use ``nb.say``, ``nb.show_chart``, ``nb.Checkpoint``, ``nb.suppress`` and the lesson helpers
below. The names here are stable: the modules behind them may move, the notebooks do not change.
``tests/unit/test_notebook_api.py`` fails when a notebook imports any other cohort_tools module, or
uses a name this module does not have. ARCHITECTURE.md ("The curriculum author's API") lists them.

nb sits at the top of the library layers (it imports core, model, policy, citydata, render and
lessons). Products (course, packets, strategy, ...) are above it, so nb never imports them. The one
product-made thing a notebook reads, the strategy's content, is reached through the
``cohort_tools.nb`` entry point the strategy product declares in pyproject.toml (see
:func:`strategy_review`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cohort_tools.citydata import loader as _loader
from cohort_tools.citydata.config import CityConfig
from cohort_tools.citydata.schemas import (
    DEMOGRAPHIC_FIELDS,
    ROLE_FAMILIES,
    SKILL_LEVELS,
    SKILLS,
    UPDATE_FREQUENCIES,
)
from cohort_tools.core import i18n
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import _
from cohort_tools.lessons import (
    chartcheck,
    coherence,
    decisions,
    exhibits,
    inventory,
    makeover,
    maturity,
    quality,
    readability,
    sense,
    skills,
    wording,
)
from cohort_tools.lessons import standards_audit as standards_audit
from cohort_tools.lessons.chartcheck import check_chart
from cohort_tools.lessons.checkpoints import Checkpoint, CheckpointFailed
from cohort_tools.lessons.forms import Answers, ask
from cohort_tools.lessons.inventory import MAX_AGE_DAYS, inventory_metrics, with_freshness
from cohort_tools.model.coaching import CoachingLog, load_log
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.model.programme import load_programme
from cohort_tools.model.schedule import build_calendar
from cohort_tools.policy.facts import fact
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD, suppress, suppress_rates, survey_groups
from cohort_tools.policy.standards import load_spd15, map_two_question
from cohort_tools.policy.standards.spd15_data import MINIMUM_CATEGORIES
from cohort_tools.render import tables as _tables
from cohort_tools.render.charts import enable_offline_charts
from cohort_tools.render.tables import option_name, show_tables_in_language

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEMOGRAPHIC_FIELDS",
    "MAX_AGE_DAYS",
    "MINIMUM_CATEGORIES",
    "ROLE_FAMILIES",
    "SKILLS",
    "SKILL_LEVELS",
    "UPDATE_FREQUENCIES",
    "Answers",
    "Checkpoint",
    "CheckpointFailed",
    "City",
    "ask",
    "build_calendar",
    "chartcheck",
    "check_chart",
    "coherence",
    "cohort_maturity_median",
    "decisions",
    "exhibits",
    "fact",
    "inventory",
    "inventory_metrics",
    "load_programme",
    "load_spd15",
    "makeover",
    "map_two_question",
    "maturity",
    "money",
    "number",
    "open_city",
    "option_name",
    "quality",
    "readability",
    "say",
    "sense",
    "show_chart",
    "shown",
    "skills",
    "standards_audit",
    "start",
    "strategy_review",
    "suppress",
    "suppress_rates",
    "survey_groups",
    "us_date",
    "with_freshness",
    "wording",
]

# -- the city -------------------------------------------------------------------------------------


def _path_or_none(value: str | Path | None) -> Path | None:
    """A notebook parameter that names a file or folder; the empty string means "none given"."""
    return Path(value) if value else None


class City:
    """A city as a notebook sees it: its profile, its tables, and the cohort it belongs to."""

    def __init__(
        self, data: _loader.CityData, *, cohort_file: Path | None = None, id: str | None = None
    ) -> None:
        self._data = data
        self.cohort_file = cohort_file
        self._id = id
        self._cohort: Cohort | None = None

    def __repr__(self) -> str:
        return f"<City {self.id}: {self.name}, {len(self.tables)} tables>"

    @property
    def id(self) -> str:
        """The city's id in the cohort (as the caller named it), else the id in its city.yaml."""
        return self._id or self._data.config.id

    @property
    def name(self) -> str:
        return self._data.config.name

    @property
    def path(self) -> Path:
        """The city's data folder."""
        return self._data.path

    @property
    def config(self) -> CityConfig:
        """The city's profile (city.yaml): population, time zone, privacy threshold..."""
        return self._data.config

    @property
    def threshold(self) -> int:
        """Counts below this are suppressed in anything shown (city.yaml; the default is 11)."""
        return int(self._data.config.suppression_threshold)

    @property
    def tables(self) -> list[str]:
        """The tables the city has shared."""
        return self._data.tables

    def has(self, table: str) -> bool:
        return self._data.has(table)

    def table(self, name: str) -> pd.DataFrame:
        """The validated table (personal names and e-mails dropped); CdaError if it is invalid."""
        return self._data.table(name)

    def table_or_empty(self, name: str) -> pd.DataFrame:
        """The table, or an empty one with its columns when the city has not shared it."""
        return self._data.table_or_empty(name)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with one view per table: aggregate a large city in SQL."""
        return self._data.connect()

    @property
    def cohort(self) -> Cohort:
        """The cohort of the notebook's cohort file (the demo cohort when none was given)."""
        if self._cohort is None:
            self._cohort = load_cohort(self.cohort_file)
        return self._cohort

    @property
    def language(self) -> str:
        """The language the city's team reads: its ``language`` in the cohort file (the cohort's
        language by default); for a city folder outside the cohort, the cohort's language; English
        when there is no valid cohort file."""
        try:
            cohort = self.cohort
        except CdaError:
            return i18n.SOURCE_LANGUAGE
        try:
            return cohort.city(self.id).lang
        except CdaError:
            return cohort.language

    @property
    def team_roles(self) -> list[str]:
        """The roles on the city's team in its cohort (the mayor, the CDA lead's title, each senior
        team member's role), never names: the owners a plan may name. Empty for a city folder that
        is not in the cohort."""
        try:
            member = self.cohort.city(self.id)
        except CdaError:
            return []
        return coherence.team_roles(member)  # in the city's language

    def coaching_log(self) -> CoachingLog | None:
        """The city's validated coaching log; None when it has none yet."""
        return load_log(self.path, city=self.id)


def open_city(city: str | Path, cohort_file: str | Path | None = "") -> City:
    """A city by its id in the cohort, or by its data folder (a path)."""
    cohort = _path_or_none(cohort_file)
    return City(_loader.open_city(city, cohort=cohort), cohort_file=cohort)


def start(
    *, city: str, cohort_file: str | Path = "", data_dir: str | Path = "", language: str = ""
) -> City:
    """The setup cell in one call: charts offline with alt text, the notebook's city, and the
    kernel's language.

    ``city`` is the city id in the cohort or the path of a city data folder; ``cohort_file`` the
    cohort file ("" means the embedded demo cohort); ``data_dir`` (packets) the city's data folder,
    when the caller has resolved it already; ``language`` the city's language when the caller knows
    it already ("" means: the city's language in the cohort file, :attr:`City.language`).

    Everything the kernel says after this (checkpoint verdicts, form buttons, dates and numbers)
    is in the city's language (:func:`cohort_tools.core.i18n.set_language`).
    """
    enable_offline_charts()
    if data_dir:
        cohort = _path_or_none(cohort_file)
        found = City(_loader.open_city(Path(data_dir)), cohort_file=cohort, id=city)
    else:
        found = open_city(city, cohort_file)
    i18n.set_language(language or found.language, country=found.config.country)
    show_tables_in_language()  # headings in words in every language; the rest in Spanish
    return found


def shown(value: Any) -> Any:
    """A value as the team reads it, in the kernel's language: a table with its labels and words
    through the catalog; an answer (a record, a list, a word, a number) as plain words
    ("review_cadence: cada trimestre"). What the summary of a workshop prints goes through it."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return _tables.shown(value)
    return _tables.answer_text(value)


# -- dates, numbers and money, as the kernel's language writes them ------------------------------


def us_date(day: dt.date, *, short: bool = False) -> str:
    """A date as the kernel's language writes it: ``September 28, 2029`` (``Sep 28, 2029`` when
    ``short``) in English, ``28 de septiembre de 2029`` in Spanish. (The name is the English
    edition's; it takes a date, a datetime or a pandas Timestamp.)"""
    return i18n.format_date(day, short=short)


def number(value: float | int, *, digits: int = 0, country: str | None = None) -> str:
    """A number with the separators of the kernel's language: ``12,400`` in English, ``12.400`` in
    Spanish (``country``, e.g. ``"CO"``, picks the country's own convention)."""
    return i18n.format_number(value, digits=digits, country=country)


def money(
    amount: float | int | Decimal, *, country: str = "US", currency: str | None = None
) -> str:
    """An amount in a country's money, without cents, as the kernel's language writes it:
    ``$1,200,000`` in English for the US, ``$ 1.200.000`` in Spanish for Colombia (``"CO"``)."""
    return i18n.format_money(amount, country=country, currency=currency)


# -- showing things -------------------------------------------------------------------------------


def say(text: str) -> None:
    """Show ``text`` as Markdown."""
    from IPython.display import Markdown, display

    display(Markdown(text))  # type: ignore[no-untyped-call]  # IPython.display has no types


def show_chart(chart: Any, *, alt: str, takeaway: str) -> None:
    """Show an Altair chart with ``alt`` as its text alternative, then a one-line takeaway.

    Both are required: every chart has a text alternative, and a busy reader gets the point in one
    line. The chart is drawn as an offline SVG figure (see cohort_tools/render/charts.py).
    """
    import altair

    if not alt.strip() or not takeaway.strip():
        raise ValueError(_("every chart needs a text alternative (alt) and a one-line takeaway"))
    if altair.renderers.active == "default":  # nb.start was not called: still no CDN
        enable_offline_charts()
    from IPython.display import display

    display(chart.properties(description=alt))  # type: ignore[no-untyped-call]  # as above
    say(_("**Takeaway:** {takeaway}").format(takeaway=takeaway))


# -- the strategy, provided by the strategy product ---------------------------------------------

PROVIDERS = "cohort_tools.nb"  # entry-point group: products that give notebooks something to read


def warm_providers() -> None:
    """Load every provider now (a kernel zygote does, once, so the kernels it forks start with the
    products' modules imported)."""
    from importlib.metadata import entry_points

    for found in entry_points(group=PROVIDERS):
        _provider(found.name)


@functools.cache
def _provider(name: str) -> Callable[..., Any]:
    from importlib.metadata import entry_points

    found = list(entry_points(group=PROVIDERS, name=name))
    if not found:
        raise CdaError(
            [
                Problem(
                    file="pyproject.toml",
                    message=_(
                        "no installed part of cohort_tools provides nb.{name} (entry point "
                        "'{name}' in the group '{group}')."
                    ).format(name=name, group=PROVIDERS),
                    fix=_(
                        "install the package again (make install, or pip install -e .) so its "
                        "entry points are registered."
                    ),
                )
            ]
        )
    provided: Callable[..., Any] = found[0].load()
    return provided


def strategy_review(
    *,
    city: str,
    cohort_file: str | Path = "",
    course_dir: str | Path = "",
    studio: Mapping[str, Any] | None = None,
) -> tuple[Any, list[Problem]]:
    """The city's data strategy as it stands, for a coaching template or the strategy studio
    (nothing written or drawn).

    Returns ``(strategy, problems)``: the strategy is None when no course folder is given yet;
    ``problems`` lists graded submissions that did not run. The strategy has ``sections``
    (``title``, ``complete``, ``gaps``), ``gaps`` (``part``, ``answer``, ``kind``, ``detail``,
    ``session_title``), ``flags`` (points still to settle), ``points`` (the draft's points to
    settle, numbered, with suggested changes), ``actions``, ``costs``, ``rubric``, ``studio`` (the
    studio's decisions, and the mayor's ``sign_off``) and ``answers`` (the team's named answers).

    ``studio``: the strategy studio's answers, applied instead of the team's graded studio
    submission; ``{}`` gives the draft before any studio decision.

    The strategy product provides it (``cohort_tools.strategy:review``, declared as an entry point
    in pyproject.toml), so this module never imports a product.
    """
    review = _provider("strategy_review")
    extra = {} if studio is None else {"studio": dict(studio)}
    result: tuple[Any, list[Problem]] = review(
        city=city,
        cohort=_path_or_none(cohort_file),
        course_dir=_path_or_none(course_dir),
        **extra,
    )
    return result


# -- the rest of the cohort ------------------------------------------------------------------------

#: Where the grading sandbox finds figures about the rest of the cohort. A notebook graded in the
#: sandbox holds only its own city's data; the grader works these figures out beforehand (see
#: cohort_tools.course.grade.isolated.cohort_figures) and puts them beside the notebook.
COHORT_FIGURES_FILE = "cohort_figures.json"


def cohort_maturity_median(city: City) -> tuple[dict[str, float], int]:
    """The median score of the cohort's other cities in each practice area (rounded to 0.1), and
    how many cities it is taken over (those that shared a maturity assessment)."""
    import json
    import os

    if os.environ.get("CDA_SANDBOX") == "1":
        path = Path(COHORT_FIGURES_FILE)
        if not path.is_file():
            return {}, 0
        given = json.loads(path.read_text(encoding="utf-8")).get("maturity_median", {})
        return {str(k): float(v) for k, v in given.get("median", {}).items()}, int(
            given.get("cities", 0)
        )
    peer_scores: dict[str, dict[str, float]] = {}
    try:
        peers = city.cohort.cities
    except Exception:  # a city folder run outside any cohort has no peers to compare with
        peers = []
    for peer in peers:
        peer_city = open_city(peer.data_dir)
        if peer_city.path.resolve() == city.path.resolve() or not peer_city.has(
            "maturity_assessment"
        ):
            continue
        ratings = maturity.latest_ratings(peer_city.table("maturity_assessment"))
        if ratings:
            peer_scores[peer.name] = maturity.area_scores(ratings)
    if not peer_scores:
        return {}, 0
    median = pd.DataFrame(peer_scores).T.median().round(1).to_dict()
    return {str(k): float(v) for k, v in median.items()}, len(peer_scores)

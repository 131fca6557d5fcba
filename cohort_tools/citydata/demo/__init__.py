"""Fictional demo cities: complete, realistic, deterministic city data folders.

The generator is split in two: :mod:`.profiles` holds the data (sizes, the embedded cohort's cities,
the invented departments, services, names and datasets) and :mod:`.tables` the code that turns it into
tables. ``generate_city(size, seed, out)`` writes ``city.yaml`` and every table of the city data format
(same seed and arguments, same bytes). Sizes: ``small`` (about 60,000 residents), ``medium`` (about
250,000) and ``large`` (city scale: 3 million service requests a year and 2,000 neighbourhoods,
generated month by month with numpy and written as Parquet, so memory stays far below 2 GiB).
Service requests are always Parquet; every other table is CSV so people can open it.
``generate_demo_cohort_cities()`` rewrites the four cities embedded in the package: three US cities
and Puerto Arrayán, a fictional Colombian city (``Profile.country = "CO"``) made by the same code
from Spanish reference lists (:mod:`.profiles_co`: secretarías, service types, barrios, datasets,
metrics, money in COP, ethnic groups in DANE's 2018 census categories, no limited-English rows).

Everything is invented: city, neighbourhood and street names are built from word lists, respondent
ids are random codes, zip codes start with ``000`` (no US zip code does). The data covers calendar
year 2025, as extracted on 2026-01-15 (:data:`AS_OF`).

Stories a notebook can find (they hold for every seed and size):

* **Slow neighbourhood.** The neighbourhood with the lowest median household income waits more
  than twice as long for requests to be closed (median days-to-close by neighbourhood), most of all for
  Public Works and Transportation services, and it holds a disproportionate share of the open
  backlog. Other neighbourhoods drift slower as income falls, but only mildly.
* **Skills gap.** Housing and Community Development (``HCD``) rates itself about one level lower than
  other departments in data analysis, visualisation, statistics and data engineering, has no
  dedicated data roles, and most of its respondents want training. Information Technology is
  strongest in data engineering; Finance in statistics.
* **Outcomes differ by group.** In *Workforce Pathways* (employed at 6 months), participants with
  limited English succeed far less often (about 35 % against 60 %), and people aged 55+ less than
  younger ones. *Lead-Safe Homes* (homes cleared) is even across groups: the contrast. Small groups
  (AIAN, NHPI, ``another``) have counts under 11, so suppression shows up in any fair chart.
* **Stale datasets.** About a fifth of the data inventory is overdue for its own update frequency
  (e.g. a monthly dataset last updated in 2023); a few are undocumented or hold personal data
  without being documented. Race/ethnicity formats are mixed: SPD 15 2024, the 1997 two-question
  format, custom lists and none.
* **Metrics near and far from target.** "Potholes repaired within 3 business days" sits far below
  its 90 % target; "311 calls answered within 60 seconds" hovers around its target; "Building
  permit review time" improves through the year towards its target (lower is better); "Library
  visits" beats its target; "Tree canopy plantings" has no target.
* **Real-looking service types** with seasonality: potholes peak in spring, snow and ice removal in
  winter, missed trash pickups and noise complaints in summer; each service type has its own
  department and typical time to close.
* **Maturity.** Two self-assessments (January and July 2025) show progress in governance and
  performance management and little in equity and open data.
"""

from __future__ import annotations

from .profiles import (
    AS_OF,
    DEMO_CITIES_DIR,
    DEMO_COHORT_CITIES,
    SIZES,
    SKILLS_GAP_DEPARTMENT,
    TABLE_FILES,
    YEAR,
    DemoSize,
    Profile,
)
from .tables import file_digests, generate_city, generate_demo_cohort_cities

__all__ = [
    "AS_OF",
    "DEMO_CITIES_DIR",
    "DEMO_COHORT_CITIES",
    "SIZES",
    "SKILLS_GAP_DEPARTMENT",
    "TABLE_FILES",
    "YEAR",
    "DemoSize",
    "Profile",
    "file_digests",
    "generate_city",
    "generate_demo_cohort_cities",
]

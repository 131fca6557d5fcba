"""The city data tables as pandera schemas: the single source for validation and the data dictionary.

Each table is a :class:`pandera.pandas.DataFrameSchema` whose columns carry a plain-language
``description`` and whose ``metadata`` records what pandera itself does not model: the column's kind
(``str``, ``int``, ``float``, ``bool``, ``date``, ``datetime``), the table's purpose and its foreign
keys. :mod:`cohort_tools.citydata.check` parses raw text into these types, runs pandera lazily (so every
problem is reported in one run), then runs the cross-table checks (foreign keys) itself.
:mod:`cohort_tools.citydata.dictionary` renders the same objects as the published data dictionary.

Bump :data:`SCHEMA_VERSION` whenever a schema or the normalisation changes: it is part of the loader's
cache key, so cached Parquet written under an older schema is never reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import pandera.pandas as pa

from cohort_tools.core.i18n import N_, Message
from cohort_tools.policy.standards.national import STANDARDS, all_reporting_codes

SCHEMA_VERSION = "1"

Kind = Literal["str", "int", "float", "bool", "date", "datetime"]

#: pandas dtype each kind is normalised to before pandera validates it.
KIND_DTYPES: dict[str, Any] = {
    "str": str,
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[us]",
    "datetime": "datetime64[us]",
}

#: What the data dictionary calls each kind (catalog messages: ``_()`` them where shown).
KIND_LABELS: dict[str, str] = {
    "str": N_("text"),
    "int": N_("whole number"),
    "float": N_("number"),
    "bool": N_("true/false"),
    "date": N_("date (YYYY-MM-DD)"),
    "datetime": N_("date and time (YYYY-MM-DDTHH:MM[:SS])"),
}


# --- code lists -------------------------------------------------------------------------------

ROLE_FAMILIES = (
    "executive",
    "manager",
    "analyst",
    "specialist",
    "frontline",
    "administrative",
    "technical",
)
SKILLS = (
    "data_literacy",
    "data_analysis",
    "data_visualisation",
    "performance_management",
    "data_governance",
    "data_engineering",
    "statistics",
    "data_ethics",
)
SKILL_LEVELS = ("awareness", "working", "practitioner", "expert")
SERVICE_REQUEST_STATUSES = ("open", "closed")
UPDATE_FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "annually", "ad_hoc")
DEMOGRAPHIC_FIELDS = ("race_ethnicity", "sex", "gender", "age", "disability", "language", "income")
#: How a dataset collects race/ethnicity: each country's standard (SPD 15 for the US, DANE 2018 for
#: Colombia), the 1997 US two-question format, a custom list, or not at all.
RACE_ETHNICITY_FORMATS = ("spd15_2024_combined", "two_question_1997", "custom", "none",
                          *(s.id for s in STANDARDS.values() if s.id != "spd15_2024_combined"))  # fmt: skip

#: SPD 15 (2024) minimum categories, plus MULTIPLE for people who selected more than one.
RACE_ETHNICITY_CODES = ("AIAN", "ASIAN", "BLACK", "HISPANIC", "MENA", "NHPI", "WHITE", "MULTIPLE")
#: Every code any country's standard allows in the race_ethnicity dimension (US first). The data
#: checker also checks each city's codes against its own country's standard
#: (:func:`cohort_tools.citydata.check.national_standard_problems`).
ETHNIC_GROUP_CODES = all_reporting_codes()
#: Census five-year age bands.
AGE_BANDS = (*(f"{a}-{a + 4}" for a in range(0, 85, 5)), "85+")
LIMITED_ENGLISH_CODES = ("lep", "not_lep")
DISABILITY_CODES = ("with_disability", "without_disability")
SEX_CODES = ("female", "male", "another", "not_reported")

#: Categories allowed for each demographic dimension. ``neighbourhood`` (programme outcomes only)
#: takes a neighbourhood_id, checked against the neighbourhoods table.
DIMENSION_CATEGORIES: dict[str, tuple[str, ...]] = {
    "race_ethnicity": ETHNIC_GROUP_CODES,
    "age": AGE_BANDS,
    "limited_english": LIMITED_ENGLISH_CODES,
    "disability": DISABILITY_CODES,
    "sex": SEX_CODES,
}
DEMOGRAPHIC_DIMENSIONS = ("race_ethnicity", "age", "limited_english", "disability")
OUTCOME_DIMENSIONS = (
    "race_ethnicity",
    "age",
    "disability",
    "limited_english",
    "sex",
    "neighbourhood",
)

PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"

# --- personal data ----------------------------------------------------------------------------

_PERSONAL_COLUMN = re.compile(
    r"^(name|names|full_?name|first_?name|last_?name|middle_?name|given_?name|family_?name|surname|"
    r"forename|preferred_?name|display_?name|(employee|staff|respondent|person|contact)_?name|"
    r"e_?mail|e_?mail_?address|(work|personal|contact)_?e_?mail)$"
)


def normalise_column_name(name: str) -> str:
    """Lower-case a header and turn runs of spaces and punctuation into single underscores."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def looks_personal(column: str) -> bool:
    """True for headers that look like a person's name or e-mail (``Full Name``, ``e-mail``...)."""
    return bool(_PERSONAL_COLUMN.match(normalise_column_name(column)))


def personal_columns(table: str, columns: Iterable[str]) -> list[str]:
    """Columns of ``table`` that are not in its schema and look like names or e-mail addresses."""
    known = set(TABLES[table].columns)
    return [c for c in columns if c not in known and looks_personal(c)]


# --- building blocks --------------------------------------------------------------------------


def col(
    kind: Kind,
    description: str,
    *,
    required: bool = True,
    nullable: bool = False,
    unique: bool = False,
    allowed: Sequence[str] | None = None,
    checks: Sequence[pa.Check] = (),
    references: str | None = None,
) -> pa.Column:
    """A pandera column with its kind, description and (optionally) allowed values and reference."""
    all_checks = list(checks)
    if allowed is not None:
        all_checks.insert(0, pa.Check.isin(list(allowed)))
    metadata: dict[str, Any] = {"kind": kind}
    if references:
        metadata["references"] = references
    return pa.Column(
        KIND_DTYPES[kind],
        checks=all_checks,
        nullable=nullable,
        unique=unique,
        required=required,
        description=description,
        metadata=metadata,
    )


def _matches(pattern: str, name: str, rule: str) -> pa.Check:
    return pa.Check.str_matches(pattern, name=name, error=rule)


def _not_email(name: str) -> pa.Check:
    return pa.Check(
        lambda s: ~s.astype(str).str.contains(EMAIL_PATTERN, regex=True),
        name="not_email",
        error=Message(
            N_("{column} must be a pseudonymous code, not an e-mail address"), column=name
        ),
    )


def _categories_fit_dimension(category_column: str) -> pa.Check:
    """Each row's category must be a code of its dimension (neighbourhood checked across tables)."""

    def check(df: pd.DataFrame) -> pd.Series:
        if "dimension" not in df or category_column not in df:
            return pd.Series(True, index=df.index)
        ok = pd.Series(True, index=df.index)
        for dimension, codes in DIMENSION_CATEGORIES.items():
            rows = df["dimension"] == dimension
            ok &= ~rows | df[category_column].isin(codes) | df[category_column].isna()
        return ok

    return pa.Check(
        check,
        name=f"{category_column}_fits_dimension",
        error=Message(N_("{column} must be a code of the row's dimension"), column=category_column),
    )


def _successes_within_participants(df: pd.DataFrame) -> pd.Series:
    if "successes" not in df or "participants" not in df:
        return pd.Series(True, index=df.index)
    bad = df["successes"].gt(df["participants"]).fillna(False)
    return ~bad.astype(bool)


def _demographic_fields_known(s: pd.Series) -> pd.Series:
    allowed = set(DEMOGRAPHIC_FIELDS)

    def ok(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = [p.strip() for p in value.split(";") if p.strip()]
        return all(p in allowed for p in parts)

    return s.map(ok).astype(bool)


NON_NEGATIVE = pa.Check.ge(0)

# --- the tables -------------------------------------------------------------------------------


def _table(
    name: str,
    purpose: str,
    columns: dict[str, pa.Column],
    *,
    unique: list[str] | None = None,
    checks: Sequence[pa.Check] = (),
    row: str,
) -> pa.DataFrameSchema:
    foreign_keys = {
        column: str(spec.metadata["references"])
        for column, spec in columns.items()
        if spec.metadata and spec.metadata.get("references")
    }
    return pa.DataFrameSchema(
        columns,
        checks=list(checks),
        unique=unique,
        name=name,
        title=name.replace("_", " ").capitalize(),
        description=purpose,
        metadata={"row": row, "foreign_keys": foreign_keys, "unique": unique or []},
    )


DEPARTMENTS = _table(
    "departments",
    N_("The city's departments: size, budget and how many staff work in dedicated data roles."),
    {
        "department_id": col(
            "str", N_("Short stable code for the department, e.g. PW."), unique=True
        ),
        "department": col("str", N_("Department name as staff know it.")),
        "headcount": col(
            "int", N_("Staff in post (full-time equivalent, rounded)."), checks=[NON_NEGATIVE]
        ),
        "budget_usd": col(
            "float",
            N_(
                "Annual operating budget in the city's currency (city.yaml currency; US dollars unless it says otherwise; the column name stays)."
            ),
            checks=[NON_NEGATIVE],
        ),
        "data_roles": col(
            "int",
            N_("Staff in dedicated data roles (analysts, data engineers, GIS, performance)."),
            checks=[NON_NEGATIVE],
        ),
    },
    row=N_("one department"),
)

STAFF_SURVEY = _table(
    "staff_survey",
    N_(
        "The staff data-skills survey: each respondent's self-rated level in each skill. Respondents are "
        "pseudonymous; columns holding names or e-mail addresses are never loaded."
    ),
    {
        "respondent_id": col(
            "str",
            N_("Pseudonymous respondent code (never a name or e-mail address)."),
            checks=[_not_email("respondent_id")],
        ),
        "department_id": col(
            "str", N_("The respondent's department."), references="departments.department_id"
        ),
        "role_family": col("str", N_("The respondent's kind of role."), allowed=ROLE_FAMILIES),
        "skill": col("str", N_("The skill being rated."), allowed=SKILLS),
        "level": col(
            "str",
            N_("Self-rated level: awareness < working < practitioner < expert."),
            allowed=SKILL_LEVELS,
        ),
        "training_interest": col(
            "bool", N_("Whether the respondent wants training in this skill."), nullable=True
        ),
    },
    unique=["respondent_id", "skill"],
    row=N_("one respondent x one skill"),
)

SERVICE_REQUESTS = _table(
    "service_requests",
    N_(
        "Service requests (311), in Open311 GeoReport v2 fields plus closed_datetime and "
        "neighbourhood_id. Import real exports with `cda data import` (presets: socrata_nyc_311, "
        "open311_georeport_v2)."
    ),
    {
        "service_request_id": col("str", N_("The city's request number."), unique=True),
        "status": col(
            "str",
            N_("open or closed (normalized from the city's status)."),
            allowed=("open", "closed"),
        ),
        "source_status": col(
            "str",
            N_("The status exactly as the city's system wrote it (e.g. In Progress, Assigned)."),
            required=False,
            nullable=True,
        ),
        "status_notes": col(
            "str", N_("Explanation of the status (resolution text)."), required=False, nullable=True
        ),
        "service_name": col(
            "str",
            N_("The kind of service requested (e.g. Pothole)."),
            required=False,
            nullable=True,
        ),
        "service_code": col(
            "str", N_("The city's code for the service type."), required=False, nullable=True
        ),
        "description": col(
            "str", N_("Further detail on the request."), required=False, nullable=True
        ),
        "agency_responsible": col(
            "str", N_("The agency or department handling it."), required=False, nullable=True
        ),
        "service_notice": col(
            "str",
            N_("Information about the service's expected handling."),
            required=False,
            nullable=True,
        ),
        "requested_datetime": col("datetime", N_("When the request was made (local time).")),
        "updated_datetime": col(
            "datetime", N_("When the request was last changed."), required=False, nullable=True
        ),
        "expected_datetime": col(
            "datetime", N_("When the city expects to resolve it."), required=False, nullable=True
        ),
        "address": col("str", N_("Street address or intersection."), required=False, nullable=True),
        "address_id": col(
            "str", N_("The city's identifier for the address."), required=False, nullable=True
        ),
        "zipcode": col("str", N_("Postal code."), required=False, nullable=True),
        "lat": col(
            "float",
            N_("Latitude (WGS84 decimal degrees); blank when not located."),
            required=False,
            nullable=True,
            checks=[pa.Check.in_range(-90, 90)],
        ),
        "long": col(
            "float",
            N_("Longitude (WGS84 decimal degrees); blank when not located."),
            required=False,
            nullable=True,
            checks=[pa.Check.in_range(-180, 180)],
        ),
        "media_url": col("str", N_("Link to a photo or file."), required=False, nullable=True),
        "closed_datetime": col(
            "datetime",
            N_("When the request was closed (extension)."),
            required=False,
            nullable=True,
        ),
        "neighbourhood_id": col(
            "str",
            N_("The neighborhood it falls in (extension)."),
            required=False,
            nullable=True,
            references="neighbourhoods.neighbourhood_id",
        ),
    },
    row=N_("one service request"),
)

NEIGHBOURHOODS = _table(
    "neighbourhoods",
    N_("The city's neighborhoods (or tracts, wards): population and income."),
    {
        "neighbourhood_id": col("str", N_("Short stable code for the neighborhood."), unique=True),
        "name": col("str", N_("Neighborhood name (a place name, not a person's).")),
        "population": col("int", N_("Residents (latest estimate)."), checks=[NON_NEGATIVE]),
        "median_household_income_usd": col(
            "float",
            N_(
                "Median household income in the city's currency (US dollars unless city.yaml says otherwise); blank if not published."
            ),
            required=False,
            nullable=True,
            checks=[NON_NEGATIVE],
        ),
    },
    row=N_("one neighborhood"),
)

NEIGHBOURHOOD_DEMOGRAPHICS = _table(
    "neighbourhood_demographics",
    N_(
        "Residents of each neighborhood by demographic group, in long format. race_ethnicity uses the "
        "categories of the city's national standard (city.yaml country): in the US the SPD 15 (2024) "
        "minimum categories plus MULTIPLE, in Colombia the DANE 2018 census ethnic groups plus "
        "NO_INFORMA; age uses Census five-year bands; "
        "limited_english counts residents aged 5+ who speak English less than 'very well'; disability "
        "follows the Washington Group short set."
    ),
    {
        "neighbourhood_id": col(
            "str", N_("The neighborhood."), references="neighbourhoods.neighbourhood_id"
        ),
        "dimension": col("str", N_("Which demographic dimension."), allowed=DEMOGRAPHIC_DIMENSIONS),
        "category": col(
            "str",
            Message(
                N_(
                    "Category code within the dimension: race_ethnicity {race_ethnicity}; age "
                    "{age}; limited_english lep|not_lep; disability "
                    "with_disability|without_disability."
                ),
                race_ethnicity="; ".join(
                    f"{c}: " + "|".join(s.reporting_codes) for c, s in STANDARDS.items()
                ),
                age=", ".join(AGE_BANDS),
            ),
        ),
        "count": col("int", N_("Residents in the category."), checks=[NON_NEGATIVE]),
    },
    unique=["neighbourhood_id", "dimension", "category"],
    checks=[_categories_fit_dimension("category")],
    row=N_("one neighborhood x dimension x category"),
)

PROGRAMME_OUTCOMES = _table(
    "programme_outcomes",
    N_("Program outcomes broken down by demographic group, so gaps between groups are visible."),
    {
        "programme_id": col("str", N_("Short stable code for the program.")),
        "programme": col("str", N_("Program name.")),
        "period": col(
            "str",
            N_("Reporting period: YYYY, YYYY-Qn or YYYY-MM."),
            checks=[
                _matches(
                    PERIOD_PATTERN, "period_format", N_("period must be YYYY, YYYY-Qn or YYYY-MM")
                )
            ],
        ),
        "dimension": col("str", N_("Which demographic dimension."), allowed=OUTCOME_DIMENSIONS),
        "group": col(
            "str",
            Message(
                N_(
                    "Group within the dimension: a category code (see neighbourhood_demographics; "
                    "sex {sex}) or, for neighborhoods, a neighbourhood_id."
                ),
                sex="|".join(SEX_CODES),
            ),
        ),
        "participants": col("int", N_("People served in the group."), checks=[NON_NEGATIVE]),
        "successes": col(
            "int",
            N_("Participants with the successful outcome (at most participants)."),
            checks=[NON_NEGATIVE],
        ),
        "outcome_measure": col("str", N_("What counts as success, e.g. 'employed at 6 months'.")),
    },
    unique=["programme_id", "period", "dimension", "group"],
    checks=[
        _categories_fit_dimension("group"),
        pa.Check(
            _successes_within_participants,
            name="successes_le_participants",
            error=N_("successes must not exceed participants"),
        ),
    ],
    row=N_("one program x period x group"),
)

DATA_INVENTORY = _table(
    "data_inventory",
    N_(
        "The city's data inventory: every dataset, who owns it, how fresh it is, whether it is open, "
        "and which demographic fields it collects."
    ),
    {
        "dataset_id": col("str", N_("Short stable code for the dataset."), unique=True),
        "dataset": col("str", N_("Dataset name.")),
        "owner_department_id": col(
            "str", N_("Department that owns the dataset."), references="departments.department_id"
        ),
        "update_frequency": col("str", N_("How often it is updated."), allowed=UPDATE_FREQUENCIES),
        "last_updated": col("date", N_("Date of the latest update.")),
        "published_openly": col("bool", N_("Whether it is on the open data portal.")),
        "contains_personal_data": col(
            "bool", N_("Whether it holds data about identifiable people.")
        ),
        "documented": col("bool", N_("Whether it has a data dictionary or metadata.")),
        "demographic_fields": col(
            "str",
            Message(
                N_("Demographic fields collected, ';'-separated from {fields}; blank for none."),
                fields="|".join(DEMOGRAPHIC_FIELDS),
            ),
            nullable=True,
            checks=[
                pa.Check(
                    _demographic_fields_known,
                    name="demographic_fields_known",
                    error=Message(
                        N_("demographic_fields must be ';'-separated names from {fields}"),
                        fields=", ".join(DEMOGRAPHIC_FIELDS),
                    ),
                )
            ],
        ),
        "race_ethnicity_format": col(
            "str",
            N_(
                "How race/ethnicity is collected: SPD 15 2024 combined question, the 1997 two-question "
                "format, a custom list, not at all, or another country's standard (dane_cnpv_2018: "
                "Colombia's 2018 census ethnic groups)."
            ),
            allowed=RACE_ETHNICITY_FORMATS,
        ),
    },
    row=N_("one dataset"),
)

MATURITY_ASSESSMENT = _table(
    "maturity_assessment",
    N_("The city's data-maturity self-assessment: a rating per criterion per assessment."),
    {
        "practice_area": col("str", N_("Practice area, e.g. governance, analytics, open data.")),
        "criterion_id": col("str", N_("Code of the criterion being rated.")),
        "rating": col(
            "int",
            N_("0 not started, 1 beginning, 2 developing, 3 established."),
            checks=[pa.Check.in_range(0, 3)],
        ),
        "assessed_on": col("date", N_("Date of the assessment.")),
        "notes": col("str", N_("Evidence or comments."), required=False, nullable=True),
    },
    unique=["criterion_id", "assessed_on"],
    row=N_("one criterion x one assessment date"),
)

DATA_USE_LOG = _table(
    "data_use_log",
    N_(
        "Decisions made with data: what was decided, with which data, what changed, and what it achieved."
    ),
    {
        "entry_id": col("str", N_("Short stable code for the entry."), unique=True),
        "date": col("date", N_("Date of the decision.")),
        "department_id": col(
            "str", N_("Department that made the decision."), references="departments.department_id"
        ),
        "programme": col("str", N_("Program or service concerned.")),
        "decision": col("str", N_("The decision taken.")),
        "data_used": col("str", N_("The data that informed it.")),
        "change_made": col("str", N_("What changed as a result.")),
        "resources_redirected_usd": col(
            "float",
            N_(
                "Money moved as a result, in the city's currency (US dollars unless city.yaml says otherwise); blank if none or unknown."
            ),
            nullable=True,
            checks=[NON_NEGATIVE],
        ),
        "outcome_measure": col("str", N_("How the effect is measured.")),
    },
    row=N_("one decision"),
)

PERFORMANCE_METRICS = _table(
    "performance_metrics",
    N_("Monthly performance metrics by department, with targets."),
    {
        "metric_id": col("str", N_("Short stable code for the metric.")),
        "metric": col("str", N_("Metric name.")),
        "department_id": col(
            "str", N_("Department accountable."), references="departments.department_id"
        ),
        "period": col(
            "str",
            N_("Month, YYYY-MM."),
            checks=[_matches(MONTH_PATTERN, "month_format", N_("period must be a month, YYYY-MM"))],
        ),
        "value": col("float", N_("Value for the month.")),
        "target": col("float", N_("Target for the month; blank if none."), nullable=True),
        "unit": col("str", N_("Unit, e.g. days, percent, count.")),
        "higher_is_better": col("bool", N_("Whether a higher value is better.")),
    },
    unique=["metric_id", "period"],
    row=N_("one metric x one month"),
)

#: Every table, in dependency order (referenced tables first).
TABLES: dict[str, pa.DataFrameSchema] = {
    s.name: s
    for s in (
        DEPARTMENTS,
        NEIGHBOURHOODS,
        STAFF_SURVEY,
        SERVICE_REQUESTS,
        NEIGHBOURHOOD_DEMOGRAPHICS,
        PROGRAMME_OUTCOMES,
        DATA_INVENTORY,
        MATURITY_ASSESSMENT,
        DATA_USE_LOG,
        PERFORMANCE_METRICS,
    )
    if s.name
}


def kind_of(table: str, column: str) -> str:
    """The kind (str, int, float, bool, date, datetime) of a column."""
    meta = TABLES[table].columns[column].metadata or {}
    return str(meta.get("kind", "str"))


def foreign_keys(table: str) -> dict[str, tuple[str, str]]:
    """Column -> (referenced table, referenced column)."""
    out: dict[str, tuple[str, str]] = {}
    for column, ref in (TABLES[table].metadata or {}).get("foreign_keys", {}).items():
        other, other_column = str(ref).split(".", 1)
        out[column] = (other, other_column)
    return out


def required_columns(table: str) -> list[str]:
    return [name for name, c in TABLES[table].columns.items() if c.required]


# --- the custom checks in SQL -----------------------------------------------------------------


@dataclass(frozen=True)
class SqlCheck:
    """A custom check above as SQL, for validating large tables in DuckDB (``citydata.bulk``).

    ``passes`` is TRUE where a row passes (NULL counts as passing); ``{column}`` stands for the
    checked column, frame-wide checks name their columns (``needs``; if one is absent the check
    passes, as in pandas). ``exact_where``, if set, is where ``passes`` is known to agree with the
    Python check (e.g. printable ASCII, where RE2 and Python regular expressions agree); other rows
    are checked by the Python check itself. The built-in pandera checks (isin, ge, in_range,
    str_matches...) are translated from their statistics instead.
    """

    passes: str
    exact_where: str | None = None
    needs: tuple[str, ...] = ()


#: Printable ASCII: where RE2 (DuckDB) and Python's ``re`` and ``str.strip`` agree.
PRINTABLE_ASCII_SQL = "regexp_full_match({column}, '[ -~]*')"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _dimension_sql(category_column: str) -> SqlCheck:
    column = f'"{category_column}"'
    wrong = " OR ".join(
        f'("dimension" = {_sql_text(dimension)} AND {column} NOT IN '
        f"({', '.join(_sql_text(c) for c in codes)}))"
        for dimension, codes in DIMENSION_CATEGORIES.items()
    )
    return SqlCheck(
        passes=f"{column} IS NULL OR NOT coalesce({wrong}, false)",
        needs=("dimension", category_column),
    )


#: Every custom check (by name) in SQL. A check missing here makes its table use the pandas path
#: even when it is large, so a new check is never skipped.
CHECK_SQL: dict[str, SqlCheck] = {
    "not_email": SqlCheck(
        passes=f"NOT regexp_matches({{column}}, {_sql_text(EMAIL_PATTERN)})",
        exact_where=PRINTABLE_ASCII_SQL,
    ),
    "demographic_fields_known": SqlCheck(
        passes="coalesce(list_bool_and(list_transform(list_filter(string_split({column}, ';'), "
        "lambda p: trim(p) <> ''), lambda p: trim(p) IN ("
        + ", ".join(_sql_text(f) for f in DEMOGRAPHIC_FIELDS)
        + "))), true)",
        exact_where=PRINTABLE_ASCII_SQL,
    ),
    "category_fits_dimension": _dimension_sql("category"),
    "group_fits_dimension": _dimension_sql("group"),
    "successes_le_participants": SqlCheck(
        passes='NOT coalesce("successes" > "participants", false)',
        needs=("successes", "participants"),
    ),
}

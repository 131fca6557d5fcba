"""Tables in the reader's language.

What a notebook shows of a DataFrame or a Series (its column and row labels, and the words in its
cells) goes through the catalog when it is displayed. The data itself keeps its canonical words
("monthly", "staff", "partly meets"), which the checkpoints, the grader and the strategy read; only
what the reader sees changes. A word the catalog does not translate is shown as it is (a dataset's
name, a department, a number).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from babel.numbers import format_decimal

from cohort_tools.core.i18n import (
    N_,
    SOURCE_LANGUAGE,
    current_language,
    format_number,
    gettext,
    locale_for,
)

#: What a reader sees for an identifier the notebooks' tables use as a heading, a column's label
#: or an index's name (a city data column or table, a figure a lesson works out, a standard's
#: format): its words, in the reader's language. A catalog translation of the identifier itself
#: comes first. Row labels and cells keep their identifiers (see :func:`shown_heading`).
LABELS: dict[str, str] = {
    # city data columns and the figures the workshops work out from them
    "age_days": N_("age (days)"),
    "allowed_days": N_("days allowed"),
    "average_days": N_("average days to close"),
    "change_made": N_("change made"),
    "closed_requests": N_("closed requests"),
    "contains_personal_data": N_("personal data"),
    "criterion_id": N_("criterion"),
    "data_roles": N_("staff in data roles"),
    "dataset_id": N_("dataset code"),
    "days_allowed": N_("days allowed"),
    "department_id": N_("department code"),
    "entry_id": N_("log entry"),
    "last_updated": N_("last updated"),
    "median_days": N_("median days to close"),
    "owner_department_id": N_("owning department code"),
    "practice_area": N_("practice area"),
    "programme": N_("program"),
    "role_family": N_("role family"),
    "service_name": N_("service"),
    "update_frequency": N_("update frequency"),
    # practice areas and skills
    "data_management": N_("data management"),
    "open_data": N_("open data"),
    "data_analysis": N_("data analysis"),
    "data_engineering": N_("data engineering"),
    "data_ethics": N_("data ethics"),
    "data_governance": N_("data governance"),
    "data_literacy": N_("data literacy"),
    "data_visualisation": N_("data visualization"),
    "performance_management": N_("performance management"),
    # the city data tables
    "data_inventory": N_("data inventory"),
    "data_use_log": N_("data use log"),
    "maturity_assessment": N_("maturity assessment"),
    "neighbourhood_demographics": N_("neighborhood demographics"),
    "performance_metrics": N_("performance metrics"),
    "programme_outcomes": N_("program outcomes"),
    "service_requests": N_("service requests"),
    "staff_survey": N_("staff survey"),
    # the formats of the demographic questions (cohort_tools.policy.standards)
    "acs_language_and_english_ability": N_("ACS language and English ability"),
    "adult_or_child": N_("adult or child"),
    "census_5_year_bands": N_("census five-year age bands"),
    "diagnosis_list": N_("list of diagnoses"),
    "english_yes_no": N_("speaks English (yes or no)"),
    "exact_date_of_birth": N_("exact date of birth"),
    "not_lep": N_("not limited English proficient"),
    "not_reported": N_("not reported"),
    "preferred_language_only": N_("preferred language only"),
    "race_ethnicity": N_("race and ethnicity"),
    "race_format": N_("race format"),
    # options of the workshops' forms (kinds of stakeholder, how often a dataset is published)
    "community_group": N_("community group"),
    "ad_hoc": N_("ad hoc"),
    "washington_group_short_set": N_("Washington Group short set"),
    "with_disability": N_("with a disability"),
    "without_disability": N_("without a disability"),
    "yes_no_question": N_("yes or no question"),
}


def shown_word(value: Any) -> Any:
    """A value as the reader sees it: text through the catalog, anything else unchanged."""
    return gettext(value) if isinstance(value, str) and value.strip() else value


def shown_heading(value: Any) -> Any:
    """A column's or an index's heading as the reader sees it: :func:`shown_word`, and an
    identifier the catalog does not translate as its words (:data:`LABELS`). Only headings: a
    row label or a cell may be a code a learner copies into an answer ("open_data")."""
    said = shown_word(value)
    if said == value and isinstance(value, str) and value in LABELS:
        return gettext(LABELS[value])
    return said


def option_name(value: Any) -> str:
    """A value offered as a choice (a form's option, a checkpoint's list of what it accepts) as the
    reader sees it: as a heading shows it (:func:`shown_heading`: ``race_ethnicity`` is "race and
    ethnicity"), and any other lower-case code with its underscores as spaces ("data lead"). An id
    (``PW_2``, ``AN-1``), a number or a word stays as it is. The value kept is still the code."""
    if not isinstance(value, str) or not value.strip():
        return str(value)
    said = str(shown_heading(value))
    if said == value and re.fullmatch(_WORDS_CODE, value):
        return value.replace("_", " ")
    return said


def _has_words(dtype: Any) -> bool:
    return bool(
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def _headed(table: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """A copy of ``table`` with its headings (column labels, the Series' name, the names of its
    index and columns) as :func:`shown_heading` shows them."""
    headed = (
        table.rename(shown_heading(table.name))
        if isinstance(table, pd.Series)
        else table.rename(columns=shown_heading)
    )
    if isinstance(headed, pd.DataFrame):
        headed.columns.names = [shown_heading(n) for n in headed.columns.names]
    headed.index.names = [shown_heading(n) for n in headed.index.names]
    return headed


def shown(table: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """A copy of ``table`` as the reader sees it: headings in words (:func:`shown_heading`), and
    outside English, row labels and words in cells in the current language."""
    out = _headed(table)
    if current_language() == SOURCE_LANGUAGE:  # the catalog is the identity: headings only
        return out
    out = out.rename(index=shown_word)
    if isinstance(out, pd.Series):
        return out.astype(object).map(shown_word) if _has_words(out.dtype) else out
    for i, dtype in enumerate(out.dtypes):
        if _has_words(dtype):
            out.isetitem(i, out.iloc[:, i].astype(object).map(shown_word))
    return out


def _key(text: str) -> str:
    """A word through the catalog; a code the catalog does not know as Markdown code."""
    said = gettext(text)
    return f"`{said}`" if said == text and re.fullmatch(_CODE, text) else said


def answer_text(value: Any) -> str:
    """An answer as a reader reads it, in the current language: words through the catalog
    ("quarterly" -> "cada trimestre"), numbers with the language's separators, a record as
    "field: value" pairs, a list joined with semicolons (records in parentheses), nothing as a
    dash. A code the catalog does not know (``completeness_min``, ``AN-1``) is shown as code: the
    answer is Markdown, for ``nb.say``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        whole = float(value).is_integer()
        size = abs(float(value))
        return format_number(
            value, digits=0 if whole else 1 if size >= 10 else 2 if size >= 0.1 else 3
        )
    if isinstance(value, str):
        return _key(value)
    if isinstance(value, Mapping):
        return ", ".join(
            f"{_key(str(k))}: "
            + (f"({answer_text(v)})" if isinstance(v, Mapping) else answer_text(v))
            for k, v in value.items()
        )
    if isinstance(value, list | tuple | set):
        items = sorted(value, key=str) if isinstance(value, set) else value
        if not items:
            return "—"
        return "; ".join(
            f"({answer_text(i)})" if isinstance(i, Mapping) else answer_text(i) for i in items
        )
    return str(value)


def show_tables_in_language() -> None:
    """Display every DataFrame and Series of this kernel through :func:`shown` (the kernel's
    language is set by ``nb.start``; in English only the headings change). Outside IPython,
    nothing to do."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of every kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, _html)  # a Series has no HTML form
    for kind in (pd.DataFrame, pd.Series):
        formatters["text/plain"].for_type(kind, _plain)


#: A code, not a word: letters and digits joined by "_" or "-" ("AN-1", "DS014", "data_used").
_CODE = r"[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)+|[A-Z]{2,}[0-9]+"
#: A code made of lower-case words joined by underscores (``community_group``): read as its words.
_WORDS_CODE = r"[a-z0-9]+(?:_[a-z0-9]+)+"
_CODE_CELL = re.compile(rf"<(th|td)>({_CODE})</\1>")


def _decimal(value: float) -> str:
    """A decimal as the reader's language writes it (0,425 and 40 in Colombia, not 40.000)."""
    if pd.isna(value):
        return "—"
    return str(format_decimal(value, format="#,##0.###", locale=locale_for()))


def _html(table: pd.DataFrame) -> str | None:
    """The table as HTML: words and decimals as the reader's language writes them, long text in
    full (not cut mid-word), and codes (a criterion's "AN-1", a dataset's "DS014") as code. In
    English, only the headings change (numbers and cells as pandas shows them)."""
    if current_language() == SOURCE_LANGUAGE:
        return shown(table)._repr_html_()  # type: ignore[no-any-return]
    with pd.option_context("display.max_colwidth", None, "display.float_format", _decimal):
        html = shown(table)._repr_html_()
    return _CODE_CELL.sub(r"<\1><code>\2</code></\1>", html) if html else html


def _plain(table: Any, printer: Any, cycle: bool) -> None:
    printer.text(repr(shown(table)))


__all__ = [
    "LABELS",
    "answer_text",
    "show_tables_in_language",
    "shown",
    "shown_heading",
    "shown_word",
]

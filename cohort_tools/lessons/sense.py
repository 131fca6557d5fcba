"""Is a decision written with sense? Checks for the free-text parts of an answer.

A decision passes a checkpoint when it could be acted on: it refers to the city's own data (a
metric, a department, a dataset or a table by name, or a figure from it), it names who answers for
it (a role, never a person), and it says when (a month of the strategy, a date, "this quarter").
Any non-empty text used to pass; these helpers say what is missing instead, in plain words, and the
checkpoints use them with the usual ``cp.require(ok, what, hint)``.

Nothing here reads files: callers pass the city's names (see :func:`data_terms`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd

from cohort_tools.lessons.wording import normalise

#: Words that make a text a role or a body, not a person.
ROLE_WORDS = (
    "officer",
    "lead",
    "manager",
    "director",
    "chief",
    "head",
    "team",
    "office",
    "staff",
    "analyst",
    "coordinator",
    "clerk",
    "mayor",
    "adviser",
    "advisor",
    "council",
    "department",
    "unit",
    "board",
    "committee",
    "secretary",
    "administrator",
    "commissioner",
    "liaison",
    "steward",
    "owner",
    "engineer",
    "supervisor",
    "specialist",
    "attorney",
    "counsel",
)

#: Words that say the text is about the city's data even when it names no table.
DATA_WORDS = (
    "data",
    "dataset",
    "datasets",
    "inventory",
    "scorecard",
    "survey",
    "311",
    "requests",
    "metric",
    "metrics",
    "log",
    "records",
    "table",
    "dashboard",
    "report",
)

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
_WHEN = re.compile(
    r"\b(month|months|week|weeks|quarter|quarters|year|years|q[1-4]|weekly|monthly|quarterly|"
    r"annually|yearly|daily|today|tomorrow|next|this|by|before|after|within|until|every|each|"
    r"spring|summer|fall|autumn|winter|" + "|".join(_MONTHS) + r")\b"
)


def looks_like_role(text: Any, person_names: Collection[str] = ()) -> bool:
    """True for a role or a body ("chief data officer", "budget office"), False for a person's
    name or an e-mail address."""
    if not isinstance(text, str) or not text.strip() or "@" in text:
        return False
    said = normalise(text)
    if any(normalise(n) == said for n in person_names if n):
        return False
    words = set(said.split())
    return any(w in words or f"{w}s" in words for w in ROLE_WORDS)


def data_terms(
    *,
    metrics: pd.DataFrame | None = None,
    departments: pd.DataFrame | None = None,
    inventory: pd.DataFrame | None = None,
    tables: Iterable[str] = (),
) -> list[str]:
    """The city's own names a decision can refer to: metrics, departments and datasets (names and
    ids) and the tables it has shared."""
    found: list[str] = [str(t).replace("_", " ") for t in tables]
    for frame, columns in (
        (metrics, ("metric_id", "metric")),
        (departments, ("department_id", "department")),
        (inventory, ("dataset_id", "dataset")),
    ):
        if frame is None or frame.empty:
            continue
        frame = frame.reset_index()
        for column in columns:
            if column in frame:
                found += [str(v) for v in frame[column].dropna().unique()]
    return [t for t in dict.fromkeys(found) if t.strip()]


def refers_to_data(text: Any, terms: Iterable[str] = ()) -> bool:
    """True when ``text`` names the city's own data: one of ``terms`` (a metric, department,
    dataset or table), a figure, or a word such as "inventory" or "311"."""
    if not isinstance(text, str) or not text.strip():
        return False
    said = f" {normalise(text)} "
    if re.search(r"\d", said) or any(f" {w} " in said for w in DATA_WORDS):
        return True
    return any(f" {normalise(t)} " in said for t in terms if normalise(t))


def says_when(text: Any, *, last_month: int = 36) -> bool:
    """True when ``text`` says when: a month of the strategy (1 to ``last_month``), a date, a year,
    a named month or season, or words such as "this quarter" or "every month"."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return 1 <= float(text) <= last_month
    if isinstance(text, dt.date):
        return True
    if not isinstance(text, str) or not text.strip():
        return False
    said = normalise(text)
    months = [int(m) for m in re.findall(r"\bmonth (\d+)", said)]
    if months:
        return all(1 <= m <= last_month for m in months)
    return bool(re.search(r"\b(19|20)\d\d\b", said) or _WHEN.search(said))


def a_date(value: Any) -> dt.date | None:
    """``value`` as a date (a date, or text such as "2025-03-01" or "March 1, 2025"), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.search(r"\d", value):
        return None
    try:
        parsed = pd.to_datetime(value.strip(), errors="raise")
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(parsed) else parsed.date()


def mentions(text: Any, names: Iterable[str]) -> list[str]:
    """The ``names`` that ``text`` mentions (as whole words, in any case or punctuation)."""
    said = f" {normalise(text)} "
    return [n for n in names if normalise(n) and f" {normalise(n)} " in said]


__all__ = [
    "DATA_WORDS",
    "ROLE_WORDS",
    "a_date",
    "data_terms",
    "looks_like_role",
    "mentions",
    "refers_to_data",
    "says_when",
]

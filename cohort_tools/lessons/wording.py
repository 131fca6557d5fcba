"""Equivalent wordings: a checkpoint that compares text accepts every way of saying the same thing.

A senior team writes "biweekly", "every 2 weeks" or "Fortnightly" for a meeting every two weeks;
"Census five-year bands" for ``census_5_year_bands``. A checkpoint that compares text compares
*meanings*: both sides are normalised (case, spacing, punctuation, number words) and then looked up
in groups of wordings that say the same thing. The checkpoint asks for one of a few canonical
values; :func:`canonical` says which of them an answer means (or None)::

    canonical("Every 2 weeks", ["weekly", "every two weeks", "monthly"])   # "every two weeks"
    canonical("fortnightly", ["weekly", "every two weeks", "monthly"])     # "every two weeks"
    canonical("yearly", ["annually", "every two years"])                   # "annually"

Identifiers (metric ids, skill codes, dataset ids) are not wordings: a checkpoint that asks for an
id still asks for the id, and says where to copy it from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fourteen": "14",
    "eighteen": "18",
    "twenty four": "24",
}
_NUMBER = re.compile(r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b")


def normalise(text: Any) -> str:
    """Lower case, punctuation and underscores as spaces, one space between words, number words
    as digits, no leading article: ``"Bi-weekly"`` -> ``"bi weekly"``, ``"Every two  weeks."`` ->
    ``"every 2 weeks"``, ``"the Washington Group"`` -> ``"washington group"``."""
    if not isinstance(text, str):
        return ""
    out = text.lower().replace("&", " and ").replace("'s", "s").replace("\u2019s", "s")
    out = re.sub(r"[\W_]+", " ", out).strip()
    out = _NUMBER.sub(lambda m: NUMBER_WORDS[m.group(1)], out)
    out = re.sub(r"^(the|a|an) (?=\w)", "", out)  # "the 2024 combined question"
    return re.sub(r"\s+", " ", out)


#: Groups of wordings that say the same thing. The first wording of a group is how this program
#: writes it (US English); the checkpoints and the strategy show that one.
GROUPS: tuple[tuple[str, ...], ...] = (
    # how often
    ("daily", "every day", "each day", "once a day", "per day", "day by day"),
    ("weekly", "every week", "each week", "once a week", "per week", "every 7 days"),
    (
        "every two weeks",
        "fortnightly",
        "biweekly",
        "bi weekly",
        "every other week",
        "once every two weeks",
        "every fortnight",
        "once a fortnight",
        "every 14 days",
        "twice a month",
        "twice monthly",
        "semimonthly",
        "semi monthly",
    ),
    ("monthly", "every month", "each month", "once a month", "per month", "every four weeks"),
    (
        "quarterly",
        "every quarter",
        "each quarter",
        "once a quarter",
        "every three months",
        "four times a year",
        "once every three months",
    ),
    (
        "annually",
        "yearly",
        "annual",
        "every year",
        "each year",
        "once a year",
        "per year",
        "every twelve months",
    ),
    (
        "every two years",
        "biennially",
        "biennial",
        "every other year",
        "once every two years",
        "every twenty four months",
    ),
    ("ad_hoc", "ad hoc", "as needed", "when needed", "when it changes", "irregularly"),
    # kinds of investment and stakeholder
    ("platform", "platforms", "a platform", "tool", "a tool"),
    ("practice", "practices", "a practice", "habit", "a habit"),
    ("community_group", "community group", "community groups", "community organization"),
    ("department", "departments", "city department"),
    ("council", "city council", "council committee"),
    ("residents", "resident", "residents group", "the public"),
    ("staff", "city staff", "frontline staff", "employees"),
    ("partner", "partners", "external partner"),
    # ways to train (Module 2, workshop B)
    ("online course", "online courses", "e learning", "elearning", "online training"),
    ("workshop series", "workshops", "a workshop series", "series of workshops"),
    ("mentoring", "mentorship", "a mentor", "coaching by a mentor"),
    ("data academy", "academy", "a data academy"),
    # the demographic data standard (Module 3, workshop C)
    (
        "spd15_2024_combined",
        "spd 15 2024 combined",
        "spd15 combined",
        "spd 15 combined",
        "spd15 2024",
        "spd 15 2024",
        "2024 spd 15",
        "2024 spd15",
        "spd 15",
        "spd15",
        "2024 combined question",
        "2024 combined",
        "combined question",
        "one combined question",
        "combined race and ethnicity question",
        "2024 federal standard",
        "2024 standard",
    ),
    (
        "two_question_1997",
        "1997 two questions",
        "two questions",
        "1997 standard",
        "two question",
        "1997",
    ),
    ("custom", "a custom list", "custom list", "our own list", "the city's own categories"),
    ("none", "not asked", "not collected"),
    ("race_ethnicity", "race and ethnicity", "race or ethnicity", "ethnicity and race", "race"),
    ("sex", "sex at birth", "sex assigned at birth"),
    ("gender", "gender identity"),
    ("age", "ages", "age group", "age band"),
    ("disability", "disability status", "disabilities"),
    (
        "language",
        "languages",
        "primary language",
        "language spoken at home",
        "home language",
        "preferred language",
    ),
    ("income", "household income"),
    (
        "census_5_year_bands",
        "census 5 year bands",
        "5 year bands",
        "5 year age bands",
        "census age bands",
        "census 5 year age bands",
        "age in 5 year bands",
        "census bands",
    ),
    (
        "exact_date_of_birth",
        "date of birth",
        "full date of birth",
        "exact date of birth",
        "dob",
        "birth date",
        "birthdate",
    ),
    ("adult_or_child", "adult or child", "under or over 18", "over or under 18", "child or adult"),
    (
        "washington_group_short_set",
        "washington group short set",
        "washington group",
        "washington group questions",
        "washington group short set questions",
        "wg short set",
        "wg ss",
        "wgss",
        "6 washington group questions",
    ),
    ("yes_no_question", "yes no question", "yes or no question", "yes no", "one yes no question"),
    ("diagnosis_list", "diagnosis list", "list of diagnoses", "list of conditions"),
    (
        "acs_language_and_english_ability",
        "acs language and english ability",
        "acs language",
        "acs",
        "census language questions",
        "census language",
        "language and english ability",
        "language spoken at home and english ability",
        "language at home and how well english is spoken",
    ),
    ("preferred_language_only", "preferred language only", "only preferred language"),
    ("english_yes_no", "english yes no", "do you speak english"),
)


@cache
def _index() -> dict[str, int]:
    """Normalised wording -> the number of its group."""
    found: dict[str, int] = {}
    for n, group in enumerate(GROUPS):
        for wording in group:
            key = normalise(wording)
            if key in found and found[key] != n:  # pragma: no cover - guarded by a unit test
                raise ValueError(f"the wording {wording!r} is in two groups")
            found[key] = n
    return found


def wordings_of(value: str) -> tuple[str, ...]:
    """Every wording that says the same as ``value`` (``value`` alone when it is in no group)."""
    group = _index().get(normalise(value))
    return GROUPS[group] if group is not None else (value,)


def preferred(value: str) -> str:
    """How this program writes ``value``: the first wording of its group ("biweekly" -> "every
    two weeks"); ``value`` itself when it is in no group."""
    return wordings_of(value)[0]


def canonical(
    value: Any, allowed: Iterable[str], extra: Mapping[str, Iterable[str]] | None = None
) -> str | None:
    """The one of ``allowed`` that ``value`` says (in any of its wordings), else None.

    ``extra`` adds wordings for this one comparison: ``{"monthly": ["at every board meeting"]}``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    said = normalise(value)
    group = _index().get(said)
    for option in allowed:
        if said == normalise(option):
            return option
        if group is not None and _index().get(normalise(option)) == group:
            return option
        if extra and said in {normalise(w) for w in extra.get(option, ())}:
            return option
    return None


def same(a: Any, b: Any) -> bool:
    """True when two texts say the same thing (``"Bi-weekly"`` and ``"every 2 weeks"``)."""
    return isinstance(b, str) and canonical(a, [b]) is not None


__all__ = ["GROUPS", "canonical", "normalise", "preferred", "same", "wordings_of"]

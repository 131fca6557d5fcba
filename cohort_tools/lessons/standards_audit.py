"""Module 3 helpers: audit the inventory against the city's demographic standard, find hidden gaps in
programme outcomes (with small numbers suppressed), and check a city's standard and publication plan.

The city's national standard comes from its country (:func:`standard_for`: US -> SPD 15 (2024), CO ->
DANE CNPV 2018); every function that judges against it takes it as ``national`` (SPD 15 when not
given, so US callers are unchanged). The checkers return ``(what is wrong, what to try)`` pairs in
plain words, marked for translation, so a workshop checkpoint and ``cda strategy build`` can report
the same problems the same way in the city's language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cohort_tools.citydata.schemas import (
    DEMOGRAPHIC_FIELDS,
    RACE_ETHNICITY_FORMATS,
    UPDATE_FREQUENCIES,
)
from cohort_tools.core.i18n import _
from cohort_tools.lessons.inventory import inventory_metrics
from cohort_tools.lessons.wording import canonical
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD, suppress_rates
from cohort_tools.policy.standards.checker import assess_inventory
from cohort_tools.policy.standards.national import (
    BY_ID,
    SPD15,
    STANDARDS,
    NationalStandard,
    UnknownCountryStandard,
    standard_for,
)
from cohort_tools.policy.standards.spd15 import MEETS
from cohort_tools.policy.standards.spd15_data import FULL_COMPLIANCE_BY_TEXT

__all__ = [
    "STANDARDS",
    "NationalStandard",
    "UnknownCountryStandard",
    "standard_for",
]

Problem = tuple[str, str]


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated where it is shown."""
    return message


COMBINED_FORMAT = SPD15.format_code

#: How each dimension can be collected or reported; the first key of each is the standard.
AGE_CONVENTIONS: dict[str, str] = {
    "census_5_year_bands": N_(
        "age in five-year bands (0-4, 5-9, ... 85+), as the Census reports it"
    ),
    "exact_date_of_birth": N_("full date of birth, kept and shown as it is"),
    "adult_or_child": N_("only whether the person is under or over 18"),
}
DISABILITY_CONVENTIONS: dict[str, str] = {
    "washington_group_short_set": N_(
        "the six Washington Group questions on difficulty with everyday activities"
    ),
    "yes_no_question": N_("one question: 'do you have a disability?'"),
    "diagnosis_list": N_("a list of medical conditions to check off"),
}
LANGUAGE_CONVENTIONS: dict[str, str] = {
    "acs_language_and_english_ability": N_(
        "language spoken at home, and how well the person speaks English (limited English = less "
        "than 'very well')"
    ),
    "preferred_language_only": N_("only the language the person prefers for letters"),
    "english_yes_no": N_("one question: 'do you speak English?'"),
}
#: Where the national language is not English (CO): the same three kinds of option. These are the
#: programme's options, not a census definition.
SPANISH_LANGUAGE_CONVENTIONS: dict[str, str] = {
    "home_language_and_spanish_ability": N_(
        "language spoken at home (a native or Creole language, or Spanish), and whether the "
        "person speaks Spanish"
    ),
    "preferred_language_only": N_("only the language the person prefers for letters"),
    "spanish_yes_no": N_("one question: 'do you speak Spanish?'"),
}
#: The options that can be compared with other cities and the Census: the standard itself, and a
#: date of birth (five-year age bands can always be worked out from it).
COMPARABLE: dict[str, tuple[str, ...]] = {
    "age": ("census_5_year_bands", "exact_date_of_birth"),
    "disability": ("washington_group_short_set",),
    "language": ("acs_language_and_english_ability",),
}
_LANGUAGE_BY_COUNTRY: dict[str, dict[str, str]] = {"CO": SPANISH_LANGUAGE_CONVENTIONS}
REVIEW_CADENCES = ("annually", "every two years")
#: Plain words for the dimensions of programme_outcomes, for tables and charts people read.
DIMENSION_WORDS: dict[str, str] = {
    "race_ethnicity": N_("race and ethnicity"),
    "age": N_("age"),
    "disability": N_("disability"),
    "limited_english": N_("English ability"),
    "sex": N_("sex"),
    "neighbourhood": N_("neighborhood"),
}
#: The dimensions the city's programme outcomes are broken down by: a standard must cover them.
CORE_FIELDS = ("race_ethnicity", "age", "disability", "language")
STANDARD_KEYS = (
    "race_ethnicity_format",
    "fields",
    "age",
    "disability",
    "language",
    "optional",
    "when_collected",
    "small_numbers_threshold",
    "access",
    "review_cadence",
)
PLAN_KEYS = ("dataset_id", "year", "frequency", "aggregated")
TARGET_KEYS = ("published", "documented", "fresh")


def conventions(national: NationalStandard = SPD15) -> dict[str, dict[str, str]]:
    """The options for age, disability and language under ``national``, in the reader's language
    (key -> what it means); the first option of each is the one to recommend."""
    language = _LANGUAGE_BY_COUNTRY.get(national.country, LANGUAGE_CONVENTIONS)
    return {
        part: {key: _(words) for key, words in options.items()}
        for part, options in (
            ("age", AGE_CONVENTIONS),
            ("disability", DISABILITY_CONVENTIONS),
            ("language", language),
        )
    }


def comparable(national: NationalStandard = SPD15) -> dict[str, tuple[str, ...]]:
    """The options of :func:`conventions` that other cities (and the census) can compare."""
    language = _LANGUAGE_BY_COUNTRY.get(national.country)
    if language is None:
        return COMPARABLE
    return {**COMPARABLE, "language": (next(iter(language)),)}


def recommended(national: NationalStandard = SPD15) -> dict[str, str]:
    """The option to recommend for each part: the national format, and the first of each list."""
    return {
        "race_ethnicity_format": national.format_code,
        **{part: next(iter(options)) for part, options in conventions(national).items()},
    }


def dimension_words() -> dict[str, str]:
    """:data:`DIMENSION_WORDS` in the reader's language."""
    return {key: _(words) for key, words in DIMENSION_WORDS.items()}


def format_words(national: NationalStandard = SPD15) -> dict[str, str]:
    """How a dataset asks about race/ethnicity, in plain words, for the formats a city of this
    country sees (its own standard first); keys are ``race_ethnicity_format`` values."""
    if national.id == SPD15.id:
        return {
            "spd15_2024_combined": _("2024 combined question"),
            "two_question_1997": _("1997 two questions"),
            "custom": _("a custom list"),
            "none": _("not asked"),
        }
    return {
        national.format_code: _("{standard} categories").format(standard=national.name),
        "custom": _("a custom list"),
        "none": _("not asked"),
    }


def category_table(national: NationalStandard = SPD15) -> pd.DataFrame:
    """The standard's categories, one row each (code, label, detailed examples, new), as data."""
    return pd.DataFrame(
        [
            {
                "code": c.code,
                "label": c.label,
                "examples": ", ".join(c.detailed_examples),
                "new": c.new_in_2024,
            }
            for c in national.categories.values()
        ],
        columns=["code", "label", "examples", "new"],
    )


# --------------------------------------------------------------------------------------------------
# the inventory against the standard
# --------------------------------------------------------------------------------------------------


def _fields(value: object) -> set[str]:
    if not isinstance(value, str):
        return set()
    return {p.strip() for p in value.split(";") if p.strip()}


def inventory_audit(inventory: pd.DataFrame, national: NationalStandard = SPD15) -> pd.DataFrame:
    """One row per dataset: which demographic fields it collects, its race/ethnicity format, and
    the verdict and reason against ``national`` (from :func:`assess_inventory`). Indexed by
    dataset_id."""
    columns = ["dataset", *DEMOGRAPHIC_FIELDS, "race_format", "collects_race", "verdict", "reason"]
    if inventory.empty:
        return pd.DataFrame(columns=columns).rename_axis("dataset_id")
    verdicts = {v.dataset_id: v for v in assess_inventory(inventory, national)}
    rows = []
    for rec in inventory.to_dict(orient="records"):
        fields = _fields(rec.get("demographic_fields"))
        fmt = str(rec.get("race_ethnicity_format") or "none")
        verdict = verdicts[str(rec["dataset_id"])]
        rows.append(
            {
                "dataset_id": str(rec["dataset_id"]),
                "dataset": str(rec["dataset"]),
                **{f: f in fields for f in DEMOGRAPHIC_FIELDS},
                "race_format": fmt,
                "collects_race": "race_ethnicity" in fields or fmt != "none",
                "verdict": verdict.verdict,
                "reason": verdict.reasons[0] if verdict.reasons else "",
            }
        )
    return pd.DataFrame(rows, columns=["dataset_id", *columns]).set_index("dataset_id")


def datasets_to_update(inventory: pd.DataFrame, national: NationalStandard = SPD15) -> list[str]:
    """Datasets that collect race or ethnicity, but not the way ``national`` asks (SPD 15: the 2024
    combined question)."""
    audit = inventory_audit(inventory, national)
    mask = audit["collects_race"].astype(bool) & (audit["verdict"] != MEETS)
    return sorted(audit.index[mask])


# --------------------------------------------------------------------------------------------------
# programme outcomes, broken down, with small numbers protected
# --------------------------------------------------------------------------------------------------


def outcome_rates(outcomes: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Success rates (percent) per programme x dimension x group over all periods in the table.

    Each dimension's rates go through :func:`suppress_rates` (with its total, as published): a rate
    is NaN and ``shown`` is False when a count behind it is small. No counts are returned.
    """
    columns = ["programme_id", "programme", "dimension", "group", "rate", "shown", "reason"]
    if outcomes.empty:
        return pd.DataFrame(columns=columns)
    summed = outcomes.groupby(["programme_id", "programme", "dimension", "group"], observed=True)[
        ["participants", "successes"]
    ].sum()
    parts = []
    for (pid, name, dim), block in summed.groupby(level=[0, 1, 2], observed=True):
        block = block.droplevel([0, 1, 2])
        rates = suppress_rates(block["successes"], block["participants"], threshold=threshold)
        parts.append(
            pd.DataFrame(
                {
                    "programme_id": pid,
                    "programme": name,
                    "dimension": dim,
                    "group": block.index.astype(str),
                    "rate": rates.rates.round(1).to_numpy(),
                    "shown": ~rates.hidden.to_numpy(),
                    "reason": rates.reason.to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[columns]


def gap_summary(outcomes: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Per programme: the overall rate, the widest gap between shown groups of one dimension, and
    the lowest shown group. Indexed by programme_id; rates in percent, gaps in points."""
    columns = [
        "programme",
        "overall_rate",
        "widest_gap_dimension",
        "gap_points",
        "lowest_group",
        "lowest_rate",
    ]
    rates = outcome_rates(outcomes, threshold=threshold)
    shown = rates[rates["shown"]]
    rows = []
    for pid, block in outcomes.groupby("programme_id", observed=True):
        # Every dimension covers the same people; the one with most participants is the overall.
        totals = block.groupby("dimension", observed=True)[["participants", "successes"]].sum()
        top = totals.sort_values("participants", ascending=False).iloc[[0]]
        overall = suppress_rates(
            top["successes"], top["participants"], threshold=threshold, margins=False
        ).rates.iloc[0]
        mine = shown[shown["programme_id"] == pid]
        spread = mine.groupby("dimension")["rate"].agg(lambda r: r.max() - r.min())
        lowest = mine.sort_values(["rate", "group"]).iloc[0] if len(mine) else None
        rows.append(
            {
                "programme_id": str(pid),
                "programme": str(block["programme"].iloc[0]),
                "overall_rate": round(float(overall), 1),
                "widest_gap_dimension": str(spread.idxmax()) if len(spread) else None,
                "gap_points": round(float(spread.max()), 1) if len(spread) else float("nan"),
                "lowest_group": str(lowest["group"]) if lowest is not None else None,
                "lowest_rate": float(lowest["rate"]) if lowest is not None else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["programme_id", *columns]).set_index("programme_id")


# --------------------------------------------------------------------------------------------------
# the city's demographic data standard
# --------------------------------------------------------------------------------------------------


def _json_ok(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _national_of(
    standard: Mapping[str, Any], national: NationalStandard | None
) -> NationalStandard:
    """The national standard to judge by: the one given, else the one the answer names (a
    registered format such as dane_cnpv_2018), else SPD 15."""
    if national is not None:
        return national
    fmt = standard.get("race_ethnicity_format")
    return BY_ID.get(fmt, SPD15) if isinstance(fmt, str) else SPD15


def standard_problems(
    standard: object,
    *,
    city_threshold: int = DEFAULT_THRESHOLD,
    national: NationalStandard | None = None,
) -> list[Problem]:
    """What is missing or inconsistent in a demographic data standard (empty list: none).

    ``national`` is the city's own standard (:func:`standard_for` its country); when not given, the
    one the answer names if it is a registered standard, else SPD 15.
    """
    if not isinstance(standard, Mapping):
        return [(_("the standard should be a set of field: value pairs in curly brackets."),
                 _("undo your change to the structure and fill in each value."))]  # fmt: skip
    nat = _national_of(standard, national)
    expected = nat.format_code
    out: list[Problem] = []
    empty = [k for k in STANDARD_KEYS if standard.get(k) is None or standard.get(k) == ""]
    if empty:
        out.append(
            (
                _("the standard has no value for {parts}.").format(parts=", ".join(empty)),
                _("fill in every part of it."),
            )
        )
    fmt = standard.get("race_ethnicity_format")
    said_fmt = canonical(fmt, RACE_ETHNICITY_FORMATS) or fmt
    if fmt is not None and said_fmt != expected:
        if nat.id == SPD15.id:
            out.append(
                (
                    _(
                        "race and ethnicity would be collected as {format}, not the 2024 combined "
                        "question."
                    ).format(format=repr(fmt)),
                    _(
                        "use {expected}: one question, choose all that apply, with MENA as a "
                        "category (full compliance by {deadline})."
                    ).format(expected=repr(expected), deadline=FULL_COMPLIANCE_BY_TEXT),
                )
            )
        else:
            out.append(
                (
                    _(
                        "ethnic group would be collected as {format}, not with the {standard} "
                        "categories."
                    ).format(format=repr(fmt), standard=nat.name),
                    _(
                        "use {expected}: the categories of {standard}, the country's census, so the "
                        "city's figures can be compared with it."
                    ).format(expected=repr(expected), standard=nat.name),
                )
            )
    fields = standard.get("fields")
    if fields is not None:
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            out.append((_("'fields' should be a list of field names."),
                        _('write it in square brackets, e.g. ["race_ethnicity", "age"].')))  # fmt: skip
        else:
            said = {f: canonical(f, DEMOGRAPHIC_FIELDS) for f in fields}
            unknown = [f for f, known in said.items() if known is None]
            if unknown:
                out.append(
                    (
                        _("'fields' has names that are not demographic fields: {names}.").format(
                            names=", ".join(unknown)
                        ),
                        _("use names from this list: {names}.").format(
                            names=", ".join(DEMOGRAPHIC_FIELDS)
                        ),
                    )
                )
            missing = [f for f in CORE_FIELDS if f not in said.values()]
            if missing:
                out.append(
                    (
                        _("the standard leaves out {fields}.").format(fields=", ".join(missing)),
                        _(
                            "the city's results are broken down by race and ethnicity, age, "
                            "disability and language: the standard must say how each is collected."
                        ),
                    )
                )
    options_of = conventions(nat)
    comparable_of = comparable(nat)
    for key in ("age", "disability", "language"):
        options = options_of[key]
        value = standard.get(key)
        if value is None:
            continue
        option = canonical(value, options)
        if option in comparable_of[key]:
            continue
        best = next(iter(options))
        known = _("is not one of the listed options") if option is None else _("is not comparable")
        also = (
            " " + _("A date of birth works too: the bands can be worked out from it.")
            if key == "age"
            else ""
        )
        who = (
            _("other cities and the Census count it that way.")
            if nat.id == SPD15.id
            else _("other cities count it that way.")
        )
        out.append(
            (
                _("'{key}' is {value}, which {known}.").format(
                    key=key, value=repr(value), known=known
                ),
                _("use {best} ({words}): {who}").format(
                    best=repr(best), words=options[best], who=who
                )
                + also,
            )
        )
    optional = standard.get("optional")
    if optional is not None and optional is not True:
        out.append(
            (
                _("answering would not be optional."),
                _(
                    "set optional to True: residents must always be able to decline, and 'prefer "
                    "not to say' is a valid answer. Services must never depend on it."
                ),
            )
        )
    if standard.get("when_collected") is not None and not _text(standard.get("when_collected")):
        out.append((_("'when_collected' should say in words when the questions are asked."),
                    _('e.g. "at enrollment, with a note on why the city asks".')))  # fmt: skip
    n = standard.get("small_numbers_threshold")
    if n is not None:
        if not isinstance(n, int) or isinstance(n, bool):
            out.append((_("'small_numbers_threshold' should be a whole number."),
                        _("write a number such as {n}.").format(n=city_threshold)))  # fmt: skip
        elif n < city_threshold:
            out.append(
                (
                    _(
                        "a threshold of {n} is looser than the city's rule, which hides counts "
                        "under {threshold}."
                    ).format(n=n, threshold=city_threshold),
                    _(
                        "use {threshold} or more: a standard may be stricter than the city's "
                        "rule, never looser."
                    ).format(threshold=city_threshold),
                )
            )
        elif n > 50:
            out.append((_("a threshold of {n} would hide most of the city's tables.").format(n=n),
                        _("thresholds in use run from 5 to 16; pick one in that range or a little above.")))  # fmt: skip
    access = standard.get("access")
    if access is not None:
        if not isinstance(access, Mapping) or not all(
            isinstance(k, str) and _text(v) for k, v in access.items()
        ):
            out.append((_("'access' should pair each role with what it may see, in words."),
                        _('e.g. {"public": "tables with small counts hidden", ...}.')))  # fmt: skip
        else:
            if "public" not in access:
                out.append((_("'access' does not say what the public may see."),
                            _('add a "public" entry, e.g. "tables with small counts hidden".')))  # fmt: skip
            if len(access) < 2:
                out.append((_("'access' names only one role."),
                            _("say what staff who run the service, and analysts, may see too.")))  # fmt: skip
    cadence = standard.get("review_cadence")
    if cadence is not None and canonical(cadence, REVIEW_CADENCES) is None:
        why = (
            _(
                "standards change (the federal race standard in 2024, guidance on gender in "
                "2025): review yours at least every two years."
            )
            if nat.id == SPD15.id
            else _("standards change: review yours at least every two years.")
        )
        out.append(
            (
                _(
                    "'review_cadence' is {cadence}; it must say one of {choices} (in any wording, "
                    "e.g. 'every 2 years')."
                ).format(cadence=repr(cadence), choices=", ".join(REVIEW_CADENCES)),
                why,
            )
        )
    if not _json_ok(standard):
        out.append((_("the standard holds values the strategy cannot save."),
                    _("use only text, whole numbers, True/False, lists and curly-bracket pairs.")))  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------------
# the publication plan and transparency targets
# --------------------------------------------------------------------------------------------------

_RANK = {f: i for i, f in enumerate(UPDATE_FREQUENCIES)}  # daily < weekly < ... < annually < ad_hoc


def frequency(value: object) -> str | None:
    """The update frequency a plan's wording says ("Monthly", "every month" -> "monthly")."""
    return canonical(value, UPDATE_FREQUENCIES)


def candidates(inventory: pd.DataFrame) -> list[str]:
    """Datasets not yet published openly: the ones a publication plan can choose from."""
    if inventory.empty:
        return []
    return sorted(inventory.loc[~inventory["published_openly"].astype(bool), "dataset_id"])


def plan_problems(plan: object, inventory: pd.DataFrame) -> list[Problem]:
    """What is wrong with a publication plan (empty list: nothing)."""
    if not isinstance(plan, list) or not all(isinstance(p, Mapping) for p in plan):
        return [(_("the plan should be a list of entries in curly brackets."),
                 _('write [{"dataset_id": "DS003", "year": 1, "frequency": "monthly", '
                   '"aggregated": False}, ...].'))]  # fmt: skip
    if not plan:
        return [(_("the plan is empty."), _("choose at least one unpublished dataset for year 1."))]
    out: list[Problem] = []
    rows = inventory.set_index("dataset_id") if len(inventory) else inventory
    known = set(rows.index) if len(inventory) else set()
    ids = [str(p.get("dataset_id")) for p in plan]
    bad_keys = [i for i, p in enumerate(plan, start=1) if set(p) != set(PLAN_KEYS)]
    if bad_keys:
        out.append(
            (
                _("entries {entries} do not have exactly the four parts.").format(
                    entries=", ".join(map(str, bad_keys))
                ),
                _("each entry needs {keys}.").format(keys=", ".join(PLAN_KEYS)),
            )
        )
    unknown = [d for d in ids if d not in known]
    if unknown:
        out.append((_("{ids} is not in the data inventory.").format(ids=", ".join(unknown)),
                    _("copy dataset ids exactly as the candidate table lists them.")))  # fmt: skip
    dupes = sorted({d for d in ids if ids.count(d) > 1})
    if dupes:
        out.append((_("{ids} appears more than once.").format(ids=", ".join(dupes)),
                    _("plan each dataset once, in the year it first goes online.")))  # fmt: skip
    already = [d for d in ids if d in known and bool(rows.loc[d, "published_openly"])]
    if already:
        out.append((_("{ids} is already published.").format(ids=", ".join(already)),
                    _("choose datasets that are not on the portal yet.")))  # fmt: skip
    bad_year = [d for d, p in zip(ids, plan, strict=True) if p.get("year") not in (1, 2, 3)
                or isinstance(p.get("year"), bool)]  # fmt: skip
    if bad_year:
        out.append((_("the year of {ids} is not 1, 2 or 3.").format(ids=", ".join(bad_year)),
                    _("write the year of the plan as a whole number: 1, 2 or 3.")))  # fmt: skip
    freqs = [frequency(p.get("frequency")) for p in plan]
    bad_freq = [d for d, f in zip(ids, freqs, strict=True) if f is None]
    if bad_freq:
        out.append(
            (
                _("the frequency of {ids} is not one the inventory uses.").format(
                    ids=", ".join(bad_freq)
                ),
                _("use one of {choices}.").format(choices=", ".join(UPDATE_FREQUENCIES)),
            )
        )
    too_often, no_rhythm = [], []
    for d, freq in zip(ids, freqs, strict=True):
        if d not in known or freq is None:
            continue
        updated = str(rows.loc[d, "update_frequency"])
        if freq == "ad_hoc" and updated != "ad_hoc":
            no_rhythm.append(d)
        elif updated == "ad_hoc":
            continue  # data changed now and then may be published when it changes, or once a year
        elif _RANK[freq] < _RANK[updated]:
            too_often.append(d)
    if too_often:
        out.append((_("{ids} would be published more often than it is updated.").format(
                        ids=", ".join(too_often)),
                    _("publish at most as often as the department updates the data.")))  # fmt: skip
    if no_rhythm:
        out.append((_("{ids} would be published 'ad_hoc', with no promised rhythm.").format(
                        ids=", ".join(no_rhythm)),
                    _("promise a rhythm residents can count on, e.g. its update frequency.")))  # fmt: skip
    personal = [
        d for d, p in zip(ids, plan, strict=True)
        if d in known and bool(rows.loc[d, "contains_personal_data"]) and p.get("aggregated") is not True
    ]  # fmt: skip
    if personal:
        out.append(
            (
                _("{ids} holds data about people and would be published as records.").format(
                    ids=", ".join(personal)
                ),
                _(
                    "set aggregated to True: publish counts by group or area, with small counts "
                    "hidden."
                ),
            )
        )
    not_bool = [
        d for d, p in zip(ids, plan, strict=True) if not isinstance(p.get("aggregated"), bool)
    ]
    if not_bool:
        out.append((_("'aggregated' for {ids} is not True or False.").format(
                        ids=", ".join(not_bool)),
                    _("write True or False, without quotes.")))  # fmt: skip
    years = {p.get("year") for p in plan}
    if len(candidates(inventory)) >= 3 and not {1, 2, 3} <= years:
        missing = sorted({1, 2, 3} - years)
        out.append(
            (
                _("nothing is planned for year {years}.").format(
                    years=", ".join(map(str, missing))
                ),
                _("spread the work: publish something every year, so the portal keeps growing."),
            )
        )
    if not _json_ok(plan):
        out.append((_("the plan holds values the strategy cannot save."),
                    _("use only text, whole numbers and True/False.")))  # fmt: skip
    return out


def projected_published(
    inventory: pd.DataFrame, plan: Sequence[Mapping[str, Any]]
) -> dict[int, float]:
    """Share of datasets published at the end of each year (0 = today) if the plan is carried out."""
    if inventory.empty:
        return {y: 0.0 for y in range(4)}
    published = set(inventory.loc[inventory["published_openly"].astype(bool), "dataset_id"])
    known = set(inventory["dataset_id"])
    out = {0: round(len(published) / len(inventory), 3)}
    for year in (1, 2, 3):
        published |= {
            str(p.get("dataset_id"))
            for p in plan
            if isinstance(p, Mapping) and p.get("year") == year and p.get("dataset_id") in known
        }
        out[year] = round(len(published) / len(inventory), 3)
    return out


def target_problems(
    targets: object, inventory: pd.DataFrame, plan: Sequence[Mapping[str, Any]]
) -> list[Problem]:
    """What is wrong with transparency targets, given the inventory today and the plan."""
    if not isinstance(targets, Mapping) or set(targets) != set(TARGET_KEYS):
        return [(_("the targets should keep exactly three parts: published, documented and fresh."),
                 _("undo your change to the structure and fill in the three shares."))]  # fmt: skip
    out: list[Problem] = []
    numbers = {}
    for key in TARGET_KEYS:
        v = targets[key]
        if not isinstance(v, int | float) or isinstance(v, bool) or v != v:
            out.append((_("the '{key}' target is not a number.").format(key=key),
                        _("write a share such as 0.6.")))  # fmt: skip
        elif 1 < v <= 100:
            out.append((_("the '{key}' target {value} looks like a percentage.").format(
                            key=key, value=f"{v:g}"),
                        _("divide by 100: write {share}.").format(share=f"{v / 100:g}")))  # fmt: skip
        elif not 0 <= v <= 1:
            out.append((_("the '{key}' target {value} is not a share.").format(
                            key=key, value=f"{v:g}"),
                        _("a share is between 0 and 1.")))  # fmt: skip
        else:
            numbers[key] = float(v)
    if out:
        return out
    today = inventory_metrics(inventory)
    reach = projected_published(inventory, plan if isinstance(plan, list) else [])[3]
    for key in TARGET_KEYS:
        now = float(getattr(today, key))
        if numbers[key] < now - 0.0005:
            out.append((_("the '{key}' target {value} is below today's {now}.").format(
                            key=key, value=f"{numbers[key]:g}", now=f"{now:g}"),
                        _("a target should keep what the city has and add to it.")))  # fmt: skip
        elif numbers[key] <= now + 0.0005 and now < 1 - 0.0005:
            out.append((_("the '{key}' target {value} is the same as today's {now}.").format(
                            key=key, value=f"{numbers[key]:g}", now=f"{now:g}"),
                        _("aim above today's share: name the datasets that will get there.")))  # fmt: skip
    if numbers["published"] > reach + 0.0005:
        out.append(
            (
                _(
                    "a published share of {value} is not reachable: your plan takes the city to "
                    "{reach}."
                ).format(value=f"{numbers['published']:g}", reach=f"{reach:g}"),
                _("lower the target to what the plan delivers, or add datasets to the plan."),
            )
        )
    if numbers["documented"] < numbers["published"]:
        out.append(
            (
                _("the documented target is lower than the published target."),
                _(
                    "every dataset you publish needs a data dictionary: aim to document at least "
                    "as many datasets as you publish."
                ),
            )
        )
    return out

"""SPD 15 (2024): categories, the mapper from the 1997 two-question format, and a dataset checker.

Mapping rules from the 1997 two-question format (a Hispanic-origin question, then a race question
with one or more races) to the 2024 combined question. Each rule is numbered; the code cites it.

R1  Hispanic origin "yes" selects HISPANIC. The races reported are *also* selected: Hispanic + White
    becomes HISPANIC and WHITE (the combined question lets people select both; dropping the race
    would lose what they told us).
R2  Every race reported is kept; several races give several codes (multiple selections are allowed).
    :func:`reporting_code` collapses a person's codes to one per row: the code itself, or MULTIPLE.
R3  MENA cannot be recovered. Under the 1997 standard people of Middle Eastern or North African
    origin were told to report White, so a WHITE from 1997 data may be MENA. The mapper keeps WHITE
    and flags ``mena_not_recoverable``; counts of MENA from such data are unknown, not zero.
R4  "Some other race" has no SPD 15 category. With Hispanic origin "yes" it is dropped (in practice
    it is mostly Hispanic respondents whose identity the 1997 race list lacked; HISPANIC already
    records it). Without Hispanic origin it is dropped if another race was reported, and otherwise
    the person is left uncoded; both are flagged (``some_other_race``) because only the write-in
    text could code it (e.g. to MENA).
R5  Hispanic origin missing: the races are mapped as they are and ``hispanic_origin_missing`` is
    flagged (the person may also be Hispanic). Nothing reported at all gives no codes and
    ``no_response``.
R6  Answers are matched without regard to case, spaces or punctuation; the 1997 labels, the short
    codes and common variants ("Black", "African American", "Pacific Islander") are accepted.
    Anything else raises ValueError naming the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cohort_tools.core.errors import CdaError
from cohort_tools.policy.standards.spd15_data import (
    EFFECTIVE,  # noqa: F401  (re-exported)
    FULL_COMPLIANCE_BY,  # noqa: F401  (re-exported)
    FULL_COMPLIANCE_BY_TEXT,
    MINIMUM_CATEGORIES,
    MULTIPLE_CODE,
)

MINIMUM_CODES: tuple[str, ...] = tuple(MINIMUM_CATEGORIES)
SOME_OTHER_RACE = "SOME_OTHER_RACE"

MENA_NOT_RECOVERABLE = "mena_not_recoverable"
SOME_OTHER_RACE_FLAG = "some_other_race"
HISPANIC_ORIGIN_MISSING = "hispanic_origin_missing"
NO_RESPONSE = "no_response"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    detailed_examples: tuple[str, ...]
    new_in_2024: bool


def load_spd15() -> dict[str, Category]:
    """The seven SPD 15 (2024) minimum categories, with detailed examples (source: SOURCE_URL)."""
    return {
        code: Category(code, label, examples, new)
        for code, (label, examples, new) in MINIMUM_CATEGORIES.items()
    }


# --------------------------------------------------------------------------------------------------
# the mapper
# --------------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


# R6: the 1997 race labels, the short codes and common variants.
_RACE_1997: dict[str, str] = {
    _key(k): v
    for k, v in {
        "AIAN": "AIAN",
        "American Indian or Alaska Native": "AIAN",
        "American Indian": "AIAN",
        "Alaska Native": "AIAN",
        "Native American": "AIAN",
        "ASIAN": "ASIAN",
        "BLACK": "BLACK",
        "Black or African American": "BLACK",
        "African American": "BLACK",
        "NHPI": "NHPI",
        "Native Hawaiian or Other Pacific Islander": "NHPI",
        "Native Hawaiian or Pacific Islander": "NHPI",
        "Native Hawaiian": "NHPI",
        "Pacific Islander": "NHPI",
        "WHITE": "WHITE",
        "Some other race": SOME_OTHER_RACE,
        "Other": SOME_OTHER_RACE,
        "SOME_OTHER_RACE": SOME_OTHER_RACE,
        "SOR": SOME_OTHER_RACE,
    }.items()
}
_YES = {"yes", "y", "true", "1", "hispanic", "hispanic or latino", "latino", "latina", "latinx"}
_NO = {"no", "n", "false", "0", "not hispanic", "not hispanic or latino", "non hispanic"}


@dataclass(frozen=True)
class MappedResponse:
    """One person's answer in the combined format: SPD 15 codes (sorted) and flags to report."""

    codes: tuple[str, ...]
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def reporting_code(self) -> str | None:
        return reporting_code(self.codes)


def _hispanic(value: bool | str | None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = _key(str(value))
    if text == "" or text in {"unknown", "refused", "not reported", "nan", "none"}:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(
        f"Hispanic origin answer '{value}' is not understood; use yes/no (or leave it blank)."
    )


def map_two_question(
    hispanic: bool | str | None, races: Iterable[str] | str | None
) -> MappedResponse:
    """Map a 1997 two-question answer to SPD 15 (2024) codes, following rules R1-R6 above.

    ``races`` is a list of race answers, or one string with answers separated by ';' or ','.
    """
    if races is None:
        items: list[str] = []
    elif isinstance(races, str):
        items = [r for r in re.split(r"[;,]", races) if r.strip()]
    else:
        items = [r for r in races if r is not None and str(r).strip()]
    reported: list[str] = []
    for item in items:
        code = _RACE_1997.get(_key(str(item)))  # R6
        if code is None:
            raise ValueError(
                f"race answer '{item}' is not a 1997 race category; use one of American Indian or "
                "Alaska Native, Asian, Black or African American, Native Hawaiian or Other Pacific "
                "Islander, White, Some other race."
            )
        if code not in reported:
            reported.append(code)
    origin = _hispanic(hispanic)
    codes: set[str] = set()
    flags: list[str] = []
    if origin is True:
        codes.add("HISPANIC")  # R1
    codes.update(c for c in reported if c != SOME_OTHER_RACE)  # R1, R2
    if SOME_OTHER_RACE in reported and origin is not True:
        flags.append(SOME_OTHER_RACE_FLAG)  # R4 (with Hispanic yes it is silently covered)
    if "WHITE" in codes:
        flags.append(MENA_NOT_RECOVERABLE)  # R3
    if origin is None and reported:
        flags.append(HISPANIC_ORIGIN_MISSING)  # R5
    if origin is None and not reported:
        flags.append(NO_RESPONSE)  # R5
    return MappedResponse(tuple(sorted(codes)), tuple(flags))


def reporting_code(codes: Iterable[str]) -> str | None:
    """One code per person for tables: the single code, MULTIPLE for several, None for none."""
    unique = sorted(set(codes))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else MULTIPLE_CODE


def map_two_question_frame(
    frame: pd.DataFrame, *, hispanic_col: str, race_col: str
) -> pd.DataFrame:
    """Map a table of 1997 answers; adds ``spd15_codes`` (';'-joined), ``spd15`` and ``flags``."""
    mapped = [
        map_two_question(h, r if isinstance(r, str) else None)
        for h, r in zip(frame[hispanic_col], frame[race_col], strict=True)
    ]
    out = frame.copy()
    out["spd15_codes"] = [";".join(m.codes) for m in mapped]
    out["spd15"] = [m.reporting_code for m in mapped]
    out["flags"] = [";".join(m.flags) for m in mapped]
    return out


# --------------------------------------------------------------------------------------------------
# the inventory checker
# --------------------------------------------------------------------------------------------------

MEETS = "meets"
PARTLY = "partly meets"
MISSES = "misses"
NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class DatasetVerdict:
    dataset_id: str
    dataset: str
    verdict: str  # meets | partly meets | misses | not applicable
    reasons: tuple[str, ...]


def _fields(value: object) -> set[str]:
    if not isinstance(value, str):
        return set()
    return {p.strip() for p in value.split(";") if p.strip()}


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "y", "1"}
    return bool(value) if value is not None and not pd.isna(value) else False


def assess_dataset(row: dict[str, object]) -> DatasetVerdict:
    """Judge one data_inventory row against SPD 15 (2024)."""
    fmt = str(row.get("race_ethnicity_format") or "none").strip()
    fields = _fields(row.get("demographic_fields"))
    about_people = _truthy(row.get("contains_personal_data")) or bool(fields)
    has_race = "race_ethnicity" in fields
    deadline = (
        f"switch to the combined question before full compliance on {FULL_COMPLIANCE_BY_TEXT}"
    )
    reasons: list[str] = []
    if fmt == "spd15_2024_combined":
        verdict = MEETS
        reasons.append(
            "uses the 2024 combined race/ethnicity question with multiple selections; confirm the "
            "detailed categories are collected (required by default)"
        )
        if not has_race:
            verdict = PARTLY
            reasons.append("race_ethnicity is missing from demographic_fields: the entry disagrees")
    elif fmt == "two_question_1997":
        verdict = PARTLY
        reasons.append(
            "1997 two-question format: maps to the combined categories (see map_two_question), "
            f"but MENA cannot be recovered (MENA people were coded White); {deadline}"
        )
        if not has_race:
            reasons.append("race_ethnicity is missing from demographic_fields: the entry disagrees")
    elif fmt == "custom":
        verdict = PARTLY
        reasons.append(
            "custom list: check it can be mapped to the seven minimum categories, includes MENA and "
            f"allows more than one selection; {deadline}"
        )
    elif has_race:
        verdict = MISSES
        reasons.append(
            "demographic_fields lists race_ethnicity but race_ethnicity_format is none: say how it "
            "is collected"
        )
    elif about_people:
        verdict = MISSES
        reasons.append(
            "holds data about people but collects no race/ethnicity, so outcomes cannot be "
            "disaggregated; add the combined question where the data is used for decisions about "
            "people"
        )
    else:
        verdict = NOT_APPLICABLE
        reasons.append("holds no data about people")
    return DatasetVerdict(
        dataset_id=str(row.get("dataset_id", "")),
        dataset=str(row.get("dataset", "")),
        verdict=verdict,
        reasons=tuple(reasons),
    )


def assess_inventory(inventory: pd.DataFrame) -> list[DatasetVerdict]:
    """Verdict for every dataset in a data_inventory table."""
    return [assess_dataset(row) for row in inventory.to_dict(orient="records")]


def check_city_standard(city_dir: Path) -> list[DatasetVerdict]:
    """Verdict for every dataset in a city folder's data_inventory (CSV, Excel or Parquet)."""
    folder = Path(city_dir)
    for suffix, reader in ((".csv", pd.read_csv), (".parquet", pd.read_parquet),
                           (".xlsx", pd.read_excel)):  # fmt: skip
        path = folder / f"data_inventory{suffix}"
        if path.exists():
            frame = reader(path, dtype=str) if suffix != ".parquet" else reader(path)
            return assess_inventory(frame)
    raise CdaError.single(
        folder / "data_inventory.csv",
        "the city has no data_inventory table, so the standard cannot be checked.",
        "add data_inventory.csv (see the data dictionary), or generate a demo city to copy from.",
    )


def summary(verdicts: Iterable[DatasetVerdict]) -> dict[str, int]:
    """How many datasets meet, partly meet, miss, or are not applicable."""
    out = {MEETS: 0, PARTLY: 0, MISSES: 0, NOT_APPLICABLE: 0}
    for v in verdicts:
        out[v.verdict] += 1
    return out

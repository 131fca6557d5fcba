"""The dataset checker for any country's standard: a data_inventory row against the city's own
demographic data standard (:mod:`.national`). US cities get exactly the SPD 15 verdicts of
:func:`cohort_tools.policy.standards.spd15.assess_dataset`; other countries get the same four
verdicts with reasons that name their standard."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import _
from cohort_tools.policy.standards import spd15
from cohort_tools.policy.standards.national import SPD15, NationalStandard, standard_for
from cohort_tools.policy.standards.spd15 import (
    MEETS,
    MISSES,
    NOT_APPLICABLE,
    PARTLY,
    DatasetVerdict,
    _fields,
    _truthy,
)


def assess_dataset(row: dict[str, object], standard: NationalStandard = SPD15) -> DatasetVerdict:
    """Judge one data_inventory row against ``standard`` (SPD 15 by default)."""
    if standard.id == SPD15.id:
        return spd15.assess_dataset(row)
    fmt = str(row.get("race_ethnicity_format") or "none").strip()
    fields = _fields(row.get("demographic_fields"))
    about_people = _truthy(row.get("contains_personal_data")) or bool(fields)
    has_race = "race_ethnicity" in fields
    name = standard.name
    reasons: list[str] = []
    if fmt == standard.format_code:
        verdict = MEETS
        reasons.append(
            _("uses the {standard} categories, as the national census asks them").format(
                standard=name
            )
        )
        if not has_race:
            verdict = PARTLY
            reasons.append(
                _("race_ethnicity is missing from demographic_fields: the entry disagrees")
            )
    elif fmt == "none":
        if has_race:
            verdict = MISSES
            reasons.append(
                _(
                    "demographic_fields lists race_ethnicity but race_ethnicity_format is none: "
                    "say how it is collected"
                )
            )
        elif about_people:
            verdict = MISSES
            reasons.append(
                _(
                    "holds data about people but does not ask about ethnic group, so outcomes "
                    "cannot be broken down; add the {standard} question where the data is used for "
                    "decisions about people"
                ).format(standard=name)
            )
        else:
            verdict = NOT_APPLICABLE
            reasons.append(_("holds no data about people"))
    else:
        verdict = PARTLY
        reasons.append(
            _(
                "its own list ({format}): check that every answer can be mapped to one {standard} "
                "category, with 'none' as an answer; then switch to the {standard} categories"
            ).format(format=fmt, standard=name)
        )
        if not has_race:
            reasons.append(
                _("race_ethnicity is missing from demographic_fields: the entry disagrees")
            )
    return DatasetVerdict(
        dataset_id=str(row.get("dataset_id", "")),
        dataset=str(row.get("dataset", "")),
        verdict=verdict,
        reasons=tuple(reasons),
    )


def assess_inventory(
    inventory: pd.DataFrame, standard: NationalStandard = SPD15
) -> list[DatasetVerdict]:
    """Verdict for every dataset in a data_inventory table, against ``standard``."""
    return [assess_dataset(row, standard) for row in inventory.to_dict(orient="records")]


def city_country(city_dir: Path) -> str | None:
    """The ``country`` in a city folder's city.yaml (None when it has none or cannot be read)."""
    path = Path(city_dir) / "city.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    value = doc.get("country") if isinstance(doc, dict) else None
    return str(value) if value else None


def check_city_standard(
    city_dir: Path, standard: NationalStandard | None = None
) -> list[DatasetVerdict]:
    """Verdict for every dataset in a city folder's data_inventory (CSV, Excel or Parquet), against
    the standard of the city's country (city.yaml ``country``) unless ``standard`` is given."""
    folder = Path(city_dir)
    chosen = standard or standard_for(city_country(folder))
    for suffix, reader in ((".csv", pd.read_csv), (".parquet", pd.read_parquet),
                           (".xlsx", pd.read_excel)):  # fmt: skip
        path = folder / f"data_inventory{suffix}"
        if path.exists():
            frame = reader(path, dtype=str) if suffix != ".parquet" else reader(path)
            return assess_inventory(frame, chosen)
    raise CdaError.single(
        folder / "data_inventory.csv",
        "the city has no data_inventory table, so the standard cannot be checked.",
        "add data_inventory.csv (see the data dictionary), or generate a demo city to copy from.",
    )


def summary(verdicts: Iterable[DatasetVerdict]) -> dict[str, int]:
    """How many datasets meet, partly meet, miss, or are not applicable."""
    return spd15.summary(verdicts)

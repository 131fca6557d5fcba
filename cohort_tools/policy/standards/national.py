"""Each country's demographic data standard, as data: a city's standard is chosen by its country.

``STANDARDS`` is the registry (ISO 3166-1 country code -> :class:`NationalStandard`): the United States
uses SPD 15 (2024), Colombia DANE's CNPV 2018 ethnic self-recognition categories. Both use the
Washington Group short set for disability. Adding a country is adding one entry (and its categories
as a data module beside this one); :func:`standard_for` names the known countries when one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cohort_tools.policy.standards import dane2018_data, spd15_data
from cohort_tools.policy.standards.spd15 import Category


@dataclass(frozen=True)
class NationalStandard:
    """A country's standard for the race/ethnicity (or ethnic group) dimension of city data."""

    id: str  # also the data_inventory race_ethnicity_format value that meets it
    country: str
    name: str  # short, as people cite it
    title: str  # what it is, in the standard's own language
    source_url: str
    references: tuple[str, ...]  # ids in curriculum/references.yaml
    categories: dict[str, Category]
    #: Codes a table may hold: the categories plus reporting codes (MULTIPLE, NO_INFORMA).
    reporting_codes: tuple[str, ...]
    multiple_selections: bool | None  # None: not verified
    #: ids in curriculum/facts.yaml a lesson shows about the standard (dates, the categories)
    facts: tuple[str, ...] = ()
    disability: str = "washington_group_short_set"

    @property
    def format_code(self) -> str:
        """The ``race_ethnicity_format`` of a dataset that follows this standard."""
        return self.id

    def labels(self) -> dict[str, str]:
        """Reporting code -> label (reporting codes that are not categories keep a plain label)."""
        out = {code: c.label for code, c in self.categories.items()}
        for code in self.reporting_codes:
            out.setdefault(code, _EXTRA_LABELS.get(code, code))
        return out


_EXTRA_LABELS = {
    spd15_data.MULTIPLE_CODE: "More than one category",
    dane2018_data.NOT_REPORTED_CODE: dane2018_data.NOT_REPORTED_LABEL,
}


def _categories(data: dict[str, tuple[str, tuple[str, ...], bool]]) -> dict[str, Category]:
    return {code: Category(code, label, ex, new) for code, (label, ex, new) in data.items()}


SPD15 = NationalStandard(
    id="spd15_2024_combined",
    country="US",
    name="SPD 15 (2024)",
    title="OMB Statistical Policy Directive No. 15 (2024 revision): race and ethnicity",
    source_url=spd15_data.SOURCE_URL,
    references=("spd15-revision-site", "omb-spd15-2024"),
    categories=_categories(spd15_data.MINIMUM_CATEGORIES),
    reporting_codes=(*spd15_data.MINIMUM_CATEGORIES, spd15_data.MULTIPLE_CODE),
    multiple_selections=spd15_data.MULTIPLE_SELECTIONS_ALLOWED,
    facts=("spd15-compliance",),
)

DANE_2018 = NationalStandard(
    id="dane_cnpv_2018",
    country="CO",
    name="DANE CNPV 2018",
    title="Censo Nacional de Población y Vivienda 2018: autorreconocimiento étnico",
    source_url=dane2018_data.SOURCE_URL,
    references=dane2018_data.REFERENCES,
    categories=_categories(dane2018_data.CATEGORIES),
    reporting_codes=(*dane2018_data.CATEGORIES, dane2018_data.NOT_REPORTED_CODE),
    multiple_selections=dane2018_data.MULTIPLE_SELECTIONS_ALLOWED,
    facts=("dane-cnpv-2018-ethnic-groups",),
)

#: Country (ISO 3166-1 alpha-2) -> its standard.
STANDARDS: dict[str, NationalStandard] = {s.country: s for s in (SPD15, DANE_2018)}
#: Standard id -> standard.
BY_ID: dict[str, NationalStandard] = {s.id: s for s in STANDARDS.values()}


class UnknownCountryStandard(ValueError):
    """No demographic data standard is registered for a country."""


def standard_for(country: str | None) -> NationalStandard:
    """The demographic data standard of ``country`` (US -> SPD 15, CO -> DANE 2018).

    ``None`` (a city folder without a country) is the US, as before countries were data. An unknown
    country raises :class:`UnknownCountryStandard` naming it and the choices.
    """
    code = (country or "US").strip().upper()
    try:
        return STANDARDS[code]
    except KeyError:
        choices = ", ".join(f"{c} ({s.name})" for c, s in STANDARDS.items())
        raise UnknownCountryStandard(
            f"no demographic data standard is registered for country '{country}'; "
            f"known countries: {choices}. Add one to cohort_tools/policy/standards/national.py."
        ) from None


def all_reporting_codes() -> tuple[str, ...]:
    """Every code any registered standard allows, US first (for the static schema)."""
    out: list[str] = []
    for s in STANDARDS.values():
        out += [c for c in s.reporting_codes if c not in out]
    return tuple(out)

"""Demographic data standards as data, one per country (:mod:`.national`): SPD 15 (2024) for the US,
DANE CNPV 2018 for Colombia; the two-question mapper (SPD 15) and the dataset checker
(:mod:`.checker`)."""

from cohort_tools.policy.standards.checker import assess_inventory, check_city_standard
from cohort_tools.policy.standards.national import (
    DANE_2018,
    SPD15,
    STANDARDS,
    NationalStandard,
    UnknownCountryStandard,
    standard_for,
)
from cohort_tools.policy.standards.spd15 import (
    MINIMUM_CODES,
    Category,
    DatasetVerdict,
    MappedResponse,
    load_spd15,
    map_two_question,
    reporting_code,
)
from cohort_tools.policy.standards.spd15_data import SOURCE_URL

__all__ = [
    "DANE_2018",
    "MINIMUM_CODES",
    "SOURCE_URL",
    "SPD15",
    "STANDARDS",
    "Category",
    "DatasetVerdict",
    "MappedResponse",
    "NationalStandard",
    "UnknownCountryStandard",
    "assess_inventory",
    "check_city_standard",
    "load_spd15",
    "map_two_question",
    "reporting_code",
    "standard_for",
]

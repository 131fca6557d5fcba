"""Demographic data standards: SPD 15 (2024) race and ethnicity categories, as data and checks."""

from cohort_tools.policy.standards.spd15 import (
    MINIMUM_CODES,
    Category,
    DatasetVerdict,
    MappedResponse,
    assess_inventory,
    check_city_standard,
    load_spd15,
    map_two_question,
    reporting_code,
)
from cohort_tools.policy.standards.spd15_data import SOURCE_URL

__all__ = [
    "MINIMUM_CODES",
    "SOURCE_URL",
    "Category",
    "DatasetVerdict",
    "MappedResponse",
    "assess_inventory",
    "check_city_standard",
    "load_spd15",
    "map_two_question",
    "reporting_code",
]

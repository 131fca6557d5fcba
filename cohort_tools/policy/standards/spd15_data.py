"""OMB SPD 15 (2024 revision) race and ethnicity categories, as data.

Statistical Policy Directive No. 15, revised 2024: effective 2024-03-28, full compliance by
2029-03-28. One combined race/ethnicity question; respondents may select more than one category;
detailed categories are collected by default. The detailed examples are those the standard's
question format lists, not an exhaustive code list. Kept as a Python data file (not YAML) so it
ships inside the package with no package-data configuration.
"""

from __future__ import annotations

SOURCE_URL = "https://spd15revision.gov/content/spd15revision/en/2024-spd15.html"
EFFECTIVE = "2024-03-28"
FULL_COMPLIANCE_BY = "2029-03-28"
MULTIPLE_SELECTIONS_ALLOWED = True

#: code -> (label, detailed examples, new in 2024)
MINIMUM_CATEGORIES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    # AIAN: the standard asks for the enrolled or affiliated tribe as a write-in
    "AIAN": ("American Indian or Alaska Native", (), False),
    "ASIAN": (
        "Asian",
        ("Chinese", "Asian Indian", "Filipino", "Vietnamese", "Korean", "Japanese"),
        False,
    ),
    "BLACK": (
        "Black or African American",
        ("African American", "Jamaican", "Haitian", "Nigerian", "Ethiopian", "Somali"),
        False,
    ),
    "HISPANIC": (
        "Hispanic or Latino",
        ("Mexican", "Puerto Rican", "Salvadoran", "Cuban", "Dominican", "Guatemalan"),
        False,
    ),
    "MENA": (
        "Middle Eastern or North African",
        ("Lebanese", "Iranian", "Egyptian", "Syrian", "Iraqi", "Israeli"),
        True,
    ),
    "NHPI": (
        "Native Hawaiian or Pacific Islander",
        ("Native Hawaiian", "Samoan", "Chamorro", "Tongan", "Fijian", "Marshallese"),
        False,
    ),
    "WHITE": ("White", ("English", "German", "Irish", "Italian", "Polish", "Scottish"), False),
}

#: This project's reporting code (not an SPD 15 category) for a person who selected more than one
#: minimum category, when a table needs one row per person.
MULTIPLE_CODE = "MULTIPLE"

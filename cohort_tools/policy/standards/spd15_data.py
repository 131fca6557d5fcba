"""OMB SPD 15 (2024 revision) race and ethnicity categories, as data.

Statistical Policy Directive No. 15, revised 2024. One combined race/ethnicity question;
respondents may select more than one category; detailed categories are collected by default. The
detailed examples are those the standard's question format lists, not an exhaustive code list. The
categories are kept as a Python data file so they ship inside the package.

The dates can change (OMB extended the compliance date in 2025), so they are not written here: they
come from the facts file, ``curriculum/facts.yaml`` (facts ``spd15-effective`` and
``spd15-compliance``), read through :func:`cohort_tools.policy.facts.fact`.
"""

from __future__ import annotations

from cohort_tools.policy.facts import fact

SOURCE_URL = "https://spd15revision.gov/content/spd15revision/en/2024-spd15.html"
#: ISO dates (YYYY-MM-DD), from curriculum/facts.yaml.
EFFECTIVE = str(fact("spd15-effective").value)
FULL_COMPLIANCE_BY = str(fact("spd15-compliance").value)
#: The same date as US English text ("September 28, 2029"), for messages people read.
FULL_COMPLIANCE_BY_TEXT = fact("spd15-compliance").shown_value
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

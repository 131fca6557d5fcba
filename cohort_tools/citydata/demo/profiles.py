"""The demo cities as data: sizes, the embedded cohort's cities, and the invented reference lists.

Everything here is plain data (no code runs): :mod:`.tables` turns it into a city's tables. Every name
is invented or generic; see :mod:`cohort_tools.citydata.demo` for the stories the data tells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from cohort_tools.core.paths import DEMO_DIR
from cohort_tools.policy.standards.national import DANE_2018

from . import profiles_co

#: The sizes ``cda data demo --size`` offers.
DemoSize = Literal["small", "medium", "large"]

YEAR = 2025
AS_OF = dt.datetime(2026, 1, 15, 9, 0, 0)
DEMO_CITIES_DIR = DEMO_DIR / "cities"


# --------------------------------------------------------------------------------------------------
# profiles
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How big a generated city is and what its city.yaml says."""

    population: int
    neighbourhoods: int
    requests: int  # service requests over the months generated
    months: int = 12  # months of service requests, counted back from December
    survey_respondents: int = 400
    datasets: int = 30
    name: str | None = None  # None: invent one from the seed
    state: str | None = "IL"
    timezone: str = "America/Chicago"
    chunk_rows: int = 300_000
    country: str = "US"  # picks the reference lists (REFERENCES) and the demographic standard


SIZES: dict[DemoSize, Profile] = {
    "small": Profile(population=60_000, neighbourhoods=12, requests=21_000, survey_respondents=320),
    "medium": Profile(
        population=250_000, neighbourhoods=40, requests=90_000, survey_respondents=900, datasets=45
    ),
    "large": Profile(
        population=8_400_000,
        neighbourhoods=2_000,
        requests=3_000_000,
        survey_respondents=6_000,
        datasets=60,
    ),
}

#: The embedded demo cohort's cities (see cohort_tools/demo_cohort/cohort.yaml). Request counts are kept
#: down (and the window shorter for the bigger cities) so the four folders stay under 7 MB.
DEMO_COHORT_CITIES: dict[str, tuple[int, Profile]] = {
    "riverton": (
        101,
        Profile(
            population=64_200,
            neighbourhoods=14,
            requests=16_000,
            survey_respondents=340,
            name="Riverton",
            state="OH",
            timezone="America/New_York",
        ),
    ),
    "cedar-bend": (
        202,
        Profile(
            population=182_500,
            neighbourhoods=28,
            requests=24_000,
            months=6,
            survey_respondents=620,
            datasets=38,
            name="Cedar Bend",
            state="MN",
            timezone="America/Chicago",
        ),
    ),
    "port-alder": (
        303,
        Profile(
            population=415_000,
            neighbourhoods=48,
            requests=30_000,
            months=3,
            survey_respondents=900,
            datasets=45,
            name="Port Alder",
            state="WA",
            timezone="America/Los_Angeles",
        ),
    ),
    "puerto-arrayan": (
        404,
        Profile(
            population=310_000,
            neighbourhoods=30,
            requests=20_000,
            months=3,
            survey_respondents=560,
            datasets=40,
            name="Puerto Arrayán",
            state=None,
            timezone="America/Bogota",
            country="CO",
        ),
    ),
}


# --------------------------------------------------------------------------------------------------
# reference lists (all invented or generic)
# --------------------------------------------------------------------------------------------------

# id, name, share of city staff, budget per head (USD), data roles per 100 staff
DEPARTMENTS: list[tuple[str, str, float, float, float]] = [
    ("PW", "Public Works", 0.14, 145_000, 0.6),
    ("TRN", "Transportation", 0.08, 160_000, 1.0),
    ("SAN", "Sanitation", 0.12, 110_000, 0.3),
    ("WS", "Water and Sewer", 0.09, 210_000, 0.8),
    ("PRK", "Parks and Recreation", 0.08, 95_000, 0.4),
    ("PH", "Public Health", 0.07, 130_000, 2.2),
    ("HCD", "Housing and Community Development", 0.05, 150_000, 0.0),
    ("CE", "Code Enforcement", 0.04, 105_000, 0.5),
    ("LIB", "Libraries", 0.05, 80_000, 0.3),
    ("CS", "311 Customer Service", 0.03, 75_000, 2.5),
    ("FIN", "Finance", 0.04, 120_000, 4.0),
    ("HR", "Human Resources", 0.02, 110_000, 1.5),
    ("IT", "Information Technology", 0.04, 180_000, 9.0),
    ("PLN", "Planning and Permits", 0.05, 125_000, 1.8),
    ("MO", "Mayor's Office", 0.01, 160_000, 6.0),
    ("FIRE", "Fire and Rescue", 0.15, 140_000, 0.4),
]
SKILLS_GAP_DEPARTMENT = "HCD"

# code, name, department, weight, median days to close, SLA days, seasonal peak month (0 = none)
SERVICES: list[tuple[str, str, str, float, float, int, int]] = [
    ("POTHOLE", "Pothole Repair", "PW", 9.0, 4.0, 3, 4),
    ("STLIGHT", "Streetlight Out", "PW", 6.0, 6.0, 7, 11),
    ("SIDEWALK", "Sidewalk Repair", "PW", 2.5, 35.0, 60, 0),
    ("SNOW", "Snow and Ice Removal", "PW", 4.0, 1.5, 2, 1),
    ("SIGNAL", "Traffic Signal Outage", "TRN", 2.0, 0.5, 1, 0),
    ("SIGNREP", "Street Sign Repair", "TRN", 2.5, 9.0, 14, 0),
    ("PARKING", "Illegal Parking", "TRN", 7.0, 0.3, 1, 0),
    ("ABANVEH", "Abandoned Vehicle", "TRN", 4.0, 12.0, 10, 0),
    ("TRASH", "Missed Trash Pickup", "SAN", 9.0, 1.5, 2, 7),
    ("RECYC", "Missed Recycling Pickup", "SAN", 4.5, 2.0, 3, 7),
    ("BULKY", "Bulky Item Pickup", "SAN", 6.0, 5.0, 7, 5),
    ("DUMPING", "Illegal Dumping", "SAN", 5.0, 6.0, 7, 6),
    ("GRAFFITI", "Graffiti Removal", "SAN", 4.0, 8.0, 10, 6),
    ("WATERLEAK", "Water Main Leak", "WS", 2.0, 2.0, 3, 2),
    ("SEWER", "Sewer Backup", "WS", 2.0, 1.0, 2, 4),
    ("DRAIN", "Blocked Storm Drain", "WS", 2.5, 4.0, 5, 10),
    ("TREE", "Tree Trimming", "PRK", 3.5, 30.0, 45, 8),
    ("PARKMNT", "Park Maintenance", "PRK", 2.5, 7.0, 10, 7),
    ("RODENT", "Rodent Complaint", "PH", 3.0, 9.0, 10, 8),
    ("FOOD", "Food Safety Complaint", "PH", 1.0, 5.0, 7, 0),
    ("NOISE", "Noise Complaint", "CE", 6.0, 0.4, 1, 7),
    ("PROPMNT", "Property Maintenance Violation", "CE", 3.5, 21.0, 30, 6),
    ("HEAT", "No Heat or Hot Water", "HCD", 2.0, 3.0, 2, 1),
    ("DEADANML", "Dead Animal Removal", "SAN", 1.5, 1.0, 2, 7),
]
SLOW_FACTOR = 2.5  # the slow neighbourhood's days-to-close multiplier
SLOW_DEPARTMENTS = {"PW", "TRN"}  # where the slow neighbourhood waits longest (x1.25 more)
OPEN_SOURCE_STATUSES = ["Open", "In Progress", "Assigned", "Pending Inspection"]

ROLE_MIX = {  # share of respondents by role family
    "executive": 0.03,
    "manager": 0.14,
    "analyst": 0.10,
    "specialist": 0.18,
    "frontline": 0.35,
    "administrative": 0.14,
    "technical": 0.06,
}
ROLE_EFFECT = {
    "executive": 0.4,
    "manager": 0.3,
    "analyst": 1.1,
    "specialist": 0.4,
    "frontline": -0.5,
    "administrative": -0.2,
    "technical": 0.7,
}
SKILL_EFFECT = {
    "data_literacy": 0.6,
    "data_analysis": 0.0,
    "data_visualisation": -0.1,
    "performance_management": 0.1,
    "data_governance": -0.4,
    "data_engineering": -0.9,
    "statistics": -0.5,
    "data_ethics": -0.3,
}
GAP_SKILLS = {"data_analysis", "data_visualisation", "statistics", "data_engineering"}
DEPT_SKILL_BONUS = {
    ("IT", "data_engineering"): 1.2,
    ("FIN", "statistics"): 0.8,
    ("MO", "data_analysis"): 0.5,
}
LEVELS = ["awareness", "working", "practitioner", "expert"]

RACE_CODES = ["AIAN", "ASIAN", "BLACK", "HISPANIC", "MENA", "NHPI", "WHITE", "MULTIPLE"]
RACE_SHARES = (0.008, 0.07, 0.16, 0.17, 0.025, 0.003, 0.52, 0.044)  # as RACE_CODES
AGE_BANDS = [*(f"{a}-{a + 4}" for a in range(0, 85, 5)), "85+"]
AGE_SHARES = (  # percent of residents, as AGE_BANDS
    5.8, 6.0, 6.2, 6.3, 6.8, 7.4, 7.2, 6.8, 6.3, 6.1, 6.2, 6.4, 6.2, 5.4, 4.3, 3.0, 2.0, 1.6,
)  # fmt: skip
SEX_CODES = ["female", "male", "another", "not_reported"]

NAME_STEMS = [
    "Alder", "Ash", "Aspen", "Bay", "Birch", "Bram", "Briar", "Brook", "Cedar", "Clover", "Copper",
    "Crane", "Crest", "Dale", "Elder", "Elm", "Fair", "Fern", "Finch", "Fox", "Glen", "Gold",
    "Granite", "Green", "Hazel", "Heather", "Holly", "Iron", "Ivy", "Juniper", "Kestrel", "Lark",
    "Laurel", "Linden", "Maple", "Marsh", "Meadow", "Mill", "Moss", "Oak", "Orchard", "Pine",
    "Quarry", "Raven", "Reed", "Ridge", "Rose", "Rowan", "Sage", "Silver", "Spruce", "Stone",
    "Sumac", "Thistle", "Timber", "Walnut", "Willow", "Wren", "Yarrow", "Hollow",
]  # fmt: skip
NAME_ENDINGS = [
    "wood", "field", "brook", "gate", "ton", "view", "mont", "side", "dale", "haven", "ford",
    " Heights", " Park", " Hill", " Flats", " Commons", " Landing", " Terrace", " Square",
    " Village", " Point", " Crossing", " Gardens", " Row", " Yards",
]  # fmt: skip
NAME_PREFIXES = ["", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "Old ", "New "]
CITY_ENDINGS = [" Falls", "ford", " Springs", "haven", " Harbor", " Junction", "ton", " Bluffs"]
STATES = [
    ("OH", "America/New_York"),
    ("MN", "America/Chicago"),
    ("WA", "America/Los_Angeles"),
    ("IL", "America/Chicago"),
    ("PA", "America/New_York"),
    ("CO", "America/Denver"),
]

# dataset name, owner, frequency, contains personal data, demographic fields, race format
DATASETS: list[tuple[str, str, str, bool, str, str]] = [
    ("311 service requests", "CS", "daily", False, "", "none"),
    ("Pothole repair log", "PW", "daily", False, "", "none"),
    ("Street lighting assets", "PW", "monthly", False, "", "none"),
    ("Pavement condition index", "PW", "annually", False, "", "none"),
    ("Traffic crashes", "TRN", "daily", True, "age;sex", "none"),
    ("Parking citations", "TRN", "daily", True, "", "none"),
    ("Traffic counts", "TRN", "monthly", False, "", "none"),
    ("Solid waste tonnage", "SAN", "monthly", False, "", "none"),
    ("Collection routes", "SAN", "quarterly", False, "", "none"),
    ("Water quality tests", "WS", "weekly", False, "", "none"),
    ("Water billing accounts", "WS", "monthly", True, "income", "none"),
    ("Lead service line inventory", "WS", "quarterly", False, "", "none"),
    ("Park facilities", "PRK", "annually", False, "", "none"),
    ("Recreation program registrations", "PRK", "weekly", True, "age;sex;race_ethnicity",
     "custom"),
    ("Food establishment inspections", "PH", "weekly", False, "", "none"),
    ("Immunization clinic visits", "PH", "weekly", True,
     "age;sex;race_ethnicity;language", "spd15_2024_combined"),
    ("Community health survey", "PH", "annually", True,
     "age;sex;gender;race_ethnicity;disability;language;income", "spd15_2024_combined"),
    ("Rental assistance applications", "HCD", "weekly", True,
     "age;race_ethnicity;income;disability", "two_question_1997"),
    ("Affordable housing units", "HCD", "quarterly", False, "", "none"),
    ("Homelessness services enrollments", "HCD", "monthly", True,
     "age;gender;race_ethnicity;disability", "two_question_1997"),
    ("Code violations", "CE", "daily", False, "", "none"),
    ("Vacant property registry", "CE", "monthly", False, "", "none"),
    ("Library circulation", "LIB", "monthly", False, "", "none"),
    ("Library card holders", "LIB", "monthly", True, "age;language", "none"),
    ("311 call center performance", "CS", "daily", False, "", "none"),
    ("Operating budget", "FIN", "annually", False, "", "none"),
    ("Vendor payments", "FIN", "monthly", False, "", "none"),
    ("Workforce demographics", "HR", "quarterly", True,
     "age;sex;race_ethnicity;disability", "two_question_1997"),
    ("Staff data-skills survey", "HR", "annually", False, "", "none"),
    ("IT asset register", "IT", "quarterly", False, "", "none"),
    ("Building permits", "PLN", "daily", False, "", "none"),
    ("Zoning map", "PLN", "ad_hoc", False, "", "none"),
    ("Fire incidents", "FIRE", "daily", False, "", "none"),
    ("Emergency medical responses", "FIRE", "daily", True, "age;sex", "none"),
    ("Fire hydrant inspections", "FIRE", "monthly", False, "", "none"),
    ("Mayor's performance dashboard", "MO", "monthly", False, "", "none"),
    ("Youth summer jobs participants", "MO", "annually", True,
     "age;sex;race_ethnicity;language", "spd15_2024_combined"),
    ("Workforce Pathways participants", "HCD", "quarterly", True,
     "age;sex;race_ethnicity;language;disability", "custom"),
    ("Resident satisfaction survey", "MO", "annually", True,
     "age;gender;race_ethnicity;income", "two_question_1997"),
    ("Street tree inventory", "PRK", "ad_hoc", False, "", "none"),
]  # fmt: skip
FREQ_DAYS = {
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "annually": 366,
    "ad_hoc": 730,
}

# id, metric, department, unit, higher is better, target, shape
METRICS: list[tuple[str, str, str, str, bool, float | None, str]] = [
    ("PW-POT3", "Potholes repaired within 3 business days", "PW", "percent", True, 90.0, "far"),
    ("CS-ANS60", "311 calls answered within 60 seconds", "CS", "percent", True, 80.0, "near"),
    ("PLN-PRT", "Building permit review time", "PLN", "days", False, 30.0, "improving"),
    ("LIB-VIS", "Library visits", "LIB", "count", True, None, "above"),
    ("SAN-MISS", "Missed collections per 10,000 households", "SAN", "rate", False, 5.0, "near"),
    ("WS-BRK", "Water main breaks", "WS", "count", False, 8.0, "far_low"),
    (
        "FIRE-RSP",
        "Fire response within 5 minutes 20 seconds",
        "FIRE",
        "percent",
        True,
        90.0,
        "near",
    ),
    ("PRK-TREE", "Tree canopy plantings", "PRK", "count", True, None, "none"),
    ("HCD-RAP", "Rental assistance paid within 30 days", "HCD", "percent", True, 85.0, "far"),
    (
        "CE-INSP",
        "Code complaints inspected within 10 days",
        "CE",
        "percent",
        True,
        75.0,
        "improving_up",
    ),
]

# practice area, criterion id, baseline mean, progress by July
CRITERIA: list[tuple[str, str, float, float]] = [
    ("governance", "GOV-1", 1.0, 1.0),
    ("governance", "GOV-2", 0.5, 1.0),
    ("governance", "GOV-3", 1.0, 0.5),
    ("data_management", "DM-1", 1.5, 0.5),
    ("data_management", "DM-2", 1.0, 0.5),
    ("data_management", "DM-3", 0.5, 0.0),
    ("analytics", "AN-1", 1.5, 0.5),
    ("analytics", "AN-2", 1.0, 0.5),
    ("performance", "PM-1", 1.5, 1.0),
    ("performance", "PM-2", 1.0, 1.0),
    ("open_data", "OD-1", 1.0, 0.0),
    ("open_data", "OD-2", 0.5, 0.0),
    ("equity", "EQ-1", 0.5, 0.0),
    ("equity", "EQ-2", 0.5, 0.5),
    ("workforce", "WF-1", 0.5, 0.5),
    ("workforce", "WF-2", 1.0, 0.5),
    ("engagement", "EN-1", 1.0, 0.0),
]
CRITERIA_NOTES = {
    "GOV-1": "Data governance board chartered; meets monthly.",
    "GOV-2": "Chief data officer role defined.",
    "DM-1": "Data inventory exists; about a fifth of entries overdue.",
    "PM-1": "Monthly performance review with department heads.",
    "EQ-1": "No citywide standard for race and ethnicity fields yet.",
    "OD-1": "Open data portal has not added a dataset this year.",
    "WF-1": "Skills survey run; training plan pending.",
}

# department, programme, decision, data used, change made, usd (0 = none), outcome measure
DATA_USES: list[tuple[str, str, str, str, str, float, str]] = [
    ("PW", "Pothole repair", "Move one crew to the neighborhood with the longest waits",
     "311 service requests; days to close by neighborhood", "Crew schedule rebalanced",
     180_000, "Median days to close, slowest neighborhood"),
    ("SAN", "Waste collection", "Re-route two collection routes",
     "Missed-pickup requests; route GPS", "Routes redrawn", 0, "Missed collections per 10,000"),
    ("PH", "Rodent control", "Target baiting by complaint clusters",
     "Rodent complaints; inspection results", "Baiting plan by block", 45_000,
     "Repeat complaints within 90 days"),
    ("HCD", "Rental assistance", "Add interpreters at intake",
     "Applications by language; approval rates", "Interpreter hours funded", 60_000,
     "Approval rate for limited-English applicants"),
    ("FIRE", "Smoke alarm outreach", "Door-to-door visits where fires cluster",
     "Fire incidents; census tracts", "Outreach list prioritized", 25_000,
     "Homes with working alarms"),
    ("LIB", "Opening hours", "Extend evening hours at two branches",
     "Visits by hour; card holders", "Hours changed", 0, "Evening visits"),
    ("MO", "Summer jobs", "Recruit through schools with low uptake",
     "Participants by neighborhood", "Recruitment plan by school", 15_000,
     "Applicants from target neighborhoods"),
    ("TRN", "Traffic safety", "Lower speed limit on three corridors",
     "Traffic crashes; speed surveys", "Signs and signal timing changed", 320_000,
     "Injury crashes on corridors"),
    ("CE", "Code enforcement", "Inspect by risk score instead of complaint order",
     "Code violations; property records", "Inspection queue reordered", 0,
     "Serious violations found per inspection"),
    ("WS", "Lead service lines", "Replace lines near schools first",
     "Lead service line inventory", "Replacement order changed", 1_200_000,
     "Lines replaced near schools"),
    ("CS", "311 staffing", "Shift call takers to Monday mornings",
     "Call center performance by hour", "Schedule changed", 0, "Calls answered within 60 seconds"),
    ("PRK", "Tree planting", "Plant where canopy is thinnest",
     "Street tree inventory; heat map", "Planting list changed", 90_000,
     "Canopy cover in priority neighborhoods"),
]  # fmt: skip


#: The file each table is written to (service requests are Parquet; the rest CSV people can open).
TABLE_FILES = {
    "departments": "departments.csv",
    "neighbourhoods": "neighbourhoods.csv",
    "staff_survey": "staff_survey.csv",
    "service_requests": "service_requests.parquet",
    "neighbourhood_demographics": "neighbourhood_demographics.csv",
    "programme_outcomes": "programme_outcomes.csv",
    "data_inventory": "data_inventory.csv",
    "maturity_assessment": "maturity_assessment.csv",
    "data_use_log": "data_use_log.csv",
    "performance_metrics": "performance_metrics.csv",
}


# --------------------------------------------------------------------------------------------------
# reference lists per country
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """One country's reference lists: what the generator names, counts and writes (see
    :mod:`.tables`). ``US`` is the lists above; ``CO`` (Spanish, COP) is :mod:`.profiles_co`."""

    country: str
    currency: str
    departments: list[tuple[str, str, float, float, float]]
    skills_gap_department: str
    small_department: str
    dept_skill_bonus: dict[tuple[str, str], float]
    services: list[tuple[str, str, str, float, float, int, int]]
    slow_departments: set[str]
    open_statuses: list[str]
    closed_status: str
    name_stems: list[str]
    name_endings: list[str]
    name_prefixes: list[str]
    datasets: list[tuple[str, str, str, bool, str, str]]
    metrics: list[tuple[str, str, str, str, bool, float | None, str]]
    criteria_notes: dict[str, str]
    data_uses: list[tuple[str, str, str, str, str, float, str]]
    programmes: list[tuple[str, str, str, float]]
    #: race_ethnicity codes (the country's standard) and their shares among residents
    race_codes: list[str]
    race_shares: tuple[float, ...]
    #: the group more present where incomes are lower (index in race_codes)
    poorer_group: int
    #: outcome participants: groups over-represented, by index -> factor
    outcome_boost: dict[int, float]
    #: the gap programme's success-rate offsets by group (as race_codes)
    gap_offsets: tuple[float, ...]
    #: limited_english rows (residents who speak English less than very well): US only
    limited_english: bool
    #: the gap programme's offset for people with a disability
    disability_gap: float
    median_income: float
    centre: tuple[float, float]
    yaml_header: str = field(default="")
    #: the language the city's team reads (city.yaml ``language``; English is not written)
    language: str = field(default="en")


US = Reference(
    country="US",
    currency="USD",
    departments=DEPARTMENTS,
    skills_gap_department=SKILLS_GAP_DEPARTMENT,
    small_department="MO",
    dept_skill_bonus=DEPT_SKILL_BONUS,
    services=SERVICES,
    slow_departments=SLOW_DEPARTMENTS,
    open_statuses=OPEN_SOURCE_STATUSES,
    closed_status="Closed",
    name_stems=NAME_STEMS,
    name_endings=NAME_ENDINGS,
    name_prefixes=NAME_PREFIXES,
    datasets=DATASETS,
    metrics=METRICS,
    criteria_notes=CRITERIA_NOTES,
    data_uses=DATA_USES,
    programmes=[
        ("WFP", "Workforce Pathways", "employed at 6 months", 0.60),
        ("LSH", "Lead-Safe Homes", "home cleared of lead hazards", 0.82),
        ("YSJ", "Youth Summer Jobs", "completed the summer placement", 0.74),
    ],
    race_codes=RACE_CODES,
    race_shares=RACE_SHARES,
    poorer_group=3,  # HISPANIC
    outcome_boost={2: 1.6, 3: 1.5},
    gap_offsets=(-0.08, 0.02, -0.10, -0.12, -0.06, -0.05, 0.06, -0.02),
    limited_english=True,
    disability_gap=-0.10,
    median_income=68_000,
    centre=(41.0, -88.0),
    yaml_header=(
        "# {name} is a fictional city generated by cohort_tools.citydata.demo; every name and\n"
        "# number in this folder is invented. Data covers {year}, extracted {as_of}.\n"
    ),
)

CO = Reference(
    country="CO",
    currency="COP",
    departments=profiles_co.DEPARTMENTS,
    skills_gap_department=profiles_co.SKILLS_GAP_DEPARTMENT,
    small_department=profiles_co.SMALL_DEPARTMENT,
    dept_skill_bonus=profiles_co.DEPT_SKILL_BONUS,
    services=profiles_co.SERVICES,
    slow_departments=profiles_co.SLOW_DEPARTMENTS,
    open_statuses=profiles_co.OPEN_SOURCE_STATUSES,
    closed_status=profiles_co.CLOSED_STATUS,
    name_stems=profiles_co.NAME_STEMS,
    name_endings=profiles_co.NAME_ENDINGS,
    name_prefixes=profiles_co.NAME_PREFIXES,
    datasets=profiles_co.DATASETS,
    metrics=profiles_co.METRICS,
    criteria_notes=profiles_co.CRITERIA_NOTES,
    data_uses=profiles_co.DATA_USES,
    programmes=profiles_co.PROGRAMMES,
    race_codes=list(DANE_2018.reporting_codes),
    race_shares=profiles_co.ETHNIC_SHARES,
    poorer_group=4,  # AFRO
    outcome_boost={4: 1.5, 0: 1.4},
    gap_offsets=profiles_co.ETHNIC_OFFSETS,
    limited_english=False,
    disability_gap=-0.25,
    median_income=28_000_000,
    centre=(5.0, -76.5),
    language="es",
    yaml_header=(
        "# {name} es una ciudad ficticia creada por cohort_tools.citydata.demo; todos los nombres\n"
        "# y cifras de esta carpeta son inventados. Datos de {year}, extraídos el {as_of}.\n"
    ),
)

#: Country -> its reference lists (a demo city's Profile.country picks one).
REFERENCES: dict[str, Reference] = {"US": US, "CO": CO}

"""A whole, coherent set of Riverton's named answers, workshop by workshop, for strategy tests.

Modelled on what the demo's correct submissions hold, with the points a mayor would catch put
right: priority metrics that have not met their targets yet, transparency targets above today, a
workforce budget that matches its plans, owners who are on Riverton's team, and year-1 datasets
that are up to date. Tests copy it and break one answer at a time.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.functional.test_strategy_inputs import graded

ANSWERS: dict[str, dict[str, Any]] = {
    "m1_workshop_a_data_routines": {
        "mayor_priorities": [
            "Streets that are safe and in good repair in every neighbourhood",
            "Faster help for families who ask the city for support",
        ],
        "data_vision": "Every week my team sees the few numbers that show whether residents get "
        "faster, fairer service. We use them in budget and staffing decisions, and residents can "
        "see the same numbers online.",
        "priority_metrics": ["CS-ANS60", "PW-POT3", "HCD-RAP"],
        "baseline_days": 4.74,
        "target_days": 3.79,
        "stat_meeting": {
            "cadence": "fortnightly",
            "chair": "chief of staff",
            "first_metric": "PW-POT3",
        },
    },
    "m1_workshop_b_data_use_protocol": {
        "protocol_fields": [
            "date",
            "programme",
            "decision",
            "data_used",
            "change_made",
            "outcome_measure",
            "department",
            "resources_redirected",
            "review_date",
        ],
        "protocol_roles": {
            "records": "programme manager",
            "reviews": "chief of staff",
            "review_cadence": "quarterly",
        },
        "first_record": {
            "date": "2025-03-01",
            "programme": "Pothole repair",
            "decision": "Send one more crew to the area with the slowest repairs",
            "data_used": "311 requests: days to close by neighbourhood",
            "change_made": "Crew rota changed for three months",
            "outcome_measure": "Median days to close in that area",
            "department": "public works",
            "resources_redirected": "one crew, about $60,000",
            "review_date": "2025-06-01",
        },
    },
    "m2_workshop_a_skills": {
        "priority_skills": ["data_ethics", "data_governance", "data_literacy"],
        "upskilling_departments": ["FIRE", "HCD", "PH"],
        "roles_to_hire": ["data engineer", "data scientist"],
    },
    "m2_workshop_b_workforce": {
        "upskilling_plan": [
            {
                "who": "FIRE",
                "skill": "data_ethics",
                "how": "workshop series",
                "people": 12,
                "cost_usd": 18000.0,
                "year": 1,
            },
            {
                "who": "HCD",
                "skill": "data_governance",
                "how": "workshop series",
                "people": 12,
                "cost_usd": 18000.0,
                "year": 2,
            },
            {
                "who": "PH",
                "skill": "data_literacy",
                "how": "workshop series",
                "people": 12,
                "cost_usd": 18000.0,
                "year": 3,
            },
            {
                "who": "manager",
                "skill": "performance_management",
                "how": "online course",
                "people": 20,
                "cost_usd": 8000.0,
                "year": 1,
            },
        ],
        "hiring_plan": [
            {"role": "data engineer", "year": 1, "count": 1, "salary_usd": 140000.0},
            {"role": "data scientist", "year": 2, "count": 1, "salary_usd": 145000.0},
            {"role": "data analyst", "year": 2, "count": 1, "salary_usd": 105000.0},
        ],
        "retention_actions": [
            "a data career path with job titles and pay bands",
            "a community of practice that meets every month",
            "time set aside for learning each week",
        ],
        "workforce_budget_usd": 1_080_000.0,  # the plans cost $982,000
        "staffing_path": {"year_1": 9, "year_2": 11, "year_3": 11},
    },
    "m2_workshop_c_governance": {
        "governance_model": {
            "body": "Data governance board",
            "chair": "chief data officer",
            "members": [
                "IT director",
                "finance director",
                "public works director",
                "equity lead",
                "city attorney's office",
            ],
            "meets": "monthly",
            "decides": [
                "data quality standard",
                "what is published",
                "who may see personal data",
                "which platform investments come first",
            ],
            "owner_rule": "The department that collects a dataset owns it; its director names a "
            "data steward.",
        },
        "quality_standard": {
            "completeness_min": 0.95,
            "timeliness_max_days": 60,
            "validity_min": 0.98,
            "duplicates_max": 0.01,
            "review_cadence": "quarterly",
        },
        "investment_priorities": [
            {
                "investment": "Data stewards in each department",
                "kind": "practice",
                "why": "6 datasets are stale and nobody is charged with updating them.",
                "year": 1,
                "cost_usd": 20000.0,
            },
            {
                "investment": "Quarterly data quality review",
                "kind": "practice",
                "why": "maturity_assessment is the least complete table; owners need a rhythm to "
                "fix it.",
                "year": 1,
                "cost_usd": 5000.0,
            },
            {
                "investment": "Data catalogue",
                "kind": "platform",
                "why": "one place to find each dataset, its owner and its documentation.",
                "year": 2,
                "cost_usd": 60000.0,
            },
            {
                "investment": "Shared data warehouse",
                "kind": "platform",
                "why": "departments join their data in one place instead of by hand.",
                "year": 3,
                "cost_usd": 150000.0,
            },
        ],
    },
    "m2_maturity": {
        "improvement_areas": ["open_data", "equity", "engagement"],
        "maturity_scores": {
            "governance": 44.4,
            "data_management": 55.6,
            "analytics": 66.7,
            "performance": 66.7,
            "open_data": 0.0,
            "equity": 16.7,
            "workforce": 50.0,
            "engagement": 33.3,
        },
    },
    "m3_workshop_a_stakeholders": {
        "stakeholder_map": [
            {
                "stakeholder": d,
                "kind": "department",
                "holds": "2 datasets in the inventory",
                "needs": "a clear rule for what can be shared and how",
                "ask": "which of its data could be opened, and what must stay protected",
                "show": "its datasets in the inventory, and what residents ask for",
                "when": "month 4, then every quarter",
            }
            for d in ("Fire and Rescue", "Public Health", "Housing and Community Development")
        ]
        + [
            {
                "stakeholder": "City council",
                "kind": "council",
                "holds": "residents' complaints",
                "needs": "results by ward",
                "ask": "which questions residents bring to them",
                "show": "the data strategy and results by ward",
                "when": "month 6, then every year",
            },
            {
                "stakeholder": "Residents of Silver Flats",
                "kind": "residents",
                "holds": "experience of city services",
                "needs": "to see that the city listens",
                "ask": "what stops them reporting problems",
                "show": "what changed after they spoke",
                "when": "month 5, then month 12",
            },
        ],
        "engagement_plan": [
            *[
                row
                for d in ("Fire and Rescue", "Public Health", "Housing and Community Development")
                for row in (
                    {
                        "stakeholder": d,
                        "activity": "which of its data could be opened, and what "
                        "must stay protected",
                        "month": 4,
                        "owner": "chief data officer",
                    },
                    {
                        "stakeholder": d,
                        "activity": "its datasets in the inventory, and what residents ask for",
                        "month": 12,
                        "owner": "chief data officer",
                    },
                )
            ],
            {
                "stakeholder": "City council",
                "activity": "which questions residents bring to them",
                "month": 5,
                "owner": "chief of staff",
            },
            {
                "stakeholder": "City council",
                "activity": "the data strategy and results by ward",
                "month": 12,
                "owner": "chief of staff",
            },
            {
                "stakeholder": "Residents of Silver Flats",
                "activity": "what stops them reporting problems",
                "month": 5,
                "owner": "equity lead",
            },
            {
                "stakeholder": "Residents of Silver Flats",
                "activity": "what changed after they spoke",
                "month": 12,
                "owner": "equity lead",
            },
        ],
    },
    "m3_workshop_b_communicating": {
        "data_story": {
            "headline": "Lead-Safe Homes: Hispanic or Latino had the highest rate, 8 points above "
            "White",
            "finding": "In 2025, 79% to 86% of participants in Lead-Safe Homes reached the outcome "
            "'home cleared of lead hazards', depending on their group.",
            "why_it_matters": "Every resident should have the same chance to benefit from the "
            "programme.",
            "what_we_will_do": "The programme team will meet the groups with the lowest rates this "
            "quarter and report back in six months.",
            "about_the_data": "Source: Riverton's programme records for 2025, by group. Groups "
            "with fewer than 11 people are suppressed (hidden) to protect privacy.",
        },
    },
    "m3_workshop_c_demographics": {
        "demographic_standard": {
            "race_ethnicity_format": "spd15_2024_combined",
            "fields": ["race_ethnicity", "age", "sex", "disability", "language"],
            "age": "census_5_year_bands",
            "disability": "washington_group_short_set",
            "language": "acs_language_and_english_ability",
            "optional": True,
            "when_collected": "at enrolment in a service, with a short note on why the city asks; "
            "residents may change their answers at any time",
            "small_numbers_threshold": 11,
            "access": {
                "public": "tables and charts by group, with any count under 11 hidden",
                "programme staff": "the answers of the people they serve, to arrange the service",
                "analysts": "records without names, for studying results by group",
            },
            "review_cadence": "every two years",
        },
    },
    "m3_workshop_d_transparency": {
        "publication_plan": [
            {"dataset_id": "DS009", "year": 1, "frequency": "weekly", "aggregated": False},
            {"dataset_id": "DS017", "year": 1, "frequency": "monthly", "aggregated": False},
            {"dataset_id": "DS026", "year": 1, "frequency": "monthly", "aggregated": False},
            {"dataset_id": "DS027", "year": 1, "frequency": "monthly", "aggregated": False},
            {"dataset_id": "DS003", "year": 2, "frequency": "monthly", "aggregated": False},
            {"dataset_id": "DS022", "year": 2, "frequency": "annually", "aggregated": False},
            {"dataset_id": "DS010", "year": 3, "frequency": "monthly", "aggregated": True},
            {"dataset_id": "DS012", "year": 3, "frequency": "monthly", "aggregated": True},
        ],
        "transparency_targets": {"published": 0.667, "documented": 0.8, "fresh": 0.9},
    },
}


def coherent() -> dict[str, dict[str, Any]]:
    return copy.deepcopy(ANSWERS)


def write_course(course: Path, answers: dict[str, dict[str, Any]] | None = None) -> Path:
    """A course folder in which Riverton's team handed in every workshop with these answers."""
    for workshop, values in (answers or ANSWERS).items():
        graded(course, workshop, answers=values)
    return course


# -- reading what a person sees ----------------------------------------------------------------------


class _Visible(HTMLParser):
    """The text a reader sees or hears: text outside <style>/<script>, and images' alt text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name == "alt" and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_html(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def visible_docx(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for section in doc.sections:
        texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    texts += [s._inline.docPr.get("descr", "") for s in doc.inline_shapes]
    return "\n".join(texts)


SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
#: Variable names turned into headings, as the old strategy showed them ("Baseline days 4.74").
RAW_LABELS = (
    "Baseline days",
    "Target days",
    "Completeness min",
    "Timeliness max days",
    "Small numbers threshold",
    "Race ethnicity format",
    "Workforce budget (USD)",
    "Published 0.",
    "Raise engagement",
    "Raise equity",
)


def codes_in(text: str, city_dir: Path) -> list[str]:
    """Codes and snake_case identifiers in ``text``: metric, department and dataset ids of the
    city's data, skill codes, any word_with_underscores, and variable names used as labels."""
    import pandas as pd

    from cohort_tools.citydata.schemas import SKILLS

    ids: set[str] = set(SKILLS)
    for table, column in (
        ("performance_metrics.csv", "metric_id"),
        ("departments.csv", "department_id"),
        ("data_inventory.csv", "dataset_id"),
    ):
        if (city_dir / table).is_file():
            ids |= set(pd.read_csv(city_dir / table)[column].astype(str))
    found = sorted(set(SNAKE.findall(text)))
    found += sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
    found += [label for label in RAW_LABELS if label in text]
    return found

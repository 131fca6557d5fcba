"""Names, not codes: every identifier the answers hold, shown by its name from the city's data.

A metric is shown as "Code complaints inspected within 10 days", not ``CE-INSP``; a department as
"Fire and Rescue", not ``FIRE``; a dataset by its title, not ``DS003``; a skill as "Data ethics",
not ``data_ethics``; a role as "chief of staff". Free text the team wrote goes through
:meth:`Names.humanise`, which swaps any identifier it knows for its name (and any other
snake_case word for plain words), so codes never reach a page a mayor signs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cohort_tools.citydata.loader import CityData
from cohort_tools.citydata.schemas import TABLES
from cohort_tools.core.i18n import N_, _, current_language
from cohort_tools.lessons.coherence import role_title as role_title  # build.py reads it here
from cohort_tools.lessons.coherence import team_roles as team_roles  # the strategy reads it here
from cohort_tools.lessons.maturity import PRACTICE_AREAS
from cohort_tools.lessons.skills import HIRE_FOR_SKILL, SKILL_LABELS
from cohort_tools.lessons.standards_audit import (
    AGE_CONVENTIONS,
    DISABILITY_CONVENTIONS,
    LANGUAGE_CONVENTIONS,
)
from cohort_tools.lessons.wording import canonical, preferred
from cohort_tools.model.programme import Programme

#: The named answers, in plain words (for gaps and conflicts: "the hiring plan", not hiring_plan).
ANSWER_LABELS: dict[str, str] = {
    "mayor_priorities": N_("the mayor's priorities"),
    "data_vision": N_("the vision for data"),
    "governance_model": N_("the governance body"),
    "quality_standard": N_("the data quality standard"),
    "priority_metrics": N_("the priority metrics"),
    "baseline_days": N_("the baseline (median days to close)"),
    "target_days": N_("the target for days to close"),
    "stat_meeting": N_("the stat meeting"),
    "stakeholder_map": N_("the stakeholder map"),
    "engagement_plan": N_("the engagement plan"),
    "data_story": N_("the data story"),
    "publication_plan": N_("the publication plan"),
    "transparency_targets": N_("the transparency targets"),
    "priority_skills": N_("the priority skills"),
    "upskilling_departments": N_("the departments to train first"),
    "roles_to_hire": N_("the roles to hire"),
    "upskilling_plan": N_("the training plan"),
    "hiring_plan": N_("the hiring plan"),
    "retention_actions": N_("the ways to keep data staff"),
    "workforce_budget_usd": N_("the workforce budget"),
    "staffing_path": N_("the staffing path"),
    "demographic_standard": N_("the demographic data standard"),
    "protocol_fields": N_("the fields of the data-use record"),
    "protocol_roles": N_("who records and who reviews"),
    "first_record": N_("the first data-use record"),
    "investment_priorities": N_("the investments in platforms and practices"),
    "improvement_areas": N_("the areas to improve"),
    "maturity_scores": N_("the maturity scores"),
    "resolutions": N_("the points settled in the strategy studio"),
    "strategy_budget_usd": N_("the budget for the whole strategy"),
    "priorities": N_("the actions kept in each year"),
    "goal_leads": N_("who leads each goal"),
    "executive_summary": N_("the executive summary in the team's words"),
    "sign_off": N_("the mayor's sign-off"),
}

#: Role families of the staff survey, as the people they are.
ROLE_FAMILY_WORDS = {
    "executive": N_("executives"),
    "manager": N_("managers"),
    "analyst": N_("analysts"),
    "specialist": N_("specialists"),
    "frontline": N_("frontline staff"),
    "administrative": N_("administrative staff"),
    "technical": N_("technical staff"),
}

FREQUENCY_WORDS = {
    "daily": N_("every day"),
    "weekly": N_("every week"),
    "fortnightly": N_("every two weeks"),
    "monthly": N_("every month"),
    "quarterly": N_("every quarter"),
    "annually": N_("every year"),
    "ad_hoc": N_("when it changes"),
}

RACE_FORMAT_WORDS = {
    "spd15_2024_combined": N_(
        "one combined race and ethnicity question, as the 2024 federal "
        "standard (SPD 15) asks it, with more than one answer allowed"
    ),
    "two_question_1997": N_("the older two questions (race, then Hispanic origin)"),
    "custom": N_("the city's own categories"),
    "none": N_("not collected"),
}

DEMOGRAPHIC_FIELD_WORDS = {
    "race_ethnicity": N_("race and ethnicity"),
    "sex": N_("sex"),
    "gender": N_("gender"),
    "age": N_("age"),
    "disability": N_("disability"),
    "language": N_("language"),
    "income": N_("income"),
}

#: Fields of the data-use record (Module 1, workshop B).
PROTOCOL_FIELD_WORDS = {
    "date": N_("date"),
    "programme": N_("program"),
    "decision": N_("decision"),
    "data_used": N_("data used"),
    "change_made": N_("change made"),
    "outcome_measure": N_("how the result is measured"),
    "department": N_("department"),
    "resources_redirected": N_("money or staff moved"),
    "review_date": N_("date to review"),
}

#: The quality standard's rules: key -> (words, how the value reads).
QUALITY_RULES: dict[str, tuple[str, str]] = {
    "completeness_min": (N_("Records complete"), N_("at least {share}")),
    "timeliness_max_days": (N_("Updated"), N_("within {number} days")),
    "validity_min": (N_("Values valid"), N_("at least {share}")),
    "duplicates_max": (N_("Duplicate records"), N_("at most {share}")),
    "review_cadence": (N_("Scores reviewed"), N_("{cadence}")),
}

_SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")


def words(identifier: str) -> str:
    """``data_ethics`` -> ``data ethics`` (the last resort for an identifier with no name)."""
    return str(identifier).replace("_", " ").strip()


def answer_label(name: str) -> str:
    """A named answer in plain words ("the hiring plan"), in the current language."""
    return _(ANSWER_LABELS[name]) if name in ANSWER_LABELS else words(name)


def said(table: Mapping[str, str], key: str) -> str:
    """``table[key]`` in the current language (a table of words above), or ``key`` in words."""
    return _(table[key]) if key in table else words(key)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join(items: Iterable[str], *, most: int = 0, word: str = "") -> str:
    """``a, b and c`` (with ``most``: the first ones and "N more")."""
    word = word or _("and")
    items = [i for i in items if i]
    if most and len(items) > most:
        rest = len(items) - most
        items = [*items[:most], _("{count} more").format(count=rest)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


@functools.lru_cache(maxsize=64)
def _identifiers(keys: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching any of ``keys`` as a whole identifier, the longest first (a strategy
    is assembled several times in a studio run: the pattern is built once per set of names)."""
    longest_first = sorted(keys, key=lambda k: (-len(k), k))
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, longest_first)) + r")(?![\w-])")


@functools.lru_cache(maxsize=8)
def _programme_words(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """Skills and practice areas by code, in lower-case words of ``language`` (the current one:
    the catalogs translate them as they are read)."""
    skills = {k: v.lower() for k, v in SKILL_LABELS.items()}
    areas = {k: a.title.lower() for k, a in PRACTICE_AREAS.items()}
    return skills, areas


@dataclass
class Names:
    """Identifier -> name lookups for one city (from its data) and for the programme."""

    metrics: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    datasets: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # role id -> title ("chief of staff")
    tables: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_city(cls, data: CityData, programme: Programme) -> Names:
        def lookup(table: str, key: str, value: str) -> dict[str, str]:
            if not data.has(table):
                return {}
            frame = data.table(table)[[key, value]].drop_duplicates(key, keep="last")
            return {str(k): str(v) for k, v in zip(frame[key], frame[value], strict=True)}

        return cls(
            metrics=lookup("performance_metrics", "metric_id", "metric"),
            departments=lookup("departments", "department_id", "department"),
            datasets=lookup("data_inventory", "dataset_id", "dataset"),
            roles={r.id: role_title(r.title) for r in programme.team.roles},
            tables={t: words(t) for t in TABLES},
        )

    def metric(self, metric_id: Any) -> str:
        return self.metrics.get(str(metric_id), words(str(metric_id)))

    def department(self, department_id: Any) -> str:
        return self.departments.get(str(department_id), words(str(department_id)))

    def dataset(self, dataset_id: Any) -> str:
        return self.datasets.get(str(dataset_id), words(str(dataset_id)))

    def skill(self, skill: Any) -> str:
        found = SKILL_LABELS.get(str(skill))
        return _(found) if found else sentence_case(words(str(skill)))

    def area(self, area: Any) -> str:
        found = PRACTICE_AREAS.get(str(area))
        return _(found.title) if found else sentence_case(words(str(area)))

    def who(self, who: Any) -> str:
        """A training line's "who": a department id or a role family, as people."""
        text = str(who)
        if text in self.departments:
            return _("{department} staff").format(department=self.departments[text])
        return said(ROLE_FAMILY_WORDS, text)

    def role(self, role: Any) -> str:
        return self.roles.get(str(role), words(str(role)).strip())

    def hire(self, title: Any) -> str:
        """A hiring plan's role as the reader's language names it: a title of Workshop B's salary
        table (``lessons.skills.HIRE_FOR_SKILL``, kept in English in the answers) through the
        catalog ("analista de datos"); a title the team wrote themselves, as :meth:`humanise`
        leaves it."""
        text = str(title)
        return _(text) if text in HIRE_FOR_SKILL.values() else self.humanise(text)

    def humanise(self, text: Any) -> str:
        """Team-written text with every known identifier replaced by its name."""
        value = str(text)
        known: dict[str, str] = {**self.metrics, **self.datasets}
        known.update({k: v for k, v in self.departments.items() if k.isupper()})
        if known:
            value = _identifiers(frozenset(known)).sub(lambda m: known[m.group(1)], value)
        skills, areas = _programme_words(current_language())
        others: Mapping[str, str] = {**self.tables, **skills, **self.roles, **areas}
        return _SNAKE.sub(lambda m: others.get(m.group(0), words(m.group(0))), value)

    def convention(self, kind: str, value: Any) -> str:
        """How the demographic standard asks a question, in words."""
        tables: dict[str, Mapping[str, str]] = {
            "race_ethnicity_format": RACE_FORMAT_WORDS,
            "age": AGE_CONVENTIONS,
            "disability": DISABILITY_CONVENTIONS,
            "language": LANGUAGE_CONVENTIONS,
        }
        options = tables.get(kind, {})
        found = options.get(str(canonical(value, list(options)) or value))
        return _(found) if found else self.humanise(value)


def cadence(value: Any) -> str:
    """How often, in words; any wording the checkpoints accept ("biweekly", "every 2 weeks")."""
    said = canonical(value, list(FREQUENCY_WORDS))
    return _(FREQUENCY_WORDS[said]) if said else words(preferred(str(value)))

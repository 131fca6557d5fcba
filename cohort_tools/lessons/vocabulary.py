"""The words of city data and of the teams' answers that the notebooks show, for translators.

The data keeps its canonical words ("quarterly", "staff", "partly meets"): the checkpoints, the
grader and the strategy read them. What a reader sees of them (a table's labels and cells, a
summary of the answers) goes through the catalog when it is shown (``cohort_tools.render.tables``,
``nb.shown``). Each word below is marked for the catalog here, so ``make catalogs`` keeps it; the
Spanish catalog translates it. A word missing here is shown as it is.
"""

from __future__ import annotations

from cohort_tools.lessons.translated import N_

#: How often a dataset is updated or a body meets (citydata.schemas.UPDATE_FREQUENCIES and the
#: answers' cadences).
FREQUENCIES = (N_("daily"), N_("weekly"), N_("monthly"), N_("quarterly"), N_("annually"))
FREQUENCIES_MORE = (N_("ad_hoc"), N_("every two weeks"), N_("twice a year"))

#: Skill levels (the UK DDaT capability framework's four) and the staff survey's role families.
SKILL_LEVELS = (N_("awareness"), N_("working"), N_("practitioner"), N_("expert"))
ROLE_FAMILIES = (
    N_("executive"),
    N_("manager"),
    N_("analyst"),
    N_("specialist"),
    N_("frontline"),
    N_("administrative"),
    N_("technical"),
)

#: Data roles a workforce plan hires (lessons.skills.HIRE_FOR_SKILL) and how the team trains.
DATA_ROLES = (
    N_("data trainer"),
    N_("data analyst"),
    N_("performance analyst"),
    N_("data governance manager"),
    N_("data engineer"),
    N_("data scientist"),
    N_("data ethicist"),
    N_("UK DDaT capability framework"),
    N_("this program's own title (not a UK DDaT role)"),
)
TRAINING_FORMATS = (
    N_("online course"),
    N_("workshop series"),
    N_("mentoring"),
    N_("data academy"),
)

#: The fields a demographic data standard collects (citydata.schemas.DEMOGRAPHIC_FIELDS) that no
#: list above names, as Module 3 workshop C's form lists them.
DEMOGRAPHIC_FIELDS = (N_("race_ethnicity"), N_("gender"), N_("language"), N_("income"))

#: Kinds of stakeholder, and the stakeholder map's and engagement plan's columns.
STAKEHOLDERS = (
    N_("council"),
    N_("community_group"),
    N_("residents"),
    N_("staff"),
    N_("partner"),
    N_("kind"),
    N_("holds"),
    N_("needs"),
    N_("ask"),
    N_("show"),
    N_("when"),
    N_("stakeholder"),
    N_("activity"),
    N_("owner"),
    N_("population"),
)

#: Metrics, service requests and quality: the columns of the tables the workshops show.
COLUMNS = (
    N_("metric"),
    N_("department"),
    N_("latest value"),
    N_("target"),
    N_("unit"),
    N_("months of data"),
    N_("count"),
    N_("rate"),
    N_("days"),
    N_("share"),
    N_("measure"),
    N_("table"),
    N_("rows"),
    N_("rule"),
    N_("completeness"),
    N_("timeliness"),
    N_("validity"),
    N_("duplicates"),
    N_("age_days"),
    N_("meets all"),
    N_("dimension"),
    N_("group"),
    N_("programme"),
    N_("year"),
    N_("role"),
    N_("who"),
    N_("how"),
    N_("why"),
    N_("skill"),
    N_("people"),
    N_("cost"),
    N_("yes"),
    N_("no"),
)

#: The columns of the city's tables, as the workshops show them.
DATA_COLUMNS = (
    N_("dataset"),
    N_("datasets"),
    N_("dataset_id"),
    N_("update_frequency"),
    N_("last_updated"),
    N_("age_days"),
    N_("allowed_days"),
    N_("days_allowed"),
    N_("fresh"),
    N_("owner_department_id"),
    N_("department_id"),
    N_("contains_personal_data"),
    N_("documented"),
    N_("moved"),
    N_("published"),
    N_("verdict"),
    N_("reason"),
    N_("race_format"),
    N_("collects_race"),
)

#: The fields of the answers that a workshop's summary shows (one-word keys; a key joined by "_"
#: is shown as code).
ANSWER_FIELDS = (
    N_("records"),
    N_("reviews"),
    N_("chair"),
    N_("cadence"),
    N_("body"),
    N_("members"),
    N_("decides"),
    N_("investment"),
    N_("goal"),
)

#: The demographic standard's parts (Module 3, workshop C), as its summary shows them.
STANDARD_PARTS = (
    N_("fields"),
    N_("optional"),
    N_("access"),
    N_("public"),
    N_("every two years"),
    N_("every year"),
)

#: How a dataset collects race and ethnicity against the country's standard.
VERDICTS = (N_("meets"), N_("partly meets"), N_("misses"), N_("custom"), N_("none"))

#: What a published table or chart shows for a group (policy.privacy's marker and the workshops'
#: statuses): a Spanish reader sees "suprimido", the data keeps "suppressed".
PRIVACY_STATUSES = (N_("suppressed"), N_("no participants"), N_("shown"))

#: The maturity self-assessment's practice areas (lessons.maturity.PRACTICE_AREAS ids).
PRACTICE_AREAS = (
    N_("governance"),
    N_("data_management"),
    N_("analytics"),
    N_("performance"),
    N_("open_data"),
    N_("equity"),
    N_("workforce"),
    N_("engagement"),
)

__all__ = [
    "ANSWER_FIELDS",
    "COLUMNS",
    "DATA_COLUMNS",
    "DATA_ROLES",
    "DEMOGRAPHIC_FIELDS",
    "FREQUENCIES",
    "FREQUENCIES_MORE",
    "PRACTICE_AREAS",
    "PRIVACY_STATUSES",
    "ROLE_FAMILIES",
    "SKILL_LEVELS",
    "STAKEHOLDERS",
    "STANDARD_PARTS",
    "TRAINING_FORMATS",
    "VERDICTS",
]

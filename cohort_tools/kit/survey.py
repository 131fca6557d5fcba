"""The staff skills survey as files a city can use: a CSV template and an example folder.

``staff_survey.csv`` has exactly the columns of the ``staff_survey`` table of the city data format
(one row per respondent and skill). :func:`write_survey_template` writes a small example city folder
(``city.yaml``, ``departments.csv`` and ``staff_survey.csv``) that `cda data check` accepts, so a
city can see the format pass before it fills in its own answers.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from cohort_tools.citydata.schemas import TABLES
from cohort_tools.core.fileio import write_all_or_nothing
from cohort_tools.kit.content import SkillsSurvey, load_skills_survey
from cohort_tools.policy.privacy import DEFAULT_THRESHOLD

SURVEY_TABLE = "staff_survey"

EXAMPLE_CITY = """\
# An example city folder for the staff skills survey (fictional). Copy staff_survey.csv into your
# own city's data folder, replace the example rows with your answers, and run `cda data check`.
id: survey-example
name: Survey Example City
fictional: true
country: US
state: OH
population: 50000
timezone: America/New_York
suppression_threshold: {threshold}
"""

EXAMPLE_DEPARTMENTS = [
    ("PW", "Public Works", 90, 12000000.0, 1),
    ("PR", "Parks and Recreation", 40, 5000000.0, 0),
]


def survey_columns() -> list[str]:
    """The columns of the staff_survey table, in order (the CSV template's header)."""
    return list(TABLES[SURVEY_TABLE].columns)


def _csv(rows: list[list[object]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def example_rows(
    survey: SkillsSurvey, *, respondents: int = 3, seed: int = 7
) -> list[list[object]]:
    """A few fictional answers: one row per respondent and skill, codes as the data check wants."""
    rng = random.Random(seed)
    levels = list(survey.scale)
    roles = list(survey.questions.role_family.options)
    rows: list[list[object]] = []
    for i in range(respondents):
        code = f"R{rng.randrange(16**6):06X}"
        department = EXAMPLE_DEPARTMENTS[i % len(EXAMPLE_DEPARTMENTS)][0]
        role = roles[i % len(roles)]
        for skill in survey.skills:
            interest = rng.choice(["True", "False", ""])
            rows.append([code, department, role, skill, rng.choice(levels[:3]), interest])
    return rows


def template_csv(survey: SkillsSurvey | None = None, *, with_examples: bool = False) -> bytes:
    """The CSV template: the header, and (if asked) a few fictional example rows."""
    survey = survey or load_skills_survey()
    rows = example_rows(survey) if with_examples else []
    return _csv(rows, survey_columns())


def write_survey_template(
    folder: Path, *, survey: SkillsSurvey | None = None, threshold: int = DEFAULT_THRESHOLD
) -> list[Path]:
    """An example city folder with the survey table, all written or none."""
    survey = survey or load_skills_survey()
    departments = _csv(
        [list(d) for d in EXAMPLE_DEPARTMENTS],
        list(TABLES["departments"].columns),
    )
    outputs = {
        folder / "city.yaml": EXAMPLE_CITY.format(threshold=threshold).encode("utf-8"),
        folder / "departments.csv": departments,
        folder / "staff_survey.csv": template_csv(survey, with_examples=True),
    }
    return write_all_or_nothing(outputs)

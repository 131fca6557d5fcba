"""No staff-survey group below the city's threshold shows anywhere in Module 2's outputs.

Every Module 2 notebook present at collection time runs, with solutions, on a copy of Riverton where
a new department (QZX, "Quillmoor Records Office") has 4 respondents and the Fire and Rescue x
analyst cell has 4. A cell injected after the setup cell records every chart spec handed to the
active altair renderer. A *leak* is the small group appearing in a survey-derived unit: a chart data
row, an HTML table row (with its header) or a line of text that also carries survey words. The
department's name in non-survey output (its headcount, its data roles) is legitimate and is not a
leak; the test checks that it does appear there, so the detector is not blind.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from notebook_runs import execute

import cohort_tools
from cohort_tools.citydata.schemas import SKILLS
from cohort_tools.core import paths
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.policy.privacy import survey_groups

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(
    [*paths.curriculum_dir().glob("m2_*.md"), *paths.workshops_dir().glob("m2_*.md")]
)
SMALL_DEPT = ("QZX", "Quillmoor Records Office")
SMALL_CELL = (("FIRE", "Fire and Rescue"), "analyst")
SURVEY_WORDS = re.compile(
    r"\b(skill|skills|level|levels|respondent|respondents|survey|role_family|role family|"
    r"training|gap|awareness|practitioner|expert|" + "|".join(SKILLS) + r")\b",
    re.I,
)
RECORDER = """
import json as _json
import altair as _alt
_inner = _alt.renderers.get()
def _recording(spec, **meta):
    with open({path!r}, "a", encoding="utf-8") as _f:
        _f.write(_json.dumps(spec, default=str) + "\\n")
    return _inner(spec, **meta)
_alt.renderers.register("m2-recording", _recording)
_alt.renderers.enable("m2-recording")
"""


def make_test_city(tmp_path: Path) -> Path:
    city = tmp_path / "smallgroups"
    shutil.copytree(
        Path(cohort_tools.__file__).parent / "demo_cohort" / "cities" / "riverton",
        city,
        ignore=shutil.ignore_patterns(".cda-cache"),
    )
    depts = pd.read_csv(city / "departments.csv")
    depts.loc[len(depts)] = ["QZX", "Quillmoor Records Office", 9, 800000.0, 1]
    depts.to_csv(city / "departments.csv", index=False)
    survey = pd.read_csv(city / "staff_survey.csv")
    people = survey.drop_duplicates("respondent_id")
    # four large-department respondents move to the new department, all rated expert
    movers = people[people["department_id"] == "PW"]["respondent_id"].head(4)
    moved = survey["respondent_id"].isin(movers)
    survey.loc[moved, "department_id"] = "QZX"
    survey.loc[moved, "level"] = "expert"
    # Fire and Rescue keeps exactly four analysts
    fire_analysts = people[
        (people["department_id"] == "FIRE") & (people["role_family"] == "analyst")
    ]
    extra = fire_analysts["respondent_id"].iloc[4:]
    survey.loc[survey["respondent_id"].isin(extra), "role_family"] = "specialist"
    survey.to_csv(city / "staff_survey.csv", index=False)
    return city


# --- the detector ------------------------------------------------------------------------------


def _mentions(text: str, names: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names)


def is_leak(unit: str) -> bool:
    """A unit of output that shows the small department or cell alongside survey figures."""
    if not SURVEY_WORDS.search(unit):
        return False
    if _mentions(unit, SMALL_DEPT):
        return True
    (cell_dept, cell_role) = SMALL_CELL
    return _mentions(unit, cell_dept) and _mentions(unit, (cell_role,))


def html_units(html: str) -> list[str]:
    """Each table row with its header, plus each image's alt text."""
    units = re.findall(r'alt="([^"]*)"', html)
    if "<table" in html:
        for table in pd.read_html(StringIO(html)):
            header = " ".join(
                " ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in table.columns
            )
            for row in table.astype(str).itertuples(index=False):
                units.append(header + " | " + " | ".join(map(str, row)))
    return units


def text_units(text: str) -> list[str]:
    return [u for u in re.split(r"[\n;]|(?<=\.)\s", text) if u.strip()]


def chart_units(record: dict[str, Any]) -> list[str]:
    """Every data row of a chart spec (datasets and inline values), as 'key=value' text."""
    rows: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets" and isinstance(value, dict):
                    for data in value.values():
                        rows.extend(r for r in data if isinstance(r, dict))
                elif key == "values" and isinstance(value, list):
                    rows.extend(r for r in value if isinstance(r, dict))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(record)
    return [" ".join(f"{k}={v}" for k, v in row.items()) for row in rows] + text_units(
        str(record.get("description", ""))
    )


def output_units(nb: nbformat.NotebookNode) -> list[str]:
    units: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            units += html_units(data.get("text/html", ""))
            units += text_units(data.get("text/markdown", "") + out.get("text", ""))
            if "text/html" not in data:
                units += text_units(data.get("text/plain", ""))
    return units


# --- the tests ---------------------------------------------------------------------------------


def test_the_detector_catches_a_leak_and_lets_a_department_table_through() -> None:
    leaked_chart = {
        "datasets": {
            "d1": [
                {
                    "department": "Quillmoor Records Office",
                    "skill_label": "Statistics",
                    "mean_level": 4.0,
                }
            ]
        }
    }
    assert any(is_leak(u) for u in chart_units(leaked_chart))
    leaked_cell = pd.DataFrame(
        {"department_id": ["FIRE"], "role_family": ["analyst"], "gap points": [3]}
    ).to_html()
    assert any(is_leak(u) for u in html_units(leaked_cell))
    assert any(is_leak(u) for u in text_units("QZX staff average 4.0 in data_ethics."))
    legit = pd.DataFrame(
        {"department": ["Quillmoor Records Office"], "headcount": [9], "data_roles": [1]}
    ).to_html()
    assert not any(is_leak(u) for u in html_units(legit))
    assert not any(is_leak(u) for u in text_units("Fire and Rescue: 0 per 100 staff."))


def test_the_test_city_has_the_small_groups(tmp_path: Path) -> None:
    survey = pd.read_csv(make_test_city(tmp_path) / "staff_survey.csv")
    by_dept = survey_groups(survey, "department_id", threshold=11)
    by_cell = survey_groups(survey, ["department_id", "role_family"], threshold=11)
    assert by_dept.sizes["QZX"] == 4 and "QZX" in by_dept.withheld
    assert by_cell.sizes[("FIRE", "analyst")] == 4 and ("FIRE", "analyst") in by_cell.withheld
    assert "FIRE" not in by_dept.withheld


@pytest.fixture(scope="module")
def test_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_test_city(tmp_path_factory.mktemp("m2privacy"))


@pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_small_survey_group_appears_in_module2_outputs(
    source: Path, test_city: Path, tmp_path: Path
) -> None:
    nb = read_myst(source.read_text(encoding="utf-8"))
    record = tmp_path / "charts.jsonl"
    setup = next(
        i
        for i, c in enumerate(nb.cells)
        if "nb.start(" in c.source and c.cell_type == "code" and "import" in c.source
    )
    nb.cells.insert(
        setup + 1,
        nbformat.v4.new_code_cell(RECORDER.format(path=str(record)), metadata={"tags": []}),
    )
    executed = execute(nb, str(test_city), tmp_path)
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors, [(e["ename"], e["evalue"]) for e in errors]
    charts = (
        [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    )
    units = output_units(executed) + [u for spec in charts for u in chart_units(spec)]
    leaks = [u for u in units if is_leak(u)]
    assert not leaks, leaks[:5]
    if source.stem in {"m2_keynote", "m2_workshop_a_skills"}:
        assert charts, "the recorder saw no chart: it would miss a leak in chart data"
    if source.stem in {"m2_keynote", "m2_workshop_b_workforce"}:
        # the small department is shown legitimately (data roles, headcount): the detector sees it
        assert any(_mentions(u, SMALL_DEPT) for u in units)

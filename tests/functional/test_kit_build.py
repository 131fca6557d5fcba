"""`cda kit build` and `cda kit feedback`, and the survey template through `cda data check`.

The kit is built once for the module (HTML and PDF through WeasyPrint); the tests read what it wrote.
"""

from __future__ import annotations

import datetime as dt
import shutil
from html import unescape
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from cohort_tools.cli import app
from cohort_tools.kit.content import load_showcase_rubrics
from cohort_tools.kit.feedback import example_feedback

pytestmark = pytest.mark.slow
runner = CliRunner()

PRINTED = [
    "convening",
    "brief-m1-keynote",
    "brief-m2-keynote",
    "brief-m3-keynote",
    "showcase-rubrics",
    "showcase-feedback",
    "skills-survey",
    "coaching-guide",
    "lead-orientation",
    "cohort-keynotes",
]


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "kit"
    result = runner.invoke(app, ["kit", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "10 printable pages and 10 PDFs" in result.output
    return out


@pytest.mark.parametrize("name", PRINTED)
def test_every_kit_page_is_written_as_html_and_a_readable_pdf(kit: Path, name: str) -> None:
    html = (kit / f"{name}.html").read_text(encoding="utf-8")
    assert "<main>" in html and "{doc}" not in html and "{ref}" not in html
    reader = pypdf.PdfReader(kit / f"{name}.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    title = unescape(html.split("<title>", 1)[1].split("</title>", 1)[0])
    assert title.split(":")[0].split(",")[0][:20] in " ".join(text.split())


def test_the_index_links_every_page_and_pdf(kit: Path) -> None:
    index = (kit / "index.html").read_text(encoding="utf-8")
    for name in PRINTED:
        assert f'href="{name}.html"' in index and f'href="{name}.pdf"' in index


def test_the_survey_example_folder_passes_cda_data_check(kit: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "check", str(kit / "skills-survey-example")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    header = (kit / "staff_survey_template.csv").read_text(encoding="utf-8").strip()
    assert header == "respondent_id,department_id,role_family,skill,level,training_interest"


def test_a_survey_with_an_email_for_a_code_fails_the_check(kit: Path, tmp_path: Path) -> None:
    folder = tmp_path / "survey"
    shutil.copytree(kit / "skills-survey-example", folder)
    survey = folder / "staff_survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    code = lines[1].split(",")[0]
    survey.write_text(
        "\n".join(line.replace(code, "jane@city.gov") for line in lines) + "\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["data", "check", str(folder)])
    assert result.exit_code == 1
    assert "respondent_id" in result.output


def test_blank_feedback_forms_are_written_for_each_showcase(kit: Path) -> None:
    names = sorted(p.name for p in (kit / "feedback").glob("*.yaml"))
    assert names == ["showcase-final.yaml", "showcase-routine.yaml"]


def test_cda_kit_feedback_checks_a_form(tmp_path: Path) -> None:
    rubric = load_showcase_rubrics().for_showcase("showcase-final")
    good = tmp_path / "feedback-showcase-final.yaml"
    good.write_text(example_feedback(rubric, city="riverton", date=dt.date(2027, 6, 16)))
    result = runner.invoke(app, ["kit", "feedback", str(good), "--city", "riverton"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and f"of {3 * len(rubric.criteria)} points" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("cda_lead", "Ana Lopez"))
    result = runner.invoke(app, ["kit", "feedback", str(bad), "--city", "riverton"])
    assert result.exit_code == 1
    assert "'Ana Lopez' is not a role" in result.output

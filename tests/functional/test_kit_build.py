"""`cda kit build` and `cda kit feedback`, and the survey template through `cda data check`.

The kit is built once for the module (HTML and PDF through WeasyPrint), in every language of the
demo cohort (English in the folder, Spanish in es/ for Puerto Arrayán); the tests read what it wrote.
"""

from __future__ import annotations

import datetime as dt
import re
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
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The kit folder and what `cda kit build` printed."""
    out = tmp_path_factory.mktemp("kit") / "kit"
    result = runner.invoke(app, ["kit", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "10 printable pages and 10 PDFs" in result.output
    return out, result.output


@pytest.fixture(scope="module")
def kit(built: tuple[Path, str]) -> Path:
    return built[0]


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


# --- the Spanish kit (the demo cohort's Puerto Arrayán reads Spanish) ------------------------------


def test_the_kit_is_also_written_in_spanish_in_es_and_the_summary_names_both_languages(
    built: tuple[Path, str],
) -> None:
    out, printed = built
    for name in PRINTED:
        assert (out / "es" / f"{name}.html").is_file() and (out / "es" / f"{name}.pdf").is_file()
    assert sorted(p.name for p in (out / "es" / "feedback").glob("*.yaml")) == [
        "showcase-final.yaml",
        "showcase-routine.yaml",
    ]
    assert "English" in printed and "Español" in printed and str(out / "es") in printed


@pytest.mark.parametrize("name", PRINTED)
def test_spanish_kit_pages_are_marked_spanish_with_english_names_as_spans(
    kit: Path, name: str
) -> None:
    page = (kit / "es" / f"{name}.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page
    assert "{.lang-" not in page and "\ue000" not in page
    assert "Facilitation kit" not in page
    assert "convening workbook" not in page  # a reference to the workbook prints its title
    if name.startswith("brief-"):  # a brief cites its sources by their English titles
        assert '<span lang="en">' in page


def test_the_spanish_index_lists_the_pages_under_spanish_titles(kit: Path) -> None:
    index = (kit / "es" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in index
    for title in ("Kit de facilitación", "Guía para coaches", "Guía del enlace CDA", "Página"):
        assert title in index, title
    for english in ("Facilitation kit", "Every page of the kit", "Coaching guide", ">Page<"):
        assert english not in index, english
    for name in PRINTED:
        assert f'href="{name}.html"' in index and f'href="{name}.pdf"' in index


def test_the_spanish_cohort_page_is_written_in_spanish_with_spanish_numbers(kit: Path) -> None:
    page = unescape((kit / "es" / "cohort-keynotes.html").read_text(encoding="utf-8"))
    assert '<html lang="es">' in page
    assert "Conclusión:" in page and "Ciudad" in page
    for english in (
        "Every city of the cohort side by side",
        "Takeaway:",
        "Module 1 keynote",
        "Median days to close",
        "not shared",
        " of ",
    ):
        assert english not in page, english
    # Colombia writes a decimal comma and a thousands point (CLDR es_CO): "3,5", "16.000"
    body = page.split("<body", 1)[1]
    assert re.search(r"\d,\d(?!\d)", body) and re.search(r"\d\.\d{3}\b", body)
    assert not re.search(r"\d\.\d(?!\d)", body)


def test_the_spanish_feedback_forms_speak_spanish_and_keep_the_keys(kit: Path) -> None:
    english = (kit / "feedback" / "showcase-routine.yaml").read_text(encoding="utf-8")
    spanish = (kit / "es" / "feedback" / "showcase-routine.yaml").read_text(encoding="utf-8")
    assert "Fill in every field" in english and "Fill in every field" not in spanish
    keys = [line.split(":")[0] for line in english.splitlines() if not line.startswith("#")]
    assert keys == [line.split(":")[0] for line in spanish.splitlines() if not line.startswith("#")]

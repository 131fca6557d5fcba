"""`cda data check|import|dictionary` on files on disk."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cohort_tools.citydata import load
from cohort_tools.cli import data_app
from tests.conftest import SHARED_FIXTURES, CohortFactory

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"
REAL = SHARED_FIXTURES
STEM = "nyc-311-socrata-export-2024-05"
runner = CliRunner()


@pytest.fixture
def city(tmp_path: Path) -> Path:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_of_a_valid_city_exits_0(city: Path) -> None:
    result = runner.invoke(data_app, ["check", str(city)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_check_reports_every_error_and_exits_1(city: Path) -> None:
    (city / "departments.csv").write_bytes(b"")
    path = city / "neighbourhood_demographics.csv"
    path.write_text(path.read_text().replace(",3000", ",-3000"))
    before = {p.name: digest(p) for p in city.iterdir() if p.is_file()}
    result = runner.invoke(data_app, ["check", str(city)])
    assert result.exit_code == 1
    assert "departments.csv" in result.output and "empty" in result.output
    assert "neighbourhood_demographics.csv" in result.output and "row 2" in result.output
    assert "2 error(s)" in result.output
    assert {p.name: digest(p) for p in city.iterdir() if p.is_file()} == before


def test_check_with_only_warnings_exits_0(city: Path) -> None:
    (city / "data_use_log.csv").unlink()
    result = runner.invoke(data_app, ["check", str(city)])
    assert result.exit_code == 0
    assert "warning:" in result.output and "data_use_log" in result.output


def _break_three_ways(city: Path) -> None:
    """A bad date, a blank required cell and a file that is no table."""
    path = city / "service_requests.csv"
    path.write_text(path.read_text().replace("2024-05-02T09:15", "02/05/2024 09:15"))
    path = city / "staff_survey.csv"
    path.write_text(
        path.read_text().replace("R001,PW,analyst,statistics", ",PW,analyst,statistics")
    )
    (city / "notes.csv").write_text("a,b\n1,2\n")


def test_check_speaks_spanish_when_asked_and_english_otherwise(city: Path) -> None:
    _break_three_ways(city)
    english = runner.invoke(data_app, ["check", str(city)])
    spanish = runner.invoke(data_app, ["check", str(city), "--language", "es"])
    assert english.exit_code == spanish.exit_code == 1
    assert "is blank in row 3" in english.output and "Fix:" in english.output
    for words in (
        "la columna 'respondent_id' está vacía en fila 3",
        "tiene fechas en formatos mezclados",
        "este archivo no es una de las tablas de la ciudad",
        "Cómo corregirlo:",
        "aviso:",
        "No se cambió nada",
    ):
        assert words in spanish.output, (words, spanish.output)
    for english_words in ("Fix:", "warning:", "is blank", " row ", "Nothing was changed"):
        assert english_words not in spanish.output, (english_words, spanish.output)


def test_check_speaks_the_language_city_yaml_names(city: Path) -> None:
    _break_three_ways(city)
    profile = city / "city.yaml"
    profile.write_text(profile.read_text() + "language: es\n")
    result = runner.invoke(data_app, ["check", str(city)])
    assert result.exit_code == 1
    assert "está vacía en fila 3" in result.output, result.output
    overridden = runner.invoke(data_app, ["check", str(city), "--language", "en"])
    assert "is blank in row 3" in overridden.output


def test_check_speaks_the_language_the_cohort_gives_the_city_of_this_folder(
    city: Path, make_cohort: CohortFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_three_ways(city)

    def point_a_spanish_city_here(data: dict[str, Any]) -> None:
        data["cities"][0]["data_folder"] = str(city)
        data["cities"][0]["language"] = "es"

    monkeypatch.setenv("CDA_COHORT_FILE", str(make_cohort(point_a_spanish_city_here)))
    result = runner.invoke(data_app, ["check", str(city)])
    assert result.exit_code == 1
    assert "está vacía en fila 3" in result.output, result.output


def test_check_with_an_unknown_language_names_the_choices(city: Path) -> None:
    result = runner.invoke(data_app, ["check", str(city), "--language", "fr"])
    assert result.exit_code == 1
    assert "--language" in result.output and "es (Español)" in result.output


def test_check_of_a_missing_folder_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(data_app, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "does not exist" in result.output


@pytest.mark.skipif(
    not REAL.is_dir(), reason="shared real fixtures not present (CI must have them)"
)
@pytest.mark.parametrize("ext", ["csv", "json"])
def test_import_nyc_export_then_load_gives_the_readme_counts(city: Path, ext: str) -> None:
    source = REAL / f"{STEM}.{ext}"
    before = digest(source)
    (city / "service_requests.csv").unlink()
    result = runner.invoke(
        data_app,
        [
            "import",
            str(source),
            "--city-dir",
            str(city),
            "--table",
            "service_requests",
            "--preset",
            "socrata_nyc_311",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1000 rows" in result.output
    assert digest(source) == before
    check = runner.invoke(data_app, ["check", str(city)])
    assert check.exit_code == 0, check.output
    frame = load(city, "service_requests")
    assert len(frame) == 1000
    assert frame["status"].value_counts().to_dict() == {"closed": 677, "open": 323}
    assert frame["source_status"].value_counts().to_dict() == {
        "Closed": 677,
        "In Progress": 293,
        "Open": 29,
        "Assigned": 1,
    }
    assert frame["closed_datetime"].notna().sum() == 677


def test_import_refuses_to_overwrite_without_force(city: Path, tmp_path: Path) -> None:
    source = tmp_path / "depts.csv"
    source.write_text("department_id,department,headcount,budget_usd,data_roles\nX,X,1,1,0\n")
    target = city / "departments.csv"
    before = digest(target)
    args = ["import", str(source), "--city-dir", str(city), "--table", "departments"]
    result = runner.invoke(data_app, args)
    assert result.exit_code == 1 and "--force" in result.output
    assert digest(target) == before
    forced = runner.invoke(data_app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text().splitlines()[1] == "X,X,1,1.0,0"


def test_import_speaks_the_language_city_yaml_names(city: Path, tmp_path: Path) -> None:
    profile = city / "city.yaml"
    profile.write_text(profile.read_text() + "language: es\n")
    source = tmp_path / "depts.csv"
    source.write_text("department_id,department,headcount,budget_usd,data_roles\nX,X,-1,1,0\n")
    args = ["import", str(source), "--city-dir", str(city), "--table", "departments"]
    refused = runner.invoke(data_app, args)
    assert refused.exit_code == 1
    assert "la ciudad ya tiene una tabla departments" in refused.output, refused.output
    invalid = runner.invoke(data_app, [*args, "--force"])
    assert invalid.exit_code == 1
    assert "no se importó como departments; no se escribió nada" in invalid.output, invalid.output
    assert "debe ser 0 o más" in invalid.output and "fila 2" in invalid.output
    source.write_text("department_id,department,headcount,budget_usd,data_roles\nX,X,1,1,0\n")
    imported = runner.invoke(data_app, [*args, "--force"])
    assert imported.exit_code == 0 and "Filas importadas en" in imported.output, imported.output


def test_import_of_invalid_data_writes_nothing(city: Path, tmp_path: Path) -> None:
    source = tmp_path / "outcomes.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(
        [
            "programme_id",
            "programme",
            "period",
            "dimension",
            "group",
            "participants",
            "successes",
            "outcome_measure",
        ]
    )
    book.active.append(["P", "P", "2024", "age", "0-4", 5, -1, "x"])
    book.save(source)
    (city / "programme_outcomes.csv").unlink()
    result = runner.invoke(
        data_app, ["import", str(source), "--city-dir", str(city), "--table", "programme_outcomes"]
    )
    assert result.exit_code == 1
    assert "successes" in result.output and "row 2" in result.output
    assert "nothing was written" in result.output
    assert not list(city.glob("programme_outcomes.*"))


def test_import_with_a_preset_for_another_table_is_refused(city: Path) -> None:
    source = VALID / "departments.csv"
    result = runner.invoke(
        data_app,
        [
            "import",
            str(source),
            "--city-dir",
            str(city),
            "--table",
            "departments",
            "--preset",
            "socrata_nyc_311",
        ],
    )
    assert result.exit_code == 1 and "service_requests table" in result.output


def test_dictionary_lists_every_table_and_column(tmp_path: Path) -> None:
    out = tmp_path / "dictionary.md"
    result = runner.invoke(data_app, ["dictionary", "--out", str(out)])
    assert result.exit_code == 0
    text = out.read_text()
    from cohort_tools.citydata import TABLES

    for name, schema in TABLES.items():
        assert f"## {name}" in text
        for column in schema.columns:
            assert f"`{column}`" in text
    assert "`awareness`, `working`, `practitioner`, `expert`" in text
    assert "socrata_nyc_311" in text

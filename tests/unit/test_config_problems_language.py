"""A YAML file's problems (city.yaml, the coaching log, the cohort file...) in the reader's language.

The shared reader (cohort_tools.core.config) words what pydantic finds in our own catalog messages:
a Spanish city's data check is Spanish from start to end (issue 20), and a broken city.yaml is not
followed by problems judged against another country's standard.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cohort_tools.citydata import check_city
from cohort_tools.cli import app
from cohort_tools.core import paths
from cohort_tools.core.config import load_yaml
from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import N_, speaking

PUERTO_ARRAYAN = paths.DEMO_COHORT_FILE.parent / "cities" / "puerto-arrayan"


@pytest.fixture
def broken_city(tmp_path: Path) -> Path:
    """Puerto Arrayán (Colombia) with a population in words and a misspelt field in city.yaml."""
    city = tmp_path / "puerto-arrayan"
    shutil.copytree(PUERTO_ARRAYAN, city)
    profile = city / "city.yaml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace("population: 310000", "population: mucho") + "colour: red\n"
    profile.write_text(text, encoding="utf-8")
    return city


def _lines(city: Path, language: str) -> list[str]:
    with speaking(language):
        return [str(p) for p in check_city(city)]


def test_a_broken_city_profile_is_reported_in_spanish_with_spanish_fixes(broken_city: Path) -> None:
    lines = "\n".join(_lines(broken_city, "es"))
    assert "campo 'population': no es un número entero (se encontró 'mucho')" in lines
    assert "escriba un número entero sin separadores" in lines
    assert "campo 'colour': no es un campo conocido" in lines
    for english in ("whole number", "is not a known field", "input should", "Fix:"):
        assert english not in lines


def test_a_broken_city_profile_is_reported_in_plain_english(broken_city: Path) -> None:
    lines = "\n".join(_lines(broken_city, "en"))
    assert "field 'population': is not a whole number (got 'mucho'). Fix: write a whole" in lines
    assert "field 'colour': is not a known field." in lines
    assert "unable to parse" not in lines  # pydantic's own wording is not shown


def test_a_broken_city_profile_is_not_followed_by_the_wrong_countrys_standard(
    broken_city: Path,
) -> None:
    # the country cannot be read while city.yaml is broken: no "not in SPD 15" for a Colombian city
    assert not [line for line in _lines(broken_city, "en") if "SPD 15" in line]


def test_a_missing_coaching_log_is_named_in_spanish(tmp_path: Path) -> None:
    with speaking("es"), pytest.raises(CdaError) as raised:
        load_yaml(tmp_path / "coaching_log.yaml", N_("coaching log"))
    assert "bitácora de coaching: el archivo no existe." in str(raised.value)
    with pytest.raises(CdaError) as raised:
        load_yaml(tmp_path / "coaching_log.yaml", N_("coaching log"))
    assert "the coaching log does not exist." in str(raised.value)


def _broken_cohort(tmp_path: Path) -> Path:
    """The demo cohort's Colombian city alone, with a population in words, a time zone misspelt
    and a role the program does not have."""
    text = paths.DEMO_COHORT_FILE.read_text(encoding="utf-8")
    head, city = text[: text.index("cities:")], text[text.index("  - id: puerto-arrayan") :]
    city = (
        city.replace("population: 310000", "population: mucho")
        .replace("timezone: America/Bogota", "timezone: America/Bogotá")
        .replace("role: equity_lead", "role: jefa")
        .replace("data_folder: cities/puerto-arrayan", f"data_folder: {PUERTO_ARRAYAN}")
    )
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text(head + "cities:\n" + city, encoding="utf-8")
    return cohort


def test_a_broken_cohort_file_is_reported_in_spanish_with_language_es(tmp_path: Path) -> None:
    cohort = _broken_cohort(tmp_path)
    result = CliRunner().invoke(app, ["--language", "es", "cohort", "check", str(cohort)])
    assert result.exit_code == 1
    assert "tiene problemas" in result.output and "Se encontraron 3 problema(s)" in result.output
    assert "population': no es un número entero (se encontró 'mucho')" in result.output
    assert "'America/Bogotá' no es una zona horaria conocida" in result.output
    assert "'jefa' no es uno de los cargos del programa" in result.output
    assert "para otro cargo escriba role: other" in result.output
    english = CliRunner().invoke(app, ["cohort", "check", str(cohort)])
    assert "'jefa' is not one of the program's roles. Fix: use one of" in english.output

"""Languages as data: the language of each city, catalogs, translated sources and locale formats."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from cohort_tools.core import i18n
from cohort_tools.core.errors import CdaError
from cohort_tools.model.cohort import load_cohort
from cohort_tools.model.programme import in_language, load_programme


def test_dates_numbers_and_money_follow_the_language_and_country() -> None:
    day = dt.date(2027, 1, 15)
    assert i18n.format_date(day, language="en") == "January 15, 2027"
    assert i18n.format_date(day, language="es", country="CO") == "15 de enero de 2027"
    assert i18n.format_money(1_200_000, country="CO", language="es") == "$1.200.000"
    assert i18n.format_money(1_200_000, country="US", language="en") == "$1,200,000"
    assert i18n.format_number(12_400, language="es", country="CO") == "12.400"
    assert i18n.currency_of("CO") == "COP" and i18n.currency_of("GT") == "GTQ"


def test_speaking_sets_the_language_for_a_block_and_rejects_an_unknown_one() -> None:
    assert i18n.current_language() == "en"
    with i18n.speaking("es"):
        assert i18n.current_language() == "es"
    assert i18n.current_language() == "en"
    with pytest.raises(ValueError, match="use one of: en \\(English\\), es \\(Español\\)"):
        i18n.known_language("pt")


def test_a_translated_source_sits_in_a_language_folder_beside_the_english(tmp_path: Path) -> None:
    en = tmp_path / "w.md"
    en.write_text("x", encoding="utf-8")
    assert i18n.source_for(en, "es") == en  # no translation yet: the English
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "w.md").write_text("y", encoding="utf-8")
    assert i18n.source_for(en, "es") == tmp_path / "es" / "w.md"
    assert i18n.source_for(en, "en") == en


def test_a_city_reads_its_own_language_or_the_cohorts(tmp_path: Path) -> None:
    cohort = load_cohort(None)
    assert all(c.lang in i18n.LANGUAGE_NAMES for c in cohort.cities)
    text = cohort.path.read_text(encoding="utf-8")
    bad = tmp_path / "cohort.yaml"
    bad.write_text(
        text.replace("data_folder: cities/", f"data_folder: {cohort.path.parent}/cities/").replace(
            "  - id: riverton\n", "  - id: riverton\n    language: klingon\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(CdaError) as err:
        load_cohort(bad)
    message = str(err.value)
    assert "language" in message and "klingon" in message and "es (Español)" in message
    spanish = tmp_path / "es.yaml"
    spanish.write_text(
        text.replace("data_folder: cities/", f"data_folder: {cohort.path.parent}/cities/").replace(
            "timezone: America/New_York\ncities:",
            "timezone: America/New_York\nlanguage: es\ncities:",
        ),
        encoding="utf-8",
    )
    assert {c.lang for c in load_cohort(spanish).cities} == {"es"}


def test_the_programme_reads_in_a_language_through_the_catalog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    programme = load_programme()
    part = programme.deliverable.parts[0]
    fake = {part.title: "Visión", programme.modules[0].title: "Liderazgo con datos"}
    monkeypatch.setattr(i18n, "_messages", lambda language: fake if language == "es" else {})
    spanish = in_language(programme, "es")
    assert spanish.deliverable.parts[0].title == "Visión"
    assert spanish.modules[0].title == "Liderazgo con datos"
    assert spanish.deliverable.parts[0].id == part.id  # ids stay
    assert spanish.modules[1].title == programme.modules[1].title  # not translated yet: English
    assert in_language(programme, "en") is programme


def test_the_yaml_extractor_gives_each_text_value_with_its_line() -> None:
    source = b"name: The programme\nmodules:\n  - id: m1\n    title: Leading\n    months: [2]\n"
    found = list(i18n.extract_yaml(io.BytesIO(source), [], [], {}))
    assert [(line, text) for line, _, text, _ in found] == [(1, "The programme"), (4, "Leading")]


def test_charts_in_spanish_write_colombian_numbers_and_spanish_months() -> None:
    from cohort_tools.render.charts import vegalite_to_svg

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"m": "2025-10-05", "n": 7261}, {"m": "2025-11-30", "n": 6131}]},
        "mark": "line",
        "encoding": {
            "x": {"field": "m", "type": "temporal", "timeUnit": "yearmonth"},
            "y": {"field": "n", "type": "quantitative"},
        },
    }
    with i18n.speaking("es", country="CO"):
        spanish = vegalite_to_svg(spec)
    english = vegalite_to_svg(spec)
    assert ">8.000<" in spanish and ">8,000<" in english
    assert "ctubre" in spanish.lower() or ">oct<" in spanish.lower()
    assert "October" in english or ">Oct<" in english or "Oct " in english
    formats = i18n.d3_locales("es", "CO")
    assert formats["format"]["thousands"] == "." and formats["time"]["months"][0] == "enero"


def test_a_new_language_is_published_by_adding_its_catalog_folder_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: adding Portuguese is a translator's job (a locale folder), not a code change."""
    (tmp_path / "pt" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "notes").mkdir()  # not a catalog folder
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n._published_languages() == {"en": "English", "es": "Español", "pt": "Português"}

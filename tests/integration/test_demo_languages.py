"""One `cda demo` run on a cohort that mixes languages: each city's outputs are in its own language.

The embedded demo cohort has English-speaking US cities and a Spanish-speaking Colombian one
(puerto-arrayan, ``language: es``); the session's demo run (``demo_run``) is read, not repeated.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cohort_tools.model.cohort import load_cohort

pytestmark = pytest.mark.slow

COHORT = load_cohort(None)
LANGUAGE = {c.id: c.lang for c in COHORT.cities}
SPANISH = [c for c, lang in LANGUAGE.items() if lang == "es"]
ENGLISH = [c for c, lang in LANGUAGE.items() if lang == "en"]


def _lang(page: Path) -> str:
    found = re.search(r'<html[^>]*\blang="([^"]+)"', page.read_text(encoding="utf-8"))
    assert found, f"{page} has no lang attribute"
    return found.group(1)


def test_the_demo_cohort_mixes_english_and_spanish_cities() -> None:
    assert SPANISH and ENGLISH, LANGUAGE


def test_each_city_gets_its_released_workshops_in_its_language(
    demo_run: tuple[Any, Path],
) -> None:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    for city, lang in LANGUAGE.items():
        released = out / "course" / "release" / f"m1_workshop_a_data_routines--{city}"
        nb = nbformat.read(released / "m1_workshop_a_data_routines.ipynb", as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        heading = "# Taller A" if lang == "es" else "# Workshop A"
        assert heading in text, (city, text[:300])


@pytest.mark.parametrize("product", ["packets", "worksheets"])
def test_each_citys_pages_are_marked_and_written_in_its_language(
    demo_run: tuple[Any, Path], product: str
) -> None:
    _, out = demo_run
    for city, lang in LANGUAGE.items():
        pages = sorted((out / product / city).glob("*.html"))
        assert pages, (product, city)
        assert {_lang(p) for p in pages} == {lang}, (product, city)


def test_each_citys_strategy_and_calendar_are_in_its_language(demo_run: tuple[Any, Path]) -> None:
    _, out = demo_run
    for city, lang in LANGUAGE.items():
        assert _lang(out / "strategy" / city / "strategy.html") == lang
        ics = (out / "calendar" / f"{city}.ics").read_text(encoding="utf-8")
        coaching = "Sesión de coaching" if lang == "es" else "Coaching session"
        assert coaching in ics, (city, coaching)
    spanish = (out / "strategy" / SPANISH[0] / "strategy.html").read_text(encoding="utf-8")
    assert "Estrategia" in spanish


def test_each_citys_feedback_pages_are_in_its_language_and_name_the_workshop(
    demo_run: tuple[Any, Path],
) -> None:
    _, out = demo_run
    pages = sorted((out / "course" / "feedback").glob("*/*/*.html"))
    assert pages
    seen = set()
    for page in pages:
        city = page.parent.name.split("--", 1)[1]
        lang = LANGUAGE[city]
        seen.add(city)
        text = page.read_text(encoding="utf-8")
        assert _lang(page) == lang, page
        assert "cdnjs" not in text and '<script src="http' not in text, page
        heading = re.search(r"<h4>([^<]*)</h4>", text)
        assert heading and not heading.group(1).startswith(page.stem), (page, heading)
        score = "(Puntaje:" if lang == "es" else "(Score:"
        assert score in heading.group(1), (page, heading.group(1))
    assert seen == set(LANGUAGE), seen


def test_feedback_shows_each_form_as_the_answers_and_what_the_checkpoint_looks_at_not_widget_code(
    demo_run: tuple[Any, Path],
) -> None:
    """The sandbox that runs a learner's cells draws no widgets: a form there is shown as text."""
    _, out = demo_run
    pages = sorted((out / "course" / "feedback").glob("*/*/*.html"))
    looked_at = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "VBox(children" not in text and "HBox(children" not in text, page
        checkpoint = (
            "El punto de control revisa:"
            if "--puerto-arrayan" in str(page)
            else ("The checkpoint looks at:")
        )
        looked_at += text.count(checkpoint)
    assert looked_at >= len(pages), looked_at

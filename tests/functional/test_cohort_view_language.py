"""The cohort view is written in the cohort's language: a Spanish-speaking cohort's programme team
reads one Spanish page for every city (headings, table, chart description, dates); an English cohort's
page is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cohort_tools.cohort_view.page import write_cohort_view
from cohort_tools.core import paths
from cohort_tools.policy.language import english_words
from tests.integration.test_book_spanish import page_text

DEMO = paths.project_root() / "cohort_tools" / "demo_cohort"


def _cohort(tmp_path: Path, language: str | None) -> Path:
    shutil.copytree(DEMO, tmp_path / "cohort")
    path = tmp_path / "cohort" / "cohort.yaml"
    if language:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nstart_date:", f"\nlanguage: {language}\nstart_date:", 1))
    return path


@pytest.fixture(scope="module")
def spanish_view(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("es")
    page = write_cohort_view(cohort=_cohort(tmp, "es"), course_dir=None, out=tmp / "view")
    return page.read_text(encoding="utf-8")


def test_a_spanish_cohorts_view_has_no_english_words(spanish_view: str) -> None:
    # the names the cohort file gives (the cohort's, the cities') are data, not the page's words
    names = ("Demo cohort 2027 (fictional cities)", "Riverton", "Cedar Bend", "Port Alder")
    lines = []
    for n, line in enumerate(page_text(spanish_view), start=1):
        for name in names:
            line = line.replace(name, "")
        lines.append((n, line))
    assert not {w.word for w in english_words(lines)}


def test_a_spanish_cohorts_view_is_marked_spanish_and_writes_spanish_dates(
    spanish_view: str,
) -> None:
    assert '<html lang="es">' in spanish_view
    assert "Talleres entregados" in spanish_view and "vista de la cohorte" in spanish_view
    assert "prevista para el 25 jun 2027" in spanish_view  # a showcase's date, written in Spanish


def test_an_english_cohorts_view_stays_in_english(tmp_path: Path) -> None:
    page = write_cohort_view(cohort=_cohort(tmp_path, None), course_dir=None, out=tmp_path / "v")
    text = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in text
    assert "<th scope='col'>Workshops handed in</th>" in text
    assert ": cohort view</h1>" in text and "not assessed" not in text.split("<table")[0]

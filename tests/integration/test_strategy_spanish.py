"""The strategy of a Spanish-speaking city comes out in Spanish: every word this code writes.

The demo's Riverton, moved to Colombia and given ``language: es`` in a copy of the demo cohort
file, is built from the demo's graded course. The team's own answers (and the city's data) may be
in any language; the checks are on our text: headings, sentences, table columns, the sign-off
block, formats (pesos, dates and numbers as written in Colombia) and the pages' language.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest

import cohort_tools
from cohort_tools.core.i18n import LOCALE_DIR
from cohort_tools.strategy import StrategyResult, build_strategy

pytestmark = pytest.mark.slow

MADE_ON = dt.date(2027, 1, 15)


def spanish_cohort(folder: Path) -> Path:
    """A copy of the demo cohort file where Riverton is a Colombian city that reads Spanish."""
    demo = Path(cohort_tools.__file__).parent / "demo_cohort"
    text = (demo / "cohort.yaml").read_text(encoding="utf-8")
    riverton = "    state: OH\n    country: US\n"
    assert riverton in text
    text = text.replace(riverton, "    country: CO\n    language: es\n", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    for name in ("cities", "coaching"):
        (folder / name).symlink_to(demo / name, target_is_directory=True)
    return folder / "cohort.yaml"


@pytest.fixture(scope="module")
def spanish(demo_run: tuple[Any, Path], tmp_path_factory: pytest.TempPathFactory) -> StrategyResult:
    result, out = demo_run
    assert result.exit_code == 0, result.output
    folder = tmp_path_factory.mktemp("spanish")
    cohort = spanish_cohort(folder / "cohort")
    return build_strategy(
        city="riverton",
        cohort=cohort,
        course_dir=out / "course",
        out=folder / "strategy",
        made_on=MADE_ON,
    )


class _OurText(HTMLParser):
    """The visible text of a page, without the team's own words (class cda-team), styles and
    scripts."""

    VOID: ClassVar[set[str]] = {"img", "br", "meta", "link", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is it (inside) a team block or a style?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = "cda-team" in classes or tag in ("style", "script", "title")
        self.stack.append(skip or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def our_html_text(html: str) -> str:
    parser = _OurText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def our_docx_text(path: Path) -> str:
    """The Word copy's text (paragraphs, tables, header and footer), without the team's quotes."""
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs if p.style is None or p.style.name != "Quote"]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return " ".join(" ".join(parts).split())


def team_words(strategy: StrategyResult) -> list[str]:
    """Every text the team wrote in its answers (any language), longest first."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and value.strip():
            found.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(strategy.strategy.answers)
    summary = strategy.strategy.studio.summary
    if summary is not None:
        walk([summary.why, summary.residents, summary.ask, dict(summary.goals)])
    return sorted(set(found), key=len, reverse=True)


def without(text: str, team: list[str]) -> str:
    for words in team:
        text = text.replace(words, " ")
    return text


def english_templates() -> list[str]:
    """The English text of every message of the strategy's catalog: each run of words between
    placeholders that is longer than three words."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "strategy.pot").open("rb") as handle:
        catalog = read_po(handle)
    runs: set[str] = set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        for run in re.split(r"\{[a-z_]*\}", message.id):
            run = " ".join(run.split())
            if len(run.split()) > 3:
                runs.add(run)
    return sorted(runs)


def test_the_pages_and_the_word_copy_say_they_are_in_spanish(spanish: StrategyResult) -> None:
    import docx

    for name in ("strategy.html", "public-summary.html"):
        page = (spanish.folder / name).read_text(encoding="utf-8")
        assert '<html lang="es">' in page, name
    doc = docx.Document(str(spanish.folder / "strategy.docx"))
    assert doc.core_properties.language == "es"


def test_the_headings_and_the_sign_off_block_are_in_spanish(spanish: StrategyResult) -> None:
    html = our_html_text((spanish.folder / "strategy.html").read_text(encoding="utf-8"))
    docx_text = our_docx_text(spanish.folder / "strategy.docx")
    for text in (html, docx_text):
        for heading in (
            "Estrategia de datos de Riverton",
            "Resumen ejecutivo",
            "Dónde está hoy la ciudad",
            "Nuestra visión",
            "Cuánto cuesta",
            "Qué se pide aprobar al alcalde o alcaldesa",
            "Pendiente de resolver antes de firmar",
            "Firma",
            "Aprobado por el alcalde o alcaldesa de Riverton:",
        ):
            assert heading in text, heading
    assert "Contenido" in html and "Página" in docx_text
    public = our_html_text((spanish.folder / "public-summary.html").read_text(encoding="utf-8"))
    assert "La estrategia de datos de Riverton: qué significa para usted" in public
    assert "Cómo protegemos sus datos" in public


def test_money_dates_and_numbers_are_written_as_in_colombia(spanish: StrategyResult) -> None:
    html = without(
        our_html_text((spanish.folder / "strategy.html").read_text(encoding="utf-8")),
        team_words(spanish),
    )
    assert "15 de enero de 2027" in html  # the day it was assembled
    assert re.search(r"de 20\d\d a \w+ de 20\d\d", html), "the plan's period, in Spanish months"
    pesos = re.findall(r"\$\s?\d{1,3}(?:\.\d{3})+(?!\d)", html)
    assert pesos, "amounts in pesos with a point between thousands"
    assert not re.search(r"\$\d{1,3}(?:,\d{3})+", html), "no US-style amounts"
    assert " million" not in html
    assert re.search(r"\d,\d+ por cada 100", html), "a decimal comma"


def test_no_english_sentence_of_ours_is_left(spanish: StrategyResult) -> None:
    texts = {
        "strategy.html": our_html_text(
            (spanish.folder / "strategy.html").read_text(encoding="utf-8")
        ),
        "public-summary.html": our_html_text(
            (spanish.folder / "public-summary.html").read_text(encoding="utf-8")
        ),
        "strategy.docx": our_docx_text(spanish.folder / "strategy.docx"),
    }
    team = team_words(spanish)
    texts = {name: without(text, team) for name, text in texts.items()}
    templates = english_templates()
    assert len(templates) > 100
    left = {
        name: [t for t in templates if t in text or t.rstrip(".:;, ") in text]
        for name, text in texts.items()
    }
    assert not any(left.values()), left

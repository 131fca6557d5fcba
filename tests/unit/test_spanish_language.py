"""Latin-American Spanish in the Spanish edition: the es-419 word list and the English-word detector.

The style file (curriculum/language/es-419.yaml) is read by the same checker as US English
(cohort_tools.policy.language): Spain-only words, "vosotros" forms and English words common in
public administration, each with what to write. Every Spanish source (book/es, curriculum/es,
workshops/es, coaching_templates/es) must pass it. The English-word detector
(``english_words``) is run on the rendered Spanish book in tests/integration/test_book_spanish.py;
here it is shown to find English and to leave Spanish and the allowed proper names alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.core import paths
from cohort_tools.policy.language import (
    check_text,
    english_words,
    is_english_word,
    load_style,
)

ROOT = paths.project_root()
SPANISH = load_style("es-419")


def spanish_sources() -> list[Path]:
    """Every translated MyST source of the Spanish edition."""
    folders = [
        ROOT / "book" / "es",
        ROOT / "book" / "standards" / "es",
        ROOT / "curriculum" / "es",
        ROOT / "workshops" / "es",
        ROOT / "coaching_templates" / "es",
    ]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.md"))


SOURCES = spanish_sources()


@pytest.mark.parametrize(
    ("text", "found", "use"),
    [
        ("Abran el ordenador de la oficina.", "ordenador", "computadora"),
        ("Llamen al móvil de la enlace CDA.", "móvil", "celular"),
        ("Vosotros y la alcaldesa revisan el tablero.", "Vosotros", "Ustedes"),
        ("Cada equipo tiene vuestro apoyo.", "vuestro", "su"),
        ("Ustedes tenéis una meta.", "tenéis", "tienen"),
        ("Si planificáis la reunión.", "planificáis", 'the "ustedes" form (-an, -en)'),
        ("Guarden el fichero en la carpeta.", "fichero", "archivo"),
        ("El dashboard de la alcaldía.", "dashboard", "tablero"),
        ("Pidan feedback a los actores clave.", "feedback", "retroalimentación (o comentarios)"),
        ("Los stakeholders del barrio.", "stakeholders", "actores clave"),
        ("La accountability del gobierno.", "accountability", "rendición de cuentas"),
        ("El follow-up de la reunión.", "follow-up", "seguimiento"),
        ("Publiquen open data cada mes.", "open data", "datos abiertos"),
    ],
)
def test_the_spanish_word_list_finds_spain_only_forms_and_anglicisms(
    text: str, found: str, use: str
) -> None:
    findings = check_text(text, style=SPANISH)
    assert [(f.found, f.use) for f in findings] == [(found, use)], findings


def test_latin_american_spanish_and_proper_names_pass_the_word_list() -> None:
    text = (
        "Ustedes revisan el tablero en la computadora y en el celular. Son dieciséis metas.\n"
        "City Data Alliance, What Works Cities, GovEx y el Washington Group.\n"
        "La alcaldesa y el equipo directivo leen el cuaderno de `dashboard_id`."
    )
    assert check_text(text, style=SPANISH) == []


def test_the_spanish_style_file_is_valid_and_says_what_to_write_instead() -> None:
    avoid = SPANISH.avoid()
    assert SPANISH.language == "es-419"
    assert avoid["ordenador"] == "computadora" and avoid["móvil"] == "celular"
    assert not [k for k, v in avoid.items() if k == v.lower()]


def markdown_only(text: str) -> str:
    """A MyST source with its front matter and code cells blanked (line numbers kept).

    String literals in code are not checked here: some are data values a translation must keep
    (a role as the cohort file names it). What the code prints is checked where the reader meets
    it, on the rendered Spanish book (tests/integration/test_book_spanish.py).
    """
    out: list[str] = []
    in_code = False
    lines = text.splitlines()
    in_front = bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines, start=1):
        if in_front:
            in_front = not (number > 1 and line.strip() == "---")
            out.append("")
        elif line.startswith("```{code-cell}"):
            in_code = True
            out.append("")
        elif in_code:
            in_code = not line.startswith("```")
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def test_markdown_only_keeps_prose_and_line_numbers() -> None:
    text = (
        "---\njupytext: {}\n---\n# Título\n```{code-cell} ipython3\nx = 'ordenador'\n```\nEl móvil"
    )
    findings = check_text(markdown_only(text), style=SPANISH)
    assert [(f.line, f.found) for f in findings] == [(8, "móvil")]


def test_text_marked_as_another_language_is_left_alone() -> None:
    text = "La guía [Setting Performance Targets]{.lang-en} de GovEx."
    assert check_text(text, style=SPANISH) == []
    notebook = 'La guía <span lang="en">*Setting Performance Targets* for staff</span> de GovEx.'
    assert check_text(notebook, style=SPANISH) == []
    assert check_text(notebook.replace('lang="en"', 'class="x"'), style=SPANISH) != []


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_spanish_sources_use_latin_american_spanish(path: Path) -> None:
    text = markdown_only(path.read_text(encoding="utf-8"))
    findings = check_text(text, source=str(path.relative_to(ROOT)), style=SPANISH)
    assert not findings, "\n".join(str(f) for f in findings)


# -- the English-word detector ----------------------------------------------------------------


def test_the_detector_fails_on_an_english_sentence() -> None:
    found = english_words("The team reviews the dashboard every week and reports to the mayor.")
    words = [w.word for w in found]
    assert words == [
        "The",
        "team",
        "the",
        "dashboard",
        "every",
        "week",
        "and",
        "reports",
        "to",
        "the",
    ]
    assert all(w.line == 1 for w in found)
    assert "'dashboard'" in str(found[3])


def test_the_detector_names_the_line_and_word_of_english_left_in_spanish_text() -> None:
    text = "El equipo revisa los datos.\nLuego abre el notebook y lee the takeaway."
    found = [(w.line, w.word) for w in english_words(text)]
    assert found == [(2, "notebook"), (2, "the")]


def test_spanish_text_and_allowed_names_have_no_english_words() -> None:
    text = (
        "Usted y su equipo directivo revisan el tablero de la alcaldía cada semana. "
        "La pared del barrio, la red de datos, la mayor parte del plan total.\n"
        "City Data Alliance, What Works Cities, GovEx, Bloomberg Philanthropies, el Washington "
        "Group, Jupyter, CityStat y la línea 311. La sesión de coaching es un encuentro corto."
    )
    assert english_words(text) == []


@pytest.mark.parametrize(
    ("word", "english"),
    [
        ("the", True),
        ("meeting", True),
        ("leadership", True),
        ("information", True),
        ("weekly", True),
        ("usted", False),
        ("mayor", False),  # Spanish: greater
        ("plan", False),
        ("información", False),
        ("semanalmente", False),
    ],
)
def test_is_english_word(word: str, english: bool) -> None:
    assert is_english_word(word) is english

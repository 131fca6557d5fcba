"""Translated MyST sources change only the words people read: same cells, metadata and code."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.core import paths
from cohort_tools.notebooks.translation import code_shape, compare, literal_pairs, translations

FOLDERS = [
    paths.workshops_dir(),
    paths.coaching_templates_dir(),
    paths.curriculum_dir(),
    paths.book_dir(),
]
PAIRS = [pair for folder in FOLDERS for pair in translations(folder)]


@pytest.mark.parametrize(
    "source,translation", PAIRS, ids=[str(t.relative_to(t.parents[1])) for _, t in PAIRS]
)
def test_translation_has_an_english_source_and_the_same_cells_metadata_and_code(
    source: Path, translation: Path
) -> None:
    assert source.is_file(), f"{translation} has no English source {source}"
    drifts = compare(source, translation)
    assert not drifts, "\n".join(map(str, drifts))


def test_code_shape_ignores_words_in_quotes_but_not_code() -> None:
    en = 'nb.say(f"This uses **{city_name}**.")\nx = cp.check(a > 1, "too small")'
    es = 'nb.say(f"Esto usa "\n       f"**{city_name}**.")  # comentario\nx = cp.check(a > 1, "muy pequeño")'
    assert code_shape(en) == code_shape(es)
    assert code_shape(en) != code_shape(en.replace("a > 1", "a >= 1"))
    assert code_shape(en) != code_shape(en.replace("{city_name}", "{city}"))
    # words in quotes inside a placeholder are words too
    en_cond = "nb.say(f\"{'more' if up else 'fewer'} requests\")"
    es_cond = "nb.say(f\"{'más' if up else 'menos'} solicitudes\")"
    assert code_shape(en_cond) == code_shape(es_cond)
    assert code_shape(en_cond) != code_shape(en_cond.replace("if up", "if not up"))


def _pair(tmp_path: Path, en_code: str, es_code: str, es_md: str = "Hola, equipo.") -> list[str]:
    header = "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\n"
    en = tmp_path / "x.md"
    es = tmp_path / "es" / "x.md"
    es.parent.mkdir()
    cell = "```{code-cell} ipython3\n:tags: [checkpoint]\n\n%s\n```\n"
    en.write_text(header + "Hello, team of the city.\n\n" + cell % en_code, encoding="utf-8")
    es.write_text(header + es_md + "\n\n" + cell % es_code, encoding="utf-8")
    return [d.message for d in compare(en, es)]


def test_compare_reports_changed_code_and_an_untranslated_cell(tmp_path: Path) -> None:
    assert _pair(tmp_path, 'print("hi")', 'print("hola")') == []
    (tmp_path / "es" / "x.md").unlink()
    (tmp_path / "es").rmdir()
    assert any("beyond the text in quotes" in m for m in _pair(tmp_path, "x = 1", "x = 2"))
    (tmp_path / "es" / "x.md").unlink()
    (tmp_path / "es").rmdir()
    found = _pair(tmp_path, "x = 1", "x = 1", es_md="Hello, team of the city.")
    assert any("not translated yet" in m for m in found)


def test_literal_pairs_map_each_english_hint_to_its_translation(tmp_path: Path) -> None:
    _pair(tmp_path, 'cp.check(ok, hint="pick three")', 'cp.check(ok, hint="elijan tres")')
    pairs = literal_pairs(tmp_path / "x.md", tmp_path / "es" / "x.md")
    assert pairs == {'"pick three"': '"elijan tres"'}

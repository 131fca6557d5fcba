"""The book's editions without building them: which languages are built, on which demo city, with
which configuration, table of contents, switcher links and links to untranslated pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from cohort_tools.book import build as book_build
from cohort_tools.book import editions
from cohort_tools.core import paths
from cohort_tools.model.programme import load_programme

REPO = paths.project_root()


def _city(city_id: str, lang: str) -> SimpleNamespace:
    return SimpleNamespace(id=city_id, lang=lang)


@pytest.mark.parametrize(
    ("cities", "preferred", "expected"),
    [
        ([("riverton", "en"), ("puerto-arrayan", "es")], "riverton", "puerto-arrayan"),
        ([("riverton", "en"), ("puerto-arrayan", "es"), ("otra", "es")], "otra", "otra"),
        ([("riverton", "en"), ("cedar-bend", "en")], "cedar-bend", "riverton"),  # no es city yet
    ],
)
def test_an_edition_runs_on_a_city_that_reads_its_language_or_the_first_city(
    cities: list[tuple[str, str]], preferred: str, expected: str
) -> None:
    cohort = SimpleNamespace(cities=[_city(i, lang) for i, lang in cities])
    assert book_build.edition_city(cohort, "es", preferred) == expected  # type: ignore[arg-type]


def _project(tmp_path: Path, *, spanish_index: bool) -> Path:
    shutil.copytree(REPO / "book", tmp_path / "book", ignore=shutil.ignore_patterns("es"))
    if spanish_index:
        (tmp_path / "book" / "es").mkdir()
        (tmp_path / "book" / "es" / "index.md").write_text("# Inicio\n\nHola.\n", encoding="utf-8")
        (tmp_path / "book" / "standards" / "es").mkdir()
        (tmp_path / "book" / "standards" / "es" / "disability.md").write_text(
            "# Discapacidad\n", encoding="utf-8"
        )
    return tmp_path


def spanish_edition(
    tmp_path: Path,
) -> tuple[dict[str, bytes], dict[str, str], list[str], Path]:
    """The Spanish edition of a copy of the book with only a landing page and one standard
    translated, staged (not built): its files, where each came from, its notes and the project."""
    root = _project(tmp_path, spanish_index=True)
    (root / "curriculum").mkdir()
    shutil.copy(REPO / "curriculum" / "programme.yaml", root / "curriculum" / "programme.yaml")
    files, origin, notes, _ = book_build.assemble_translation(
        programme=load_programme(root / "curriculum" / "programme.yaml"),
        root=root,
        work=book_build.WorkDirs(tmp_path / "work"),
        language="es",
        execute_city="riverton",
    )
    return files, origin, notes, root


def test_every_language_with_a_translated_landing_page_is_built_and_english_always(
    tmp_path: Path,
) -> None:
    assert book_build.edition_languages(_project(tmp_path / "a", spanish_index=False)) == ["en"]
    root = _project(tmp_path / "b", spanish_index=True)
    assert book_build.edition_languages(root) == ["en", "es"]
    assert book_build._languages(root, ["en"]) == ["en"]
    assert book_build._languages(root, ["es"]) == ["en", "es"]
    with pytest.raises(ValueError, match="not a language of the programme"):
        book_build._languages(root, ["fr"])


def test_the_english_book_never_stages_a_translation(tmp_path: Path) -> None:
    assert book_build._is_edition_folder("es/index.md")
    assert book_build._is_edition_folder("standards/es/disability.md")
    assert not book_build._is_edition_folder("standards/disability.md")
    assert not book_build._is_edition_folder("_static/cda.css")


def test_the_spanish_configuration_is_spanish_offline_and_still_strict(tmp_path: Path) -> None:
    root = _project(tmp_path, spanish_index=True)
    en, _ = book_build._book_config(root / "book")
    es, execution = book_build._book_config(root / "book", "es")
    assert "editions" not in en and "editions" not in es  # jupyter-book never sees the block
    sphinx_en, sphinx_es = en["sphinx"]["config"], es["sphinx"]["config"]
    assert sphinx_en["language"] == sphinx_en["html_search_language"] == "en"
    assert sphinx_es["language"] == sphinx_es["html_search_language"] == "es"
    assert es["title"].startswith("Currículo")
    assert sphinx_es["html_theme_options"]["search_bar_text"] == "Buscar en el currículo"
    assert sphinx_en["html_theme_options"]["search_bar_text"] == "Search the curriculum"
    assert "cohort_tools.book.editions" in sphinx_es["extensions"]
    assert "sphinx_thebe" not in sphinx_es["extensions"]
    assert execution.allow_errors is False
    assert es["execute"]["execute_notebooks"] == "off"


def test_the_spanish_edition_stages_only_translated_pages_with_a_spanish_toc(
    tmp_path: Path,
) -> None:
    from cohort_tools.kit.pages import kit_docnames

    files, origin, notes, root = spanish_edition(tmp_path)
    assert files["index.md"] == b"# Inicio\n\nHola.\n"
    assert origin["standards/disability.md"] == "book/standards/es/disability.md"
    assert "glossary.md" not in files and "_static/cda.css" in files
    assert "_templates/cda-language-switcher.html" in files
    toc = yaml.safe_load(files["_toc.yml"])
    assert toc["root"] == "index"
    programme = load_programme(root / "curriculum" / "programme.yaml")
    modules = [
        {
            "caption": f"Módulo {m.number}: {title}",
            "chapters": [{"file": f"modules/{m.id}", "title": "Sesiones y objetivos"}],
        }
        for m, title in zip(
            programme.modules,
            [
                "Liderazgo informado por datos",
                "Inversión en talento",
                "Participación de actores clave",
            ],
            strict=True,
        )
    ]
    assert toc["parts"] == [
        {"caption": "El programa", "chapters": [{"file": "programme"}]},
        *modules,
        {
            "caption": "Cierre: la estrategia de datos",
            "chapters": [{"file": "modules/capstone", "title": "Sesiones y objetivos"}],
        },
        {
            "caption": "Kit de facilitación",
            "chapters": [
                {
                    "file": "kit/index",
                    "sections": [{"file": d} for d in kit_docnames(programme)[1:]],
                }
            ],
        },
        {
            "caption": "Referencia",
            "chapters": [
                {"file": "references"},
                {"file": "data-dictionary"},
                {"file": "standards/disability"},
            ],
        },
    ]
    assert any("book/glossary.md" in n for n in notes)


def test_the_spanish_toc_has_the_kit_part_where_the_english_book_has_it_and_lists_it_once(
    tmp_path: Path,
) -> None:
    from cohort_tools.book.pages import toc_yaml
    from cohort_tools.kit.pages import KIT_INDEX, kit_docnames

    files, origin, _notes, root = spanish_edition(tmp_path)
    programme = load_programme(root / "curriculum" / "programme.yaml")
    for doc in kit_docnames(programme):
        assert f"{doc}.md" in files, doc
        assert origin[f"{doc}.md"].endswith("(generated from curriculum/kit/*.yaml in es)")
    assert files["kit/index.md"].decode("utf-8").startswith("# Kit de facilitación\n")
    es_parts = yaml.safe_load(files["_toc.yml"])["parts"]
    en_parts = yaml.safe_load(toc_yaml(programme, []))["parts"]
    (en_kit,) = [p for p in en_parts if p["caption"] == "Facilitation kit"]
    (es_kit,) = [p for p in es_parts if p["caption"] == "Kit de facilitación"]
    assert es_kit["chapters"] == en_kit["chapters"]  # the index, with its pages under it
    # in the same place: after the capstone, before the reference part
    assert [p["caption"] for p in en_parts][-3:] == ["Capstone", "Facilitation kit", "Reference"]
    assert [p["caption"] for p in es_parts][-3:] == [
        "Cierre: la estrategia de datos",
        "Kit de facilitación",
        "Referencia",
    ]
    listed = [
        entry["file"]
        for p in es_parts
        for c in p["chapters"]
        for entry in [c, *c.get("sections", [])]
    ]
    assert sorted(d for d in listed if d.startswith("kit/")) == sorted(kit_docnames(programme))
    assert len(listed) == len(set(listed))  # no page twice ("Referencia" lists the rest only)
    assert KIT_INDEX not in [c["file"] for c in es_parts[-1]["chapters"]]


def test_the_spanish_edition_generates_the_programme_and_module_pages_in_spanish(
    tmp_path: Path,
) -> None:
    from cohort_tools.policy.language import english_words

    files, origin, _notes, _root = spanish_edition(tmp_path)
    generated = [
        "programme.md",
        *(f"modules/{m}.md" for m in ("leadership", "talent", "engagement", "capstone")),
    ]
    for rel in generated:
        text = files[rel].decode("utf-8")
        # what a reader sees: without roles' targets ({doc}`...`) and code (`cda cohort schedule`)
        prose = [
            (n, re.sub(r"^```.*|^:[a-z]+:.*|\{doc\}`[^`]*`|`[^`]*`", "", line))
            for n, line in enumerate(text.splitlines(), start=1)
        ]
        assert not {w.word for w in english_words(prose)}, rel
        assert "(generated from curriculum/programme.yaml in es)" in origin[rel]
    assert files["programme.md"].startswith(b"# El programa de un vistazo\n")
    assert "| Mes 1, semana 1 | Encuentro inaugural |" in files["programme.md"].decode()
    assert "**Cuándo:** meses 1 a 2 del programa." in files["modules/leadership.md"].decode()
    svg = files["programme-timeline.svg"].decode("utf-8")
    assert "Mes 1" in svg and "Month 1" not in svg
    # the data dictionary, from the city-data schemas (tests/unit/test_data_dictionary_language.py)
    dictionary = files["data-dictionary.md"].decode("utf-8")
    assert dictionary.startswith("# Diccionario de datos\n")
    assert "### `departments`" in dictionary and "| Columna | Tipo |" in dictionary
    assert "in es)" in origin["data-dictionary.md"]


def test_switcher_links_go_to_the_same_page_or_the_other_home() -> None:
    docs = {"en": {"index", "glossary", "modules/m1/a"}, "es": {"index", "modules/m1/a"}}
    titles = {"glossary": "Glossary"}
    es = editions.sphinx_settings("es", docs, titles)
    en = editions.sphinx_settings("en", docs, titles)
    assert es["cda_untranslated"]["titles"] == {"glossary": "Glossary"}
    assert es["cda_untranslated"]["root"] == ".."
    assert en["cda_untranslated"] == {}
    (to_es,) = en["cda_language_editions"]
    assert to_es["root"] == "es" and to_es["name"] == "Español"

    def links(settings: dict[str, object], page: str) -> list[dict[str, object]]:
        app = SimpleNamespace(
            config=SimpleNamespace(
                cda_language_editions=settings["cda_language_editions"], language="x"
            )
        )
        context: dict[str, object] = {}
        editions._page_context(app, page, "page.html", context, None)
        return context["cda_language_links"]  # type: ignore[return-value]

    assert links(en, "modules/m1/a")[0]["href"] == "../../es/modules/m1/a.html"
    assert links(en, "glossary")[0]["href"] == "es/index.html"  # no Spanish glossary yet
    assert links(es, "modules/m1/a")[0]["href"] == "../../../modules/m1/a.html"
    assert links(es, "search")[0]["href"] == "../search.html"
    assert links(es, "index")[0] | {"href": ""} == {
        "href": "",
        "language": "en",
        "name": "English",
        "same_page": True,
    }


def test_a_link_to_an_untranslated_page_goes_to_the_english_page_marked_as_english() -> None:
    from docutils import nodes

    settings = editions.sphinx_settings(
        "es", {"en": {"index", "references"}, "es": {"index"}}, {"references": "References"}
    )
    app = SimpleNamespace(config=SimpleNamespace(**settings))

    def resolve(target: str, explicit: bool) -> str:
        node = {"reftype": "doc", "reftarget": target, "refdoc": "index", "refexplicit": explicit}
        made = editions._missing_reference(app, None, node, nodes.inline("", "las referencias"))
        return str(made.astext())

    assert resolve("references", False) == (
        '<a class="reference external cda-other-edition" href="../references.html" '
        'hreflang="en"><span lang="en">References</span></a> (en inglés)'
    )
    assert ">las referencias</a> (en inglés)" in resolve("/references", True)
    node = {"reftype": "doc", "reftarget": "nowhere", "refdoc": "index", "refexplicit": False}
    assert editions._missing_reference(app, None, node, nodes.inline()) is None  # still an error

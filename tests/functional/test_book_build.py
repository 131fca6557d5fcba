"""`cda book build` on a small copy of the project: one session notebook with an nbgrader exercise,
and its Spanish edition (a translated landing page and the notebook's translation).

The book is built once for the module (plus one incremental rebuild in the last test), through the
typer sub-app the lead registers as `cda book`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cohort_tools.book import find_external_resources
from cohort_tools.book.build import build_book
from cohort_tools.cli import book_app
from cohort_tools.core.errors import CdaError
from cohort_tools.lessons.checkpoints import NBGRADER_CODE_STUB, code_stub
from tests.conftest import myst

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = myst("book_exercise")
NOTEBOOK_ES = myst("book_exercise_es")
SESSION_PAGE = "modules/leadership/m1-workshop-a.html"
INDEX_ES = """# Currículo de prueba

Esta es la edición en español. Vean el {doc}`glosario <glossary>` y la página {doc}`programme`.
"""


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "book", root / "book", ignore=shutil.ignore_patterns("es"))
    (root / "book" / "es").mkdir()
    (root / "book" / "es" / "index.md").write_text(INDEX_ES, encoding="utf-8")
    (root / "curriculum").mkdir()
    shutil.copy(REPO / "curriculum" / "programme.yaml", root / "curriculum" / "programme.yaml")
    (root / "workshops").mkdir()
    (root / "workshops" / "m1_workshop_a_data_routines.md").write_text(NOTEBOOK, encoding="utf-8")
    (root / "workshops" / "es").mkdir()
    (root / "workshops" / "es" / "m1_workshop_a_data_routines.md").write_text(
        NOTEBOOK_ES, encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def built(small_project: Path) -> tuple[Path, str]:
    out = small_project / "_build" / "site"
    cda = typer.Typer()  # registered the way the lead registers it: `cda book build`
    cda.add_typer(book_app, name="book")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CDA_HOME", str(small_project))
        result = CliRunner().invoke(cda, ["book", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def _all_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".js", ".txt", ".json", ".ipynb", ".md"}
    )


def test_cli_builds_the_book_and_says_where_to_open_it(built: tuple[Path, str]) -> None:
    out, output = built
    assert (out / "index.html").is_file()
    assert f"Open {out / 'index.html'}" in output
    for page in ("programme", "lead-orientation", "coaching-guide", "glossary", "data-dictionary"):
        assert (out / f"{page}.html").is_file(), page
    assert (out / "modules" / "leadership" / "m1-workshop-a.html").is_file()


def test_exercise_page_shows_no_solution_and_no_hidden_test(built: tuple[Path, str]) -> None:
    out, _ = built
    text = _all_text(out)
    assert "SECRET" not in text  # pages, search index, any copied sources
    page = (out / "modules" / "leadership" / "m1-workshop-a.html").read_text(encoding="utf-8")
    assert NBGRADER_CODE_STUB["python"] in page and "give a whole number" in page
    assert not (out / "_sources").exists()


def test_session_notebook_ran_on_the_demo_city(built: tuple[Path, str]) -> None:
    out, _ = built
    page = (out / "modules" / "leadership" / "m1-workshop-a.html").read_text(encoding="utf-8")
    assert "Running on riverton" in page


def test_charts_are_offline_svg_images_with_their_description_as_alt_text(
    built: tuple[Path, str],
) -> None:
    out, _ = built
    page = (out / "modules" / "leadership" / "m1-workshop-a.html").read_text(encoding="utf-8")
    assert 'alt="Two bars: the answer and three."' in page
    assert 'src="data:image/svg+xml;base64,' in page
    programme = (out / "programme.html").read_text(encoding="utf-8")
    assert 'alt="Timeline of the 6-month program' in programme
    assert (out / "_images" / "programme-timeline.svg").is_file()


def test_built_site_loads_nothing_from_other_hosts(built: tuple[Path, str]) -> None:
    out, _ = built
    assert find_external_resources(out) == []
    html = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    for host in (
        "unpkg.com",
        "cdn.jsdelivr.net",
        "fonts.googleapis",
        "googletagmanager",
        "mathjax",
    ):
        assert host not in html.lower(), host


def test_broken_reference_fails_the_build_naming_the_page_and_keeps_the_old_site(
    built: tuple[Path, str], small_project: Path
) -> None:
    out, _ = built
    before = (out / "glossary.html").read_bytes()
    glossary = small_project / "book" / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + "\nSee {doc}`no-such-page`.\n", encoding="utf-8"
    )
    with pytest.raises(CdaError) as caught:
        build_book(out=out, root=small_project)
    message = str(caught.value)
    assert "book/glossary.md" in message and "no-such-page" in message
    assert (out / "glossary.html").read_bytes() == before  # the last good site is untouched


# -- the Spanish edition ------------------------------------------------------------------------


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_spanish_edition_is_built_beside_the_english_one_in_spanish(
    built: tuple[Path, str],
) -> None:
    out, output = built
    es = out / "es"
    assert '<html lang="es"' in _html(es / "index.html")
    assert '<html lang="en"' in _html(out / "index.html")
    page = _html(es / SESSION_PAGE)
    assert '<html lang="es"' in page and "Rutinas de datos" in page
    assert code_stub("es")["python"] in page and "escriban un número entero" in page
    assert NBGRADER_CODE_STUB["python"] not in page  # the English stub is for English cities
    assert 'alt="Dos barras: la respuesta y tres."' in page
    assert not (es / "glossary.html").exists()  # not translated: linked in English instead
    assert "Español" in output


def test_spanish_notebooks_run_on_the_cohorts_spanish_speaking_city(
    built: tuple[Path, str],
) -> None:
    from cohort_tools.book.build import edition_city
    from cohort_tools.model.cohort import load_cohort

    out, _ = built
    city = edition_city(load_cohort(), "es", "riverton")
    spanish = [c.id for c in load_cohort().cities if c.lang == "es"]
    assert city == (spanish[0] if spanish else load_cohort().cities[0].id)
    assert f"Ejecutando en {city}" in _html(out / "es" / SESSION_PAGE)


def test_spanish_search_title_and_placeholder(built: tuple[Path, str]) -> None:
    out, _ = built
    es = out / "es"
    assert "LANGUAGE: 'es'" in _html(es / "_static" / "documentation_options.js")
    assert '"algunas"' in _html(es / "_static" / "language_data.js")  # Spanish stopwords, stemmer
    index = _html(es / "index.html")
    assert 'placeholder="Buscar en el currículo"' in index
    assert "Currículo del Acelerador City Data Alliance" in index


def test_every_page_links_to_the_same_page_in_the_other_edition_or_its_home(
    built: tuple[Path, str],
) -> None:
    out, _ = built
    link_es = '<a class="cda-language-link" href="{}" hreflang="es" lang="es">Español</a>'
    link_en = '<a class="cda-language-link" href="{}" hreflang="en" lang="en">English</a>'
    assert link_es.format("../../es/" + SESSION_PAGE) in _html(out / SESSION_PAGE)
    assert link_en.format("../../../" + SESSION_PAGE) in _html(out / "es" / SESSION_PAGE)
    assert link_es.format("es/index.html") in _html(out / "glossary.html")  # no counterpart
    assert link_en.format("../index.html") in _html(out / "es" / "index.html")
    for page in out.rglob("*.html"):
        if "_static" not in page.parts:
            assert 'class="cda-language-switcher"' in _html(page), page


def test_links_to_untranslated_pages_go_to_the_english_book(built: tuple[Path, str]) -> None:
    out, _ = built
    index = _html(out / "es" / "index.html")
    assert 'href="../glossary.html" hreflang="en">glosario</a> (en inglés)' in index
    # the generated pages have a Spanish edition now: the link stays in the Spanish book
    assert 'href="programme.html"' in index and "../programme.html" not in index
    assert "El programa de un vistazo" in _html(out / "es" / "programme.html")


def test_the_cli_offers_the_languages_option() -> None:
    cda = typer.Typer()
    cda.add_typer(book_app, name="book")
    result = CliRunner().invoke(cda, ["book", "build", "--help"])
    assert result.exit_code == 0 and "--languages" in result.output


def test_an_edit_to_one_edition_rebuilds_only_that_edition(
    built: tuple[Path, str], small_project: Path
) -> None:
    out, _ = built
    glossary = small_project / "book" / "glossary.md"
    glossary.write_text((REPO / "book" / "glossary.md").read_text(encoding="utf-8"), "utf-8")
    build_book(out=out, root=small_project)  # a good build of both editions
    work = out.parent / f".{out.name}-work"
    spanish_record = work / "es" / "last-build.json"
    spanish_built = spanish_record.stat().st_mtime_ns
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + "\nA sentence added to the English page.\n", "utf-8"
    )
    build_book(out=out, root=small_project)
    assert "A sentence added to the English page." in (out / "glossary.html").read_text("utf-8")
    assert spanish_record.stat().st_mtime_ns == spanish_built, "the Spanish edition was rebuilt"
    assert (out / "es" / "index.html").is_file()

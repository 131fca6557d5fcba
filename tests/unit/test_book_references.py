"""The References page in each edition: the English page as it always was, the Spanish page in
Spanish (labels, sentences and dates from the catalog; the sources' English names kept in English and
marked as English), with the same ``(ref-...)=`` targets so links to an entry work in both."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import yaml

from cohort_tools.book import pages
from cohort_tools.core import i18n, paths
from cohort_tools.model.references import References, default_references
from cohort_tools.policy.facts import Facts, default_facts
from cohort_tools.policy.language import check_lines, english_words, load_style, markdown_prose

REPO = paths.project_root()
TARGET = re.compile(r"^\((ref-[a-z0-9-]+)\)=$", re.MULTILINE)
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


def small_references() -> References:
    return References.model_validate(
        {
            "references": [
                {
                    "id": "city-guide",
                    "title": "A Guide to City Data | Second Edition",
                    "publisher": "Example Press",
                    "year": 2021,
                    "url": "https://example.org/guide",
                    "checked": dt.date(2026, 12, 1),
                    "supports": ["Cities   keep a data\n inventory."],
                    "cited_as": ["Guide to City Data"],
                    "confirmed": True,
                    "note": "Second printing.",
                },
                {
                    "id": "old-report",
                    "title": "An Old Report",
                    "publisher": "Some Office",
                    "year": None,
                    "url": None,
                    "checked": None,
                    "supports": ["One thing.", "Another thing."],
                    "cited_as": ["Old Report"],
                    "confirmed": False,
                    "note": "We could not find it again.",
                },
            ]
        }
    )


def small_facts() -> Facts:
    return Facts.model_validate(
        {
            "facts": [
                {
                    "id": "rule-date",
                    "kind": "published",
                    "value": dt.date(2027, 1, 15),
                    "statement": "The rule takes effect on {value}.",
                    "as_of": dt.date(2026, 12, 1),
                    "sources": ["city-guide", "old-report"],
                    "confirmed": False,
                    "note": "Check   the\n office's page.",
                },
                {
                    "id": "count",
                    "kind": "published",
                    "value": 43,
                    "statement": "The standard has {value} criteria.",
                    "as_of": dt.date(2026, 3, 2),
                    "sources": ["city-guide"],
                    "confirmed": True,
                },
                {
                    "id": "own-range",
                    "kind": "program_rule",
                    "value": "10 to 30 percent",
                    "statement": "Cut by {value}. This is the program's own guide.",
                    "as_of": dt.date(2026, 12, 1),
                    "sources": [],
                    "confirmed": True,
                },
            ]
        }
    )


#: ``references_page(small_references(), small_facts())`` as main's code wrote it before the page
#: was translated (commit 92a0aea): the English page must not change by one byte.
ENGLISH_PAGE = (
    "# References\n"
    "\n"
    "Every source this curriculum cites is listed on this page: its title, who published it, the year, a link, the date we last checked it, and what we use it for. When we could not confirm part of an entry, the entry says so. Check those before you rely on them.\n"
    "\n"
    "## Facts that can change\n"
    "\n"
    "Dates and rules set by public bodies change. The notebooks and the tools read these facts from one file (`curriculum/facts.yaml`), so a change made there reaches every page.\n"
    "\n"
    "- The rule takes effect on January 15, 2027. *(As of December 1, 2026. Sources: {ref}`A Guide to City Data \\| Second Edition <ref-city-guide>`; {ref}`An Old Report <ref-old-report>`.)* **Not fully confirmed:** Check the office's page.\n"
    "- The standard has 43 criteria. *(As of March 2, 2026. Sources: {ref}`A Guide to City Data \\| Second Edition <ref-city-guide>`.)*\n"
    "\n"
    "## The program's own rules of thumb\n"
    "\n"
    "Some exercises check answers against a range. These ranges are this program's own guides, not published standards. A team with a good reason may go outside them and say why.\n"
    "\n"
    "- Cut by 10 to 30 percent. This is the program's own guide. *(As of December 1, 2026.)*\n"
    "\n"
    "## Sources\n"
    "\n"
    "(ref-city-guide)=\n"
    "### A Guide to City Data | Second Edition\n"
    "\n"
    "- **Publisher:** Example Press\n"
    "- **Year:** 2021\n"
    "- **Link:** <https://example.org/guide>\n"
    "- **Last checked:** December 1, 2026\n"
    "- **We use it for:** Cities keep a data inventory.\n"
    "- **Note:** Second printing.\n"
    "\n"
    "(ref-old-report)=\n"
    "### An Old Report\n"
    "\n"
    "- **Publisher:** Some Office\n"
    "- **Year:** not confirmed\n"
    "- **Link:** no stable link confirmed\n"
    "- **Last checked:** not re-read for this edition\n"
    "- **We use it for:**\n"
    "  - One thing.\n"
    "  - Another thing.\n"
    "- **Not fully confirmed:** We could not find it again.\n"
)


def spanish_page() -> str:
    with i18n.speaking("es"):
        return pages.references_page(default_references(), default_facts())


def reader_prose(myst: str) -> list[tuple[int, str]]:
    """What a reader sees of the page as words: not code, roles' targets, links, text marked as
    English, nor the ``(ref-...)=`` targets (invisible anchors)."""
    return [(n, line) for n, line in markdown_prose(myst) if not TARGET.match(line.strip())]


def test_the_english_references_page_is_byte_identical_to_before() -> None:
    assert pages.references_page(small_references(), small_facts()) == ENGLISH_PAGE
    with i18n.speaking("en"):
        assert pages.references_page(small_references(), small_facts()) == ENGLISH_PAGE


def test_the_spanish_references_page_has_no_english_words_outside_code_and_marked_names() -> None:
    text = spanish_page()
    prose = reader_prose(text)
    assert not [(w.line, w.word) for w in english_words(prose)]
    assert not check_lines(prose, style=load_style("es-419"))
    assert text.startswith("# Referencias\n")
    assert "## Fuentes\n" in text and "- **Publicado por:** " in text
    assert "(`curriculum/facts.yaml`)" in text  # a file path stays code


def test_the_spanish_references_page_keeps_every_target_of_the_english_page() -> None:
    english = pages.references_page(default_references(), default_facts())
    spanish = spanish_page()
    assert TARGET.findall(spanish) == TARGET.findall(english)
    assert len(TARGET.findall(spanish)) == len(default_references().references)
    cited = set(re.findall(r"<(ref-[a-z0-9-]+)>`", spanish))
    assert cited == set(re.findall(r"<(ref-[a-z0-9-]+)>`", english))
    assert cited <= set(TARGET.findall(spanish))


def test_the_spanish_references_page_writes_dates_in_spanish() -> None:
    text = spanish_page()
    assert not ENGLISH_MONTHS.search(text.replace("{.lang-en}", ""))
    assert "*(Al 1 de diciembre de 2026. Fuentes: " in text
    assert "- **Última revisión:** 1 de diciembre de 2026\n" in text
    for ref in default_references().references:
        if ref.checked:
            day = i18n.format_date(ref.checked, language="es")
            assert f"- **Última revisión:** {day}" in text, ref.id
    for fact in default_facts().facts:
        assert i18n.format_date(fact.as_of, language="es") in text, fact.id


def test_a_name_the_catalog_lacks_is_english_marked_and_a_translated_name_is_its_translation() -> (
    None
):
    with i18n.speaking("es"):
        assert pages._name("An [Old]   Report") == "[An \\[Old\\] Report]{.lang-en}"
        assert pages._name("The Baltimore Sun") == "[The Baltimore Sun]{.lang-en}"
        assert pages._name("US Census Bureau") == (
            "Oficina del Censo de Estados Unidos ([US Census Bureau]{.lang-en})"
        )
        # a Spanish name is translated as itself: not marked as English
        dane = "Departamento Administrativo Nacional de Estadística (DANE), Colombia"
        assert pages._name(dane) == dane
    assert pages._name("An Old Report") == "An Old Report"


def test_a_citation_links_the_title_or_its_first_part() -> None:
    cite = pages._cited
    assert cite("An Old Report", "ref-x") == "{ref}`An Old Report <ref-x>`"
    assert cite("[An \\[Old\\] Report]{.lang-en}", "ref-x") == (
        "[{ref}`An [Old] Report <ref-x>`]{.lang-en}"
    )
    assert cite("[Criteria]{.lang-en} (estándar de 2022)", "ref-x") == (
        "[{ref}`Criteria <ref-x>`]{.lang-en} (estándar de 2022)"
    )
    assert cite("Reglas de otros: [US Cancer Statistics]{.lang-en} y más", "ref-x") == (
        "{ref}`Reglas de otros: <ref-x>` [US Cancer Statistics]{.lang-en} y más"
    )
    assert cite("Guía ([Setting Targets]{.lang-en})", "ref-x") == (
        "{ref}`Guía <ref-x>` ([Setting Targets]{.lang-en})"
    )


def test_a_source_gives_what_we_use_it_for_and_its_note_in_the_current_language() -> None:
    ref = default_references().get("cda-accelerator")
    assert ref.uses[0] == (
        "The six-month format, the three learning themes and the parts of the data strategy."
    )
    with i18n.speaking("es"):
        assert ref.uses[0].startswith("El formato de seis meses")
        assert ref.caveat.startswith("Trabajamos con una copia")
        assert ref.id == "cda-accelerator" and ref.checked == dt.date(2026, 12, 1)
    untranslated = small_references().get("old-report")
    with i18n.speaking("es"):
        assert untranslated.uses == ["One thing.", "Another thing."]
        assert untranslated.caveat == "We could not find it again."


def test_the_yaml_extractor_gives_every_string_of_a_list_under_a_chosen_key() -> None:
    source = (
        b"references:\n"
        b"  - id: a\n"
        b"    title: A Title\n"
        b"    supports:\n"
        b"      - First use.\n"
        b"      - Second use, written\n"
        b"        on two lines.\n"
        b"    cited_as: [A Title]\n"
        b"    note: >-\n"
        b"      A note.\n"
    )
    found = list(i18n.extract_yaml(io.BytesIO(source), [], [], {"keys": "supports, note"}))
    assert [(line, text) for line, _, text, _ in found] == [
        (5, "First use."),
        (6, "Second use, written on two lines."),
        (9, "A note."),
    ]


def test_the_catalog_extracts_the_references_texts() -> None:
    config = (REPO / "babel.cfg").read_text(encoding="utf-8")
    section = config.split("[cohort_tools.core.i18n.extract_yaml: curriculum/references.yaml]")[1]
    keys = section.strip().splitlines()[0]
    assert keys == "keys = title, publisher, supports, note"


def test_the_spanish_edition_stages_its_own_references_page(tmp_path: Path) -> None:
    from tests.unit.test_book_editions import spanish_edition

    files, origin, _notes, _root = spanish_edition(tmp_path)
    assert files["references.md"].decode("utf-8") == spanish_page()
    assert "curriculum/references.yaml" in origin["references.md"]
    toc = yaml.safe_load(files["_toc.yml"])
    listed = [c["file"] for p in toc["parts"] for c in p["chapters"]]
    assert "references" in listed


def test_english_names_in_headings_keep_their_language_in_the_page_contents() -> None:
    from docutils import nodes
    from docutils.core import publish_from_doctree
    from docutils.utils import new_document

    from cohort_tools.book import editions

    document = new_document("<test>")
    title = nodes.title("", "", nodes.inline("", "Data Inventory Guide", classes=["lang-en"]))
    document += nodes.section("", title, ids=["s"])
    editions._language_classes(None, document)
    html = publish_from_doctree(document, writer_name="html5").decode("utf-8")
    assert '<span class="lang-en" lang="en">Data Inventory Guide</span>' in html


def test_a_web_address_shown_as_a_link_is_not_english_words() -> None:
    line = [(1, "Enlace: https://govex.gitbook.io/setting-performance-targets/ y www.example.org")]
    assert english_words(line) == []
    assert check_lines(line, style=load_style("es-419")) == []
    assert [w.word for w in english_words([(1, "the https://example.org/data page")])] == [
        "the",
        "page",
    ]

"""The facilitation kit in Spanish: its text comes from the catalog, its pages read in Spanish, and the
English kit is unchanged.

The kit's YAML text (curriculum/kit/*.yaml) is extracted into the catalog by babel.cfg and translated
by the kit's loaders (cohort_tools.kit.content); the pages' own words are catalog messages
(cohort_tools.kit.pages). A Spanish page is checked as a reader meets it: without code, without text
marked as English on purpose (``[Title]{.lang-en}``: a source's own title), and with the visible
text of its links.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import textstat
from babel.messages.frontend import parse_mapping_cfg

from cohort_tools.core import i18n
from cohort_tools.kit import content
from cohort_tools.kit.feedback import feedback_template
from cohort_tools.kit.pages import KitPage, kit_pages
from cohort_tools.model.programme import in_language, load_programme
from cohort_tools.policy.language import check_lines, english_words, load_style
from tests.unit.test_kit import _prose

ROOT = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^\s*```")
_ENGLISH_ON_PURPOSE = re.compile(r"\[[^\]\n]*\]\{\.lang-en\}")
_LINK_WITH_TEXT = re.compile(r"\{(?:doc|ref)\}`([^`<]*?)\s*<[^`>]*>`")
_LINK_BARE = re.compile(r"\{(?:doc|ref)\}`[^`]*`")  # the book writes the page's own title
_CODE = re.compile(r"`[^`\n]*`")


def reader_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of a MyST page as a reader sees it: code blocks and inline code left out, text
    marked as English left out, a link reduced to its visible text."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fence = ("prose" if "{note}" in line else "code") if fence is None else None
            continue
        if fence == "code":
            continue
        line = _ENGLISH_ON_PURPOSE.sub(" ", line)
        line = _LINK_WITH_TEXT.sub(r"\1", line)
        line = _LINK_BARE.sub(" ", line)
        yield number, _CODE.sub(" ", line)


def spanish_pages(*, linked_references: bool) -> list[KitPage]:
    programme = in_language(load_programme(), "es")
    with i18n.speaking("es"):
        return kit_pages(programme, linked_references=linked_references)


@pytest.fixture(scope="module")
def pages_es() -> dict[str, KitPage]:
    return {p.docname: p for p in spanish_pages(linked_references=False)}


@pytest.fixture(scope="module")
def pages_en() -> dict[str, KitPage]:
    return {p.docname: p for p in kit_pages()}


# --- Spanish ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "linked_references", [False, True], ids=["sources-named", "sources-linked"]
)
def test_every_spanish_kit_page_has_no_english_words_outside_code_and_english_marked_text(
    linked_references: bool,
) -> None:
    found = {}
    for page in spanish_pages(linked_references=linked_references):
        words = sorted({w.word for w in english_words(reader_lines(page.text))})
        title_words = sorted({w.word for w in english_words(page.title)})
        if words or title_words:
            found[page.docname] = words + title_words
    assert not found, f"English words in the Spanish kit: {found}"


def test_every_spanish_kit_page_reads_in_latin_american_spanish(
    pages_es: dict[str, KitPage],
) -> None:
    style = load_style("es-419")
    found = {
        doc: [str(f) for f in findings]
        for doc, page in pages_es.items()
        if (findings := check_lines(reader_lines(page.text), source=doc, style=style))
    }
    assert not found, found


def test_spanish_kit_pages_read_as_normal_or_easier_like_the_notebooks(
    pages_es: dict[str, KitPage],
) -> None:
    from tests.unit.test_readability_es import MIN_FERNANDEZ_HUERTA

    textstat.set_lang("es")
    try:
        scores = {d: textstat.fernandez_huerta(_prose(p.text)) for d, p in pages_es.items()}
    finally:
        textstat.set_lang("en_US")
    assert all(s >= MIN_FERNANDEZ_HUERTA for s in scores.values()), scores


def test_the_spanish_kit_is_titled_and_worded_in_spanish(pages_es: dict[str, KitPage]) -> None:
    assert [p.title for p in pages_es.values()][:2] == [
        "Kit de facilitación",
        "El encuentro inaugural, hora por hora",
    ]
    convening = pages_es["kit/convening"].text
    assert "| Hora | Actividad | Quién participa |" in convening
    assert "## Día 1: El papel del alcalde o alcaldesa en una cultura informada por datos" in (
        convening
    )
    assert "| 10:30-10:45 | Pausa | alcaldes y alcaldesas |" in convening
    assert "### 10:30-10:45" not in convening  # a break is listed, not described
    brief = pages_es["kit/brief-m1-keynote"].text
    assert brief.startswith("# Guía para la conferencia: Liderar con datos\n")
    assert "Para equipos directivos y enlaces CDA de todas las ciudades." in brief
    assert "**Fuentes:** [About CitiStat]{.lang-en}; " in brief  # a source keeps its own title
    rubrics = pages_es["kit/showcase-rubrics"].text
    assert (
        "| Criterio | Todavía no (0) | Iniciado (1) | En marcha (2) | Hecho para durar (3) |"
        in (rubrics)
    )
    survey = pages_es["kit/skills-survey"].text
    assert "Mi nivel: ☐ Conocimiento  ☐ Operativo  ☐ Profesional  ☐ Experto" in survey
    assert "grupos de al menos 11 personas" in survey  # {threshold} filled in the translation
    assert "R7F3A21,PW,frontline,data_literacy,working,True" in survey  # data keeps its codes


def test_spanish_sources_link_to_the_references_entries_when_the_edition_has_the_page() -> None:
    linked = {p.docname: p.text for p in spanish_pages(linked_references=True)}
    brief = linked["kit/brief-m1-keynote"]
    assert "[{ref}`About CitiStat <ref-baltimore-citistat>`]{.lang-en}" in brief
    assert "Las fuentes de cada ejemplo están en la página" not in brief


def test_the_feedback_template_comments_follow_the_language_and_its_keys_do_not() -> None:
    rubric = content.load_showcase_rubrics().rubrics[0]
    english = feedback_template(rubric)
    with i18n.speaking("es"):
        spanish = feedback_template(content.load_showcase_rubrics().rubrics[0])
    keys = [line.split("#")[0] for line in english.splitlines()]
    assert [line.split("#")[0] for line in spanish.splitlines()] == keys
    assert (
        "# Solo roles: nunca escriba aquí nombres de personas ni correos electrónicos." in spanish
    )


# --- the loaders translate text, never ids ----------------------------------------------------------


def test_the_kit_loaders_give_text_in_the_current_language_and_keep_ids_codes_and_times() -> None:
    programme = load_programme()
    english = (
        content.load_run_of_show(programme=programme),
        content.load_showcase_rubrics(programme=programme),
        content.load_skills_survey(),
        content.load_keynote_briefs(programme=programme),
    )
    with i18n.speaking("es"):
        spanish = (
            content.load_run_of_show(programme=programme),
            content.load_showcase_rubrics(programme=programme),
            content.load_skills_survey(),
            content.load_keynote_briefs(programme=programme),
        )
    run, rubrics, survey, briefs = english
    run_es, rubrics_es, survey_es, briefs_es = spanish
    acts = [a for d in run.days for a in d.activities]
    acts_es = [a for d in run_es.days for a in d.activities]
    assert [(a.start, a.end, a.block, a.who) for a in acts] == [
        (a.start, a.end, a.block, a.who) for a in acts_es
    ]
    assert [a.is_break for a in acts] == [a.is_break for a in acts_es]
    # a break is an activity no one leads: the breaks and meals the English titles name
    assert [a.is_break for a in acts] == [a.title.startswith(("Break", "Lunch")) for a in acts]
    assert acts_es[2].title == "Pausa" and acts[2].title == "Break"
    assert [c.id for r in rubrics.rubrics for c in r.criteria] == [
        c.id for r in rubrics_es.rubrics for c in r.criteria
    ]
    assert rubrics_es.feedback_form.fields == rubrics.feedback_form.fields  # ids, not shown
    assert list(survey_es.scale) == list(survey.scale)
    assert list(survey_es.questions.training.options) == ["yes", "no", "not_sure"]
    assert survey_es.questions.training.options["yes"] == "Sí"
    assert [b.session for b in briefs_es.briefs] == [b.session for b in briefs.briefs]
    assert [e.refs for b in briefs_es.briefs for e in b.examples] == [
        e.refs for b in briefs.briefs for e in b.examples
    ]
    assert briefs_es.briefs[0].examples[0].name == "CitiStat, en Baltimore"


def _kit_sections() -> dict[str, dict[str, str]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {
        pattern.rsplit("/", 1)[-1]: options_map[pattern]
        for pattern, _method in method_map
        if pattern.startswith("curriculum/kit/")
    }


def test_babel_cfg_extracts_exactly_the_text_the_kit_loaders_translate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sections = _kit_sections()
    assert set(sections) == set(content.TEXT_KEYS)
    loaded = {
        "convening.yaml": content.load_run_of_show(),
        "keynotes.yaml": content.load_keynote_briefs(),
        "showcases.yaml": content.load_showcase_rubrics(),
        "skills_survey.yaml": content.load_skills_survey(),
    }
    for name, options in sections.items():
        extracted = {
            text
            for _line, _func, text, _comments in i18n.extract_yaml(
                io.BytesIO((content.kit_dir() / name).read_bytes()), [], [], options
            )
        }
        asked: set[str] = set()

        def record(message: str, *, language: str | None = None) -> str:
            asked.add(message)  # noqa: B023  (each file's own set, read right after the call)
            return message

        monkeypatch.setattr(i18n, "gettext", record)
        with i18n.speaking("es"):
            content.in_current_language(loaded[name], name)
        monkeypatch.undo()
        assert asked == extracted, name
        assert extracted, name


def test_the_yaml_extractor_reads_tables_of_texts_and_skips_ids() -> None:
    source = (
        b"title: A survey\n"
        b"options:\n  yes_code: 'Yes'\n  no_code: 'No'\n"
        b"fields:\n  - {name: city, label: City}\n"
        b"skills:\n  literacy: {name: Data literacy, code: x}\n"
    )
    found = i18n.extract_yaml(
        io.BytesIO(source), [], [], {"keys": "title, options, name", "skip": "fields"}
    )
    assert [text for _line, _f, text, _c in found] == ["A survey", "Yes", "No", "Data literacy"]
    data = {"title": "A survey", "options": {"yes_code": "Yes"}, "fields": [{"name": "city"}]}
    same = i18n.translate_texts(
        data, frozenset({"title", "options", "name"}), skip=frozenset({"fields"}), language="es"
    )
    assert same == {
        "title": "A survey",
        "options": {"yes_code": "Sí"},
        "fields": [{"name": "city"}],
    }


# --- English unchanged ----------------------------------------------------------------------------


def test_the_english_kit_pages_keep_their_words(pages_en: dict[str, KitPage]) -> None:
    key_lines = {
        "kit/index": [
            "# Facilitation kit",
            "- {doc}`The convening, hour by hour </kit/convening>`: every activity of the three "
            "days, who leads it and what it produces.",
            "- {doc}`Showcase rubrics </kit/showcase-rubrics>` and the {doc}`feedback form "
            "</kit/showcase-feedback>` the coach fills in.",
            "Every fact on these pages is cited on the {doc}`/references` page.",
        ],
        "kit/convening": [
            "The agenda in {doc}`/programme` names the blocks. The mayor's workbook "
            "({doc}`/convening-workbook`) is used on the afternoon of day 2.",
            "## Day 1: The mayor's role in a data-informed culture",
            "| Time | Activity | Who takes part |",
            "| 09:00-09:30 | Welcome and why we are here | mayors and the program team |",
            "Led by: Program team. For mayors and the program team.",
            "**It produces:** A wall of real decisions, used as examples all day.",
            "**Materials:** Card decks (one per table).",
        ],
        "kit/brief-m1-keynote": [
            "# Speaker brief: Leading with data",
            "**Module 1, data-informed leadership.** Month 1, week 3, online, 90 minutes: 45 "
            "minutes of talk and 45 of discussion. For the senior teams and CDA leads of every "
            "city.",
            "## The 90 minutes",
            "| 85-90 | Discussion prompt 5 |",
            "**Sources:** {ref}`The PerformanceStat Potential: A Leadership Strategy for Producing "
            "Results <ref-behn-performancestat>`.",
            "1. (10 minutes) Look at the cohort view: how many of each city's metrics have a target? "
            "Pick one metric without a target in your city. Who would set it, and from what "
            "history?",
            "## Watch for",
        ],
        "kit/showcase-rubrics": [
            "| Level | Points | What it means |",
            "| Criterion | Not yet (0) | Started (1) | In place (2) | Built to last (3) |",
            "Month 3, 60 minutes, with the mayor, the senior team, the CDA lead and the coach.",
            "Highest total: 18 points.",
        ],
        "kit/showcase-feedback": [
            "City: ______________________  Date: ______________  Who attended (roles): "
            "______________________________",
            "| Criterion | Level (0-3) | Evidence you saw |",
            "A decision the mayor needs to make, if any: "
            "____________________________________________",
            "# Roles only: never write people's names or e-mail addresses here.",
            "ratings:  # level: 0 not yet, 1 started, 2 in place, 3 built to last",
        ],
        "kit/skills-survey": [
            "# Staff data-skills survey",
            "My level: ☐ Awareness  ☐ Working  ☐ Practitioner  ☐ Expert",
            "Training: ☐ Yes  ☐ No  ☐ Not sure (left blank in the data)",
            "| `level` | Self-rated level: awareness < working < practitioner < expert. |",
            "**Your privacy.** We do not ask for your name, your email or your staff number. Your "
            "answers get a random code. The city only reports results for groups of at least 11 "
            "people. If fewer than 11 people in your department or kind of role answer, their "
            "results are left out of every table and chart.",
        ],
    }
    for doc, lines in key_lines.items():
        page_lines = pages_en[doc].text.splitlines()
        missing = [line for line in lines if line not in page_lines]
        assert not missing, (doc, missing)
    assert [p.title for p in pages_en.values()] == [
        "Facilitation kit",
        "The convening, hour by hour",
        "Speaker brief: Leading with data",
        "Speaker brief: People, practices and platforms",
        "Speaker brief: Bringing people to the table with data",
        "Showcase rubrics",
        "Showcase feedback form",
        "Staff data-skills survey",
    ]


def test_the_english_kit_is_the_same_inside_an_english_block(
    pages_en: dict[str, KitPage],
) -> None:
    with i18n.speaking("en"):
        again = {p.docname: p.text for p in kit_pages()}
    assert again == {d: p.text for d, p in pages_en.items()}

"""The Spanish edition names the programme's things as its glossary does, everywhere.

The bilingual glossary (curriculum/language/glossary-en-es.yaml, and book/es/glossary.md for
readers) is the one list of the programme's terms. The catalog (cohort_tools/locale/es), which
translates what the code shows (the data's words in tables, facts, checkpoint verdicts), and the
Spanish MyST sources (workshops/es, curriculum/es, book/es, coaching_templates/es) must use the same
words: a team that reads "conocimiento" in the glossary and "nociones" in a table cannot tell they
are one level of the staff survey.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from cohort_tools.citydata.schemas import SKILL_LEVELS
from cohort_tools.core import paths
from cohort_tools.core.i18n import catalog_file, gettext, speaking
from cohort_tools.lessons import coherence
from cohort_tools.lessons.skills import HIRE_FOR_SKILL, ROLE_TITLE_SOURCES
from cohort_tools.strategy.names import Names

ROOT = paths.project_root()
GLOSSARY: dict[str, str] = {
    entry["en"]: entry["es"]
    for entry in yaml.safe_load(
        (ROOT / "curriculum" / "language" / "glossary-en-es.yaml").read_text(encoding="utf-8")
    )
}
SPANISH_SOURCES = sorted(
    p
    for folder in ("book/es", "curriculum/es", "workshops/es", "coaching_templates/es")
    for p in (ROOT / folder).rglob("*.md")
)

#: Names the Spanish edition once used for a term the glossary names otherwise: retired name ->
#: the glossary's term. None of them may come back, in a source or in the catalog.
RETIRED = {
    "nociones": "conocimiento (skill level 1)",
    "nivel de trabajo": "operativo (skill level 2)",
    "estudio de estrategia": "taller de estrategia (the strategy studio session)",
}
_RETIRED = re.compile(  # a name broken across lines counts too
    r"\b(" + "|".join(name.replace(" ", r"\s+") for name in RETIRED) + r")\b", re.IGNORECASE
)


def _retired(match: re.Match[str]) -> str:
    """The glossary's term for a retired name found in a text."""
    return RETIRED[_flat(match.group(1)).lower()]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _catalog_strings() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translated message of the Spanish catalogs."""
    out: list[tuple[str, str]] = []
    for domain in ("cda", "strategy"):
        with catalog_file("es", domain).open("rb") as handle:
            for message in read_po(handle, locale="es", domain=domain):
                if isinstance(message.id, str) and isinstance(message.string, str):
                    out.append((message.id, message.string))
    return out


@pytest.mark.parametrize("level", SKILL_LEVELS)
def test_the_catalog_names_each_skill_level_as_the_glossary_does(level: str) -> None:
    # What a Spanish table shows for the data's word (lessons.vocabulary) is the glossary's term.
    assert gettext(level, language="es") == GLOSSARY[level]


def test_the_skill_scale_fact_and_the_glossary_page_list_the_glossary_levels_in_order() -> None:
    words = [GLOSSARY[level] for level in SKILL_LEVELS]
    in_order = f"{', '.join(words[:-1])} y {words[-1]}"
    assert gettext(", ".join(SKILL_LEVELS), language="es") == in_order  # facts.yaml's value
    page = _flat((ROOT / "book" / "es" / "glossary.md").read_text(encoding="utf-8"))
    assert in_order in page


def test_the_spanish_skills_workshop_names_the_levels_as_the_glossary_does() -> None:
    text = _flat((ROOT / "workshops" / "es" / "m2_workshop_a_skills.md").read_text("utf-8"))
    listed = ", ".join(f"**{GLOSSARY[level]}** ({n})" for n, level in enumerate(SKILL_LEVELS, 1))
    assert listed.replace(", **experto**", " y **experto**") in text


def test_the_strategy_session_has_the_programmes_name_in_the_glossary() -> None:
    assert GLOSSARY["strategy studio"] == gettext("Strategy studio", language="es").lower()


@pytest.mark.parametrize("path", SPANISH_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_spanish_sources_use_no_retired_name_for_a_glossary_term(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: "
        f"'{_flat(m.group(1))}': write {_retired(m)}"
        for m in _RETIRED.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_the_spanish_catalogs_use_no_retired_name_for_a_glossary_term() -> None:
    found = [
        f"{msgid[:60]!r} -> '{m.group(1)}': write {_retired(m)}"
        for msgid, msgstr in _catalog_strings()
        for m in _RETIRED.finditer(_flat(msgstr))
    ]
    assert not found, "\n".join(found)


# --- hiring titles: kept in English in the answers, read in Spanish -------------------------------


def test_every_hiring_title_and_where_it_comes_from_has_a_spanish_name() -> None:
    shown = [*HIRE_FOR_SKILL.values(), *ROLE_TITLE_SOURCES.values()]
    missing = [title for title in shown if gettext(title, language="es") == title]
    assert not missing, f"no Spanish in the catalog for: {missing}"


def test_the_strategy_names_a_hiring_title_in_the_readers_language() -> None:
    names = Names()
    with speaking("es"):
        assert names.hire("data engineer") == "ingeniero o ingeniera de datos"
        assert names.hire("Senior data analyst") == "Senior data analyst"  # the team's own words
        problem = coherence.roles_and_skills(
            {"roles_to_hire": ["data engineer"], "hiring_plan": [{"role": "data analyst"}]}, 10
        )[0].problem
    assert problem.endswith(": ingeniero o ingeniera de datos")
    assert names.hire("data engineer") == "data engineer"  # English as before

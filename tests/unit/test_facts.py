"""Facts in everything people read: no listed wrong fact, every source listed, every link resolves.

Issue 19 listed facts the curriculum had wrong. Each has a detector below; the tests run every
detector over the text readers meet:

- the book's own pages (book/*.md, book/standards/*.md), the pages the book generates (the program
  and module pages, the References page, the facilitation kit) and the library's output strings;
- the notebooks and coaching templates (curriculum/*.md, workshops/*.md, coaching_templates/*.md),
  in tests named ``..._in_the_notebooks``. Those are fixed in a later round: until then they fail
  and list every place to change, as file:line.

The detectors themselves are checked on known-bad and known-good sentences first, so a detector
that stops detecting fails its own test.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pytest
import yaml

from cohort_tools.book import pages as book_plan
from cohort_tools.core import paths
from cohort_tools.kit.pages import ref_label
from cohort_tools.lessons import skills
from cohort_tools.model.programme import Programme, load_programme
from cohort_tools.model.references import default_references, load_references
from cohort_tools.policy.facts import default_facts, fact, load_facts
from cohort_tools.policy.language import Unit, text_units

ROOT = paths.project_root()

# --- the text readers meet ----------------------------------------------------------------------


def own_book_pages() -> list[Path]:
    return sorted([*(ROOT / "book").glob("*.md"), *(ROOT / "book" / "standards").glob("*.md")])


def notebooks() -> list[Path]:
    return sorted(
        [
            *(ROOT / "curriculum").glob("*.md"),
            *(ROOT / "workshops").glob("*.md"),
            *(ROOT / "coaching_templates").glob("*.md"),
        ]
    )


def library_modules() -> list[Path]:
    return sorted((ROOT / "cohort_tools").rglob("*.py"))


@cache
def generated_pages() -> dict[str, str]:
    """Every page the book generates (relative path -> text), from this checkout."""
    plan = book_plan.plan_book(load_programme(), ROOT)
    return {k: v for k, v in plan.pages.items() if k.endswith(".md")}


def _units_of_text(name: str, text: str, tmp: Path) -> list[Unit]:
    path = tmp / Path(name).name
    path.write_text(text, encoding="utf-8")
    return [Unit(name, u.line, u.text) for u in text_units(path)]


@pytest.fixture(scope="module")
def book_and_library_units(tmp_path_factory: pytest.TempPathFactory) -> list[Unit]:
    tmp = tmp_path_factory.mktemp("generated")
    units: list[Unit] = []
    for path in own_book_pages():
        units += text_units(path)
    for name, text in generated_pages().items():
        units += _units_of_text(f"(generated) {name}", text, tmp)
    for path in library_modules():
        units += text_units(path)  # output strings, not docstrings
    return units


@pytest.fixture(scope="module")
def notebook_units() -> list[Unit]:
    return [u for path in notebooks() for u in text_units(path)]


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the wrong facts of issue 19, one detector each ---------------------------------------------
# A detector takes a unit's text and returns what is wrong with it, or None.

OLD_SPD15_DATE = re.compile(r"28 March 2029|March 28,? 2029|2029-03-28")
NEW_SPD15_DATE = re.compile(r"28 September 2029|September 28,? 2029|2029-09-28|extended")


def spd15_old_compliance_date(text: str) -> str | None:
    if OLD_SPD15_DATE.search(text) and not NEW_SPD15_DATE.search(text):
        return (
            "gives March 28, 2029 as the SPD 15 compliance date; it was reported extended to "
            "September 28, 2029 (use fact('spd15-compliance').text)"
        )
    return None


DDAT_CLAIM = re.compile(
    r"DDaT|UK (government's )?(Digital and Data )?(capability )?framework", re.I
)
ALL_TITLES_CLAIM = re.compile(
    r"(with |the )?titles? (used )?(in|from) the UK( government's)?( DDaT| Digital and Data)?"
    r"( capability)? framework",
    re.I,
)
QUALIFIED = re.compile(
    r"not a (UK )?DDaT|not one of|program's own|our own|where it has one|except", re.I
)


def data_trainer_as_ddat_title(text: str) -> str | None:
    if (
        re.search(r"data trainer", text, re.I)
        and DDAT_CLAIM.search(text)
        and not QUALIFIED.search(text)
    ):
        return '"data trainer" presented as a UK DDaT role title; it is the program\'s own title'
    if ALL_TITLES_CLAIM.search(text) and not QUALIFIED.search(text):
        return (
            'says every hiring title is a UK framework title, but "data trainer" is not one '
            "(show skills.title_source() for each title)"
        )
    return None


WWC = re.compile(r"What Works Cities|WWC")
OLD_WWC_PRACTICE = re.compile(
    r"Data Governance|(?<!Rigorous )Evaluations|General Management|Open Data|"
    r"Performance (&|and) Analytics|Repurposing|Results-Driven Contracting|Stakeholder Engagement",
    re.I,
)


def wwc_old_practice_names_without_year(text: str) -> str | None:
    if not WWC.search(text) or "2018" in text:
        return None
    for match in OLD_WWC_PRACTICE.finditer(text):
        name = match.group(0)
        exact_title_case = name[0].isupper() and name.split()[-1][0].isupper()
        if exact_title_case or re.search(r"practice", text, re.I):
            return (
                f"names '{name}' as a What Works Cities practice without saying it is from the "
                "2018-2021 standard (the 2022 standard's page lists other practice names)"
            )
    return None


@cache
def govex_titles() -> tuple[str, ...]:
    return tuple(
        r.title
        for r in default_references().references
        if "GovEx" in r.publisher and r.url is not None
    )


def govex_guide_without_title(text: str) -> str | None:
    if (
        "GovEx" in text
        and re.search(r"\bguid(e|es|ance)\b", text, re.I)
        and not any(title in text for title in govex_titles())
    ):
        return "cites a GovEx guide without its title (titles: " + "; ".join(govex_titles()) + ")"
    return None


ASSERTING_TITLE = re.compile(r"most are in\b|Staff are keen to learn", re.I)


def chart_title_asserts_a_finding(text: str) -> str | None:
    match = ASSERTING_TITLE.search(text)
    if match:
        return (
            f"'{match.group(0)}' asserts a finding whatever the data say; compute the wording "
            "from the figures"
        )
    return None


CMS = re.compile(r"\bCMS\b|Medicare")
ELEVEN = re.compile(r"\b1 to 10\b|\b1-10\b|(below|under|fewer than|less than|at least) 11\b", re.I)
CITY_OWN = re.compile(
    r"own threshold|its own|each city|city sets|suppression_threshold|city's own|your city|"
    r"CMS's rule|CMS's own",
    re.I,
)


def cms_rule_as_every_citys_threshold(text: str) -> str | None:
    if CMS.search(text) and ELEVEN.search(text) and not CITY_OWN.search(text):
        return (
            "states the CMS rule (no cell from 1 to 10) as if it were every city's threshold; "
            "say CMS uses 11 for its own data and each city sets its own threshold"
        )
    return None


PROGRAM_OWN = re.compile(r"program's own|\bour own|this program's|not a published", re.I)


def program_rule_unmarked(text: str) -> str | None:
    for f in default_facts().facts:
        if f.kind != "program_rule":
            continue
        for pattern in f.patterns:
            if re.search(pattern, text) and not PROGRAM_OWN.search(text):
                return (
                    f"enforces the program's own rule of thumb ('{pattern}') without saying it is "
                    f"the program's own (see fact('{f.id}').text)"
                )
    return None


DETECTORS: dict[str, Callable[[str], str | None]] = {
    "spd15 compliance date": spd15_old_compliance_date,
    "data trainer as DDaT title": data_trainer_as_ddat_title,
    "WWC 2018-21 practice names": wwc_old_practice_names_without_year,
    "GovEx guide not cited by title": govex_guide_without_title,
    "chart title asserts a finding": chart_title_asserts_a_finding,
    "CMS rule as every city's threshold": cms_rule_as_every_citys_threshold,
    "program rule of thumb not marked": program_rule_unmarked,
}


def wrong_facts(units: Iterable[Unit]) -> list[str]:
    found = []
    for unit in units:
        text = flat(unit.text)
        for name, detect in DETECTORS.items():
            problem = detect(text)
            if problem:
                found.append(f"{unit.file}:{unit.line}: [{name}] {problem}")
    return found


# --- the detectors detect -----------------------------------------------------------------------

BAD = {
    "spd15 compliance date": "Federal agencies must comply by 28 March 2029.",
    "data trainer as DDaT title": (
        "The table shows a dedicated role for each skill, with the titles used in the UK framework."
    ),
    "WWC 2018-21 practice names": (
        "Our practice areas echo the public names of its practices, such as Data Governance and "
        "Open Data (source: What Works Cities assessment)."
    ),
    "GovEx guide not cited by title": "GovEx's guide to setting performance targets.",
    "chart title asserts a finding": "Few staff are practitioners in ethics; most are in literacy",
    "CMS rule as every city's threshold": (
        "Small-number suppression follows the CMS cell-size rule of no cell from 1 to 10."
    ),
    "program rule of thumb not marked": (
        "aim for a cut of 10 to 30 percent unless you are changing how the work is done."
    ),
}
GOOD = {
    "spd15 compliance date": (
        "Agencies must comply by September 28, 2029. The date was March 28, 2029, until OMB "
        "extended it."
    ),
    "data trainer as DDaT title": (
        "Titles come from the UK DDaT framework where it has one; data trainer is the program's "
        "own title."
    ),
    "WWC 2018-21 practice names": (
        "The 2018-2021 What Works Cities standard had practices such as Data Governance."
    ),
    "GovEx guide not cited by title": (
        'GovEx\'s guide "Setting Performance Targets: Getting Started Guide" lists five cases.'
    ),
    "chart title asserts a finding": "Only 9% of staff are practitioners in data engineering",
    "CMS rule as every city's threshold": (
        "CMS hides counts from 1 to 10 in its own data. Each city sets its own threshold."
    ),
    "program rule of thumb not marked": (
        "Aim for a cut of 10 to 30 percent: the program's own rule of thumb, not a standard."
    ),
}


@pytest.mark.parametrize("name", sorted(DETECTORS))
def test_each_detector_flags_the_wrong_fact_and_passes_the_corrected_one(name: str) -> None:
    detect = DETECTORS[name]
    assert detect(BAD[name]), f"{name} did not flag: {BAD[name]}"
    assert detect(GOOD[name]) is None, f"{name} flagged the corrected text: {GOOD[name]}"


# --- the facts themselves ------------------------------------------------------------------------


def test_facts_and_references_load_and_every_fact_cites_listed_sources() -> None:
    refs = load_references()
    facts = load_facts(references=refs)
    known = set(refs.ids())
    for f in facts.facts:
        assert set(f.sources) <= known, f.id
        assert f.as_of <= dt.date.today(), f"{f.id} is checked in the future"


def test_the_spd15_dates_come_from_the_facts_file() -> None:
    from cohort_tools.policy.standards.spd15_data import EFFECTIVE, FULL_COMPLIANCE_BY

    assert FULL_COMPLIANCE_BY == str(fact("spd15-compliance").value) == "2029-09-28"
    assert EFFECTIVE == str(fact("spd15-effective").value) == "2024-03-28"
    assert "September 28, 2029" in fact("spd15-compliance").text
    assert "March 28, 2029" in fact("spd15-compliance").text  # says what it was


def test_the_default_threshold_fact_matches_the_privacy_rule_and_the_city_profile() -> None:
    from cohort_tools.citydata.config import CityConfig
    from cohort_tools.policy.privacy import DEFAULT_THRESHOLD

    default = CityConfig.model_fields["suppression_threshold"].default
    assert fact("default-threshold").value == DEFAULT_THRESHOLD == default
    assert fact("cms-small-cell").value == 11
    assert "each city sets its own threshold" in fact("cms-small-cell").text.lower()


def test_program_rules_say_they_are_the_programs_own() -> None:
    rules = [f for f in default_facts().facts if f.kind == "program_rule"]
    assert {"target-cut", "target-max-cut", "workforce-budget-range"} <= {f.id for f in rules}
    for f in rules:
        assert PROGRAM_OWN.search(f.text), f.id


def test_every_hiring_title_says_where_it_comes_from_and_data_trainer_is_not_ddat() -> None:
    for title in skills.HIRE_FOR_SKILL.values():
        assert title in skills.ROLE_TITLE_SOURCES, title
    assert skills.title_source("data trainer") != skills.DDAT_TITLE
    assert skills.title_source("data engineer") == skills.DDAT_TITLE
    source = (ROOT / "cohort_tools" / "lessons" / "skills.py").read_text(encoding="utf-8")
    assert not re.search(r"\(role titles from the UK DDaT framework's data roles\)", source)


def test_the_book_names_this_project_as_author_and_no_future_year() -> None:
    config = yaml.safe_load((ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))
    assert "GovEx" not in config["author"] and "project" in config["author"]
    assert 2026 <= int(config["copyright"]) <= dt.date.today().year


# --- wrong facts: pages, kit and library (must pass) ----------------------------------------------


def test_no_listed_wrong_fact_in_book_pages_generated_pages_kit_or_library(
    book_and_library_units: list[Unit],
) -> None:
    found = wrong_facts(book_and_library_units)
    assert not found, "\n".join(found)


# --- wrong facts: the notebooks (fails until the notebook round fixes them) ----------------------


def test_no_listed_wrong_fact_in_the_notebooks(notebook_units: list[Unit]) -> None:
    found = wrong_facts(notebook_units)
    assert not found, f"{len(found)} place(s) to fix in the notebooks:\n" + "\n".join(found)


# --- the References page and the links to it ----------------------------------------------------

REFERENCES_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]*references)>?`")
SEE_THE_REFERENCES = re.compile(r"see the references", re.I)


def _resolves_to_references(target: str, docname: str) -> bool:
    target = target.strip()
    resolved = (
        target.lstrip("/")
        if target.startswith("/")
        else posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))
    )
    return resolved == book_plan.REFERENCES_DOC


def _docnames(programme: Programme) -> dict[Path, str]:
    found, _ = book_plan.find_notebooks(programme, ROOT)
    return {p.source.resolve(): p.docname for p in found}


def test_the_book_generates_a_references_page_with_every_reference() -> None:
    text = generated_pages()[f"{book_plan.REFERENCES_DOC}.md"]
    for ref in default_references().references:
        assert f"({ref_label(ref.id)})=" in text and ref.title in text, ref.id
        if ref.link:
            assert ref.link in text, ref.id
    for f in default_facts().facts:
        assert f.text in text, f.id


def test_links_to_the_references_page_from_book_pages_resolve() -> None:
    linked = 0
    for path in own_book_pages():
        docname = path.relative_to(ROOT / "book").with_suffix("").as_posix()
        for target in REFERENCES_LINK.findall(path.read_text(encoding="utf-8")):
            assert _resolves_to_references(target, docname), (path, target)
            linked += 1
    assert linked >= 3


def test_every_see_the_references_in_the_notebooks_links_to_the_references_page(
    programme: Programme,
) -> None:
    """Each notebook links to the References page, and every "see the references" is that link."""
    docnames = _docnames(programme)
    problems = []
    for path in [*(ROOT / "curriculum").glob("*.md"), *(ROOT / "workshops").glob("*.md")]:
        docname = docnames.get(path.resolve(), f"modules/x/{path.stem}")
        text = path.read_text(encoding="utf-8")
        targets = REFERENCES_LINK.findall(text)
        if not any(_resolves_to_references(t, docname) for t in targets):
            problems.append(f"{path.relative_to(ROOT)}: no link to the References page")
        for unit in text_units(path):
            if SEE_THE_REFERENCES.search(flat(unit.text)):
                links = REFERENCES_LINK.findall(unit.text)
                if not any(_resolves_to_references(t, docname) for t in links):
                    problems.append(
                        f"{path.relative_to(ROOT)}:{unit.line}: 'see the references' is not a "
                        "link; write {doc}`the references </references>`"
                    )
    assert not problems, "\n".join(sorted(problems))


# --- every source cited is listed ---------------------------------------------------------------

SOURCE_LABEL = re.compile(r"(\()?\bsources?:\s*", re.I)
URL = re.compile(
    r"(?:https?://|www\.)[^\s)\]>`\"']+|\b(?:[a-z0-9-]+\.)+(?:gov|org|edu|uk)(?:/[^\s)\]>`\"']*)?",
    re.I,
)
NOT_A_SOURCE = re.compile(
    r"see the|in the book|standards pages|program's own|programme's own|records for|own data",
    re.I,
)


def citations(text: str) -> list[str]:
    """The items cited in a unit: after "Source(s):" (to the closing parenthesis, or to the end of
    the bullet or paragraph), split at semicolons; and every web address."""
    items: list[str] = []
    for match in SOURCE_LABEL.finditer(text):
        rest = text[match.end() :]
        if match.group(1):  # "(source: ...)": up to the matching parenthesis
            depth, end = 1, len(rest)
            for i, ch in enumerate(rest):
                depth += {"(": 1, ")": -1}.get(ch, 0)
                if depth == 0:
                    end = i
                    break
            rest = rest[:end]
        else:  # "Sources: ..." runs to the end of its bullet or paragraph
            rest = re.split(r"\n\s*(?:[-*] |\d+\. |\|)|\n\s*\n", rest)[0]
        items += [flat(part) for part in rest.split(";")]
    items += [m.group(0) for m in URL.finditer(text)]
    return items


def _identifies(item: str) -> bool:
    low = item.lower()
    for ref in default_references().references:
        keys = [ref.title, ref_label(ref.id), *ref.cited_as]
        if ref.link:
            keys.append(re.sub(r"^https?://(www\.)?", "", ref.link).rstrip("/"))
        if any(k.lower() in low for k in keys):
            return True
    return False


def uncited_sources(units: Iterable[Unit]) -> list[str]:
    missing = []
    for unit in units:
        for item in citations(unit.text):
            item = item.strip(" .()*")
            if len(item) < 4 or NOT_A_SOURCE.search(item) or "{" in item:
                continue
            if not _identifies(item):
                missing.append(f"{unit.file}:{unit.line}: '{item[:90]}' is not in the references")
    return missing


def test_every_source_cited_in_book_pages_kit_and_generated_pages_is_listed(
    book_and_library_units: list[Unit],
) -> None:
    units = [
        u
        for u in book_and_library_units
        if not u.file.endswith(".py") and "references.md" not in u.file  # the list itself
    ]
    missing = uncited_sources(units)
    assert not missing, "\n".join(missing)


def test_every_source_cited_in_the_notebooks_is_listed(notebook_units: list[Unit]) -> None:
    missing = uncited_sources(notebook_units)
    assert not missing, "\n".join(missing)


def test_an_unlisted_source_is_reported() -> None:
    unit = Unit("x.md", 1, "Sources: the Imaginary Institute's data almanac (2031).")
    assert uncited_sources([unit])
    unit = Unit("x.md", 1, "Sources: Behn, The PerformanceStat Potential (Brookings, 2014).")
    assert not uncited_sources([unit])

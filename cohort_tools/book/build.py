"""`cda book build`: assemble the curriculum book in a staging folder and build it with jupyter-book.

Layout beside the output folder ``out`` (all persistent between builds, so a rebuild is incremental):

- ``.<out>-work/src``: the staged book (sources from book/, generated pages, session notebooks);
  a file is rewritten only when its content changes, so Sphinx re-reads only changed pages;
- ``.<out>-work/build``: jupyter-book's output and Sphinx's doctree cache;
- ``.<out>-work/executed``: executed notebooks, keyed by content (:mod:`cohort_tools.book.execute`):
  the book's notebooks run through cohort_tools' one run loop, not myst-nb's, and a notebook is
  re-executed only when it, the city, the cohort's data or the package version changes;
- ``.<out>-work/prepared``: session notebooks already stripped of solutions, keyed by content.

The finished HTML replaces ``out`` in one step, and only when the build succeeded and the site loads
nothing from other hosts.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from cohort_tools import __version__
from cohort_tools.core import i18n, paths
from cohort_tools.core.config import FAST_DUMPER, FAST_LOADER
from cohort_tools.core.defaults import DEMO_CITY
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_bytes, atomic_write_text, staged_dir
from cohort_tools.core.i18n import LANGUAGE_NAMES, SOURCE_LANGUAGE
from cohort_tools.model.programme import Programme, load_programme

if TYPE_CHECKING:
    from cohort_tools.model.cohort import Cohort

DEFAULT_OUT = Path("_build/book")
# Files in book/ that the build writes itself.
GENERATED_IN_BOOK = {"_toc.yml"}
_WARNING = re.compile(
    r"^(?:(?P<path>/[^:\n]+?)(?::(?P<line>\d+))?(?::[^:\n]*)?: )?"
    r"(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<msg>.*)$"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class BookBuild:
    """What a build produced and what it noticed."""

    out: Path
    pages: int
    notebooks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log: str = ""
    #: Every edition built: language -> its folder (English is ``out`` itself).
    editions: dict[str, Path] = field(default_factory=dict)

    @property
    def index(self) -> Path:
        return self.out / "index.html"


@dataclass(frozen=True)
class WorkDirs:
    root: Path

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def executed(self) -> Path:
        return self.root / "executed"

    @property
    def prepared(self) -> Path:
        return self.root / "prepared"

    @property
    def html(self) -> Path:
        return self.build / "_build" / "html"


def work_dirs(out: Path) -> WorkDirs:
    out = out.resolve()
    return WorkDirs(out.parent / f".{out.name}-work")


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:20]


def _cached(folder: Path, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """Content-addressed memo on disk: slow generated files are made once per distinct input."""
    path = folder / f"{key}{suffix}"
    if path.is_file():
        return path.read_bytes()
    data = make()
    atomic_write_bytes(path, data)
    return data


@dataclass(frozen=True)
class Execution:
    """How the book's notebooks run (book/_config.yml ``execute:``)."""

    timeout: int | None = 300
    allow_errors: bool = False


def _book_config(
    book_src: Path, language: str = SOURCE_LANGUAGE
) -> tuple[dict[str, Any], Execution]:
    """book/_config.yml for one edition (its ``editions:`` settings applied), and how notebooks run."""
    config_file = book_src / "_config.yml"
    try:
        text = config_file.read_text(encoding="utf-8")
        config: dict[str, Any] = yaml.load(text, Loader=FAST_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CdaError.single(
            config_file,
            f"cannot read the book configuration: {exc}",
            "restore book/_config.yml from the repository.",
        ) from None
    editions = config.pop("editions", None) or {}
    execute = config.setdefault("execute", {})
    timeout = execute.get("timeout", Execution.timeout)
    settings = Execution(
        timeout=int(timeout) if timeout is not None and int(timeout) > 0 else None,
        allow_errors=bool(execute.get("allow_errors", False)),
    )
    # cohort_tools executes the notebooks itself (cohort_tools.book.execute); myst-nb only renders.
    execute["execute_notebooks"] = "off"
    execute.pop("cache", None)
    if language != SOURCE_LANGUAGE:
        edition = dict(editions.get(language) or {})
        sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
        theme = sphinx.setdefault("html_theme_options", {})
        if "search_bar_text" in edition:
            theme["search_bar_text"] = edition.pop("search_bar_text")
        config.update(edition)
        sphinx["language"] = language
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    # The search index in the page's language (Sphinx's own stemmer, e.g. Snowball's Spanish).
    sphinx_config["html_search_language"] = sphinx_config.get("language", language)
    return config, settings


def _config_bytes(config: dict[str, Any], sphinx_extra: dict[str, Any] | None = None) -> bytes:
    if sphinx_extra:
        config = copy.deepcopy(config)
        config.setdefault("sphinx", {}).setdefault("config", {}).update(sphinx_extra)
    text = "# Generated by cohort_tools.book from book/_config.yml; do not edit.\n"
    dumped = yaml.dump(config, Dumper=FAST_DUMPER, sort_keys=False, allow_unicode=True)
    return (text + dumped).encode("utf-8")


def _is_edition_folder(rel: str) -> bool:
    """``es/...`` (or ``standards/es/...``) in book/: a translation, never part of the English book."""
    return any(p != SOURCE_LANGUAGE and p in LANGUAGE_NAMES for p in rel.split("/")[:-1])


def assemble(
    *,
    programme: Programme,
    root: Path,
    work: WorkDirs,
    execute_city: str,
    strip: bool = True,
) -> tuple[dict[str, bytes], dict[str, str], list[str], Execution]:
    """The staged book as {relative path: bytes}, where each staged file came from, notes, and how
    its notebooks run. Notebooks are staged as prepared (not yet executed)."""
    from cohort_tools.book.pages import TIMELINE_FILE, plan_book

    book_src = root / "book"
    if not (book_src / "index.md").is_file():
        raise CdaError.single(
            book_src / "index.md",
            "the book's landing page is missing.",
            "restore the book/ folder from the repository.",
        )
    files: dict[str, bytes] = {}
    origin: dict[str, str] = {}
    for path in sorted(book_src.rglob("*")):
        rel = path.relative_to(book_src).as_posix()
        if path.is_dir() or rel in GENERATED_IN_BOOK or rel.startswith(("_build/", ".")):
            continue
        if _is_edition_folder(rel):
            continue
        files[rel] = path.read_bytes()
        origin[rel] = f"book/{rel}"
    config, execution = _book_config(book_src)
    files["_config.yml"] = _config_bytes(config)

    plan = plan_book(programme, root)
    for rel, text in plan.pages.items():
        files[rel] = text.encode("utf-8")
        origin[rel] = f"{rel} (generated from curriculum/programme.yaml by cohort_tools.book)"

    files[TIMELINE_FILE] = _timeline(programme, work, SOURCE_LANGUAGE)

    from cohort_tools.book.notebooks import prepare_for_book, to_ipynb_text

    params = {"city": execute_city}
    for page in plan.notebooks:
        rel = f"{page.docname}.ipynb"
        source = page.source.read_bytes()
        key = _digest("notebook", source, json.dumps(params), str(strip), _code_version())
        files[rel] = _cached(
            work.prepared,
            key,
            ".ipynb",
            lambda p=page: to_ipynb_text(
                prepare_for_book(p.source, parameters=params, strip=strip)
            ).encode("utf-8"),  # type: ignore[misc]  # a lambda with a default argument
        )
        origin[rel] = f"{page.source.relative_to(root).as_posix()} (staged as {rel})"
    return files, origin, plan.notes, execution


def _timeline(programme: Programme, work: WorkDirs, language: str) -> bytes:
    """The programme's timeline chart (SVG) in ``language``, cached by everything it is made of."""
    from cohort_tools.book import timeline
    from cohort_tools.notebooks.digest import source_digest

    # the package's code and catalogs (notebooks.digest), as the other caches key on them
    key = _digest("timeline", language, programme.model_dump_json(), source_digest(), __version__)
    with i18n.speaking(language):
        return _cached(
            work.prepared, key, ".svg", lambda: timeline.timeline_svg(programme).encode()
        )


def _code_version() -> str:
    """Changes when the code that prepares notebooks changes (so prepared copies are remade)."""
    here = Path(__file__).resolve().parent
    return _digest(*(p.read_bytes() for p in sorted(here.glob("notebooks.py"))))


def translated_book_page(book_src: Path, rel: str, language: str) -> Path | None:
    """The ``language`` edition of book page ``rel``: ``book/<language>/<rel>``, or beside the page
    (``book/standards/<language>/x.md``, as :func:`cohort_tools.core.i18n.source_for` finds it)."""
    nested = book_src / language / rel
    if nested.is_file():
        return nested
    return i18n.translated_source(book_src / rel, language)


def edition_languages(root: Path) -> list[str]:
    """The source language and every language whose book has a translated landing page."""
    book_src = root / "book"
    return [SOURCE_LANGUAGE] + [
        lang
        for lang in LANGUAGE_NAMES
        if lang != SOURCE_LANGUAGE and translated_book_page(book_src, "index.md", lang)
    ]


def edition_city(cohort: Cohort, language: str, preferred: str) -> str:
    """The demo city an edition's notebooks run on: ``preferred`` if it reads ``language``, else the
    first city that does, else the first city of the cohort."""
    cities = list(cohort.cities)
    chosen = next((c for c in cities if c.id == preferred and c.lang == language), None)
    chosen = chosen or next((c for c in cities if c.lang == language), None)
    return (chosen or cities[0]).id


#: Part captions of a translated edition's table of contents.
TOC_CAPTIONS = {
    "es": {
        "programme": "El programa",
        "module": "Módulo {number}",
        "capstone": "Cierre: la estrategia de datos",
        "reference": "Referencia",
        "kit": "Kit de facilitación",
    }
}


def assemble_translation(
    *,
    programme: Programme,
    root: Path,
    work: WorkDirs,
    language: str,
    execute_city: str,
    strip: bool = True,
) -> tuple[dict[str, bytes], dict[str, str], list[str], Execution]:
    """The ``language`` edition staged like :func:`assemble`: the translated book pages and session
    notebooks (``i18n.source_for``), under the same docnames as the English book. A page with no
    translation is left out (the edition links to the English page instead: :mod:`.editions`), so
    nothing in the edition is English by accident."""
    from cohort_tools.book.notebooks import prepare_for_book, to_ipynb_text
    from cohort_tools.book.pages import (
        CONVENING_DOC,
        REFERENCE_ORDER,
        REFERENCES_DOC,
        SESSIONS_TITLE,
        TIMELINE_FILE,
        find_notebooks,
        programme_pages,
    )
    from cohort_tools.lessons.checkpoints import code_stub
    from cohort_tools.model.programme import in_language

    book_src = root / "book"
    if translated_book_page(book_src, "index.md", language) is None:
        raise CdaError.single(
            book_src / language / "index.md",
            f"the {LANGUAGE_NAMES[language]} book has no landing page.",
            f"translate book/index.md into book/{language}/index.md.",
        )
    files: dict[str, bytes] = {}
    origin: dict[str, str] = {}
    notes: list[str] = []
    untranslated: list[str] = []
    for path in sorted(book_src.rglob("*")):
        rel = path.relative_to(book_src).as_posix()
        if path.is_dir() or rel in GENERATED_IN_BOOK or rel.startswith(("_build/", ".")):
            continue
        if _is_edition_folder(rel):
            continue
        if path.suffix != ".md":  # styles, templates, images
            files[rel] = path.read_bytes()
            origin[rel] = f"book/{rel}"
            continue
        translated = translated_book_page(book_src, rel, language)
        if translated is None:
            untranslated.append(f"book/{rel}")
            continue
        files[rel] = translated.read_bytes()
        origin[rel] = translated.relative_to(root).as_posix()
    config, execution = _book_config(book_src, language)
    files["_config.yml"] = _config_bytes(config)

    params = {"city": execute_city}
    pages, _missing = find_notebooks(programme, root)
    docs: list[str] = []
    for page in pages:
        source = i18n.source_for(page.source, language)
        if source == page.source:
            untranslated.append(page.source.relative_to(root).as_posix())
            continue
        rel = f"{page.docname}.ipynb"
        # the exercises as the edition's learners receive them: nbgrader's stub in their language
        stub = code_stub(language)
        key = _digest(
            "notebook",
            source.read_bytes(),
            json.dumps(params),
            str(strip),
            _code_version(),
            json.dumps(stub),
        )

        def prepare(s: Path = source) -> bytes:
            with i18n.speaking(language):
                return to_ipynb_text(prepare_for_book(s, parameters=params, strip=strip)).encode()

        files[rel] = _cached(work.prepared, key, ".ipynb", prepare)
        origin[rel] = f"{source.relative_to(root).as_posix()} (staged as {rel})"
        docs.append(page.docname)

    # The overview, module and capstone pages, generated in the edition's language from the
    # programme's catalog translations (a session whose notebook is not translated yet links to
    # the English one: editions._missing_reference).
    edition_programme = in_language(programme, language)
    with i18n.speaking(language):
        for rel, text in programme_pages(edition_programme, pages).items():
            files[rel] = text.encode("utf-8")
            origin[rel] = f"{rel} (generated from curriculum/programme.yaml in {language})"
        sessions_title = i18n.gettext(SESSIONS_TITLE)
    files[TIMELINE_FILE] = _timeline(edition_programme, work, language)

    # The References page, generated in the edition's language from the catalog (the sources'
    # titles and publishers keep their English names, marked as English), with the English page's
    # (ref-...)= targets, so links to an entry work in both editions.
    from cohort_tools.book.pages import references_page
    from cohort_tools.model.references import default_references
    from cohort_tools.policy.facts import default_facts

    with i18n.speaking(language):
        references = references_page(default_references(), default_facts())
    files[f"{REFERENCES_DOC}.md"] = references.encode("utf-8")
    origin[f"{REFERENCES_DOC}.md"] = (
        f"{REFERENCES_DOC}.md (generated from curriculum/references.yaml and "
        f"curriculum/facts.yaml in {language})"
    )

    # The data dictionary, generated in the edition's language from the city-data schemas (their
    # descriptions and rules are catalog messages); if it cannot be generated, links to it go to
    # the English book's page.
    from cohort_tools.book.pages import data_dictionary_page

    with i18n.speaking(language):
        dictionary, dictionary_note = data_dictionary_page()
    if dictionary_note is None:
        files["data-dictionary.md"] = dictionary.encode("utf-8")
        origin["data-dictionary.md"] = (
            f"data-dictionary.md (generated from cohort_tools.citydata.schemas in {language})"
        )
    else:
        notes.append(f"{LANGUAGE_NAMES[language]} edition: no data dictionary: {dictionary_note}")

    # The facilitation kit, generated in the edition's language: the kit's text
    # (curriculum/kit/*.yaml) and the pages' own words through the catalog. Sources keep their
    # English titles, marked as English; each links to its entry when the edition has References.
    from cohort_tools.kit.pages import KIT_INDEX, kit_docnames, kit_pages

    with i18n.speaking(language):
        for kit_page in kit_pages(
            edition_programme,
            notebooks={p.docname for p in pages},
            linked_references=f"{REFERENCES_DOC}.md" in files,
        ):
            rel = f"{kit_page.docname}.md"
            files[rel] = kit_page.text.encode("utf-8")
            origin[rel] = f"{rel} (generated from curriculum/kit/*.yaml in {language})"

    captions = TOC_CAPTIONS.get(language, TOC_CAPTIONS["es"])
    present = {rel.rsplit(".", 1)[0] for rel in files if rel.endswith((".md", ".ipynb"))}
    parts: list[dict[str, object]] = []

    def part(caption: str, names: list[str]) -> None:
        chapters = [{"file": d} for d in names if d in present]
        if chapters:
            parts.append({"caption": caption, "chapters": chapters})

    def module_part(caption: str, module_id: str) -> None:
        # like the English book: the module's page, with its session notebooks under it
        sessions = [{"file": d} for d in docs if d.startswith(f"modules/{module_id}/")]
        chapter: dict[str, object] = {"file": f"modules/{module_id}", "title": sessions_title}
        if sessions:
            chapter["sections"] = sessions
        parts.append({"caption": caption, "chapters": [chapter]})

    part(captions["programme"], ["programme", CONVENING_DOC, "lead-orientation", "coaching-guide"])
    titles = {m.id: m.title for m in edition_programme.modules}
    for m in programme.modules:
        caption = captions["module"].format(number=m.number)
        if titles[m.id] != m.title:  # the catalog has the module's title in this language
            caption += f": {titles[m.id]}"
        module_part(caption, m.id)
    if programme.capstone:
        module_part(captions["capstone"], "capstone")
    if KIT_INDEX in present:  # like the English book: the kit's index, with its pages under it
        kit_sections = [
            {"file": d} for d in kit_docnames(programme) if d != KIT_INDEX and d in present
        ]
        kit_chapter = {"file": KIT_INDEX, "sections": kit_sections}
        parts.append({"caption": captions["kit"], "chapters": [kit_chapter]})
    listed = {
        entry["file"]
        for p in parts
        for c in p["chapters"]  # type: ignore[attr-defined]
        for entry in [c, *c.get("sections", [])]
    }
    # the reference pages in the English book's order, then any other translated page
    others = sorted(d for d in present if d != "index" and d not in listed)
    others.sort(key=lambda d: REFERENCE_ORDER.index(d) if d in REFERENCE_ORDER else len(others))
    part(captions["reference"], others)
    toc: dict[str, object] = {"format": "jb-book", "root": "index"}
    if parts:
        toc["parts"] = parts
    header = "# Generated by cohort_tools.book from the translated pages; do not edit.\n"
    files["_toc.yml"] = (header + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)).encode(
        "utf-8"
    )
    if untranslated:
        notes.append(
            f"{LANGUAGE_NAMES[language]} edition: {len(untranslated)} source(s) not translated yet "
            f"(linked to the English pages): {', '.join(untranslated)}"
        )
    return files, origin, notes, execution


def sync(files: dict[str, bytes], dest: Path) -> list[str]:
    """Make ``dest`` hold exactly ``files``; rewrite only changed files (keeps mtimes for Sphinx)."""
    changed: list[str] = []
    dest.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        target = dest / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        atomic_write_bytes(target, data)
        changed.append(rel)
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
            changed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


#: ``jb`` as this interpreter runs it, after ``import cohort_tools`` (which skips jsonschema's slow
#: optional import: :func:`cohort_tools.core.compat.skip_slow_optional_imports`).
JB_MAIN = (
    "import sys, cohort_tools; from jupyter_book.cli.main import main; "
    "sys.argv[0] = 'jb'; sys.exit(main())"
)


def _jb_command() -> list[str]:
    if Path(sys.executable).with_name("jb").exists():
        return [sys.executable, "-c", JB_MAIN]
    found = shutil.which("jb")
    if found:
        return [found]
    raise CdaError.single(
        "jupyter-book",
        "the `jb` command is not installed.",
        "run `make install` (jupyter-book 1.0.x is a dependency).",
    )


def problems_from_log(log: str, staging: Path, origin: dict[str, str]) -> list[Problem]:
    """Sphinx warnings and errors as Problems that name the page (its source, not the staged copy)."""
    problems: list[Problem] = []
    staging_str = str(staging.resolve())
    for line in _ANSI.sub("", log).splitlines():
        match = _WARNING.match(line.strip())
        if not match:
            continue
        path = match["path"] or "book/_config.yml (or the build configuration)"
        rel = path.removeprefix(staging_str).lstrip("/") if path.startswith(staging_str) else path
        # myst-nb names cells as 'page.ipynb:cell-3'-style suffixes; the file is enough here
        source = next((origin[k] for k in origin if rel == k or rel.startswith(k)), rel)
        problems.append(
            Problem(
                file=source,
                line=int(match["line"]) if match["line"] else None,
                message=f"{match['level'].lower()}: {match['msg']}",
                fix="fix the page (the full build log is above the error).",
            )
        )
    return problems


NAV_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAV_TOGGLE_LABELS = {
    "en": "Show or hide the pages of this section",
    "es": "Mostrar u ocultar las páginas de esta sección",
}
NAV_TOGGLE_NAMED = (
    f'<summary aria-label="{NAV_TOGGLE_LABELS["en"]}">'
    '<span class="toctree-toggle" role="presentation">'
)


def name_navigation_toggles(site: Path, language: str = SOURCE_LANGUAGE) -> int:
    """Give the theme's sidebar expand/collapse toggles an accessible name (in ``language``).

    sphinx-book-theme renders them as ``<summary>`` elements holding only an icon, which screen
    readers cannot name (axe-core: summary-name, serious). The theme has no option for a label, so
    the built pages are patched. Returns how many toggles were named.
    """
    label = NAV_TOGGLE_LABELS.get(language, NAV_TOGGLE_LABELS[SOURCE_LANGUAGE])
    named_toggle = NAV_TOGGLE_NAMED.replace(NAV_TOGGLE_LABELS[SOURCE_LANGUAGE], label)
    named = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if NAV_TOGGLE in text:
            named += text.count(NAV_TOGGLE)
            page.write_text(text.replace(NAV_TOGGLE, named_toggle), encoding="utf-8")
    return named


def build_book(
    *,
    out: Path = DEFAULT_OUT,
    strict: bool = True,
    execute_city: str = DEMO_CITY,
    programme: Path | None = None,
    root: Path | None = None,
    echo: Callable[[str], None] | None = None,
    languages: Sequence[str] | None = None,
) -> Path:
    """Build the curriculum book as static HTML in ``out`` and return ``out / "index.html"``'s folder.

    ``strict`` turns every Sphinx warning into an error (``-W --keep-going``): a broken reference or a
    failing notebook fails the build, and the error names every page at fault. ``execute_city`` is
    the demo city the session notebooks run on. ``root`` is the project folder (default: the
    checkout, or ``CDA_HOME``). ``languages``: the editions to build (default: English and every
    language with a translated landing page, ``book/<language>/index.md``); English is always built,
    in ``out``, and every other edition beside it in ``out/<language>``.
    """
    return build_book_report(
        out=out,
        strict=strict,
        execute_city=execute_city,
        programme=programme,
        root=root,
        echo=echo,
        languages=languages,
    ).out


@dataclass
class _Edition:
    language: str
    work: WorkDirs
    city: str
    files: dict[str, bytes]
    origin: dict[str, str]
    notes: list[str]
    log: str = ""


def _languages(root: Path, languages: Sequence[str] | None) -> list[str]:
    if languages is None:
        return edition_languages(root)
    chosen = [i18n.known_language(lang) for lang in languages]
    return [SOURCE_LANGUAGE] + [lang for lang in dict.fromkeys(chosen) if lang != SOURCE_LANGUAGE]


def _run_jb(edition: _Edition, *, strict: bool) -> str:
    """Sync the staged edition and build it with jupyter-book; CdaError naming the pages at fault."""
    work = edition.work
    changed = sync(edition.files, work.src)
    incomplete = work.root / "build-incomplete"
    last = work.root / LAST_BUILD
    # Nothing staged changed since a finished build at least as strict: its site is current (a
    # one-page edit to one edition rebuilds only that edition).
    if not changed and not incomplete.exists() and (work.html / "index.html").is_file():
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            record = json.loads(last.read_text(encoding="utf-8"))
            if record["strict"] or not strict:
                return str(record["log"])
    last.unlink(missing_ok=True)
    cmd = [
        *_jb_command(),
        "build",
        str(work.src),
        "--path-output",
        str(work.build),
        "--builder",
        "html",
    ]
    if strict:
        cmd += ["--warningiserror", "--keep-going"]
    # Re-read every page (executed notebooks still come from their cache) when the table of contents
    # or the configuration changed (Sphinx would keep stale navigation), or when the last build did
    # not finish (Sphinx would not re-read a page whose warnings failed it, and would pass).
    if incomplete.exists() or {"_toc.yml", "_config.yml"} & set(changed):
        cmd.append("--all")
    atomic_write_bytes(incomplete, b"a build started and has not finished\n")
    env = dict(os.environ)
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # silences jupyter_core's migration warning
    env["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
    # Sphinx imports this package's extension (cohort_tools.book.editions) from this checkout.
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    proc = subprocess.run(cmd, cwd=work.src, env=env, capture_output=True, text=True, check=False)
    log = proc.stdout + proc.stderr
    problems = problems_from_log(log, work.src, edition.origin)
    if proc.returncode != 0 or not (work.html / "index.html").is_file():
        if not problems:
            tail = "\n".join(log.strip().splitlines()[-15:])
            problems = [
                Problem(
                    file="book",
                    message=f"jupyter-book failed:\n{tail}",
                    fix="read the log above; run `jb build` on the staged folder.",
                )
            ]
        name = LANGUAGE_NAMES[edition.language]
        raise CdaError(
            problems,
            headline=f"The book ({name}) did not build ({len(problems)} problem(s)); "
            f"staged sources are in {work.src}.",
        )
    from cohort_tools.book.offline import find_external_resources

    external = find_external_resources(work.html, remember=work.root / OFFLINE_SCAN)
    if external:
        raise CdaError(
            [
                Problem(
                    file=str(e.file),
                    message=f"{e.element} loads {e.url} from another host.",
                    fix="serve the resource from the book's _static folder or drop it.",
                )
                for e in external
            ],
            headline="The book would load resources from other hosts; it must work offline.",
        )
    atomic_write_text(last, json.dumps({"strict": strict, "log": log}))
    return log


#: What the last finished jupyter-book build of an edition said, and whether it was strict.
LAST_BUILD = "last-build.json"
#: What each page of an edition's site loads from other hosts, by the page's size and time.
OFFLINE_SCAN = "offline-scan.json"


def _run_editions(editions: list[_Edition], *, strict: bool) -> None:
    """Build every edition with jupyter-book, at once up to the cores (each Sphinx build is one
    process on one core, in its own folder); every edition's problems are reported together."""
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(len(editions), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers, "cda-book-edition") as pool:
        futures = [(e, pool.submit(_run_jb, e, strict=strict)) for e in editions]
    failed: list[CdaError] = []
    for edition, future in futures:
        error = future.exception()
        if error is None:
            edition.log = future.result()
        elif isinstance(error, CdaError):
            failed.append(error)
        else:
            raise error
    if len(failed) == 1:
        raise failed[0]
    if failed:
        raise CdaError(
            [p for e in failed for p in e.problems],
            headline=" ".join(e.headline for e in failed),
        )


def build_book_report(
    *,
    out: Path = DEFAULT_OUT,
    strict: bool = True,
    execute_city: str = DEMO_CITY,
    programme: Path | None = None,
    root: Path | None = None,
    echo: Callable[[str], None] | None = None,
    languages: Sequence[str] | None = None,
) -> BookBuild:
    """:func:`build_book`, returning what was built and noticed (for every edition)."""
    from cohort_tools.book.editions import (
        edition_dir,
        page_titles,
        sphinx_settings,
        staged_docnames,
    )
    from cohort_tools.book.execute import cohort_data_digest, execute_notebooks
    from cohort_tools.model.cohort import load_cohort

    say = echo or (lambda _text: None)
    root = (root or paths.project_root()).resolve()
    prog = load_programme(programme or root / "curriculum" / "programme.yaml")
    out = out.resolve()
    base = work_dirs(out)
    cohort = load_cohort()
    cohort.city(execute_city)  # the demo city must exist; CdaError lists the choices
    data_digest = cohort_data_digest(cohort.path, [c.data_dir for c in cohort.cities])

    editions: dict[str, _Edition] = {}
    for language in _languages(root, languages):
        if language == SOURCE_LANGUAGE:
            work, city = base, execute_city
            files, origin, notes, execution = assemble(
                programme=prog, root=root, work=work, execute_city=city
            )
        else:
            work = WorkDirs(base.root / language)
            city = edition_city(cohort, language, execute_city)
            files, origin, notes, execution = assemble_translation(
                programme=prog, root=root, work=work, language=language, execute_city=city
            )
        notebooks = {rel: data for rel, data in files.items() if rel.endswith(".ipynb")}
        if notebooks:
            files |= execute_notebooks(
                notebooks,
                origin,
                cache=base.executed,  # keyed by content and city: one cache for every edition
                city=city,
                data_digest=data_digest,
                timeout=execution.timeout,
                stop_on_error=not execution.allow_errors,
                say=say,
            )
        editions[language] = _Edition(language, work, city, files, origin, notes)

    # Each edition knows the others' pages (for the language switcher) and the English titles
    # (for links to pages not translated yet).
    docs = {lang: staged_docnames(e.files) for lang, e in editions.items()}
    titles = page_titles(editions[SOURCE_LANGUAGE].files)
    for language, edition in editions.items():
        config, _execution = _book_config(root / "book", language)
        edition.files["_config.yml"] = _config_bytes(
            config, sphinx_settings(language, docs, titles)
        )
        say(f"building the {LANGUAGE_NAMES[language]} book (notebooks run on {edition.city})")
        for note in edition.notes:
            say(f"note: {note}")
    _run_editions(list(editions.values()), strict=strict)

    with staged_dir(out) as tmp:
        # The source edition first (it fills ``tmp``), then each other edition in its folder.
        for language, edition in editions.items():
            dest = tmp / edition_dir(language)
            shutil.copytree(edition.work.html, dest, dirs_exist_ok=True)
            (dest / ".buildinfo").unlink(missing_ok=True)
            name_navigation_toggles(dest, language)
    for edition in editions.values():
        (edition.work.root / "build-incomplete").unlink(missing_ok=True)
    pages = sum(1 for _ in out.rglob("*.html"))
    say(f"built {pages} pages in {out}; open {out / 'index.html'}")
    source = editions[SOURCE_LANGUAGE]
    return BookBuild(
        out=out,
        pages=pages,
        notebooks=[k for k in source.files if k.endswith(".ipynb")],
        notes=[n for e in editions.values() for n in e.notes],
        log="\n".join(e.log for e in editions.values()),
        editions={lang: out / edition_dir(lang) for lang in editions},
    )

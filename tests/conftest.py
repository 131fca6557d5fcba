"""Shared fixtures. Paths to the product's files, and a factory for cohort files with data folders."""

from __future__ import annotations

import copy
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cohort_tools.core import paths
from cohort_tools.model.programme import Programme, load_programme

REPO = Path(__file__).resolve().parents[1]


def _shared_fixtures() -> Path:
    """``../shared/fixtures/real`` beside the checkout (or beside a folder holding worktrees)."""
    for folder in REPO.parents:
        candidate = folder / "shared" / "fixtures" / "real"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "fixtures" / "real"


SHARED_FIXTURES = _shared_fixtures()
#: Small MyST notebooks (and cells) the tests and bench/ write into projects they make.
MYST_FIXTURES = REPO / "tests" / "fixtures" / "myst"


def myst(name: str, **values: object) -> str:
    """tests/fixtures/myst/<name>.md, its ``$placeholders`` filled from ``values``."""
    text = (MYST_FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    return string.Template(text).substitute(values) if values else text


def code_cell(source: str) -> str:
    """One MyST code cell holding ``source``, to append to a fixture notebook."""
    return myst("cell", source=source)


@pytest.fixture(scope="session")
def programme() -> Programme:
    return load_programme()


@pytest.fixture(scope="session")
def demo_cohort_data() -> dict[str, Any]:
    return yaml.safe_load(paths.DEMO_COHORT_FILE.read_text(encoding="utf-8"))


CohortFactory = Callable[..., Path]


@pytest.fixture
def make_cohort(tmp_path: Path, demo_cohort_data: dict[str, Any]) -> CohortFactory:
    """Write a copy of the demo cohort (after ``edit``) to tmp_path, with empty data folders."""

    def factory(
        edit: Callable[[dict[str, Any]], None] | None = None, name: str = "cohort.yaml"
    ) -> Path:
        data = copy.deepcopy(demo_cohort_data)
        for city in data["cities"]:
            (tmp_path / city["data_folder"]).mkdir(parents=True, exist_ok=True)
        if edit:
            edit(data)
        target = tmp_path / name
        target.write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        return target

    return factory


#: Session fixtures that take minutes to make: the whole demo, the real book.
SHARED_BUILDS = frozenset({"demo_run", "built_book"})
#: Their names and the fixtures that read them: a test file naming one of these reads a shared build.
_SHARED_BUILD_NAMES = re.compile(r"\b(demo_run|built_book|book_url|book_pages)\b")


def names_a_shared_build(test_file: Path) -> bool:
    return bool(_SHARED_BUILD_NAMES.search(test_file.read_text(encoding="utf-8")))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``make test`` runs ``-n auto --dist loadfile``: each test file goes whole to one worker (so a
    module's fixtures - a hub, a graded course, a sandbox pool - are made once), and every file
    that reads a shared build goes to the same worker, so the demo and the book are made once per
    run, not once per worker. (xdist's ``loadgroup`` would do this with markers, but xdist 3.8
    writes the group into ``item._nodeid``, which pytest 9.2 no longer reads.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedBuildsScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            test_file = super()._split_scope(nodeid)
            shared = names_a_shared_build(config.rootpath / test_file)
            return "shared builds" if shared else test_file

    return SharedBuildsScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The scheduler above finds the files that read a shared build by the names in them; a test
    that reads one through a fixture whose name is not in ``_SHARED_BUILD_NAMES`` would make the
    demo or the book again on another worker: stop and say which."""
    for item in items:
        reads = SHARED_BUILDS & set(getattr(item, "fixturenames", ()))
        if reads and not names_a_shared_build(item.path):
            raise pytest.UsageError(
                f"{item.nodeid} reads {', '.join(sorted(reads))} through a fixture whose name "
                "tests/conftest.py does not know: add that fixture's name to _SHARED_BUILD_NAMES."
            )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI the real NYC fixtures must be present: tests that need them may not skip there."""
    import os

    if os.environ.get("CI") == "true" and not SHARED_FIXTURES.is_dir():
        raise pytest.UsageError(f"CI=true but the real fixtures are missing at {SHARED_FIXTURES}")


@pytest.fixture(scope="session")
def nyc_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A city folder whose only data is the real NYC 311 export (three hours of requests)."""
    from cohort_tools.citydata import import_table

    if not SHARED_FIXTURES.is_dir():
        pytest.skip("shared real fixtures not present (CI must have them)")
    city = tmp_path_factory.mktemp("nyc")
    (city / "city.yaml").write_text(
        "id: nyc\nname: New York City\ncountry: US\nstate: NY\npopulation: 8300000\n"
        "timezone: America/New_York\n",
        encoding="utf-8",
    )
    import_table(
        SHARED_FIXTURES / "nyc-311-socrata-export-2024-05.json",
        city_dir=city,
        table="service_requests",
        preset="socrata_nyc_311",
    )
    return city


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """`cda demo` run once per session: (the CLI result, its output folder).

    The demo is the main job end to end (course, grading, strategies, packets, cohort view, book);
    the tests that need its products read them instead of making them again.
    """
    from typer.testing import CliRunner

    from cohort_tools.cli import app

    out = tmp_path_factory.mktemp("demo") / "demo-output"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    return result, out

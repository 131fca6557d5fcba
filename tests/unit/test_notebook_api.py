"""Notebooks import one cohort_tools module, ``cohort_tools.nb``, and use only what it offers.

Every MyST source in curriculum/, workshops/ and coaching_templates/ is read, its code cells parsed
with ``ast``: an import of any other cohort_tools module (or one reached through importlib, a module
path in a string, or a private name of nb) fails the test, naming the file and line. A second check
proves the API covers the notebooks: each ``nb.<name>`` (and ``nb.<module>.<name>``) they use
exists, and so does each attribute they read from the city that ``nb.start`` / ``nb.open_city``
returns.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from cohort_tools import nb
from cohort_tools.core import paths
from cohort_tools.notebooks.myst import read_myst

SOURCES = sorted(
    [
        *paths.curriculum_dir().glob("*.md"),
        *paths.workshops_dir().glob("*.md"),
        *paths.coaching_templates_dir().glob("*.md"),
    ]
)
ALLOWED_MODULE = "cohort_tools.nb"
MODULE_PATH = re.compile(r"^cohort_tools(\.\w+)*$")
IMPORTERS = {"import_module", "__import__", "find_spec", "exec", "eval", "run_module"}


@dataclass(frozen=True)
class Cell:
    name: str  # the file, relative to the project
    first_line: int  # line of the cell's first code line in the .md file
    tree: ast.Module

    def where(self, node: ast.AST) -> str:
        return f"{self.name}:{self.first_line + getattr(node, 'lineno', 1) - 1}"


def _without_magics(source: str) -> str:
    """IPython magics and shell lines are not Python; blank them, keeping the line numbers."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


@functools.cache
def code_cells(path: Path, root: Path | None = None) -> tuple[Cell, ...]:
    """The code cells of a MyST notebook, parsed, each with the line it starts at."""
    name = str(path.relative_to(root or paths.project_root()))
    text = path.read_text(encoding="utf-8")
    cells, searched = [], 0
    for cell in read_myst(text).cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        at = text.index(cell.source, searched)
        searched = at + len(cell.source)
        tree = ast.parse(_without_magics(cell.source))
        cells.append(Cell(name, text.count("\n", 0, at) + 1, tree))
    return tuple(cells)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else "?"


def violations(cell: Cell) -> list[str]:
    """Every way this cell reaches cohort_tools other than through cohort_tools.nb."""
    found: list[str] = []
    for node in ast.walk(cell.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if MODULE_PATH.match(alias.name) and alias.name != ALLOWED_MODULE:
                    found.append(f"{cell.where(node)}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "cohort_tools":
                found += [
                    f"{cell.where(node)}: imports cohort_tools.{a.name}"
                    for a in node.names
                    if a.name != "nb"
                ]
            elif MODULE_PATH.match(node.module) and node.module != ALLOWED_MODULE:
                found.append(f"{cell.where(node)}: imports from {node.module}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if MODULE_PATH.match(text) and text != ALLOWED_MODULE:
                found.append(f"{cell.where(node)}: names the module {text!r} in a string")
        elif isinstance(node, ast.Call):
            name = _dotted(node.func).rsplit(".", 1)[-1]
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name in IMPORTERS and any(
                isinstance(t, str) and "cohort_tools" in t and t.strip() != ALLOWED_MODULE
                for t in texts
            ):
                found.append(f"{cell.where(node)}: loads cohort_tools code through {name}()")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "nb"
        ):
            if node.attr.startswith("_"):
                found.append(f"{cell.where(node)}: uses nb.{node.attr}, a private name of nb")
            if isinstance(node.ctx, ast.Store | ast.Del):
                found.append(f"{cell.where(node)}: changes nb.{node.attr} for every notebook")
    return found


def test_there_are_notebook_sources_to_check() -> None:
    assert len(SOURCES) >= 18, SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_notebook_imports_only_cohort_tools_nb(path: Path) -> None:
    found = [v for cell in code_cells(path) for v in violations(cell)]
    assert not found, "notebooks import cohort_tools only as `from cohort_tools import nb`:\n" + (
        "\n".join(found)
    )


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_notebook_imports_cohort_tools_nb(path: Path) -> None:
    imports = [
        node
        for cell in code_cells(path)
        for node in ast.walk(cell.tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == "cohort_tools"
        and [a.name for a in node.names] == ["nb"]
    ]
    assert imports, f"{path.name} has no `from cohort_tools import nb`"


def test_the_guard_names_file_and_line_of_each_way_around_nb(tmp_path: Path) -> None:
    source = (paths.workshops_dir() / "m1_workshop_b_data_use_protocol.md").read_text()
    bad = source.replace(
        "from cohort_tools import nb\n",
        "from cohort_tools import nb\n"
        "from cohort_tools.lessons.checkpoints import Checkpoint\n"
        "import cohort_tools.citydata.loader\n"
        "import importlib\n"
        'skills = importlib.import_module("cohort_tools.lessons.skills")\n'
        "loader = nb._loader\n"
        "nb.say = print\n",
        1,
    )
    target = tmp_path / "workshops" / "guard-probe.md"
    target.parent.mkdir()
    target.write_text(bad, encoding="utf-8")
    found = [v for cell in code_cells(target, root=tmp_path) for v in violations(cell)]
    line = bad.splitlines().index("from cohort_tools.lessons.checkpoints import Checkpoint") + 1
    assert (
        found[0]
        == f"workshops/guard-probe.md:{line}: imports from cohort_tools.lessons.checkpoints"
    )
    assert any(f":{line + 1}: imports cohort_tools.citydata.loader" in v for v in found)
    assert any("through import_module()" in v for v in found)
    assert any("names the module 'cohort_tools.lessons.skills'" in v for v in found)
    assert any("nb._loader" in v for v in found)
    assert any("changes nb.say" in v for v in found)


# -- the API covers what the notebooks use --------------------------------------------------------


def _nb_chains(tree: ast.Module) -> Iterator[tuple[ast.Attribute, list[str]]]:
    """``nb.a.b`` as (node, ["a", "b"]) for every outermost attribute chain rooted at nb."""
    inner = {
        id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }  # attributes that are the value of another attribute
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        chain: list[str] = []
        cur: ast.AST = node
        while isinstance(cur, ast.Attribute):
            chain.insert(0, cur.attr)
            cur = cur.value
        if isinstance(cur, ast.Name) and cur.id == "nb":
            yield node, chain


def _city_names(tree: ast.Module) -> set[str]:
    """Variables bound to what nb.start(...) or nb.open_city(...) returns."""
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _dotted(node.value.func) in {"nb.start", "nb.open_city"}
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_every_nb_name_a_notebook_uses_exists(path: Path) -> None:
    missing = []
    cells = code_cells(path)
    for cell in cells:
        for node, chain in _nb_chains(cell.tree):
            name, rest = chain[0], chain[1:]
            if name not in nb.__all__ or not hasattr(nb, name):
                missing.append(f"{cell.where(node)}: nb.{name} is not a name nb offers")
            elif (  # nb.skills.citywide and the like
                rest
                and isinstance(getattr(nb, name), ModuleType)
                and not hasattr(getattr(nb, name), rest[0])
            ):
                missing.append(f"{cell.where(node)}: nb.{name}.{rest[0]}")
    city_vars = set().union(*(_city_names(c.tree) for c in cells))
    for cell in cells:
        for node in ast.walk(cell.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in city_vars
                and not hasattr(nb.City, node.attr)
            ):
                missing.append(f"{cell.where(node)}: {node.value.id}.{node.attr} (nb.City)")
    assert not missing, "\n".join(missing)


def test_every_name_nb_exports_exists() -> None:
    assert [name for name in nb.__all__ if not hasattr(nb, name)] == []


def test_strategy_review_is_the_strategy_products_function_found_by_its_entry_point() -> None:
    from cohort_tools.strategy import review

    nb._provider.cache_clear()
    assert nb._provider("strategy_review") is review


def test_a_missing_provider_is_a_plain_problem_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    from cohort_tools.core.errors import CdaError

    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **_: [])
    nb._provider.cache_clear()
    try:
        with pytest.raises(CdaError, match="install the package again"):
            nb.strategy_review(city="riverton")
    finally:
        nb._provider.cache_clear()

"""Imports point down the layers only, and no modules import each other in a circle.

The layers, lowest first (issue 14, rule 1)::

    core < model < policy < citydata < notebooks, render < lessons < nb.py < products < pipeline < cli

``cohort_tools/__init__.py`` counts as core. Within the products the order is
``course, kit < strategy < coaching_packets, cohort_view, book < hub`` (packets read the course's answers; the
cohort view reads the course and the strategy; the book includes the facilitation kit's pages; the
live cohort's hub runs the course). Packages listed together with a comma are peers: neither may
import the other (give them an order here first if one has to).

Every import counts: module level, inside functions, under ``if TYPE_CHECKING``. A violation names the
file and the line, so the message says where to look.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "cohort_tools"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

#: (layer name, rank). Equal ranks are peers; a product sub-rank orders the products.
LAYERS: dict[str, tuple[int, int]] = {
    "core": (0, 0),
    "model": (1, 0),
    "policy": (2, 0),
    "citydata": (3, 0),
    "notebooks": (4, 0),
    "render": (4, 0),
    "lessons": (5, 0),
    "nb": (6, 0),
    "course": (7, 0),
    "kit": (7, 0),
    "strategy": (7, 1),
    "coaching_packets": (7, 2),
    "cohort_view": (7, 2),
    "book": (7, 2),
    "hub": (7, 3),
    "pipeline": (8, 0),
    "cli": (9, 0),
}
ORDER = (
    "core < model < policy < citydata < notebooks, render < lessons < nb < "
    "course, kit < strategy < coaching_packets, cohort_view, book < hub < pipeline < cli"
)
#: First part of a module's dotted name below ``cohort_tools`` -> its layer.
TOP_LEVEL = {
    "": "core",  # cohort_tools/__init__.py
    "__main__": "cli",
    **{name: name for name in LAYERS},
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported cohort_tools module, dotted
    file: Path
    line: int

    def where(self) -> str:
        return f"{self.file.relative_to(ROOT.parent)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(p): p for p in sorted(root.rglob("*.py"))}


def _resolve(node: ast.ImportFrom, source: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every cohort_tools module ``path`` imports, wherever the import statement is."""
    source = module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = _resolve(node, source, is_package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                # `from package import submodule` depends on the submodule, not the package.
                targets.append(sub if sub in known else base)
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]  # a name inside a module
                if target != source:
                    yield Import(source, target, path, node.lineno)


def layer_of(module: str) -> str | None:
    parts = module.split(".")[1:]
    return TOP_LEVEL.get(parts[0] if parts else "")


def upward_imports(modules: dict[str, Path]) -> list[str]:
    found = []
    for name, path in modules.items():
        here = layer_of(name)
        for imp in imports_of(path, modules):
            there = layer_of(imp.target)
            if here is None or there is None or here == there:
                continue
            if LAYERS[there] >= LAYERS[here]:
                kind = "a peer" if LAYERS[there] == LAYERS[here] else "a higher layer"
                found.append(
                    f"{imp.where()}: {name} ({here}) imports {imp.target} ({there}), {kind}. "
                    f"Imports point down only: {ORDER}."
                )
    return found


def import_cycles(modules: dict[str, Path]) -> list[str]:
    """Each circle of imports once, as 'a (file:line) -> b (file:line) -> a'."""
    edges: dict[str, dict[str, Import]] = {name: {} for name in modules}
    for name, path in modules.items():
        for imp in imports_of(path, modules):
            edges[name].setdefault(imp.target, imp)
    # Tarjan's strongly connected components; a component with more than one module is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for name in sorted(modules):
        if name not in index:
            visit(name)
    found = []
    for component in components:
        members = set(component)
        # The shortest circle through the component's first module (breadth-first search).
        start = component[0]
        came_from: dict[str, str] = {}
        queue = [start]
        while start not in came_from:
            here = queue.pop(0)
            for w in sorted(edges[here]):
                if w in members and w not in came_from:
                    came_from[w] = here
                    queue.append(w)
        circle = [start]
        while len(circle) == 1 or circle[-1] != start:
            circle.append(came_from[circle[-1]])
        circle.reverse()
        hops = [f"{a} ({edges[a][b].where()})" for a, b in itertools.pairwise(circle)]
        found.append(" -> ".join([*hops, circle[-1]]))
    return found


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = [
        f"{path.relative_to(ROOT.parent)}"
        for name, path in all_modules().items()
        if not layer_of(name)
    ]
    assert not unplaced, (
        f"modules outside every layer (add them to TOP_LEVEL in {__file__}): {unplaced}"
    )


def test_imports_point_down_the_layers_only() -> None:
    found = upward_imports(all_modules())
    assert not found, "\n" + "\n".join(found)


def test_no_modules_import_each_other_in_a_circle() -> None:
    found = import_cycles(all_modules())
    assert not found, "import cycles:\n" + "\n".join(found)


# The checker itself, on a small package written for the test.


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / PACKAGE
    for folder in ("core", "model", "course", "coaching_packets"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    monkeypatch.setattr(f"{__name__}.ROOT", root)
    return root


def test_an_upward_import_inside_a_function_is_found_with_its_file_and_line(
    fake_package: Path,
) -> None:
    (fake_package / "model" / "cohort.py").write_text(
        "import os\n\n\ndef load():\n    from cohort_tools.coaching_packets.engine import run\n"
    )
    (fake_package / "coaching_packets" / "engine.py").write_text("def run(): ...\n")
    (found,) = upward_imports(all_modules(fake_package))
    assert found.startswith("cohort_tools/model/cohort.py:5: cohort_tools.model.cohort (model)")
    assert (
        "imports cohort_tools.coaching_packets.engine (coaching_packets), a higher layer" in found
    )


def test_a_relative_import_of_a_lower_product_is_allowed_and_a_sideways_one_is_not(
    fake_package: Path,
) -> None:
    (fake_package / "course" / "layout.py").write_text("X = 1\n")
    (fake_package / "coaching_packets" / "jobs.py").write_text("from ..course.layout import X\n")
    (fake_package / "book").mkdir()
    (fake_package / "book" / "build.py").write_text(
        "from cohort_tools.coaching_packets import jobs\n"
    )
    (found,) = upward_imports(all_modules(fake_package))
    assert found.startswith("cohort_tools/book/build.py:1:")
    assert "a peer" in found


def test_a_circle_of_imports_is_named_module_by_module(fake_package: Path) -> None:
    (fake_package / "core" / "a.py").write_text("from cohort_tools.core import b\n")
    (fake_package / "core" / "b.py").write_text("\n\ndef f():\n    from .a import x\n")
    (found,) = import_cycles(all_modules(fake_package))
    assert found == (
        "cohort_tools.core.a (cohort_tools/core/a.py:1) -> "
        "cohort_tools.core.b (cohort_tools/core/b.py:4) -> cohort_tools.core.a"
    )

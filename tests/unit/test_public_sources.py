"""What ships cites public sources, never a path outside the repository (issue 14, rule 8).

A reader of a clone has no ``../shared`` folder and no ``/work``: a docstring or comment that points
there sends them nowhere. Cite the public source (a URL, a standard, an upstream issue) instead.
Tests may read ``../shared`` fixtures; they are not scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["cohort_tools", "curriculum", "workshops", "coaching_templates", "book"]
TOP_FILES = ["README.md", "ARCHITECTURE.md", "pyproject.toml", "Makefile"]
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".txt", ".cfg"}
OUTSIDE = re.compile(r"\.\./shared\b|(?<![\w.])/work/")


def _files() -> list[Path]:
    found = [REPO / name for name in TOP_FILES if (REPO / name).is_file()]
    for folder in SHIPPED:
        found += [
            p
            for p in sorted((REPO / folder).rglob("*"))
            if p.is_file() and p.suffix in SUFFIXES and "_build" not in p.parts
        ]
    return found


def outside_paths(files: list[Path]) -> list[str]:
    hits = []
    for path in files:
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE.search(line):
                hits.append(f"{shown}:{number}: {line.strip()}")
    return hits


def test_nothing_shipped_cites_a_path_outside_the_repository() -> None:
    hits = outside_paths(_files())
    assert not hits, "cite the public source instead:\n" + "\n".join(hits)


def test_the_check_finds_a_workspace_path_in_a_docstring(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Levels (see ../shared/reference/domain-facts.md)."""\nX = "/work/x"\n')
    assert len(outside_paths([module])) == 2

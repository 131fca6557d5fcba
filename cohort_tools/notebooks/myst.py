"""Coaching templates: MyST markdown sources read with jupytext, parameters injected by papermill.

A template is a ``.md`` file with a jupytext header and exactly one code cell tagged ``parameters``,
one typed and commented line per parameter (``city: str = "riverton"  # city id in the cohort``), so
``papermill.inspect_notebook`` documents it. Sources are never ``.ipynb``.

Values are injected with papermill's own :func:`papermill.parameterize.parameterize_notebook`, whose
Python translator renders each value as a literal (``repr``-style escaping), so a city name such as
``Say "Hi" \\ City`` or ``Coeur d'Alene`` is data and never code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jupytext
import nbformat
from papermill.parameterize import parameterize_notebook

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import gettext, translated_source

T = TypeVar("T")

#: Parameters the engine can supply; a template receives the ones it declares.
#: ``city`` and ``cohort_file`` are required in every template.
SUPPLIED_PARAMETERS = ("city", "cohort_file", "city_name", "data_dir", "course_dir")
REQUIRED_PARAMETERS = ("city", "cohort_file")


@dataclass(frozen=True)
class Template:
    """One coaching template on disk."""

    name: str  # file stem, e.g. "pre_session_brief"
    path: Path
    source: str  # the MyST text (hashed for the cache)
    title: str
    parameters: tuple[str, ...]  # declared in the parameters cell, in order
    reads_other_cities: bool  # from the header: its output depends on every city's data
    section: str = ""  # where it sits in the programme ("Module 1"), a message to translate

    def notebook(self) -> nbformat.NotebookNode:
        return read_myst(self.source)

    def edition(self, language: str) -> Template:
        """This template in ``language``: its translated source when there is one (same name)."""
        path = translated_source(self.path, language)
        if path is None or path == self.path:
            return self
        translated = load_template(path)
        title = translated.title
        if self.section:
            title = f"{gettext(self.section, language=language)}: {title}"
        return dataclasses.replace(translated, name=self.name, title=title, section=self.section)


def read_myst(source: str) -> nbformat.NotebookNode:
    """Read MyST text into a v4 notebook shaped the way papermill's own loader leaves it."""
    nb: nbformat.NotebookNode = nbformat.v4.upgrade(jupytext.reads(source, fmt="md:myst"))
    nb.metadata.setdefault(
        "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
    )
    # papermill.iorw.load_notebook_node gives every cell a tags list and papermill metadata;
    # papermill's parameterize and inspection code relies on it.
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
    return nb


def parameter_names(nb: nbformat.NotebookNode) -> tuple[str, ...]:
    """The names declared in the notebook's first cell tagged ``parameters``, in order.

    Read the way ``papermill.inspect_notebook`` reads them, with papermill's public
    ``PythonTranslator.inspect`` (every notebook here is Python).
    """
    from papermill.translators import PythonTranslator

    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return tuple(p.name for p in PythonTranslator.inspect(cell))
    return ()


def _declared_parameters(nb: nbformat.NotebookNode, path: Path) -> tuple[str, ...]:
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise CdaError.single(
            path,
            f"a coaching template needs exactly one code cell tagged 'parameters'; found {len(cells)}.",
            "tag one code cell with `:tags: [parameters]` and declare each parameter on its own "
            'line, e.g. `city: str = "riverton"  # city id in the cohort`.',
        )
    return parameter_names(nb)


def notebook_title(nb: nbformat.NotebookNode, fallback: str = "") -> str:
    """A notebook's title: the first level-1 heading of its markdown, as the reader sees it."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return str(line[2:].strip())
    return fallback


def load_template(path: Path) -> Template:
    """Read and check one template; raises CdaError naming the file and the fix."""
    source = path.read_text(encoding="utf-8")
    try:
        nb = read_myst(source)
    except Exception as exc:  # jupytext raises several types for malformed MyST
        raise CdaError.single(
            path, f"this is not a readable MyST notebook ({exc}).", "fix the markdown syntax."
        ) from exc
    params = _declared_parameters(nb, path)
    missing = [p for p in REQUIRED_PARAMETERS if p not in params]
    unknown = [p for p in params if p not in SUPPLIED_PARAMETERS]
    problems = []
    if missing:
        problems.append(
            Problem(
                file=str(path),
                field="parameters",
                message=f"the parameters cell does not declare {', '.join(missing)}.",
                fix='add e.g. `city: str = "riverton"  # city id in the cohort` and '
                '`cohort_file: str = ""  # cohort file; empty means the demo cohort`.',
            )
        )
    if unknown:
        problems.append(
            Problem(
                file=str(path),
                field="parameters",
                message=f"the engine cannot supply {', '.join(unknown)}.",
                fix=f"declare only parameters from: {', '.join(SUPPLIED_PARAMETERS)}.",
            )
        )
    if problems:
        raise CdaError(problems)
    cda_meta = nb.metadata.get("cda", {}) or {}
    return Template(
        name=path.stem,
        path=path,
        source=source,
        title=notebook_title(nb, path.stem.replace("_", " ").capitalize()),
        parameters=params,
        reads_other_cities=bool(cda_meta.get("reads_other_cities", False)),
    )


def pick(available: dict[str, T], names: list[str] | None, *, where: Path, noun: str) -> list[T]:
    """``available`` in order, or only ``names`` (each once, in the order given); an unknown name
    is a CdaError at ``where`` that lists the names there are."""
    if not names:
        return list(available.values())
    unknown = [n for n in names if n not in available]
    if unknown:
        raise CdaError.single(
            where,
            f"no {noun} named {', '.join(unknown)}.",
            f"use one of: {', '.join(available) or '(none found)'}.",
        )
    return [available[n] for n in dict.fromkeys(names)]


def discover_templates(folder: Path, names: list[str] | None = None) -> list[Template]:
    """Every ``*.md`` template in ``folder`` (sorted), or only ``names`` (file stems)."""
    available = {
        p.stem: p for p in sorted(folder.glob("*.md")) if not p.name.startswith(("_", "."))
    }
    return [
        load_template(p) for p in pick(available, names, where=folder, noun="coaching template")
    ]


def parameterize(template: Template, values: dict[str, Any]) -> nbformat.NotebookNode:
    """The template's notebook with papermill's injected-parameters cell for ``values``.

    Only parameters the template declares are injected.
    """
    nb = template.notebook()
    wanted = {k: v for k, v in values.items() if k in template.parameters}
    injected: nbformat.NotebookNode = parameterize_notebook(
        nb, wanted, kernel_name="python3", language="python"
    )
    return injected

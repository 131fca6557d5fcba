"""Turning a session's notebook source into the page the book shows.

A session notebook is a MyST markdown notebook (curriculum/*.md or workshops/*.md) written for
nbgrader: solution regions (``### BEGIN SOLUTION`` ... ``### END SOLUTION``) and hidden tests
(``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``). The book shows the exercise as a learner
receives it, so :func:`strip_for_book` removes both before the notebook is staged, using nbgrader's
own preprocessors (the same code that makes the learners' release copy).

The book still *executes* each notebook on a demo city, and cells after an exercise usually need the
exercise's answer. So, by default, each solution code cell is kept twice: the learner's stub, shown
and never run (tag ``skip-execution``, honoured by nbclient, which jupyter-cache uses), followed by
the full cell, run but removed from the page (tag ``remove-cell``, honoured by myst-nb). A removed
cell is not in the page, the search index or the copied sources (the build turns those off).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # nbformat imports jsonschema (about 1 s); a cached rebuild never needs it
    from nbformat import NotebookNode

# nbgrader's markers; kept here so the test and the check below agree with nbgrader's defaults.
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"

SKIP_EXECUTION = "skip-execution"
REMOVE_CELL = "remove-cell"

# Cell run first, hidden from the page: Altair charts leave the kernel as static SVG images with the
# chart's description as alt text, so no page loads vega from a CDN.
OFFLINE_CHARTS_CELL = (
    "# Added by cohort_tools.book: charts render offline, with a text alternative.\n"
    "from cohort_tools.render.charts import enable_offline_charts\n"
    "enable_offline_charts()\n"
)


def _tags(cell: NotebookNode) -> list[str]:
    tags: list[str] = cell.setdefault("metadata", {}).setdefault("tags", [])
    return tags


def _is_solution(cell: NotebookNode) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution", False))


def strip_for_book(nb: NotebookNode, *, keep_executable: bool = True) -> NotebookNode:
    """Return a copy of ``nb`` with nbgrader solutions and hidden tests removed from view.

    Solution regions become nbgrader's stubs ("# YOUR CODE HERE" / "YOUR ANSWER HERE"); hidden-test
    regions are deleted and a test cell left empty is dropped. With ``keep_executable`` each solution
    code cell is followed by a hidden, executed copy of the original (see the module docstring).
    Outputs are cleared: the book executes the notebook itself.
    """
    from cohort_tools.lessons.checkpoints import as_released

    original = copy.deepcopy(nb)
    clean = as_released(nb)

    out_cells: list[NotebookNode] = []
    for before, after in zip(original.cells, clean.cells, strict=True):
        if after.cell_type == "code":
            after.outputs = []
            after.execution_count = None
        had_hidden = BEGIN_HIDDEN in before.source
        if had_hidden and not _meaningful(after.source):
            continue  # a test cell that held only hidden tests
        changed = after.source != before.source
        if after.cell_type == "code" and (changed or _is_solution(before)) and keep_executable:
            if had_hidden and not (BEGIN_SOLUTION in before.source or _is_solution(before)):
                # A test cell: run the visible part only; hidden tests are never needed downstream.
                out_cells.append(after)
                continue
            _tags(after).append(SKIP_EXECUTION)
            runner = copy.deepcopy(before)
            runner.outputs = []
            runner.execution_count = None
            runner.source = _without_markers(before.source)
            _tags(runner).append(REMOVE_CELL)
            runner.metadata.pop("nbgrader", None)
            if "id" in after:
                runner.id = f"{after.id}-run"
            out_cells.extend([after, runner])
            continue
        out_cells.append(after)
    clean.cells = out_cells
    result: NotebookNode = clean
    return result


#: The parameter of a notebook that reads a course's graded answers (see cohort_tools.course.build).
COURSE_PARAMETER = "course_dir"


def _declared(nb: NotebookNode) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    import ast

    names: set[str] = set()
    for cell in nb.cells:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _meaningful(source: str) -> bool:
    lines = [ln.strip() for ln in source.splitlines()]
    return any(ln and not ln.startswith("#") for ln in lines)


def _without_markers(source: str) -> str:
    """The solution code with nbgrader's marker lines and hidden tests removed."""
    keep: list[str] = []
    hidden = False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            hidden = True
            continue
        if END_HIDDEN in line:
            hidden = False
            continue
        if hidden or BEGIN_SOLUTION in line or END_SOLUTION in line:
            continue
        keep.append(line)
    return "\n".join(keep)


def visible_text(nb: NotebookNode) -> str:
    """Everything of ``nb`` that a page would show (cells not tagged remove-cell)."""
    return "\n".join(c.source for c in nb.cells if REMOVE_CELL not in c.metadata.get("tags", []))


def read_source(path: Path) -> NotebookNode:
    """Read a notebook source: MyST markdown (.md, via jupytext) or .ipynb."""
    import nbformat

    if path.suffix == ".ipynb":
        read: NotebookNode = nbformat.read(path, as_version=4)
        return read
    import jupytext

    nb: NotebookNode = jupytext.read(path, fmt="md:myst")
    return nb


def prepare_for_book(
    path: Path, *, parameters: dict[str, Any] | None = None, strip: bool = True
) -> NotebookNode:
    """Read a session notebook and make the notebook the book executes and shows.

    ``parameters`` (e.g. ``{"city": "riverton"}``) are injected by papermill after the cell tagged
    ``parameters``, if the notebook has one; the injected cell is hidden from the page.
    """
    nb = read_source(path)
    nb.metadata.setdefault(
        "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
    )
    if strip:
        nb = strip_for_book(nb)
    has_parameters = any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
    if COURSE_PARAMETER in _declared(nb) and COURSE_PARAMETER not in (parameters or {}):
        # The notebook reads a course's graded answers (the strategy studio) and the book has
        # none: it runs and says so, and its checkpoints, which need those answers, are shown
        # without being run.
        for cell in nb.cells:
            grading = cell.get("metadata", {}).get("nbgrader", {})
            if grading.get("grade") and not grading.get("solution"):
                _tags(cell).append(SKIP_EXECUTION)
    if parameters and has_parameters:
        from papermill.parameterize import parameterize_notebook

        for cell in nb.cells:
            _tags(cell)  # papermill expects what its own loader adds: tags on every cell,
        nb.metadata.setdefault("papermill", {})  # and a papermill metadata section
        nb = parameterize_notebook(nb, parameters)
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                _tags(cell).append(REMOVE_CELL)
        # papermill records the run's parameters in the metadata; the page does not need them
        nb.metadata.pop("papermill", None)
    if any("altair" in c.source for c in nb.cells if c.cell_type == "code"):
        import nbformat

        charts = nbformat.v4.new_code_cell(OFFLINE_CHARTS_CELL)
        charts.metadata["tags"] = [REMOVE_CELL]
        charts.id = "cda-book-offline-charts"
        first = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(first, charts)
    for i, cell in enumerate(nb.cells):
        # jupytext and papermill give new cells random ids; stable ids keep the staged file
        # byte-identical between builds, so Sphinx does not re-read an unchanged page.
        cell.id = f"cell-{i:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def to_ipynb_text(nb: NotebookNode) -> str:
    """A stable serialisation (same notebook, same bytes) so unchanged pages keep their mtime."""
    import nbformat

    text: str = nbformat.writes(nb, version=4)
    return text

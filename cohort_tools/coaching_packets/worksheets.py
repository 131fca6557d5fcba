"""Printable worksheets: a workshop (or the mayor's workbook) on paper, for in-person sessions.

A worksheet is the workshop notebook as a learner gets it, run on the city's own data by the packet
engine and printed: the same text, tables and charts, and the same questions, each form drawn as a
blank to fill in by hand (tick boxes with the city's own options by name, lines to write on, empty
tables with their columns; :mod:`cohort_tools.lessons.forms` in paper mode). What a printed page
cannot use is left out: the solutions and hidden tests (removed exactly as nbgrader releases the
notebook, so the answer cells start empty), and the checkpoints (a verdict needs an answer), and text tagged ``screen-only``
(how to use the forms). An answer without a form, such as a reflection typed between quotes, gets ruled lines.

After the session the CDA lead types the team's answers into the notebook's forms, where the
checkpoints look at them.
"""

from __future__ import annotations

import copy
import html
from typing import Any

import nbformat

from cohort_tools.core.i18n import _
from cohort_tools.course.grade.isolated import is_answer
from cohort_tools.course.grade.isolated import is_checkpoint as is_test_cell
from cohort_tools.lessons.checkpoints import as_released
from cohort_tools.lessons.forms import PAPER_ENV, ruled_lines

#: The kernel environment of a worksheet run: forms drawn as printable blanks.
PAPER = {PAPER_ENV: "paper"}

#: The tag of text that only makes sense on screen ("answer in the form..."): not printed.
SCREEN_ONLY = "screen-only"

#: The output of a live control (ipywidgets): nothing to print.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Lines under an answer that has no form (a reflection for a person to read).
REFLECTION_LINES = 6


def is_checkpoint(cell: Any) -> bool:
    """A checkpoint: an nbgrader test cell, or a cell tagged ``checkpoint`` (the workbook's)."""
    return is_test_cell(cell) or "checkpoint" in cell.get("metadata", {}).get("tags", [])


def _needs_lines(cell: Any) -> bool:
    """An answer cell with no form: written by hand on ruled lines."""
    return is_answer(cell) and ".ask(" not in cell.get("source", "")


def _lines_cell(count: int) -> Any:
    said = _("**Your answer** (written for a person to read):")
    return nbformat.v4.new_markdown_cell(f"{said}\n\n{ruled_lines(count)}")


def _heading_cell(city_name: str) -> Any:
    """The worksheet's heading, in the language of what is being made (:func:`speaking`)."""
    intro = _(
        "*Printed worksheet for **{city}**, from the city's own data. Write your answers by hand "
        "in the boxes and on the lines. After the session, your CDA lead enters them in the "
        "notebook's forms, where the checkpoints look at them.*"
    ).format(city=html.escape(city_name))
    present, date = _("Team members present:"), _("Date:")
    return nbformat.v4.new_markdown_cell(
        f"{intro}\n\n{present} ______________________________ {date} ______________"
    )


def on_paper(nb: Any, *, city_name: str) -> Any:
    """The notebook to run for a worksheet: as released (no solutions, no hidden tests), without
    its checkpoints and its on-screen-only text, with ruled lines under answers that have no form and a heading to fill in."""
    from cohort_tools.kit.printable import myst_to_markdown

    clean = as_released(nb)
    cells: list[Any] = []
    for cell in clean.cells:
        if is_checkpoint(cell) or SCREEN_ONLY in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":  # a printed page has no links to follow
            cell.source = myst_to_markdown(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
        if _needs_lines(cell):
            cells.append(_lines_cell(REFLECTION_LINES))
    # the heading goes after the title (the first markdown cell)
    first_text = next((i for i, c in enumerate(cells) if c.cell_type == "markdown"), -1)
    cells.insert(first_text + 1, _heading_cell(city_name))
    out = copy.copy(clean)
    out.cells = cells
    return out


def printable(nb: Any) -> Any:
    """The executed worksheet without live controls (such as an explorer to pick a metric from):
    their outputs and the saved widget state, which a printed page cannot use."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.get("outputs", []) if WIDGET_VIEW not in o.get("data", {})
            ]
    return nb


__all__ = ["PAPER", "REFLECTION_LINES", "SCREEN_ONLY", "is_checkpoint", "on_paper", "printable"]

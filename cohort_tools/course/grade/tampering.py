"""Locked cells a learner changed or deleted: plain notes, and deleted cells put back.

* Edited locked cells (including the city parameters): nbgrader's OverwriteCells restores them;
  here we only describe what was changed.
* Deleted checkpoint cells are re-added by nbgrader (``add_missing_cells``).
* Deleted locked non-checkpoint cells (such as the city parameters, which nbgrader cannot re-add)
  are restored here from the gradebook, before nbgrader's steps run.
"""

from __future__ import annotations

import re

import nbformat

from cohort_tools.core.i18n import N_, Message

from ..layout import PARAMETERS_GRADE_ID
from .gradebook import NotebookInfo, SourceCell, grade_id


def _python_value(source: str, name: str) -> str | None:
    m = re.search(rf"^\s*{re.escape(name)}\s*(?::[^=]*)?=\s*(.+)$", source, re.MULTILINE)
    return m.group(1).strip() if m else None


def check_tampering(nb: nbformat.NotebookNode, info: NotebookInfo, released_city: str) -> list[str]:
    """Notes on locked cells the learner changed or deleted; restores deleted non-checkpoint ones.

    Changed locked cells are put back by nbgrader's OverwriteCells; here we only describe them.
    """
    notes: list[str] = []
    present = {grade_id(c): c for c in nb.cells if grade_id(c)}
    for cell in info.cells:
        if not cell.locked:
            continue
        got = present.get(cell.name)
        if got is None:
            if cell.checkpoint:
                notes.append(
                    Message(
                        N_(
                            "The checkpoint cell '{name}' was deleted; nbgrader added it back "
                            "and graded it."
                        ),
                        name=cell.name,
                    )
                )
                continue
            restore_cell(nb, info, cell)
            if cell.name == PARAMETERS_GRADE_ID:
                notes.append(
                    Message(
                        N_(
                            "The city parameters cell was deleted; it was restored and the "
                            "notebook was graded with the data of {city}, the city it was "
                            "released to."
                        ),
                        city=released_city,
                    )
                )
            else:
                notes.append(
                    Message(
                        N_("The locked cell '{name}' was deleted; it was restored before grading."),
                        name=cell.name,
                    )
                )
            continue
        if got.source.strip() != cell.released.strip():
            if cell.name == PARAMETERS_GRADE_ID:
                typed = _python_value(got.source, "city")
                notes.append(
                    Message(
                        N_(
                            "The city parameter was changed (to {value}); it was graded against "
                            "{city}, the city it was released to."
                        ),
                        value=typed,
                        city=released_city,
                    )
                    if typed
                    else Message(
                        N_(
                            "The city parameter was changed; it was graded against {city}, the "
                            "city it was released to."
                        ),
                        city=released_city,
                    )
                )
            else:
                notes.append(
                    Message(
                        N_(
                            "The locked cell '{name}' was edited; nbgrader put the original back "
                            "before grading."
                        ),
                        name=cell.name,
                    )
                )
    return notes


def restore_cell(nb: nbformat.NotebookNode, info: NotebookInfo, cell: SourceCell) -> None:
    """Insert a deleted locked cell after the nearest earlier nbgrader cell still present."""
    meta = {
        "deletable": False,
        "editable": False,
        "nbgrader": {
            "grade": False,
            "grade_id": cell.name,
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
        },
    }
    if cell.name == PARAMETERS_GRADE_ID:
        meta["tags"] = ["injected-parameters"]
    new = (
        nbformat.v4.new_code_cell(cell.source, metadata=meta)
        if cell.cell_type == "code"
        else nbformat.v4.new_markdown_cell(cell.source, metadata=meta)
    )
    names = [c.name for c in info.cells]
    position = 0
    for earlier in reversed(names[: names.index(cell.name)]):
        idx = next((i for i, c in enumerate(nb.cells) if grade_id(c) == earlier), None)
        if idx is not None:
            position = idx + 1
            break
    else:
        # Nothing earlier survives: put it after the papermill parameters cell, else first.
        for i, c in enumerate(nb.cells):
            if "parameters" in c.get("metadata", {}).get("tags", []):
                position = i + 1
    nb.cells.insert(position, new)


__all__ = ["check_tampering", "restore_cell"]

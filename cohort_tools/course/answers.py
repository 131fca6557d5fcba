"""The team's named answers, captured while a submission is graded.

Each workshop's answer cells assign named variables (``priority_metrics``, ``hiring_plan``...).
When the grader has run a submission, it asks the same kernel for the values of those names and
saves them, JSON-encoded, beside the autograded notebook (``<notebook>.answers.json``). The data
strategy is assembled from these files: nothing is re-executed, and the values are exactly those
the checkpoints judged.
"""

from __future__ import annotations

import ast
import json
import threading
from pathlib import Path
from typing import Any

import nbformat

#: Marker for a value that is not plain data (a chart, a data frame): kept as its type name.
NOT_JSON = "__not_json__"


def answers_file(autograded_dir: Path, notebook: str) -> Path:
    return autograded_dir / f"{notebook}.answers.json"


#: ``ast.parse`` is not safe in threads on CPython 3.11.7 and older ("AST constructor recursion
#: depth mismatch", CPython gh-106905): the grader parses cells in several threads at once.
_PARSE_LOCK = threading.Lock()


def parse_python(source: str) -> ast.Module:
    """``ast.parse``, one thread at a time (raises SyntaxError as it does)."""
    with _PARSE_LOCK:
        return ast.parse(source)


def _assigned_names(source: str) -> list[str]:
    """Names assigned at the top level of a cell (``x = ...``, ``x: int = ...``)."""
    try:
        tree = parse_python(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Name) and t.id not in names:
                names.append(t.id)
    return names


def answer_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The notebook's answer cells: nbgrader solution code cells."""
    return [
        c
        for c in nb.cells
        if c.cell_type == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution")
    ]


def answer_names(nb: nbformat.NotebookNode) -> list[str]:
    """Every name an answer cell assigns, in notebook order."""
    names: list[str] = []
    for cell in answer_cells(nb):
        names += [n for n in _assigned_names(cell.source) if n not in names]
    return names


def checkpoint_for(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Answer name -> grade_id of the first graded (checkpoint) cell after the cell assigning it."""
    out: dict[str, str] = {}
    pending: list[str] = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta:
            continue
        if meta.get("solution"):
            pending += _assigned_names(cell.source)
        if meta.get("grade") and not meta.get("solution"):
            for name in pending:
                out.setdefault(name, str(meta.get("grade_id")))
            pending = []
    return out


def dump_code(names: list[str], path: str) -> str:
    """Python run in the graded kernel: write the named values (JSON) to ``path``."""
    return f"""
def __cda_dump_answers(names={names!r}, path={path!r}):
    import json

    def plain(value):
        item = getattr(value, "item", None)  # numpy and pandas scalars
        if callable(item):
            try:
                return item()
            except Exception:
                pass
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, (set, tuple)):
            return list(value)
        raise TypeError(type(value).__name__)

    out = {{}}
    for name in names:
        if name not in globals():
            continue
        value = globals()[name]
        try:
            json.dumps(value, default=plain, allow_nan=False)
            out[name] = value
        except (TypeError, ValueError):
            out[name] = {{{NOT_JSON!r}: type(value).__name__}}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, default=plain, allow_nan=False)


__cda_dump_answers()
del __cda_dump_answers
"""


def read_answers(path: Path) -> dict[str, Any] | None:
    """The saved answers, or None if the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None

"""Shared helpers for tests that execute workshop and keynote notebooks.

Import in a test module with ``from notebook_runs import ...`` (pytest puts this folder on the path).
"""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.preprocessors import ClearSolutions
from papermill.parameterize import parameterize_notebook

from cohort_tools.lessons.checkpoints import NBGRADER_CODE_STUB
from cohort_tools.notebooks.kernels import KernelPool
from cohort_tools.notebooks.myst import read_myst
from cohort_tools.notebooks.run import run


def grade_ids(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """Cells by nbgrader grade_id."""
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


_POOL: KernelPool | None = None


def _pool() -> KernelPool:
    """One warm kernel zygote per test process (the packet engine's): each notebook still gets a
    fresh kernel process, forked with pandas, altair and cohort_tools already imported."""
    global _POOL
    if _POOL is None:
        _POOL = KernelPool().start()
        atexit.register(_POOL.close)
    return _POOL


def run_notebook(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 180) -> None:
    """Execute ``nb`` in place in a fresh forked kernel (errors kept as outputs).

    Runs through cohort_tools' one run loop; a cell over the time limit, a dead kernel or a kernel
    that cannot start fails the test with the outcome (errors in cells are the test's to check).
    """
    outcome = run(nb, pool=_pool(), cwd=cwd, timeout=timeout, stop_on_error=False)
    if outcome.kind in ("timeout", "died", "not_started"):
        raise AssertionError(f"the notebook did not run to the end: {outcome.describe()}")


def execute(
    nb: nbformat.NotebookNode,
    city: str,
    tmp_path: Path,
    parameters: dict[str, Any] | None = None,
) -> nbformat.NotebookNode:
    """Execute ``nb`` with the city (and any other ``parameters``) injected, errors kept as
    outputs; return the executed copy."""
    values = {"city": city, **(parameters or {})}
    nb = parameterize_notebook(nb, values, kernel_name="python3", language="python")
    run_notebook(nb, tmp_path)
    return nb


def cell_text(cell: nbformat.NotebookNode) -> str:
    """A cell's printed text and error tracebacks."""
    texts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            texts.append(o["text"])
        elif o.get("output_type") == "error":
            texts.append("\n".join(o["traceback"]))
    return "\n".join(texts)


def run_graded(
    nb: nbformat.NotebookNode,
    city: str,
    tmp_path: Path,
    parameters: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Execute with the city injected; return each graded cell's text output (errors included)."""
    executed = execute(nb, city, tmp_path, parameters)
    return {gid: cell_text(cell) for gid, cell in grade_ids(executed).items()}


def checking_forms(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` run with ``CDA_FORMS=check``: an answer cell whose model answer (its code) is not one
    its form could hold ends with a FormValueError (cohort_tools.lessons.forms)."""
    cell = nbformat.v4.new_code_cell('import os\n\nos.environ["CDA_FORMS"] = "check"')
    cell.metadata["tags"] = []
    nb.cells.insert(0, cell)
    return nb


def form_errors(out: dict[str, str]) -> dict[str, str]:
    """The cells of a :func:`run_graded` result that ended with a FormValueError."""
    return {gid: text for gid, text in out.items() if "FormValueError" in text}


def with_answers(answers: dict[str, str], source: Path) -> nbformat.NotebookNode:
    """The graded view: solutions replaced by the learner's answers, hidden tests kept."""
    nb = read_myst(source.read_text(encoding="utf-8"))
    nb, _ = ClearSolutions(code_stub=NBGRADER_CODE_STUB).preprocess(nb, {})
    cells = grade_ids(nb)
    for gid, line in answers.items():
        cells[gid].source += "\n" + line + "\n"
    return nb


def wrong_answer_cases(
    **sets: tuple[Path, list[tuple[dict[str, str], dict[str, str]]]],
) -> list[Any]:
    """pytest parameters (source, answers, hints), one per set of common wrong answers.

    ``name=(notebook, [(answers by answer-cell id, expected hint by checkpoint id), ...])``; the
    test ids read ``<name>-wrong-set-<n>``.
    """
    return [
        pytest.param(source, answers, hints, id=f"{name}-wrong-set-{i}")
        for name, (source, cases) in sets.items()
        for i, (answers, hints) in enumerate(cases, start=1)
    ]


def check_wrong_answers(
    source: Path,
    answers: dict[str, str],
    hints: dict[str, str],
    tmp_path: Path,
    city: str = "riverton",
    parameters: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Run the graded view with ``answers``; each checkpoint in ``hints`` fails with its hint.
    ``parameters``: more notebook parameters (the studio's ``course_dir``)."""
    out = run_graded(with_answers(answers, source), city, tmp_path, parameters)
    assert_hints(out, hints)
    return out


def assert_hints(out: dict[str, str], hints: dict[str, str]) -> None:
    """Each named checkpoint failed plainly, with the expected hint and no traceback."""
    for gid, hint in hints.items():
        assert "Checkpoint not passed yet" in out[gid], (gid, out[gid])
        assert hint in out[gid], (gid, out[gid])
        assert "Traceback" not in out[gid] and "File " not in out[gid]

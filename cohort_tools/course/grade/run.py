"""One submitted notebook, from its file to an executed notebook with plain notes.

1. read it (an empty or damaged file scores zero, with a line saying so);
2. note locked cells the learner changed (:mod:`.tampering`), then nbgrader's sanitize steps;
3. execute it with THE run loop (:func:`cohort_tools.notebooks.run.run`) in a fresh kernel forked
   from the warm zygote, with nbgrader's ``Execute`` settings: a cell over the time limit is
   interrupted and scores zero, errors are kept as outputs and the run goes on; a kernel that dies
   zeroes the checkpoints it did not reach; the kernel hands its charts on and they are drawn
   here after the run (``render.charts.draw_charts``: the same figures, one warm vl-convert);
4. nbgrader's after-execute steps, and one plain note per cell that did not run cleanly (from the
   run's outcome: time limit, syntax error, a dead kernel).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from cohort_tools.core.i18n import N_, Message
from cohort_tools.notebooks.run import RunOutcome, run
from cohort_tools.render.charts import CHARTS_AFTER_THE_RUN, draw_charts

from .gradebook import grade_id

if TYPE_CHECKING:
    from cohort_tools.notebooks.kernels import KernelPool

DIED_ENAME = "KernelDied"
SYNTAX_ENAMES = ("SyntaxError", "IndentationError", "TabError")


def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """The notebook, or None and a plain-language reason ("missing" when there is no file)."""
    if not path.is_file():
        return None, "missing"
    if path.stat().st_size == 0:
        return None, Message(
            N_(
                "{file} is an empty file (0 bytes), so there is nothing to grade: it scores "
                "zero. Ask the learner to save the notebook and submit it again."
            ),
            file=path.name,
        )
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return None, Message(
            N_(
                "{file} is not a readable notebook ({detail}); it scores zero. It was probably "
                "damaged when copied or edited outside Jupyter: ask the learner to submit it again."
            ),
            file=path.name,
            detail=detail,
        )
    return nb, ""


def roundtrip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """As nbgrader writes the sanitised notebook to disk and reads it back between its phases."""
    text = nbformat.writes(nb)
    read: nbformat.NotebookNode = nbformat.reads(text, as_version=4)
    return read


def execute(
    nb: nbformat.NotebookNode,
    *,
    pool: KernelPool,
    cwd: Path,
    timeout: int,
    execute_options: dict[str, Any],
    after: str | None,
) -> RunOutcome:
    """Execute a sanitised submission in place, as nbgrader's Execute step would.

    ``after`` is code run silently once every cell has run (it saves the named answers). A dead
    kernel leaves an error on every cell it did not reach, so nothing scores by default. Raises
    RuntimeError when the run itself failed (kernel did not start, runner broke): a system problem,
    not the learner's.
    """
    outcome = run(
        nb,
        pool=pool,
        cwd=cwd,
        timeout=timeout,
        # The kernel hands its charts on and they are drawn here, once vl-convert is warm in this
        # process, rather than by starting its JavaScript engine afresh in every kernel.
        env={"NBGRADER_EXECUTION": "autograde", **CHARTS_AFTER_THE_RUN},
        stop_on_error=False,
        after=after,
        client_options=execute_options,
    )
    draw_charts(nb)
    if outcome.kind == "died" and outcome.failure is not None:
        _mark_unreached(nb, outcome.failure.index)
    elif outcome.kind == "not_started" or outcome.stopped_early:
        raise RuntimeError(outcome.describe())
    return outcome


def _mark_unreached(nb: nbformat.NotebookNode, upto: int) -> None:
    """After a dead kernel: an error output on every code cell not run, so nothing scores by default."""
    for cell in nb.cells[upto:]:
        if cell.cell_type == "code" and not any(
            o.get("output_type") == "error" for o in cell.get("outputs", [])
        ):
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error",
                    ename=DIED_ENAME,
                    evalue="the notebook's Python process stopped before this cell ran",
                    traceback=["The notebook's Python process stopped before this cell ran."],
                )
            )


def cell_label(number: int, name: str | None) -> Message:
    """How a note names a code cell: its number, and its checkpoint name when it has one."""
    if name:
        return Message(N_("cell {number} ('{name}')"), number=str(number), name=name)
    return Message(N_("cell {number}"), number=str(number))


def failure_note(
    label: str, kind: str, ename: str | None, evalue: str | None, timeout: int, why: str = ""
) -> Message | None:
    """The plain line for one cell that did not run cleanly (None when the cell's own error is
    what its checkpoints report). ``kind``: timeout, error or died; ``why``: why a process died.
    A :class:`Message`: English where it is made, in its reader's language where it is read."""
    if kind == "timeout":
        return Message(
            N_(
                "{cell} was still running after {seconds} s (the time limit), so it was "
                "stopped; the checkpoints that depend on it score zero. Look for a loop "
                "that never ends."
            ),
            cell=label,
            seconds=str(timeout),
        )
    if kind == "error" and ename in SYNTAX_ENAMES:
        return Message(
            N_(
                "{cell} has a Python syntax error ({error}), so it could "
                "not run; the checkpoints that depend on it score zero."
            ),
            cell=label,
            error=str(evalue),
        )
    if kind == "died":
        return Message(
            N_(
                "The notebook's Python process stopped at {cell} ({why}); the checkpoints "
                "after it score zero."
            ),
            cell=label,
            why=why or Message(N_("it crashed, exited or ran out of memory")),
        )
    return None


def execution_notes(nb: nbformat.NotebookNode, outcome: RunOutcome, timeout: int) -> list[str]:
    """Plain lines for cells that did not run cleanly (timeouts, syntax errors, a dead kernel)."""
    notes: list[str] = []
    for f in outcome.failures:
        label = cell_label(f.code_cell, grade_id(nb.cells[f.index]))
        note = failure_note(label, f.kind, f.ename, f.evalue, timeout)
        if note:
            notes.append(note)
        if f.kind == "died":
            break
    return notes


__all__ = [
    "DIED_ENAME",
    "cell_label",
    "execute",
    "execution_notes",
    "failure_note",
    "read_submission",
    "roundtrip",
]

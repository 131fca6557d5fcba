"""Isolated grading: the learner's code runs in the sandbox, the checkpoints in a trusted kernel.

For one sanitised submission (nbgrader's sanitize steps done: locked cells and checkpoints, hidden
tests included, are the gradebook's again), in three steps:

1. :func:`learner_copy`: what the sandbox runs. Every checkpoint cell is emptied (its tests, visible
   and hidden, never enter the learner's process), every other locked cell is the *released* text,
   and the learner's own cells (answers, cells they added) are as submitted. It runs in the city's
   :class:`cohort_tools.notebooks.sandbox.SandboxPool`: no network, nothing of the course but this
   notebook, the city's own data read-only, limits on time, memory, processes and output. It yields
   the named answers as JSON data (charts as their Vega-Lite spec).
2. :func:`trusted_copy`: what the trusted kernel runs: the sanitised notebook (the source's cells,
   hidden tests included) with each answer cell replaced by literal assignments of the learner's
   values, and every cell the learner added skipped. Not a line of learner code runs there, so
   patching ``cohort_tools``, builtins or the checkpoint classes, ``sys.settrace`` or printing the
   globals gains and shows nothing: the learner's process is gone before the checkpoints run.
3. :func:`merge_back`: the graded notebook nbgrader scores and the feedback shows: the learner's own
   source back in their cells, with the text their code printed in the sandbox; checkpoint and
   locked cells with the trusted kernel's outputs.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat

from cohort_tools.core.fileio import file_identity
from cohort_tools.notebooks.reading import read_written
from cohort_tools.notebooks.sandbox import NOT_JSON, VEGA_LITE, SandboxOutcome

from ..answers import _assigned_names, answers_file, parse_python
from ..layout import Course, assignment_id
from .gradebook import NotebookInfo

#: A learner's answer rebuilt in the trusted kernel when it is a chart (its Vega-Lite spec).
_REBUILD = "from cohort_tools.notebooks.sandbox import rebuild_answer as __cda_rebuild\n"
#: The error a literal answer cell raises when the learner's cell stopped with an error.
LEARNER_ERROR = "LearnerCellError"


def _meta(cell: Any) -> dict[str, Any]:
    nbg: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {}) or {}
    return nbg


def is_checkpoint(cell: Any) -> bool:
    meta = _meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def is_answer(cell: Any) -> bool:
    return bool(_meta(cell).get("solution"))


def is_learners(cell: Any) -> bool:
    """A cell that is not nbgrader's: the learner added it (or may have changed it freely)."""
    return not _meta(cell)


def learner_copy(nb: nbformat.NotebookNode, info: NotebookInfo) -> nbformat.NotebookNode:
    """The notebook the sandbox runs: checkpoints emptied, locked cells as released."""
    released = {c.name: c.released for c in info.cells}
    out = copy.deepcopy(nb)
    for cell in out.cells:
        meta = _meta(cell)
        cell.pop("outputs", None) if cell.cell_type != "code" else cell.update(outputs=[])
        if not meta or meta.get("solution"):
            continue
        if cell.cell_type == "code" and meta.get("grade"):
            cell.source = ""  # a checkpoint: its tests stay with the grader
        elif meta.get("grade_id") in released:
            cell.source = released[str(meta["grade_id"])]
        elif cell.cell_type == "code":
            cell.source = ""
    return out


def _literal(value: Any) -> str:
    """Python source that evaluates to ``value`` (JSON data; a chart spec is rebuilt)."""
    if isinstance(value, dict) and set(value) == {VEGA_LITE}:
        return f"__cda_rebuild({value!r})"
    return repr(value)


def answer_source(
    cell_source: str, answers: dict[str, Any], failed: str = "", also: tuple[str, ...] = ()
) -> str:
    """Literal assignments of the learner's values for the names an answer cell assigns.

    A name the learner's notebook did not define stays undefined (its checkpoint fails as it would
    have). A value that is not plain data (``{NOT_JSON: type}``) is kept as that marker, which no
    checkpoint accepts. ``failed`` ("Name: message") makes the cell end with that error, as the
    learner's did.
    """
    lines = ["# The learner's answers, as values (their code ran in the sandbox)."]
    names = _assigned_names(cell_source)
    names += [n for n in also if n not in names]
    if any(isinstance(answers.get(n), dict) and VEGA_LITE in answers[n] for n in names):
        lines.append(_REBUILD.strip())
    for name in names:
        if name in answers:
            lines.append(f"{name} = {_literal(answers[name])}")
    if failed:
        lines.append(f"raise RuntimeError({failed!r})  # {LEARNER_ERROR}")
    return "\n".join(lines) + "\n"


def trusted_copy(
    nb: nbformat.NotebookNode, info: NotebookInfo, outcome: SandboxOutcome, skip_tag: str
) -> nbformat.NotebookNode:
    """The notebook the trusted kernel runs: the learner's code replaced by their values."""
    source_names = {c.name: tuple(_assigned_names(c.source)) for c in info.cells}
    out = copy.deepcopy(nb)
    failed = {
        c.index: f"{c.ename}: {c.evalue}" if c.status == "error" else "the cell did not finish"
        for c in outcome.cells
        if c.index is not None and c.status in ("error", "timeout", "died")
    }
    for i, cell in enumerate(out.cells):
        if cell.cell_type != "code":
            continue
        if is_answer(cell):
            also = source_names.get(str(_meta(cell).get("grade_id")), ())
            cell.source = answer_source(cell.source, outcome.answers, failed.get(i, ""), also)
        elif is_learners(cell):
            cell.source = ""
            tags = cell.metadata.setdefault("tags", [])
            if skip_tag not in tags:
                tags.append(skip_tag)
    return out


def _text_outputs(outcome: SandboxOutcome, index: int) -> list[Any]:
    cell = next((c for c in outcome.cells if c.index == index), None)
    if cell is None:
        return []
    outputs = []
    for o in cell.outputs:
        if not o.text:
            continue
        name = "stderr" if o.kind == "stderr" else "stdout"
        outputs.append(nbformat.v4.new_output("stream", name=name, text=o.text))
    if cell.status in ("error", "timeout", "died"):
        ename = cell.ename or ("CellTimeoutError" if cell.status == "timeout" else "KernelDied")
        outputs.append(
            nbformat.v4.new_output(
                "error",
                ename=ename,
                evalue=cell.evalue,
                traceback=[line for line in cell.traceback.splitlines()[-20:]]
                or [f"{ename}: {cell.evalue}"],
            )
        )
    return outputs


def merge_back(
    graded: nbformat.NotebookNode,
    submitted: nbformat.NotebookNode,
    outcome: SandboxOutcome,
    skip_tag: str,
) -> nbformat.NotebookNode:
    """The graded notebook: the learner's cells (source and sandbox text) back in place."""
    for i, (cell, mine) in enumerate(zip(graded.cells, submitted.cells, strict=True)):
        if cell.cell_type != "code" or not (is_answer(mine) or is_learners(mine)):
            continue
        cell.source = mine.source
        tags = cell.metadata.get("tags")
        if (
            is_learners(mine)
            and tags
            and skip_tag in tags
            and skip_tag not in mine.get("metadata", {}).get("tags", [])
        ):
            tags.remove(skip_tag)
            if not tags:
                del cell.metadata["tags"]
        trusted_errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        learner_said = _text_outputs(outcome, i)
        if any(o.get("output_type") == "error" for o in learner_said):
            cell.outputs = learner_said  # the learner's own error (it decides an answer's score)
        elif trusted_errors and is_answer(mine):
            cell.outputs = learner_said + trusted_errors
        else:
            cell.outputs = learner_said
    return graded


def plain_answers(outcome: SandboxOutcome) -> dict[str, Any]:
    """The answers as saved beside the graded notebook: charts marked as not plain data."""
    out: dict[str, Any] = {}
    for name, value in outcome.answers.items():
        if isinstance(value, dict) and set(value) == {VEGA_LITE}:
            inner = value[VEGA_LITE]
            out[name] = {NOT_JSON: str(inner.get("class", "Chart"))}
        else:
            out[name] = value
    return out


def write_answers(path: Path, outcome: SandboxOutcome) -> None:
    path.write_text(json.dumps(plain_answers(outcome), allow_nan=False), encoding="utf-8")


def _answers_only(nb: nbformat.NotebookNode, *, keep_outputs: bool) -> str:
    """A notebook with nothing the grader keeps from learners: no checkpoint or locked source (so
    no hidden test), solution cells reduced to ``name = None`` for the names they assign, and only
    error outputs (``keep_outputs``: what a checkpoint result is read from)."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        meta = _meta(cell)
        if cell.cell_type == "code":
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            for o in errors:
                o.traceback = []
            cell.outputs = errors if keep_outputs else []
            if meta.get("solution"):
                cell.source = "".join(f"{n} = None\n" for n in _assigned_names(cell.source))
            elif meta:
                cell.source = ""
        elif meta:
            cell.source = ""
    text: str = nbformat.writes(out)
    return text


def parameter_value(nb: nbformat.NotebookNode, name: str) -> str | None:
    """The text a locked parameters cell (nbgrader's, restored from the gradebook) gives ``name``."""
    import ast

    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" not in cell.metadata.get("tags", []):
            continue
        try:
            tree = parse_python(cell.source)
        except SyntaxError:
            return None
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return node.value.value
    return None


#: What :func:`course_view` made of a notebook file, by the file's identity
#: (:func:`~cohort_tools.core.fileio.file_identity`) and whether its outputs were kept: a grading
#: run reads each city's graded workshops once, not again for every studio submission of the city.
ViewCache = dict[tuple[int, int, int, int, bool], bytes]


def _answers_only_file(path: Path, *, keep_outputs: bool, cache: ViewCache | None) -> bytes:
    """:func:`_answers_only` of the notebook at ``path``, encoded (from ``cache`` when the file is
    the one it was made from)."""
    key = (*file_identity(path), keep_outputs)
    if cache is not None and key in cache:
        return cache[key]
    made = _answers_only(read_written(path), keep_outputs=keep_outputs).encode()
    if cache is not None:
        cache[key] = made
    return made


def course_view(
    course: Course, city: str, skip: str, *, cache: ViewCache | None = None
) -> dict[str, bytes]:
    """What a workshop that reads the course (the strategy studio) may see of it, as files under
    ``course/``: for its own city only, each graded workshop's answers and checkpoint results (no
    source of any checkpoint, no solution, no hidden test, nothing of another city), in the
    cohort's one-course layout. ``skip``: the assignment being graded; ``cache``: what earlier
    views made of the same files (a changed file is read again)."""
    files: dict[str, bytes] = {"course/gradebook.db": b""}  # marks a course; holds nothing
    root = course.folder("autograded")
    for aid in course.assignments():
        workshop, aid_city = course.split(aid)
        if aid_city != city or aid == skip:
            continue
        name = assignment_id(workshop, city)
        src = course.source(aid) / f"{workshop}.ipynb"
        if src.is_file():
            files[f"course/source/{name}/{workshop}.ipynb"] = _answers_only_file(
                src, keep_outputs=False, cache=cache
            )
        for folder in sorted(root.glob(f"*/{aid}")) if root.is_dir() else []:
            graded = folder / f"{workshop}.ipynb"
            if not graded.is_file():
                continue
            where = f"course/autograded/{folder.parent.name}/{name}"
            files[f"{where}/{workshop}.ipynb"] = _answers_only_file(
                graded, keep_outputs=True, cache=cache
            )
            answers = answers_file(folder, workshop)
            if answers.is_file():
                files[f"{where}/{answers.name}"] = answers.read_bytes()
    return files


def cohort_figures(cohort_file: Path, city: str) -> bytes:
    """Figures about the rest of the cohort a workshop shows (the median maturity score in each
    practice area), worked out here, where the other cities' data may be read: the sandbox holds
    only the city's own data. Read by :func:`cohort_tools.nb.cohort_maturity_median`."""
    from cohort_tools import nb

    median, cities = nb.cohort_maturity_median(nb.open_city(city, cohort_file))
    return json.dumps({"maturity_median": {"median": median, "cities": cities}}).encode()


__all__ = [
    "LEARNER_ERROR",
    "ViewCache",
    "answer_source",
    "cohort_figures",
    "course_view",
    "is_answer",
    "is_checkpoint",
    "is_learners",
    "learner_copy",
    "merge_back",
    "parameter_value",
    "plain_answers",
    "trusted_copy",
    "write_answers",
]

"""Autograde every submission in the course, fast, with nbgrader's own preprocessors and scoring.

``nbgrader autograde`` per submission costs a Python start, an nbgrader import, a new kernel and the
notebook's own imports (pandas, altair, cohort_tools: about 2.5 s) every time. Here:

* nbgrader's preprocessors run **in this process**, in the same order and with the course's
  ``nbgrader_config.py`` (sanitise: ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
  CheckCellMetadata; autograde: Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
  SaveAutoGrades, AssignLatePenalties, CheckCellMetadata). Scoring is nbgrader's
  ``SaveAutoGrades``/``utils.determine_grade``, unchanged.
* nbgrader's ``Execute`` gets a kernel forked from the packet engine's warm zygote
  (:class:`cohort_tools.notebooks.kernels.KernelPool`): a fresh process per notebook, with the heavy
  imports already done. Several submissions run at once (``jobs``, default: the number of cores).
* **Gradebook writes are serialised**: each submission's writes (submission record, zeros for missing
  notebooks, SaveAutoGrades, AssignLatePenalties) run under one lock (:func:`gradebook_lock`: a thread
  lock plus ``flock`` on the course folder, so two ``cda autograde`` processes also queue) and are
  committed in **one transaction**: a crash leaves the previous grades, never half a student's.
  nbgrader's per-cell commits become flushes for the duration (:func:`one_transaction`).

Bad submissions are graded, never fatal, and each gets plain-language lines in the report:

* syntax error, error, or a cell over the time limit: nbgrader scores the checkpoints that fail;
  the report names the cell. A kernel that dies zeroes the checkpoints it did not reach.
* edited locked cells (including the city parameters): nbgrader's OverwriteCells restores them;
  the report says what was changed. Deleted checkpoint cells are re-added by nbgrader
  (``add_missing_cells``); deleted locked non-checkpoint cells (such as the city parameters, which
  nbgrader cannot re-add) are restored by us from the gradebook before nbgrader's steps.
* a missing notebook (nbgrader's rule: zero), an empty file or one that is not a notebook (invalid
  JSON): zero for that notebook. (``nbgrader autograde`` stops on such a file; zero is its own rule
  for missing files, applied to unreadable ones too.)

Only infrastructure failures (a kernel that cannot start, a gradebook error) make
:attr:`GradeReport.ok` false and the CLI exit non-zero.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from cohort_tools.core.errors import CdaError
from cohort_tools.core.fileio import atomic_write_text

from .answers import answer_names, answers_file, dump_code
from .layout import (
    COURSE_ID,
    PARAMETERS_GRADE_ID,
    Course,
    gradebook_lock,
    one_transaction,
    split_assignment_id,
    tools_on_path,
)

TIMEOUT_ENAME = "CellTimeoutError"
DIED_ENAME = "KernelDied"


@dataclass
class SubmissionResult:
    """One learner's submission of one assignment (pseudonymous id only)."""

    student: str
    assignment: str
    city: str
    workshop: str
    status: str  # "graded", "zero" (unreadable or missing) or "error" (infrastructure)
    score: float = 0.0
    max_score: float = 0.0
    needs_manual_grade: bool = False
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        head = f"{self.student} / {self.workshop} ({self.city}): "
        if self.status == "error":
            head += "NOT GRADED (system problem)"
        else:
            head += f"{self.score:g} / {self.max_score:g}"
            if self.needs_manual_grade:
                head += " + answers awaiting a coach's grading"
        return "\n".join([head, *(f"    - {n}" for n in self.notes)])


@dataclass
class GradeReport:
    course: Path
    results: list[SubmissionResult]
    not_submitted: list[tuple[str, str]]  # (student, assignment)
    seconds: float
    jobs: int

    @property
    def infrastructure_failures(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def ok(self) -> bool:
        return not self.infrastructure_failures

    def scores(self) -> dict[tuple[str, str], float]:
        return {(r.student, r.assignment): r.score for r in self.results if r.status != "error"}

    def summary(self) -> str:
        graded = [r for r in self.results if r.status != "error"]
        flagged = [r for r in graded if r.notes]
        lines = [
            f"Graded {len(graded)} submission(s) in {self.seconds:.1f} s ({self.jobs} at a time); "
            f"{len(flagged)} with notes; {len(self.not_submitted)} not submitted yet; "
            f"{len(self.infrastructure_failures)} could not be graded (system problem)."
        ]
        for r in sorted(self.results, key=lambda r: (r.city, r.student, r.assignment)):
            lines.append(r.line())
        lines.append(
            "Problems in a submission never stop grading: they score zero where due and are "
            "listed above. The command fails only when the grading system itself fails."
        )
        return "\n".join(lines)


# -- the gradebook's view of an assignment -------------------------------------------------------


@dataclass(frozen=True)
class SourceCell:
    name: str
    source: str
    cell_type: str
    locked: bool
    checkpoint: bool  # a grade cell nbgrader re-adds itself when deleted
    released: str  # the source as released (no hidden tests), to tell what a learner changed


@dataclass(frozen=True)
class NotebookInfo:
    name: str
    cells: tuple[SourceCell, ...]  # in notebook order


def _assignment_info(course: Course, assignment: str) -> list[NotebookInfo]:
    """Source cells per notebook, in order, read from the released source (same as the gradebook)."""
    from nbgrader.api import Gradebook, MissingEntry

    infos = []
    with Gradebook(course.db_url, course_id=COURSE_ID) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            return []
        for notebook in a.notebooks:
            grade_ids = {c.name for c in notebook.grade_cells}
            src = course.source(assignment) / f"{notebook.name}.ipynb"
            order = []
            if src.is_file():
                nb = nbformat.read(src, as_version=4)  # type: ignore[no-untyped-call]
                order = [
                    c.metadata["nbgrader"]["grade_id"]
                    for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id")
                ]
            rel = course.release(assignment) / f"{notebook.name}.ipynb"
            released = {}
            if rel.is_file():
                rnb = nbformat.read(rel, as_version=4)  # type: ignore[no-untyped-call]
                released = {_grade_id(c): c.source for c in rnb.cells if _grade_id(c)}
            by_name = {c.name: c for c in notebook.source_cells}
            names = [n for n in order if n in by_name] + sorted(set(by_name) - set(order))
            cells = tuple(
                SourceCell(
                    n,
                    by_name[n].source,
                    by_name[n].cell_type,
                    bool(by_name[n].locked),
                    n in grade_ids,
                    released.get(n, by_name[n].source),
                )
                for n in names
            )
            infos.append(NotebookInfo(notebook.name, cells))
    return infos


# -- reading and checking a submitted notebook ----------------------------------------------------


def _read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """The notebook, or None and a plain-language reason."""
    if not path.is_file():
        return None, "missing"
    if path.stat().st_size == 0:
        return None, (
            f"{path.name} is an empty file (0 bytes), so there is nothing to grade: it scores "
            "zero. Ask the learner to save the notebook and submit it again."
        )
    try:
        nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return None, (
            f"{path.name} is not a readable notebook ({detail}); it scores zero. It was probably "
            "damaged when copied or edited outside Jupyter: ask the learner to submit it again."
        )
    return nb, ""


def _grade_id(cell: Any) -> str | None:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return str(gid) if gid else None


def _python_value(source: str, name: str) -> str | None:
    m = re.search(rf"^\s*{re.escape(name)}\s*(?::[^=]*)?=\s*(.+)$", source, re.MULTILINE)
    return m.group(1).strip() if m else None


def _check_tampering(
    nb: nbformat.NotebookNode, info: NotebookInfo, released_city: str
) -> list[str]:
    """Notes on locked cells the learner changed or deleted; restores deleted non-checkpoint ones.

    Changed locked cells are put back by nbgrader's OverwriteCells; here we only describe them.
    """
    notes = []
    present = {_grade_id(c): c for c in nb.cells if _grade_id(c)}
    for cell in info.cells:
        if not cell.locked:
            continue
        got = present.get(cell.name)
        if got is None:
            if cell.checkpoint:
                notes.append(
                    f"The checkpoint cell '{cell.name}' was deleted; nbgrader added it back and "
                    "graded it."
                )
                continue
            _restore_cell(nb, info, cell)
            if cell.name == PARAMETERS_GRADE_ID:
                notes.append(
                    "The city parameters cell was deleted; it was restored and the notebook was "
                    f"graded with the data of {released_city}, the city it was released to."
                )
            else:
                notes.append(
                    f"The locked cell '{cell.name}' was deleted; it was restored before grading."
                )
            continue
        if got.source.strip() != cell.released.strip():
            if cell.name == PARAMETERS_GRADE_ID:
                typed = _python_value(got.source, "city")
                notes.append(
                    "The city parameter was changed"
                    + (f" (to {typed})" if typed else "")
                    + f"; it was graded against {released_city}, the city it was released to."
                )
            else:
                notes.append(
                    f"The locked cell '{cell.name}' was edited; nbgrader put the original back "
                    "before grading."
                )
    return notes


def _restore_cell(nb: nbformat.NotebookNode, info: NotebookInfo, cell: SourceCell) -> None:
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
        nbformat.v4.new_code_cell(cell.source, metadata=meta)  # type: ignore[no-untyped-call]
        if cell.cell_type == "code"
        else nbformat.v4.new_markdown_cell(cell.source, metadata=meta)  # type: ignore[no-untyped-call]
    )
    names = [c.name for c in info.cells]
    position = 0
    for earlier in reversed(names[: names.index(cell.name)]):
        idx = next((i for i, c in enumerate(nb.cells) if _grade_id(c) == earlier), None)
        if idx is not None:
            position = idx + 1
            break
    else:
        # Nothing earlier survives: put it after the papermill parameters cell, else first.
        for i, c in enumerate(nb.cells):
            if "parameters" in c.get("metadata", {}).get("tags", []):
                position = i + 1
    nb.cells.insert(position, new)


def _execution_notes(nb: nbformat.NotebookNode, timeout: int) -> list[str]:
    """Plain lines for cells that did not run cleanly (timeouts, syntax errors, a dead kernel)."""
    notes: list[str] = []
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        gid = _grade_id(cell)
        label = f"cell {number}" + (f" ('{gid}')" if gid else "")
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            ename = out.get("ename", "")
            if ename == TIMEOUT_ENAME:
                notes.append(
                    f"{label} was still running after {timeout} s (the time limit), so it was "
                    "stopped; the checkpoints that depend on it score zero. Look for a loop "
                    "that never ends."
                )
            elif ename in ("SyntaxError", "IndentationError", "TabError"):
                notes.append(
                    f"{label} has a Python syntax error ({out.get('evalue', '')}), so it could "
                    "not run; the checkpoints that depend on it score zero."
                )
            elif ename == DIED_ENAME:
                notes.append(
                    f"The notebook's Python process stopped at {label} (it crashed, exited or ran "
                    "out of memory); the checkpoints after it score zero."
                )
                return notes
    return notes


# -- running nbgrader's preprocessors -------------------------------------------------------------


def _resources(
    course: Course, student: str, assignment: str, notebook: str, path: Path
) -> dict[str, Any]:
    """The resources dict nbgrader's converter builds for one notebook."""
    from nbconvert.exporters.exporter import ResourcesDict

    resources = ResourcesDict()
    resources["unique_key"] = notebook
    resources["output_files_dir"] = f"{notebook}_files"
    resources["nbgrader"] = {
        "student": student,
        "assignment": assignment,
        "notebook": notebook,
        "db_url": course.db_url,
    }
    meta = ResourcesDict()
    meta["name"] = notebook
    meta["path"] = str(path)
    meta["modified_date"] = dt.datetime.now().strftime("%B %d, %Y")
    resources["metadata"] = meta
    return resources


def _run(
    preprocessors: list[Any], nb: nbformat.NotebookNode, resources: dict[str, Any]
) -> nbformat.NotebookNode:
    for pp in preprocessors:
        nb, resources = pp(nb, resources)  # __call__ honours each preprocessor's `enabled`
    return nb


def _roundtrip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """As nbgrader writes the sanitised notebook to disk and reads it back between its phases."""
    text = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    return nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]


async def _execute_async(
    execute: Any, nb: Any, resources: Any, km: Any, after: str | None = None
) -> None:
    """nbconvert's ExecutePreprocessor.preprocess, awaited in our own event loop with ``km``.

    ``after`` is code run silently in the same kernel once every cell has run (it saves the named
    answers); it is not added to the notebook.
    """
    from nbclient import NotebookClient
    from nbclient.util import ensure_async

    NotebookClient.__init__(execute, nb, km)
    execute.reset_execution_trackers()
    execute._check_assign_resources(resources)
    try:
        async with execute.async_setup_kernel():
            info = await execute.async_wait_for_reply(await ensure_async(execute.kc.kernel_info()))
            execute.nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(execute.nb.cells):
                await execute.async_execute_cell(cell, index, store_history=True)
            if after:
                msg_id = await ensure_async(execute.kc.execute(after, store_history=False))
                await execute.async_wait_for_reply(msg_id)
        execute.set_widgets_metadata()
    finally:
        if execute.kc is not None:
            execute.kc.stop_channels()


def _mark_unreached(nb: nbformat.NotebookNode, upto: int) -> None:
    """After a dead kernel: an error output on every code cell not run, so nothing scores by default."""
    for cell in nb.cells[upto:]:
        if cell.cell_type == "code" and not any(
            o.get("output_type") == "error" for o in cell.get("outputs", [])
        ):
            cell.outputs.append(
                nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                    "error",
                    ename=DIED_ENAME,
                    evalue="the notebook's Python process stopped before this cell ran",
                    traceback=["The notebook's Python process stopped before this cell ran."],
                )
            )


class _SharedGradebook:
    """The one gradebook of a writer transaction, handed to nbgrader's writing preprocessors.

    They open ``Gradebook(db_url)`` and close it with ``with``; this object ignores the close.
    """

    def __init__(self, gb: Any) -> None:
        self._gb = gb

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gb, name)

    def __enter__(self) -> Any:
        return self._gb

    def __exit__(self, *exc: object) -> None:
        return None


@contextlib.contextmanager
def _writers_use(gb: Any) -> Iterator[None]:
    """Point nbgrader's SaveAutoGrades and AssignLatePenalties at ``gb`` (under the write lock).

    Only the writer phase uses these two modules' ``Gradebook`` name, and it runs under
    :func:`gradebook_lock`, so swapping the name is safe; nbgrader's scoring code is unchanged.
    """
    from nbgrader.preprocessors import latesubmissions, saveautogrades

    saved = (saveautogrades.Gradebook, latesubmissions.Gradebook)  # type: ignore[attr-defined]

    def shared(*_: Any, **__: Any) -> _SharedGradebook:
        return _SharedGradebook(gb)

    saveautogrades.Gradebook = shared  # type: ignore[attr-defined]
    latesubmissions.Gradebook = shared  # type: ignore[attr-defined]
    try:
        yield
    finally:
        saveautogrades.Gradebook, latesubmissions.Gradebook = saved  # type: ignore[attr-defined]


# -- one submission --------------------------------------------------------------------------------


@dataclass
class _Prepared:
    notebook: str
    nb: nbformat.NotebookNode | None  # None: missing or unreadable -> zero
    notes: list[str]
    out_dir: Path


class Grader:
    """Grades submissions of one course; thread-safe; use as a context manager."""

    def __init__(self, course: Course, *, jobs: int, timeout: int | None) -> None:
        from cohort_tools.notebooks.kernels import KernelPool

        self.course = course
        self.config = course.nbgrader_config()
        if timeout is not None:
            self.config.Execute.timeout = int(timeout)
        self.timeout = int(self.config.Execute.get("timeout", 30))
        self.coursedir = course.coursedir()
        self.pool = KernelPool(jobs)
        self.learners = course.learners()
        self._info: dict[str, list[NotebookInfo]] = {}
        self._info_lock = threading.Lock()

    def __enter__(self) -> Grader:
        self.pool.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.close()

    def info(self, assignment: str) -> list[NotebookInfo]:
        with self._info_lock:
            if assignment not in self._info:
                self._info[assignment] = _assignment_info(self.course, assignment)
            return self._info[assignment]

    def _answers_code(self, assignment: str, notebook: str, out_dir: Path) -> str | None:
        """Code that saves the notebook's named answers beside the autograded copy."""
        src = self.course.source(assignment) / f"{notebook}.ipynb"
        if not src.is_file():
            return None
        names = answer_names(nbformat.read(src, as_version=4))  # type: ignore[no-untyped-call]
        return dump_code(names, str(answers_file(out_dir, notebook))) if names else None

    def _preprocessors(self, names: list[type]) -> list[Any]:
        return [cls(config=self.config) for cls in names]

    def grade(self, student: str, assignment: str) -> SubmissionResult:
        start = time.monotonic()
        workshop, city = split_assignment_id(assignment)
        result = SubmissionResult(student, assignment, city, workshop, "graded")
        try:
            import warnings

            from nbformat.warnings import MissingIDFieldWarning

            with warnings.catch_warnings():
                # nbgrader re-adds a deleted checkpoint cell without a cell id; nbformat warns.
                warnings.simplefilter("ignore", MissingIDFieldWarning)
                self._grade(result)
        except Exception as exc:  # infrastructure: kernel, gradebook, disk
            result.status = "error"
            result.notes.append(f"grading failed: {type(exc).__name__}: {exc}")
        result.seconds = time.monotonic() - start
        return result

    def _grade(self, result: SubmissionResult) -> None:
        from nbconvert.preprocessors import ClearMetadataPreprocessor
        from nbgrader.preprocessors import (
            AssignLatePenalties,
            CheckCellMetadata,
            ClearOutput,
            DeduplicateIds,
            Execute,
            IgnorePattern,
            LimitOutput,
            OverwriteCells,
            OverwriteKernelspec,
            SaveAutoGrades,
        )

        student, assignment = result.student, result.assignment
        infos = self.info(assignment)
        if not infos:
            result.status = "zero"
            result.notes.append(
                f"there is no assignment '{assignment}' in the course; nothing was graded. "
                "Was it submitted to the right folder?"
            )
            return
        learner = self.learners.get(student)
        if learner is None:
            result.notes.append(f"'{student}' is not a registered learner (run `cda release`).")
        elif learner.city != result.city:
            result.notes.append(
                f"this learner belongs to {learner.city} but submitted {result.city}'s notebook; "
                f"it was graded with {result.city}'s data."
            )
        submitted = self.course.submitted(student, assignment)
        # Each grading works in its own scratch folder, swapped into autograded/ after the commit,
        # so two graders of the same submission never delete each other's files.
        final_dir = self.course.autograded(student, assignment)
        final_dir.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        out_dir = Path(tempfile.mkdtemp(prefix=f".{assignment}.", dir=final_dir.parent))
        # nbgrader copies the source folder's other files (data beside the notebook) over the
        # submission's; the same here.
        source = self.course.source(assignment)
        for path in source.rglob("*"):
            if path.is_file() and path.suffix != ".ipynb":
                target = out_dir / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        found = sorted(p.name for p in submitted.glob("*.ipynb"))

        prepared: list[_Prepared] = []
        for info in infos:
            path = submitted / f"{info.name}.ipynb"
            nb, why = _read_submission(path)
            if nb is None:
                if why == "missing":
                    others = [f for f in found if f != path.name]
                    why = f"no notebook named {path.name} was submitted" + (
                        f" (found {', '.join(others)}: a renamed copy is not graded)"
                        if others
                        else ""
                    )
                    why += "; it scores zero."
                prepared.append(_Prepared(info.name, None, [why], out_dir))
                continue
            notes = _check_tampering(nb, info, result.city)
            resources = _resources(self.course, student, assignment, info.name, submitted)
            try:
                nb = _run(
                    self._preprocessors(
                        [
                            ClearOutput,
                            DeduplicateIds,
                            OverwriteKernelspec,
                            OverwriteCells,
                            CheckCellMetadata,
                        ]
                    ),
                    nb,
                    resources,
                )
            except Exception as exc:
                prepared.append(
                    _Prepared(
                        info.name,
                        None,
                        [
                            f"{path.name}'s grading information was damaged ({exc}); it scores "
                            "zero. Ask the learner to start from a fresh copy of the notebook."
                        ],
                        out_dir,
                    )
                )
                continue
            nb = _roundtrip(nb)
            resources = _resources(self.course, student, assignment, info.name, out_dir)
            execute = Execute(config=self.config)
            kernel = self.pool.fork_kernel(cwd=out_dir, env={"NBGRADER_EXECUTION": "autograde"})
            reached = {"index": 0}

            def on_cell_start(
                cell: Any, cell_index: int, reached: dict[str, int] = reached
            ) -> None:
                reached["index"] = cell_index

            execute.on_cell_start = on_cell_start
            dump = self._answers_code(assignment, info.name, out_dir)
            try:
                from nbclient.exceptions import DeadKernelError

                try:
                    asyncio.run(_execute_async(execute, nb, resources, kernel.km, after=dump))
                except DeadKernelError:
                    _mark_unreached(nb, reached["index"])
            finally:
                self.pool.discard(kernel)
            nb = _run(
                self._preprocessors([IgnorePattern, ClearMetadataPreprocessor, LimitOutput]),
                nb,
                resources,
            )
            notes += _execution_notes(nb, self.timeout)
            prepared.append(_Prepared(info.name, nb, notes, out_dir))

        self._write(result, prepared, [SaveAutoGrades, AssignLatePenalties, CheckCellMetadata])

    def _write(
        self, result: SubmissionResult, prepared: list[_Prepared], writers: list[type]
    ) -> None:
        """All gradebook writes of one submission: one lock, one transaction."""
        from nbgrader.api import Gradebook

        student, assignment = result.student, result.assignment
        timestamp = self.coursedir.get_existing_timestamp(
            str(self.course.submitted(student, assignment))
        )
        import warnings

        from sqlalchemy.exc import SAWarning

        with (
            warnings.catch_warnings(),
            gradebook_lock(self.course),
            Gradebook(self.course.db_url, course_id=COURSE_ID) as gb,
            one_transaction(gb),
        ):
            # nbgrader's add_submission builds related rows before adding them (SQLAlchemy notes it).
            warnings.filterwarnings("ignore", category=SAWarning)
            gb.update_or_create_student(student)
            if timestamp:
                gb.update_or_create_submission(assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(assignment, student)
            with _writers_use(gb):
                for item in prepared:
                    if item.nb is None:
                        sub = gb.find_submission_notebook(item.notebook, assignment, student)
                        for grade in sub.grades:
                            grade.auto_score = 0
                            grade.needs_manual_grade = False
                        continue
                    resources = _resources(
                        self.course, student, assignment, item.notebook, item.out_dir
                    )
                    item.nb = _run(self._preprocessors(writers), item.nb, resources)
            gb.db.flush()
            submission = gb.find_submission(assignment, student)
            result.score = float(submission.score)
            result.max_score = float(submission.max_score)
            result.needs_manual_grade = bool(submission.needs_manual_grade)
        # The autograded notebooks (read by feedback) after the grades are committed.
        out_dir = prepared[0].out_dir if prepared else None
        for item in prepared:
            result.notes.extend(item.notes)
            if item.nb is not None:
                atomic_write_text(
                    item.out_dir / f"{item.notebook}.ipynb",
                    nbformat.writes(item.nb),  # type: ignore[no-untyped-call]
                )
        if out_dir is not None:
            final_dir = self.course.autograded(student, assignment)
            with gradebook_lock(self.course):
                old = final_dir.with_name(f".{final_dir.name}.old-{os.getpid()}-{id(out_dir)}")
                if final_dir.exists():
                    os.replace(final_dir, old)
                os.replace(out_dir, final_dir)
                shutil.rmtree(old, ignore_errors=True)
        if any(item.nb is None for item in prepared) and result.status == "graded":
            result.status = "zero" if all(item.nb is None for item in prepared) else "graded"


def reads_course(course: Course, assignment: str) -> bool:
    """Whether the assignment's notebook reads the course's other graded answers (the build marks
    it; see build.COURSE_PARAMETER), so it is graded after them."""
    workshop, _ = split_assignment_id(assignment)
    src = course.source(assignment) / f"{workshop}.ipynb"
    if not src.is_file():
        return False
    try:
        meta = nbformat.read(src, as_version=4).metadata  # type: ignore[no-untyped-call]
    except Exception:
        return False
    return bool(meta.get("cda", {}).get("reads_course"))


def find_submissions(course: Course) -> list[tuple[str, str]]:
    """(student, assignment) for every folder under course/submitted/<student>/<assignment>/."""
    root = course.folder("submitted")
    if not root.is_dir():
        return []
    return sorted(
        (s.name, a.name)
        for s in root.iterdir()
        if s.is_dir() and not s.name.startswith(".")
        for a in s.iterdir()
        if a.is_dir() and not a.name.startswith(".")
    )


def autograde(
    *,
    course_dir: Path = Path("course"),
    jobs: int | None = None,
    timeout: int | None = None,
    students: list[str] | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
) -> GradeReport:
    """Grade every submission in ``course_dir/submitted`` (or only ``students``'s).

    ``jobs``: notebooks graded at once (default: the number of cores). ``timeout``: seconds a cell
    may run (default: the course's ``c.Execute.timeout``).
    """
    tools_on_path()
    course = Course(course_dir.resolve())
    if not course.config_file.is_file() or not course.gradebook.is_file():
        raise CdaError.single(
            course.root, "this is not a built course folder.", "run `cda course build` first."
        )
    start = time.monotonic()
    todo = [(s, a) for s, a in find_submissions(course) if students is None or s in set(students)]
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: list[SubmissionResult] = []
    # Workshops that read the course's other graded answers (the strategy studio) run last.
    later = {a for _, a in todo if reads_course(course, a)}
    waves = [[sa for sa in todo if sa[1] not in later], [sa for sa in todo if sa[1] in later]]
    if todo:
        with (
            Grader(course, jobs=jobs, timeout=timeout) as grader,
            ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="cda-grade") as ex,
        ):
            for wave in waves:
                for res in ex.map(lambda sa: grader.grade(*sa), wave):
                    results.append(res)
                    if on_result:
                        on_result(res)
    submitted = set(todo)
    not_submitted = []
    for ln in course.learners().values():
        for aid in course.assignments():
            wanted = students is None or ln.id in students
            if wanted and split_assignment_id(aid)[1] == ln.city and (ln.id, aid) not in submitted:
                not_submitted.append((ln.id, aid))
    return GradeReport(course.root, results, sorted(not_submitted), time.monotonic() - start, jobs)


def copy_course(src: Path, dst: Path) -> Path:
    """A copy of a course folder (for benchmarks and tests)."""
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".gradebook.lock"))
    return dst


__all__ = ["GradeReport", "SubmissionResult", "autograde", "copy_course", "find_submissions"]

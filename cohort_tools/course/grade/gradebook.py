"""The gradebook: what it knows of an assignment (read), and one submission's grades (written).

**Writes are serialised**: each submission's writes (student and submission records, zeros for
missing notebooks, nbgrader's SaveAutoGrades and AssignLatePenalties) run under one lock
(:func:`cohort_tools.course.layout.gradebook_lock`: a thread lock plus ``flock`` on the course
folder, so two ``cda course autograde`` processes also queue) and are committed in **one transaction**: a
crash leaves the previous grades, never half a student's. nbgrader's per-write commits become
flushes for the duration (:func:`cohort_tools.core.compat.one_transaction`), and its writers
use the one open gradebook (:func:`cohort_tools.core.compat.shared_gradebook`).

The autograded notebooks (read by feedback) are published into ``autograded/`` only after the
grades are committed, by swapping the grading's scratch folder in.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from cohort_tools.core.compat import nbgrader_resources, one_transaction, shared_gradebook
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.notebooks.reading import read_written

from ..layout import Course, gradebook_lock
from .results import SubmissionResult
from .steps import run_phase

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


def grade_id(cell: Any) -> str | None:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return str(gid) if gid else None


def assignment_info(course: Course, assignment: str) -> list[NotebookInfo]:
    """Source cells per notebook, in order, read from the released source (same as the gradebook)."""
    from nbgrader.api import Gradebook, MissingEntry

    infos = []
    with Gradebook(course.db_url, course_id=course.course_id) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            return []
        for notebook in a.notebooks:
            grade_ids = {c.name for c in notebook.grade_cells}
            src = course.source(assignment) / f"{notebook.name}.ipynb"
            order = []
            if src.is_file():
                nb = read_written(src)
                order = [
                    c.metadata["nbgrader"]["grade_id"]
                    for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id")
                ]
            rel = course.release(assignment) / f"{notebook.name}.ipynb"
            released = {}
            if rel.is_file():
                rnb = read_written(rel)
                released = {grade_id(c): c.source for c in rnb.cells if grade_id(c)}
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


# -- one submission's grades -----------------------------------------------------------------------


@dataclass
class Prepared:
    """One notebook of a submission, ready for the gradebook."""

    notebook: str
    nb: nbformat.NotebookNode | None  # None: missing or unreadable -> zero
    notes: list[str]
    out_dir: Path


def record_grades(
    course: Course, coursedir: Any, config: Any, result: SubmissionResult, prepared: list[Prepared]
) -> None:
    """All gradebook writes of one submission (one lock, one transaction), then its files."""
    from nbgrader.api import Gradebook

    student, assignment = result.student, result.assignment
    timestamp = coursedir.get_existing_timestamp(str(course.submitted(student, assignment)))
    # nbgrader's notes here (SQLAlchemy's SAWarning) are silenced once by the Grader that calls
    # this (Grader.__enter__): warnings' filters are one list per process, not per thread.
    with (
        gradebook_lock(course),
        Gradebook(course.db_url, course_id=course.course_id) as gb,
        one_transaction(gb),
    ):
        gb.update_or_create_student(student)
        if timestamp:
            gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(assignment, student)
        with shared_gradebook(gb):
            for item in prepared:
                if item.nb is None:
                    sub = gb.find_submission_notebook(item.notebook, assignment, student)
                    for grade in sub.grades:
                        grade.auto_score = 0
                        grade.needs_manual_grade = False
                    continue
                resources = nbgrader_resources(
                    db_url=course.db_url,
                    student=student,
                    assignment=assignment,
                    notebook=item.notebook,
                    path=item.out_dir,
                )
                item.nb = run_phase("write", item.nb, resources, config)
        gb.db.flush()
        submission = gb.find_submission(assignment, student)
        result.score = float(submission.score)
        result.max_score = float(submission.max_score)
        result.needs_manual_grade = bool(submission.needs_manual_grade)
    _publish(course, result, prepared)


def _publish(course: Course, result: SubmissionResult, prepared: list[Prepared]) -> None:
    """The autograded notebooks (read by feedback), after the grades are committed."""
    student, assignment = result.student, result.assignment
    out_dir = prepared[0].out_dir if prepared else None
    for item in prepared:
        result.notes.extend(item.notes)
        if item.nb is not None:
            atomic_write_text(
                item.out_dir / f"{item.notebook}.ipynb",
                nbformat.writes(item.nb),
            )
    if out_dir is not None:
        final_dir = course.autograded(student, assignment)
        with gradebook_lock(course):
            old = final_dir.with_name(f".{final_dir.name}.old-{os.getpid()}-{id(out_dir)}")
            if final_dir.exists():
                os.replace(final_dir, old)
            os.replace(out_dir, final_dir)
            shutil.rmtree(old, ignore_errors=True)
    if any(item.nb is None for item in prepared) and result.status == "graded":
        result.status = "zero" if all(item.nb is None for item in prepared) else "graded"


__all__ = ["NotebookInfo", "Prepared", "SourceCell", "assignment_info", "grade_id", "record_grades"]

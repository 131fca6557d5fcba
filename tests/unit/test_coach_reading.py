"""The coach's reading of a written answer, read from the course's gradebook."""

from __future__ import annotations

from pathlib import Path

import nbformat

from cohort_tools.course.layout import Course
from cohort_tools.course.report import coach_reading


def _course_with_written_answer(root: Path, assignment: str) -> Course:
    """A course folder whose source notebook has one written answer a coach scores by hand."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell("Your reflection")
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": True,
        "grade_id": "reflection",
        "points": 2,
        "schema_version": 3,
    }
    nb.cells.append(cell)
    source = root / "source" / assignment
    source.mkdir(parents=True)
    nbformat.write(nb, source / "m6_strategy_studio.ipynb")
    return Course(root)


def test_an_empty_gradebook_file_gives_no_reading_and_stays_empty(tmp_path: Path) -> None:
    # The grading sandbox's view of a course marks the course with an empty gradebook file. Opening
    # it with nbgrader would create its tables and run nbgrader's `alembic` command, a second Python
    # process, in every graded strategy studio.
    course = _course_with_written_answer(tmp_path, "m6_strategy_studio--riverton")
    course.gradebook.write_bytes(b"")

    assert coach_reading(course, "learner-1", "m6_strategy_studio--riverton") is None
    assert course.gradebook.stat().st_size == 0


def test_no_gradebook_file_gives_no_reading(tmp_path: Path) -> None:
    course = _course_with_written_answer(tmp_path, "m6_strategy_studio--riverton")

    assert coach_reading(course, "learner-1", "m6_strategy_studio--riverton") is None
    assert not course.gradebook.exists()

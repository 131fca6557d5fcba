"""The coach's reading of a written answer, read from the course's gradebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cohort_tools.course.layout import Course, tools_on_path
from cohort_tools.course.report import CoachReading, coach_reading


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


def _scored(course: Course, assignment: str, student: str, points: float | None) -> None:
    """The gradebook holds ``student``'s submission of ``assignment``, its written answer scored
    ``points`` by the coach (None: not scored yet)."""
    from nbgrader.api import Gradebook

    tools_on_path()  # nbgrader runs its alembic command on a new gradebook
    with Gradebook(course.db_url, course_id=course.course_id) as gb:
        gb.update_or_create_assignment(assignment)
        gb.update_or_create_notebook("m6_strategy_studio", assignment)
        gb.update_or_create_grade_cell(
            "reflection", "m6_strategy_studio", assignment, max_score=2, cell_type="markdown"
        )
        gb.update_or_create_student(student)
        gb.db.commit()
        # nbgrader's add_submission builds the submission while SQLAlchemy 2 autoflushes, which
        # warns (strict here); the grader adds submissions through nbgrader's own apps instead
        with gb.db.no_autoflush:
            gb.add_submission(assignment, student)
        grade = gb.find_grade("reflection", "m6_strategy_studio", assignment, student)
        grade.manual_score = points
        gb.db.commit()


def test_several_readings_open_the_gradebook_once_and_match_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbgrader.api

    from cohort_tools.course.report import coach_readings

    first, second = "m6_strategy_studio--riverton", "m6_strategy_studio--cedar-bend"
    course = _course_with_written_answer(tmp_path, first)
    _course_with_written_answer(tmp_path, second)
    _scored(course, first, "learner-1", 1.5)
    _scored(course, second, "learner-2", None)
    wanted = [("learner-1", first), ("learner-2", second), ("learner-3", first)]
    one_by_one = {pair: coach_reading(course, *pair) for pair in wanted}

    opened: list[object] = []
    real = nbgrader.api.Gradebook

    class Counted(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(nbgrader.api, "Gradebook", Counted)
    together = coach_readings(course, wanted)
    assert len(opened) == 1
    assert together == one_by_one
    assert together[("learner-1", first)] == CoachReading(1, 1, 1.5, 2.0)
    assert together[("learner-2", second)] == CoachReading(1, 0, 0.0, 2.0)
    assert together[("learner-3", first)] is None  # no such submission

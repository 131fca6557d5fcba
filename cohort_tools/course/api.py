"""The verbs on the nbgrader course: ``cda course build|release|autograde|feedback|progress``.

Keyword-only typed functions that delegate to the course's internals (build, grade, report); the CLI
(cohort_tools/cli.py) takes its option defaults from them. Internals are imported when a verb runs,
so ``cda --help`` does not load nbgrader.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from cohort_tools.core.defaults import COURSE_CELL_TIMEOUT, COURSE_DIR

if TYPE_CHECKING:
    from cohort_tools.course.build import BuildReport, ReleaseReport
    from cohort_tools.course.grade import GradeReport


def build(
    *,
    cohort: Path | None = None,
    course: Path = COURSE_DIR,
    workshops: Path | None = None,
    timeout: Annotated[int, Field(ge=1)] = COURSE_CELL_TIMEOUT,
    per_city: bool = False,
) -> BuildReport:
    """Make the nbgrader course folder from the MyST workshops (one assignment per city).

    ``workshops`` defaults to the project's workshops/ folder; ``timeout`` is the seconds a cell may
    run when the course grades (nbgrader's ``Execute.timeout``). ``per_city``: one nbgrader course
    per city instead (``course/<city>/``, its assignments the workshops), as on the live cohort's hub.
    """
    from cohort_tools.course.build import build_course

    return build_course(
        workshops_dir=workshops,
        course_dir=course,
        cohort=cohort,
        timeout=timeout,
        per_city=per_city,
    )


def release(*, cohort: Path | None = None, course: Path = COURSE_DIR) -> ReleaseReport:
    """Register every senior team member and release each city's notebooks."""
    from cohort_tools.course.build import release as release_course

    return release_course(cohort=cohort, course_dir=course)


def autograde(
    *,
    course: Path = COURSE_DIR,
    jobs: Annotated[int | None, Field(ge=1)] = None,
    timeout: Annotated[int | None, Field(ge=1)] = None,
    trusted: bool = False,
) -> GradeReport:
    """Grade every submission; bad submissions are listed, only system failures fail the report.

    ``jobs``: notebooks at once (default: two per core); ``timeout``: seconds a cell may run
    (default: the course's own, set by :func:`build`). Each learner's code runs in a sandbox (no
    network, only its city's data) and the checkpoints in a separate trusted kernel; ``trusted``
    runs everything in one kernel instead, which lets learner code reach the whole course: only for
    grading your own notebooks (a warning is printed).
    """
    from cohort_tools.course.grade import autograde as grade_all

    if trusted:
        import sys

        from cohort_tools.course.grade.grader import TRUSTED_WARNING

        print(f"WARNING: {TRUSTED_WARNING}", file=sys.stderr)
    return grade_all(course_dir=course, jobs=jobs, timeout=timeout, trusted=trusted)


def feedback(*, course: Path = COURSE_DIR) -> list[Path]:
    """Write each learner's HTML feedback (no names, no hidden tests); return the pages."""
    from cohort_tools.course.report import feedback as write_feedback

    return write_feedback(course_dir=course)


def progress(*, course: Path = COURSE_DIR, out: Path | None = None) -> str:
    """Completion and scores by city, learner and module, as a table (and an SVG chart in ``out``)."""
    from cohort_tools.course.report import progress as progress_report

    return progress_report(course_dir=course, out=out)

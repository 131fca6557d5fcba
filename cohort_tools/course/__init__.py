"""The nbgrader course: build from the MyST workshops, release per city, autograde, feedback, progress."""

from __future__ import annotations

from cohort_tools.course.build import build_course, release
from cohort_tools.course.grade import GradeReport, SubmissionResult, autograde
from cohort_tools.course.layout import Course, Learner, assignment_id, student_id
from cohort_tools.course.report import feedback, progress
from cohort_tools.course.samples import make_sample_submissions, run_course_demo

__all__ = [
    "Course",
    "GradeReport",
    "Learner",
    "SubmissionResult",
    "assignment_id",
    "autograde",
    "build_course",
    "feedback",
    "make_sample_submissions",
    "progress",
    "release",
    "run_course_demo",
    "student_id",
]

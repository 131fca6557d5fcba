"""The grader runs nbgrader's autograde preprocessors in nbgrader's own order."""

from __future__ import annotations

from cohort_tools.course.grade.steps import PIPELINE, step_class, step_classes


def test_the_pipeline_is_nbgraders_autograde_order_exactly() -> None:
    from nbgrader.converters import Autograde

    traits = Autograde.class_traits()
    nbgraders = [
        *traits["sanitize_preprocessors"].default(),
        *traits["autograde_preprocessors"].default(),
    ]
    assert [step_class(path) for _, path in PIPELINE] == nbgraders


def test_phases_split_the_pipeline_around_execute() -> None:
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    assert step_classes("execute") == [Execute]
    assert step_classes("write")[0] is SaveAutoGrades
    phases = [phase for phase, _ in PIPELINE]
    assert phases == sorted(phases, key=["sanitize", "execute", "after_execute", "write"].index)

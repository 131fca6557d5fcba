"""Answers given in the forms are graded exactly as the same answers written as code (issue 17).

The grader (``cda course autograde``) runs the submitted notebook beside the answers file its forms
wrote (``<notebook>.form.json``, submitted with it): a learner who answered Module 1 workshop A in
the forms scores what a learner who typed the same answers scores. When both are given, the code
counts; a damaged answers file is graded as unanswered with a plain message, never a traceback.
"""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from cohort_tools.core import paths
from cohort_tools.course.answers import answers_file
from cohort_tools.course.build import release
from cohort_tools.course.grade import GradeReport, autograde
from cohort_tools.course.grade.results import SubmissionResult
from cohort_tools.course.layout import Course, assignment_id
from cohort_tools.course.samples import sample_notebook, write_submission

WORKSHOP = "m1_workshop_a_data_routines"
AID = assignment_id(WORKSHOP, "riverton")
FORM = f"{WORKSHOP}.form.json"
FORM_NAMES = ["mayor_priorities", "data_vision", "priority_metrics", "metric_serves",
              "baseline_days", "target_days", "stat_meeting"]  # fmt: skip


def _result(report: GradeReport, student: str) -> SubmissionResult:
    return next(r for r in report.results if r.student == student)


@pytest.fixture(scope="module")
def graded(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Course, GradeReport, dict[str, object]]:
    root = tmp_path_factory.mktemp("form-grading")
    workshops = root / "workshops"
    workshops.mkdir()
    shutil.copy2(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    report = release(course_dir=root / "course", workshops_dir=workshops)
    course = Course(report.course)
    code = sample_notebook(course, AID, "correct")
    write_submission(course, "riverton-code", AID, code)
    first = autograde(course_dir=course.root, jobs=1)
    assert _result(first, "riverton-code").status == "graded", first.results
    # the values the checkpoints judged in the code submission: what the forms will hold
    named = json.loads(answers_file(course.autograded("riverton-code", AID), WORKSHOP).read_text())
    form = {"version": 1, "notebook": WORKSHOP, "answers": {n: named[n] for n in FORM_NAMES}}

    released = nbformat.read(course.release(AID) / f"{WORKSHOP}.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    reflection = next(
        c.source
        for c in code.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "reflection-missed-target"
    )
    for cell in released.cells:  # the reflection is typed in its cell; everything else is in forms
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "reflection-missed-target":
            cell.source = reflection
    for student, text in {
        "riverton-forms": json.dumps(form),
        "riverton-damaged": "{ this is not json",
    }.items():
        path = write_submission(course, student, AID, released)
        (path.parent / FORM).write_text(text, encoding="utf-8")
    # both: correct code, and a form holding other (wrong) answers: the code counts
    wrong = {
        **form,
        "answers": {**form["answers"], "baseline_days": 999.0, "priority_metrics": ["X"]},
    }
    path = write_submission(course, "riverton-both", AID, code)
    (path.parent / FORM).write_text(json.dumps(wrong), encoding="utf-8")
    path = write_submission(course, "riverton-nothing", AID, released)
    return (
        course,
        autograde(course_dir=course.root, jobs=2),
        {"code": _result(first, "riverton-code")},
    )


def test_answers_in_the_forms_score_exactly_as_the_same_answers_written_as_code(
    graded: tuple[Course, GradeReport, dict[str, object]],
) -> None:
    _, report, before = graded
    code = before["code"]
    forms = _result(report, "riverton-forms")
    assert isinstance(code, SubmissionResult)
    assert forms.status == code.status == "graded"
    assert (forms.score, forms.max_score) == (code.score, code.max_score)
    assert forms.score > _result(report, "riverton-nothing").score


def test_when_code_and_form_both_answer_the_code_counts(
    graded: tuple[Course, GradeReport, dict[str, object]],
) -> None:
    _, report, before = graded
    code = before["code"]
    assert isinstance(code, SubmissionResult)
    assert _result(report, "riverton-both").score == code.score


def test_a_damaged_answers_file_is_graded_as_unanswered_with_a_plain_message(
    graded: tuple[Course, GradeReport, dict[str, object]],
) -> None:
    course, report, _ = graded
    damaged = _result(report, "riverton-damaged")
    assert damaged.status == "graded"
    assert damaged.score == _result(report, "riverton-nothing").score
    notebook = course.autograded("riverton-damaged", AID) / f"{WORKSHOP}.ipynb"
    text = notebook.read_text(encoding="utf-8")
    assert f"The answers file {FORM} could not be read" in text
    assert "JSONDecodeError" not in text

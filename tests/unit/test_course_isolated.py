"""Isolated grading's notebooks: what the sandbox gets (no tests), what the trusted kernel runs (no
learner code), and the slice-by-slice wait on kernel channels (the stall fix)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from cohort_tools.course.grade import isolated
from cohort_tools.course.grade.gradebook import NotebookInfo, SourceCell
from cohort_tools.course.layout import Course
from cohort_tools.notebooks.sandbox import VEGA_LITE, CellOutcome, SandboxOutcome

HIDDEN = "assert secret_hidden_check(answer) == 42"


def cell(kind: str, source: str, **nbgrader: Any) -> nbformat.NotebookNode:
    new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    c = new(source)  # type: ignore[operator]
    if nbgrader:
        c.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return c


@pytest.fixture
def sanitised() -> tuple[nbformat.NotebookNode, NotebookInfo]:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        cell("code", "x = 1  # setup, as in the gradebook", grade_id="setup", locked=True),
        cell("code", "answer = 41 + 1\nprint('mine')", grade_id="answer-a", solution=True),
        cell(
            "code",
            f"assert answer\n### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS",
            grade_id="check-a",
            grade=True,
            locked=True,
            points=1,
        ),
        cell("code", "import os; os.system('steal')"),  # a cell the learner added
    ]
    info = NotebookInfo(
        "nb",
        (
            SourceCell("setup", "x = 1", "code", True, False, "x = 1  # as released"),
            SourceCell("answer-a", "answer = 42", "code", False, False, "answer = None"),
            SourceCell("check-a", nb.cells[2].source, "code", True, True, "assert answer"),
        ),
    )
    return nb, info


def outcome(answers: dict[str, Any], cells: tuple[CellOutcome, ...] = ()) -> SandboxOutcome:
    return SandboxOutcome("completed", cells, answers, ())


def test_the_sandbox_copy_has_no_checkpoint_and_only_released_locked_cells(
    sanitised: tuple[nbformat.NotebookNode, NotebookInfo],
) -> None:
    nb, info = sanitised
    mine = isolated.learner_copy(nb, info)
    text = nbformat.writes(mine)  # type: ignore[no-untyped-call]
    assert HIDDEN not in text and "assert answer" not in text
    assert [c.source for c in mine.cells] == [
        "x = 1  # as released",
        nb.cells[1].source,
        "",
        nb.cells[3].source,
    ]
    assert HIDDEN in nb.cells[2].source  # the grader's copy is untouched


def test_the_trusted_copy_runs_values_never_the_learners_code(
    sanitised: tuple[nbformat.NotebookNode, NotebookInfo],
) -> None:
    nb, info = sanitised
    chart = {VEGA_LITE: {"class": "Chart", "spec": {"mark": "bar"}}}
    ran = isolated.trusted_copy(nb, info, outcome({"answer": 42, "other": chart}), "skip")
    assert ran.cells[1].source.splitlines()[-1] == "answer = 42"
    assert "41 + 1" not in ran.cells[1].source and "print" not in ran.cells[1].source
    assert HIDDEN in ran.cells[2].source  # the checkpoint with its hidden tests
    assert ran.cells[3].source == "" and "skip" in ran.cells[3].metadata["tags"]
    compile(ran.cells[1].source, "answer", "exec")


def test_a_learner_cell_that_failed_fails_in_the_trusted_copy_too(
    sanitised: tuple[nbformat.NotebookNode, NotebookInfo],
) -> None:
    nb, info = sanitised
    failed = CellOutcome(1, "answer-a", "error", "ValueError", "bad")
    ran = isolated.trusted_copy(nb, info, outcome({}, (failed,)), "skip")
    assert "answer =" not in ran.cells[1].source  # a name never defined stays undefined
    assert "raise RuntimeError('ValueError: bad')" in ran.cells[1].source


def test_the_graded_notebook_shows_the_learners_own_source_and_output(
    sanitised: tuple[nbformat.NotebookNode, NotebookInfo],
) -> None:
    nb, info = sanitised
    result = outcome({"answer": 42})
    ran = isolated.trusted_copy(nb, info, result, "skip")
    graded = isolated.merge_back(ran, nb, result, "skip")
    assert graded.cells[1].source == nb.cells[1].source
    assert graded.cells[3].source == nb.cells[3].source
    assert "tags" not in graded.cells[3].metadata


def test_the_course_folder_is_read_from_the_locked_parameters_cell() -> None:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    params = cell("code", 'city = "riverton"\ncourse_dir = "/srv/course"\n')
    params.metadata["tags"] = ["injected-parameters"]
    learner = cell("code", 'course_dir = "/elsewhere"')
    nb.cells = [learner, params]
    assert isolated.parameter_value(nb, "course_dir") == "/srv/course"
    assert isolated.parameter_value(nb, "cohort_file") is None


def _graded(*, failed: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    check = cell("code", HIDDEN, grade_id="check-a", grade=True, locked=True, points=1)
    if failed:
        check.outputs = [
            nbformat.v4.new_output("error", ename="AssertionError", evalue="not yet", traceback=[])
        ]
    nb.cells = [cell("code", "answer = 41", grade_id="answer-a", solution=True), check]
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i}"
    return nb


GRADED_VIEW = "course/autograded/riverton-1/w1--riverton/w1.ipynb"


def test_a_course_view_reads_each_notebook_once_and_a_regraded_one_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = Course(tmp_path)
    for assignment in ("w1--riverton", "studio--riverton", "w1--port-alder"):
        (tmp_path / "source" / assignment).mkdir(parents=True)
        workshop = assignment.split("--")[0]
        nbformat.write(
            _graded(failed=False), tmp_path / "source" / assignment / f"{workshop}.ipynb"
        )
    graded = tmp_path / "autograded" / "riverton-1" / "w1--riverton" / "w1.ipynb"
    graded.parent.mkdir(parents=True)
    nbformat.write(_graded(failed=True), graded)
    reads: list[Path] = []
    real_read = isolated.read_written

    def counted(path: Path) -> nbformat.NotebookNode:
        reads.append(path)
        return real_read(path)

    monkeypatch.setattr(isolated, "read_written", counted)

    cache: isolated.ViewCache = {}
    first = isolated.course_view(course, "riverton", "studio--riverton", cache=cache)
    again = isolated.course_view(course, "riverton", "studio--riverton", cache=cache)
    assert again == first == isolated.course_view(course, "riverton", "studio--riverton")
    assert len(reads) == 2 + 2  # the source and the graded notebook, once with the cache
    assert not any("port-alder" in name or HIDDEN in v.decode() for name, v in first.items())
    assert "answer = None" in first["course/source/w1--riverton/w1.ipynb"].decode()

    nbformat.write(_graded(failed=False), graded)  # graded again: the checkpoint passes
    regraded = isolated.course_view(course, "riverton", "studio--riverton", cache=cache)
    assert regraded == isolated.course_view(course, "riverton", "studio--riverton")
    assert "not yet" in first[GRADED_VIEW].decode()
    assert "not yet" not in regraded[GRADED_VIEW].decode()

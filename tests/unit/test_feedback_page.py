"""A feedback page shows the team's answers, the checkpoints' verdicts and what the notebook showed,
not the notebook's own code (set-up, tables, the checkpoints' tests)."""

from __future__ import annotations

import nbformat

from cohort_tools.core.compat import html_exporter
from cohort_tools.course.report import _only_what_the_team_wrote_and_the_checks, checkpoint_titles


def _cell(source: str, **nbgrader: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
    if nbgrader:
        cell.metadata["nbgrader"] = {"grade_id": "x", **nbgrader}
    cell.outputs = [nbformat.v4.new_output("stream", text=f"shown by {source[:5]}")]  # type: ignore[no-untyped-call]
    return cell


def test_set_up_and_checkpoint_code_is_hidden_and_answers_and_every_output_stay() -> None:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        _cell("setup_city = start()"),
        _cell("answer_value = 3", solution=True, grade=False),
        _cell("check_answer(answer_value)", grade=True, solution=False, points=1),
    ]
    page, _ = html_exporter().from_notebook_node(_only_what_the_team_wrote_and_the_checks(nb))
    assert "setup_city" not in page and "check_answer" not in page
    assert "answer_value" in page
    for shown in ("shown by setup", "shown by answe", "shown by check"):
        assert shown in page, shown


def test_each_checkpoint_is_named_by_the_title_its_code_gives_it() -> None:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        _cell(
            'with nb.Checkpoint("the baseline") as cp:\n    cp.require(True, "", "")',
            grade=True,
            solution=False,
            grade_id="check-baseline",
        ),
        _cell(
            'with Checkpoint("la línea de base") as cp:\n    pass',
            grade=True,
            solution=False,
            grade_id="check-es",
        ),
        _cell('nb.Checkpoint("an answer, not a checkpoint")', solution=True, grade=True),
        _cell("x = (", grade=True, solution=False, grade_id="broken"),
    ]
    assert checkpoint_titles(nb) == {
        "check-baseline": "the baseline",
        "check-es": "la línea de base",
    }


def test_an_answer_cell_is_shown_without_the_form_code_the_notebook_put_under_it() -> None:
    from cohort_tools.course.report import _without_the_forms_code
    from cohort_tools.lessons.checkpoints import code_stubs

    stub = sorted(code_stubs())[0]
    form = 'form.ask(\n    "a number",\n    x=nb.ask.number("X"),\n)'
    released = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    released.cells = [
        _cell(f"x = None  # replace None\n{stub}\n{form}", solution=True, grade=False, grade_id="a")
    ]
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        _cell(
            f"x = None  # replace None\n{stub}\n{form}\n", solution=True, grade=False, grade_id="a"
        ),
        _cell(
            "x = 3\n" + form.replace("a number", "my own"), solution=True, grade=False, grade_id="a"
        ),
    ]
    shown = _without_the_forms_code(nb, released)
    assert shown.cells[0].source == f"x = None  # replace None\n{stub}"  # answered in the form
    assert "my own" in shown.cells[1].source  # the team changed that code: it is theirs, kept
    assert _without_the_forms_code(nb, None) is nb

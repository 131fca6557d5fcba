"""The hook that makes a session notebook safe for the book: no solutions, no hidden tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from cohort_tools.book.notebooks import (
    REMOVE_CELL,
    SKIP_EXECUTION,
    prepare_for_book,
    strip_for_book,
    visible_text,
)
from cohort_tools.lessons.checkpoints import NBGRADER_CODE_STUB

SOLUTION = "answer = 42  # SECRET-SOLUTION"
HIDDEN = "assert answer == 42  # SECRET-HIDDEN"


def _nbgrader(**meta: object) -> dict[str, object]:
    return {"nbgrader": {"schema_version": 3, "locked": False, "grade": False, **meta}}


def synthetic_notebook() -> NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercise\nPick a number."),
        nbformat.v4.new_code_cell(
            'city = "cedar-bend"  # city id', metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_code_cell(
            f"### BEGIN SOLUTION\n{SOLUTION}\n### END SOLUTION",
            metadata=_nbgrader(solution=True, grade_id="ex1"),
        ),
        nbformat.v4.new_code_cell(
            f'assert isinstance(answer, int), "a whole number"\n'
            f"### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS",
            metadata=_nbgrader(
                grade=True, solution=False, grade_id="ex1-test", points=1, locked=True
            ),
        ),
        nbformat.v4.new_code_cell(
            f"### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS",
            metadata=_nbgrader(
                grade=True, solution=False, grade_id="ex1-hidden", points=1, locked=True
            ),
        ),
        nbformat.v4.new_markdown_cell(
            "Why?\n### BEGIN SOLUTION\nBecause SECRET-REASON.\n### END SOLUTION",
            metadata=_nbgrader(solution=True, grade=True, grade_id="why", points=1),
        ),
        nbformat.v4.new_code_cell("print(answer + 1)"),
    ]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="SECRET-OUTPUT")]
    return nb


def test_solutions_and_hidden_tests_are_not_visible_after_stripping() -> None:
    book = strip_for_book(synthetic_notebook())
    shown = visible_text(book)
    assert "SECRET" not in shown
    assert NBGRADER_CODE_STUB["python"] in shown and "YOUR ANSWER HERE" in shown
    assert 'assert isinstance(answer, int), "a whole number"' in shown  # visible test stays
    assert "SECRET-OUTPUT" not in nbformat.writes(book)  # outputs are cleared


def test_a_test_cell_holding_only_hidden_tests_is_dropped() -> None:
    book = strip_for_book(synthetic_notebook())
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in book.cells]
    assert "ex1-hidden" not in ids and "ex1-test" in ids


def test_solution_runs_hidden_so_later_cells_still_execute() -> None:
    book = strip_for_book(synthetic_notebook())
    stub = next(c for c in book.cells if NBGRADER_CODE_STUB["python"] in c.source)
    runner = book.cells[book.cells.index(stub) + 1]
    assert SKIP_EXECUTION in stub.metadata["tags"]
    assert REMOVE_CELL in runner.metadata["tags"]
    assert runner.source.strip() == SOLUTION  # markers gone, code kept
    assert HIDDEN not in nbformat.writes(book)  # hidden tests are never kept, even hidden


def test_without_keep_executable_the_solution_is_gone_entirely() -> None:
    book = strip_for_book(synthetic_notebook(), keep_executable=False)
    assert "SECRET" not in nbformat.writes(book)


def test_stripping_leaves_the_input_notebook_unchanged() -> None:
    nb = synthetic_notebook()
    before = nbformat.writes(nb)
    strip_for_book(nb)
    assert nbformat.writes(nb) == before


def test_prepared_notebook_gets_the_demo_city_and_is_byte_stable(tmp_path: Path) -> None:
    source = tmp_path / "nb.ipynb"
    nbformat.write(synthetic_notebook(), source)
    first = prepare_for_book(source, parameters={"city": "riverton"})
    second = prepare_for_book(source, parameters={"city": "riverton"})
    assert nbformat.writes(first) == nbformat.writes(second)
    injected = [c for c in first.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and '"riverton"' in injected[0].source
    assert "SECRET" not in visible_text(first)


def test_notebooks_that_draw_charts_get_the_offline_renderer_first(tmp_path: Path) -> None:
    nb = synthetic_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import altair as alt"))
    source = tmp_path / "chart.ipynb"
    nbformat.write(nb, source)
    prepared = prepare_for_book(source)
    hidden = [c for c in prepared.cells if REMOVE_CELL in c.metadata.get("tags", [])]
    assert any("enable_offline_charts()" in c.source for c in hidden)
    # before any code cell of the notebook itself
    first_code = next(c for c in prepared.cells if c.cell_type == "code")
    assert "enable_offline_charts" in first_code.source

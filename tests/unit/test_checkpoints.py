"""Checkpoints speak plain language: every problem, what to try, and no Python traceback."""

from __future__ import annotations

import pytest

from cohort_tools.lessons.checkpoints import Checkpoint, CheckpointFailed


def test_a_passing_checkpoint_prints_a_plain_confirmation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Checkpoint("the baseline") as cp:
        cp.is_number(4.5, "baseline_days")
        cp.close_to(4.5, 4.52, tolerance=0.05, what="The median")
    assert capsys.readouterr().out.strip() == "Checkpoint passed: the baseline"


def test_every_problem_is_listed_with_what_to_try() -> None:
    with pytest.raises(CheckpointFailed) as err, Checkpoint("the stat meeting") as cp:
        cp.one_of("daily", ["weekly", "monthly"], name="cadence", hint="pick weekly or monthly.")
        cp.is_filled("  ", "chair")
    lines = err.value._render_traceback_()
    assert lines[0] == "Checkpoint not passed yet: the stat meeting"
    assert any("'cadence' is the text 'daily'" in line for line in lines)
    assert any("Try: pick weekly or monthly." in line for line in lines)
    assert any("'chair' is still empty" in line for line in lines)


def test_the_rendered_failure_has_no_traceback_or_exception_name() -> None:
    with pytest.raises(CheckpointFailed) as err, Checkpoint("x") as cp:
        cp.is_number("4 days", "baseline_days")
    text = "\n".join(err.value._render_traceback_())
    assert "Traceback" not in text and "AssertionError" not in text
    assert "no quotes, no units" in text


def test_a_failed_checkpoint_is_an_assertion_error_so_nbgrader_counts_it_failed() -> None:
    assert issubclass(CheckpointFailed, AssertionError)


def test_an_answer_cell_not_run_gives_a_plain_hint_instead_of_name_error() -> None:
    with pytest.raises(CheckpointFailed) as err, Checkpoint("targets"):
        raise NameError("name 'target_days' is not defined")
    assert "'target_days' is not defined" in str(err.value)
    assert "run the answer cell above" in str(err.value)


@pytest.mark.parametrize("value", [True, float("nan"), "3", [3], None])
def test_is_number_rejects_values_that_are_not_one_number(value: object) -> None:
    cp = Checkpoint("n")
    assert not cp.is_number(value, "n")


def test_list_checks_name_the_unknown_entries_and_the_count() -> None:
    cp = Checkpoint("metrics")
    cp.all_in(["A", "Z"], ["A", "B"], name="priority_metrics")
    cp.count_between(["A"], 3, 3, name="priority_metrics")
    text = str(CheckpointFailed(cp.title, cp.problems))
    assert "'Z'" in text and "has 1 entries; it needs 3 to 3" in text


def test_the_stub_left_where_an_answer_goes_is_in_the_learners_language() -> None:
    import nbformat

    from cohort_tools.core.i18n import speaking
    from cohort_tools.lessons.checkpoints import (
        NBGRADER_CODE_STUB,
        as_released,
        code_stub,
        code_stubs,
    )

    assert code_stub("en") == NBGRADER_CODE_STUB  # the course's config keeps the English one
    spanish = code_stub("es")["python"]
    assert spanish.startswith("# (") and "escriban" in spanish
    assert code_stubs() >= {NBGRADER_CODE_STUB["python"], spanish}
    cell = nbformat.v4.new_code_cell(
        "x = None\n### BEGIN SOLUTION\nx = 3\n### END SOLUTION",
        metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "a", "locked": False}},
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    with speaking("es"):
        released = as_released(nb)
    assert released.cells[0].source == f"x = None\n{spanish}"

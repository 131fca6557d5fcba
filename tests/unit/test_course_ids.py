"""Learner ids are pseudonymous and stable; gradebook writes are one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.course.layout import (
    Course,
    assignment_id,
    one_transaction,
    split_assignment_id,
    student_id,
)


def test_student_id_is_stable_pseudonymous_and_case_insensitive() -> None:
    a = student_id("riverton", "Priya.Raman@riverton.example")
    assert a == student_id("riverton", "priya.raman@riverton.example ")
    assert a.startswith("riverton-") and "priya" not in a and "@" not in a
    assert a != student_id("riverton", "luis.ortega@riverton.example")


def test_assignment_id_round_trips() -> None:
    aid = assignment_id("m1_workshop_a_data_routines", "cedar-bend")
    assert split_assignment_id(aid) == ("m1_workshop_a_data_routines", "cedar-bend")
    assert "+" not in aid  # nbgrader forbids it


def test_a_failed_submission_write_leaves_the_gradebook_unchanged(tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    from cohort_tools.course.layout import tools_on_path

    tools_on_path()
    course = Course(tmp_path)
    with Gradebook(course.db_url) as gb:
        gb.add_student("keep")
    with Gradebook(course.db_url) as gb, pytest.raises(RuntimeError), one_transaction(gb):
        gb.add_student("half-written")  # nbgrader commits inside; here it only flushes
        raise RuntimeError("crash in the middle")
    with Gradebook(course.db_url) as gb:
        assert [s.id for s in gb.students] == ["keep"]


def test_save_cells_records_a_notebook_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """generate_assignment's SaveCells commits once per notebook: a failure part-way leaves no
    half-recorded notebook, and what it wrote on success is all there."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import savecells

    from cohort_tools.core.compat import cells_saved_in_one_transaction
    from cohort_tools.course.layout import tools_on_path

    tools_on_path()
    monkeypatch.setattr(savecells, "Gradebook", Gradebook)
    cells_saved_in_one_transaction()
    cells_saved_in_one_transaction()  # idempotent: one wrapper, not two
    assert savecells.Gradebook.__mro__[1] is Gradebook
    url = Course(tmp_path).db_url
    with pytest.raises(RuntimeError), savecells.Gradebook(url) as gb:
        gb.add_student("first")  # nbgrader commits inside each write; here they only flush
        gb.add_student("second")
        raise RuntimeError("crash in the middle")
    with savecells.Gradebook(url) as gb:
        assert list(gb.students) == []
        gb.add_student("first")
        gb.add_student("second")
    with Gradebook(url) as gb:
        assert sorted(s.id for s in gb.students) == ["first", "second"]


def test_gradebooks_of_one_database_share_one_engine_and_see_a_replaced_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every Gradebook of one database reuses one SQLAlchemy engine (its compiled queries), still
    sees what the last one wrote, and a gradebook file deleted and made again is read afresh."""
    from nbgrader import api

    from cohort_tools.core.compat import gradebook_engines_reused
    from cohort_tools.course.layout import tools_on_path

    tools_on_path()
    monkeypatch.setattr(api, "create_engine", api.create_engine)  # put back after the test
    gradebook_engines_reused()
    gradebook_engines_reused()  # idempotent: one wrapper, not two
    course = Course(tmp_path / "one")
    course.root.mkdir()
    with api.Gradebook(course.db_url) as gb:
        gb.add_student("first")
        engine = gb.engine
    with api.Gradebook(course.db_url) as gb:
        assert gb.engine is engine
        assert [s.id for s in gb.students] == ["first"]
    course.gradebook.unlink()
    with api.Gradebook(course.db_url) as gb:
        assert list(gb.students) == []
        gb.add_student("second")
    other = Course(tmp_path / "other")
    other.root.mkdir()
    with api.Gradebook(other.db_url) as gb:
        assert gb.engine is not engine
        assert list(gb.students) == []

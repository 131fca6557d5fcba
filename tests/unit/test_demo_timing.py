"""The main job ends with the time each step took and the total (issue 21: a per-step time table)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from cohort_tools import pipeline
from cohort_tools.core.errors import CdaError
from cohort_tools.pipeline import DemoContext, timing_table


def test_timing_table_lists_every_step_in_order_and_the_total() -> None:
    lines = timing_table([("Checking the cohort", 0.25), ("Building the curriculum book", 12.0)])
    assert lines[0] == "Time per step:"
    assert "Checking the cohort" in lines[1] and lines[1].endswith("0.2 s")
    assert "Building the curriculum book" in lines[2] and lines[2].endswith("12.0 s")
    assert lines[-1].split()[0] == "Total" and lines[-1].endswith("12.2 s")


def test_with_steps_run_alongside_the_total_is_the_wall_clock_not_the_sum() -> None:
    lines = timing_table([("Checking", 1.0), ("Book (alongside)", 5.0)], elapsed=4.0)
    assert lines[-1].split()[:3] == ["Total", "(wall", "clock)"] and lines[-1].endswith("4.0 s")


# -- steps that run alongside the others ------------------------------------------------------------


#: Set by the step alongside as it starts.
alongside_started = threading.Event()


def _fake_steps(
    monkeypatch: pytest.MonkeyPatch, alongside_step: Callable[[DemoContext], None]
) -> tuple[list[str], threading.Event]:
    """check -> course -> after, with ``alongside_step`` alongside once check is done."""
    alongside_started.clear()
    ran: list[str] = []
    course_started = threading.Event()

    def check(ctx: DemoContext) -> None:
        ran.append("check")
        ctx.say("  checked")

    def course(ctx: DemoContext) -> None:
        course_started.set()
        # the step alongside has started by now: it does not wait for this one to end
        ran.append("course" if alongside_started.wait(timeout=30) else "course, alone")

    def after(ctx: DemoContext) -> None:
        ran.append("after")

    steps = [("Check", check, None), ("Course", course, None), ("Book", alongside_step, None)]
    steps.append(("After", after, None))
    monkeypatch.setattr(pipeline, "STEPS", steps)
    monkeypatch.setattr(pipeline, "ALONGSIDE", frozenset({alongside_step}))
    monkeypatch.setattr(pipeline, "ALONGSIDE_AFTER", check)
    return ran, course_started


def test_a_step_alongside_starts_after_the_checks_and_runs_while_the_others_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def book(ctx: DemoContext) -> None:
        alongside_started.set()
        seen["checked first"] = "check" in ran
        # runs while the course does: the course starts without waiting for the book to end
        seen["course ran meanwhile"] = course_started.wait(timeout=60)
        ctx.say("  built the book")
        ctx.outputs["book"] = ctx.out / "book"

    ran, course_started = _fake_steps(monkeypatch, book)
    lines: list[str] = []
    ctx = pipeline.run_demo(out=tmp_path / "out", echo=lines.append)
    assert seen == {"checked first": True, "course ran meanwhile": True}
    assert ran == ["check", "course", "after"]
    assert "== Book: started, alongside the steps below" in lines
    # what the book said comes after the other steps, under its own heading
    assert lines.index("  built the book") > lines.index("== After")
    assert lines[lines.index("  built the book") - 1] == "== Book"
    assert ctx.outputs["book"] == tmp_path / "out" / "book"
    titles = [t for t, _ in ctx.timings]
    assert titles == ["Check", "Course", "After", "Book (alongside)"]
    assert ctx.elapsed > 0
    assert any(line.strip().startswith("Total (wall clock)") for line in lines)


def test_a_step_alongside_that_fails_is_raised_after_the_others_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def book(ctx: DemoContext) -> None:
        alongside_started.set()
        raise CdaError(headline="The book did not build.")

    ran, _ = _fake_steps(monkeypatch, book)
    with pytest.raises(CdaError, match="The book did not build"):
        pipeline.run_demo(out=tmp_path / "out", echo=lambda _line: None)
    assert ran == ["check", "course", "after"]


def test_a_step_alongside_writes_in_the_output_folder_while_another_step_changes_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """nbgrader's release changes the process's working folder to the course for a while; the book,
    built alongside meanwhile, must still land in the output folder given as a relative path."""
    moved, written = threading.Event(), threading.Event()
    elsewhere = tmp_path / "out" / "course"

    def book(ctx: DemoContext) -> None:
        alongside_started.set()
        assert moved.wait(timeout=60)
        site = ctx.out / "book"
        site.mkdir(parents=True)
        (site / "index.html").write_text("<p>the book</p>", encoding="utf-8")
        ctx.outputs["book"] = site / "index.html"
        written.set()

    _fake_steps(monkeypatch, book)  # the check first, then the book alongside
    check = pipeline.STEPS[0][1]

    def course(ctx: DemoContext) -> None:  # as nbgrader's BaseConverter.start does
        elsewhere.mkdir(parents=True)
        back = os.getcwd()
        os.chdir(elsewhere)
        try:
            moved.set()
            assert written.wait(timeout=60)
        finally:
            os.chdir(back)

    steps = [("Check", check, None), ("Course", course, None), ("Book", book, None)]
    monkeypatch.setattr(pipeline, "STEPS", steps)
    monkeypatch.chdir(tmp_path)
    ctx = pipeline.run_demo(out=Path("out"), echo=lambda _line: None)
    assert (tmp_path / "out" / "book" / "index.html").is_file()
    assert not (elsewhere / "out").exists()
    assert ctx.outputs["book"] == tmp_path / "out" / "book" / "index.html"

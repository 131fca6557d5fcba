"""A rerun of the main job with nothing changed skips the steps that keep a run record (issue 21:
a no-change rerun finishes in seconds), and runs them again when an input or their output changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cohort_tools import pipeline
from cohort_tools.model.cohort import load_cohort
from cohort_tools.model.programme import load_programme
from cohort_tools.notebooks.digest import RunRecord


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.DemoContext:
    context = pipeline.DemoContext(
        out=tmp_path / "out", cohort_file=None, programme=load_programme()
    )
    context.cohort = load_cohort()
    return context


def _step(calls: list[str]) -> Callable[[pipeline.DemoContext], None]:
    def step(c: pipeline.DemoContext) -> None:
        calls.append("ran")
        folder = c.out / "thing"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "page.html").write_text("<p>made</p>", encoding="utf-8")
        c.outputs["thing"] = folder / "page.html"
        c.say("  made one page")

    return step


def test_a_recorded_step_is_skipped_when_nothing_changed_and_says_what_it_said(
    ctx: pipeline.DemoContext,
) -> None:
    calls: list[str] = []
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")
    again = pipeline.DemoContext(out=ctx.out, cohort_file=None, programme=ctx.programme)
    again.cohort = ctx.cohort
    pipeline._recorded(again, "Thing", _step(calls), "thing")
    assert calls == ["ran"]
    assert again.report == [pipeline.UNCHANGED_STEP, "  made one page"]
    assert again.outputs == {"thing": ctx.out / "thing" / "page.html"}


def test_a_recorded_step_runs_again_when_its_output_was_changed_or_removed(
    ctx: pipeline.DemoContext,
) -> None:
    calls: list[str] = []
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")
    (ctx.out / "thing" / "page.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")
    (ctx.out / "thing" / "page.html").unlink()
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")
    assert calls == ["ran", "ran", "ran"]


@pytest.mark.parametrize("what", ["today", "source", "cities"])
def test_a_recorded_step_runs_again_when_an_input_changed(
    ctx: pipeline.DemoContext, what: str
) -> None:
    calls: list[str] = []
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")
    ctx.inputs[what] = "something else"
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")
    assert calls == ["ran", "ran"]


def test_a_step_that_fails_leaves_no_record(ctx: pipeline.DemoContext) -> None:
    calls: list[str] = []
    pipeline._recorded(ctx, "Thing", _step(calls), "thing")

    def broken(c: pipeline.DemoContext) -> None:
        (c.out / "thing" / "page.html").write_text("half", encoding="utf-8")
        raise RuntimeError("failed half way")

    ctx.inputs["today"] = "tomorrow"
    with pytest.raises(RuntimeError):
        pipeline._recorded(ctx, "Thing", broken, "thing")
    assert not RunRecord(ctx.out / "thing", pipeline.STEP_RECORD).path.exists()


def test_the_inputs_cover_the_package_the_content_the_cohort_and_the_date(
    ctx: pipeline.DemoContext,
) -> None:
    inputs = pipeline._inputs(ctx)
    assert {"source", "curriculum", "book", "workshops", "cohort", "cities", "today"} <= set(inputs)
    assert all(inputs.values())

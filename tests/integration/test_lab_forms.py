"""A learner answers Module 1 workshop A in real JupyterLab through its forms (issue 17): mouse and
keyboard in the forms, no typing in a code cell except the reflection, which a person grades from
its cell. Every checkpoint passes, nbgrader's Validate reports success (it runs the notebook afresh
and reads the forms' answers file), the answers are there after save, close and reopen, and axe
finds no serious or critical violation in the notebook with its forms. The learner's lab shows no
nbgrader instructor panel (Create Assignment, formgrader, course list). A screenshot of the
released workshop is kept beside the test's files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import LabServer, visit
from tests.integration.lab_pages import (
    RUN_TIMEOUT_MS,
    LearnerCopy,
    close_and_reopen,
    expect_no_instructor_panels,
    form_of,
    notebook_axe_violations,
    release_learner_copy,
    run_all,
    save,
    screenshot_on_failure,
    serious_axe_violations,
    solution_answers,
    type_answer,
    type_into,
    validate,
    wait_kernel_idle,
)

pytestmark = pytest.mark.slow

WORKSHOP = "m1_workshop_a_data_routines"
NAMES = ["mayor_priorities", "data_vision", "priority_metrics", "metric_serves", "baseline_days",
         "target_days", "stat_meeting", "reflection", "top_service"]  # fmt: skip


@pytest.fixture
def learner_copy(lab_server: LabServer, tmp_path: Path) -> LearnerCopy:
    """The learner's copy of Module 1 workshop A, released by ``cda release`` for one demo city."""
    return release_learner_copy(WORKSHOP, lab_server, tmp_path)


def _solution(tmp_path: Path) -> dict[str, Any]:
    """The answers of the workshop's own solution for the demo city (what the forms will say)."""
    values = {name: name for name in NAMES}
    values["metric_names"] = "{m: str(metric_table.loc[m, 'metric']) for m in metric_table.index}"
    return solution_answers(WORKSHOP, values, tmp_path)


def _vision(page: Any, form: Any, want: dict[str, Any]) -> None:
    for i, priority in enumerate(want["mayor_priorities"], start=1):
        type_into(page, form.get_by_label(f"Priority ({i})", exact=True), priority)
    type_into(
        page, form.get_by_label("The mayor's vision for data", exact=True), want["data_vision"]
    )


def _metrics(page: Any, form: Any, want: dict[str, Any]) -> None:
    names = want["metric_names"]
    for metric in want["priority_metrics"]:
        form.get_by_label(f"{names[metric]} ({metric})", exact=True).check()
    for row, (metric, priority) in enumerate(want["metric_serves"].items(), start=1):
        form.get_by_label(f"Metric ({row})", exact=True).select_option(
            label=f"{names[metric]} ({metric})"
        )
        form.get_by_label(f"Serves priority ({row})", exact=True).select_option(index=priority - 1)


def _baseline(page: Any, form: Any, want: dict[str, Any]) -> None:
    type_into(page, form.get_by_label(re.compile("^Baseline")), f"{want['baseline_days']:g}")


def _target(page: Any, form: Any, want: dict[str, Any]) -> None:
    type_into(page, form.get_by_label(re.compile("^Target")), f"{want['target_days']:g}")


def _meeting(page: Any, form: Any, want: dict[str, Any]) -> None:
    names, meeting = want["metric_names"], want["stat_meeting"]
    form.get_by_label("How often", exact=True).select_option(label=meeting["cadence"])
    form.get_by_label("Chaired by", exact=True).select_option(label=meeting["chair"])
    first = meeting["first_metric"]
    form.get_by_label("Reviews first", exact=True).select_option(label=f"{names[first]} ({first})")


STEPS = [
    ("answer-vision", _vision),
    ("answer-priority-metrics", _metrics),
    ("answer-baseline", _baseline),
    ("answer-target", _target),
    ("answer-stat-meeting", _meeting),
]


def _answer_with_forms(page: Any, copy: LearnerCopy, want: dict[str, Any]) -> None:
    """Each form in turn, as a learner goes: fill it in, Run All (a checkpoint not passed yet
    stops the run, so the next form appears once this one's checkpoint passes)."""
    checks = {a.grade_id: a.checkpoint for a in copy.answers}
    for grade_id, fill in STEPS:
        form = form_of(page, copy, grade_id)
        fill(page, form, want)
        form.get_by_text("Saved.").first.wait_for(timeout=RUN_TIMEOUT_MS)
        run_all(page)
        checkpoint = checks.get(grade_id)
        if checkpoint:
            title = copy.checkpoints[checkpoint]
            page.locator(".jp-OutputArea-output", has_text=f"Checkpoint passed: {title}").wait_for(
                timeout=RUN_TIMEOUT_MS
            )
        wait_kernel_idle(page)
    # The reflection is typed in its cell (the one exception): a person grades it from there,
    # and nbgrader scores an unchanged solution cell zero.
    type_answer(page, copy.answer("reflection-missed-target"))


@pytest.mark.browser
def test_a_learner_answers_workshop_a_in_its_forms_validates_and_finds_the_answers_again(
    page: Any, lab_server: LabServer, learner_copy: LearnerCopy, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    want = _solution(tmp_path / "solution")
    page.set_default_timeout(60_000)
    step = "open"
    try:
        visit(page, lab_server.lab_url(learner_copy.path))
        wait_kernel_idle(page)
        expect_no_instructor_panels(page)  # the hub learner's lab: no Create Assignment
        run_all(page)
        form_of(page, learner_copy, "answer-vision")
        wait_kernel_idle(page)
        page.screenshot(path=str(tmp_path / "released-workshop.png"))

        step = "answer"
        _answer_with_forms(page, learner_copy, want)
        answers_file = lab_server.root_dir / f"{WORKSHOP}.form.json"
        saved = json.loads(answers_file.read_text(encoding="utf-8"))["answers"]
        assert sorted(saved["priority_metrics"]) == sorted(want["priority_metrics"])

        step = "checkpoints"
        passed = page.locator(".jp-OutputArea-output", has_text="Checkpoint passed:")
        expect(passed).to_have_count(len(learner_copy.checkpoints), timeout=RUN_TIMEOUT_MS)
        page.screenshot(path=str(tmp_path / "answered-workshop.png"), full_page=True)

        step = "axe"
        # what the workshop shows (forms, tables, charts, verdicts): nothing serious or critical
        assert serious_axe_violations(page, ".jp-Notebook .jp-OutputArea") == []
        # the whole notebook: only what JupyterLab itself does (lab_pages.JUPYTERLAB_AXE; the
        # reflection's editor, opened to type it, has no name from JupyterLab)
        ours, upstream = notebook_axe_violations(page, editor_opened=True)
        assert ours == [], "\n".join(ours)
        (tmp_path / "axe-jupyterlab.txt").write_text("\n".join(upstream), encoding="utf-8")

        step = "validate"
        save(page)
        outcome, text = validate(page)
        assert outcome == "success", text

        step = "reopen"
        close_and_reopen(page, lab_server, learner_copy)
        form = form_of(page, learner_copy, "answer-baseline")
        expect(form.get_by_label(re.compile("^Baseline"))).to_have_value(
            f"{want['baseline_days']:g}"
        )
        form = form_of(page, learner_copy, "answer-vision")
        expect(form.get_by_label("Priority (1)", exact=True)).to_have_value(
            want["mayor_priorities"][0]
        )
    except Exception as exc:
        detail = screenshot_on_failure(page, tmp_path, lab_server, step)
        raise AssertionError(f"step '{step}' failed: {exc}\n{detail}") from exc

"""A learner does the chart makeover of Module 3 workshop B in real JupyterLab through its form
(issue 17): no code. The first three exercises (the suppressed groups, the title, the text
alternative the chart uses) are answered in their forms; then the makeover form is filled from the
keyboard alone - each control reached with Tab, each found by its label, each choice made by
typing its name: chart type, order of the groups, a color from the color-blind-safe palette, the
title and the axis titles, the ranges, the suppressed groups' labels. The chart checkpoint says
"not passed yet" while an answer is wrong and "passed" once it is right, and the answers are in the
form again after save, close and reopen. The learner's lab shows no nbgrader instructor panel, and
axe-core finds nothing serious or critical on the notebook page but JupyterLab's own (listed in
lab_pages.JUPYTERLAB_AXE).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import LabServer, visit
from tests.integration.lab_pages import (
    CHECKPOINT_FAILED,
    CHECKPOINT_PASSED,
    RUN_TIMEOUT_MS,
    LearnerCopy,
    close_and_reopen,
    expect_no_instructor_panels,
    form_of,
    notebook_axe_violations,
    release_learner_copy,
    run_all,
    screenshot_on_failure,
    serious_axe_violations,
    solution_answers,
    type_into,
    verdict,
    wait_kernel_idle,
)

pytestmark = pytest.mark.slow

WORKSHOP = "m3_workshop_b_communicating"
MAKEOVER = "answer-makeover-chart"

#: The makeover form, in its order on the page (= its Tab order): each control's label and what
#: the learner picks (the option's name) or types. The range is first left off on purpose.
AXIS_TITLES = {
    "Title of the rate axis": "Share of participants with the outcome (%)",
    "Title of the group axis": "Group of residents",
}


def _makeover(title: str, *, ranges: str) -> list[tuple[str, str]]:
    return [
        ("Chart type", "Bars"),
        ("Order of the groups", "Highest rate first"),
        ("Color (color-blind-safe)", "Blue"),
        ("Title", title),
        *AXIS_TITLES.items(),
        ("Show each rate's range (low to high)", ranges),
        ("Label suppressed groups", "Yes"),
    ]


@pytest.fixture
def learner_copy(lab_server: LabServer, tmp_path: Path) -> LearnerCopy:
    """The learner's copy of Module 3 workshop B, released by ``cda release`` for one demo city."""
    return release_learner_copy(WORKSHOP, lab_server, tmp_path)


def _solution(tmp_path: Path) -> dict[str, Any]:
    """The workshop's own answers to exercises 1 to 3 for the demo city."""
    names = ("suppressed_groups", "chart_title", "chart_description")
    return solution_answers(WORKSHOP, {n: n for n in names}, tmp_path)


def _pass_checkpoint(page: Any, copy: LearnerCopy, grade_id: str) -> None:
    """Run All; wait until the checkpoint under ``grade_id`` says it passed."""
    run_all(page)
    checkpoint = copy.answer(grade_id).checkpoint
    assert checkpoint
    verdict(page, copy, checkpoint).filter(has_text=CHECKPOINT_PASSED).wait_for(
        timeout=RUN_TIMEOUT_MS
    )
    wait_kernel_idle(page)


def _answer_exercises_1_to_3(page: Any, copy: LearnerCopy, want: dict[str, Any]) -> None:
    """The answers the makeover builds on, each in its form (a checkpoint not passed yet stops Run
    All, so the next form appears once this one's checkpoint passes)."""
    form = form_of(page, copy, "answer-suppressed-groups")
    for group in want["suppressed_groups"] or ["No group is suppressed"]:
        form.get_by_label(group, exact=True).check()
    form.get_by_text("Saved.").wait_for()
    _pass_checkpoint(page, copy, "answer-suppressed-groups")
    form = form_of(page, copy, "answer-chart-title")
    type_into(page, form.get_by_label("Your title", exact=True), want["chart_title"])
    form.get_by_text("Saved.").wait_for()
    _pass_checkpoint(page, copy, "answer-chart-title")
    form = form_of(page, copy, "answer-chart-description")
    type_into(
        page, form.get_by_label("Your text alternative", exact=True), want["chart_description"]
    )
    form.get_by_text("Saved.").wait_for()
    _pass_checkpoint(page, copy, "answer-chart-description")


def _fill_by_keyboard(page: Any, form: Any, answers: list[tuple[str, str]]) -> None:
    """Reach each control with Tab from the first (clicked on its label), check that the focus is
    on the control with the expected label, then choose by typing the option's name (a closed
    list picks the option that starts with what is typed) or type the text."""
    from playwright.sync_api import expect

    first_label = answers[0][0]
    form.locator("label", has_text=first_label).first.click()
    for i, (label, answer) in enumerate(answers):
        control = form.get_by_label(label, exact=True)
        if i:
            page.keyboard.press("Tab")
        expect(control, f"Tab should lead to '{label}'").to_be_focused()
        if control.evaluate("e => e.tagName") == "SELECT":
            page.keyboard.type(answer)
            expect(control.locator("option:checked")).to_have_text(answer)
        else:
            page.keyboard.press("Control+a")
            page.keyboard.insert_text(answer)
    page.keyboard.press("Tab")  # leave the last control: a text box saves when it loses focus


def _change_by_keyboard(page: Any, form: Any, label: str, answer: str) -> None:
    from playwright.sync_api import expect

    form.locator("label", has_text=label).first.click()
    control = form.get_by_label(label, exact=True)
    expect(control).to_be_focused()
    page.keyboard.type(answer)
    expect(control.locator("option:checked")).to_have_text(answer)


def _expect_form_holds(form: Any, answers: list[tuple[str, str]]) -> None:
    from playwright.sync_api import expect

    for label, answer in answers:
        control = form.get_by_label(label, exact=True)
        if control.evaluate("e => e.tagName") == "SELECT":
            expect(control.locator("option:checked")).to_have_text(answer)
        else:
            expect(control).to_have_value(answer)


@pytest.mark.browser
def test_a_learner_makes_over_the_chart_in_its_form_by_keyboard_and_the_chart_checks_pass(
    page: Any, lab_server: LabServer, learner_copy: LearnerCopy, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    want = _solution(tmp_path / "solution")
    chart_check = learner_copy.answer(MAKEOVER).checkpoint
    assert chart_check, "the makeover should be checked by a checkpoint"
    title = learner_copy.checkpoints[chart_check]
    page.set_default_timeout(60_000)
    step = "open"
    try:
        visit(page, lab_server.lab_url(learner_copy.path))
        wait_kernel_idle(page)

        step = "learner-panels-only"
        expect_no_instructor_panels(page)

        step = "exercises-1-to-3"
        run_all(page)
        wait_kernel_idle(page)
        _answer_exercises_1_to_3(page, learner_copy, want)

        step = "makeover-without-ranges"
        form = form_of(page, learner_copy, MAKEOVER)
        _fill_by_keyboard(page, form, _makeover(want["chart_title"], ranges="No"))
        form.get_by_text("Saved.").wait_for()
        run_all(page)
        check = verdict(page, learner_copy, chart_check)
        expect(check).to_contain_text(f"{CHECKPOINT_FAILED}: {title}", timeout=RUN_TIMEOUT_MS)
        expect(check).to_contain_text("uncertainty")  # what is missing, in plain words
        wait_kernel_idle(page)

        step = "makeover"
        form = form_of(page, learner_copy, MAKEOVER)
        _change_by_keyboard(page, form, "Show each rate's range (low to high)", "Yes")
        form.get_by_text("Saved.").wait_for()
        run_all(page)
        check = verdict(page, learner_copy, chart_check)
        expect(check).to_have_text(f"{CHECKPOINT_PASSED}: {title}", timeout=RUN_TIMEOUT_MS)
        wait_kernel_idle(page)
        saved = json.loads(
            (lab_server.root_dir / f"{WORKSHOP}.form.json").read_text(encoding="utf-8")
        )["answers"]["makeover_chart"]
        assert saved["colour"] == "#0072B2" and saved["uncertainty"] is True, saved
        form.screenshot(path=str(tmp_path / "makeover-form.png"))

        step = "axe"
        # the forms, verdicts and tables: nothing serious or critical
        assert serious_axe_violations(page, ".jp-Notebook .jp-OutputArea") == []
        # the whole notebook: only what JupyterLab itself does (lab_pages.JUPYTERLAB_AXE)
        ours, upstream = notebook_axe_violations(page)
        assert ours == [], "\n".join(ours)
        (tmp_path / "axe-jupyterlab.txt").write_text("\n".join(upstream), encoding="utf-8")

        step = "reopen"
        close_and_reopen(page, lab_server, learner_copy)
        form = form_of(page, learner_copy, MAKEOVER)
        _expect_form_holds(form, _makeover(want["chart_title"], ranges="Yes"))
        check = verdict(page, learner_copy, chart_check)
        expect(check).to_have_text(f"{CHECKPOINT_PASSED}: {title}", timeout=RUN_TIMEOUT_MS)
    except Exception as exc:
        detail = screenshot_on_failure(page, tmp_path, lab_server, step)
        raise AssertionError(f"step '{step}' failed: {exc}\n{detail}") from exc

"""The learner's side in a real JupyterLab: the released notebook opens, runs on the city's data,
its exploring widget renders, and nbgrader's Validate button reports the checkpoint results.

A JupyterLab server (with the nbgrader lab and server extensions) runs on 127.0.0.1 for the test and
is always stopped with its kernels (``jupyterlab`` in conftest.py); Debian's Chromium is driven by
Playwright. Every wait is on DOM state, never a sleep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import LabServer, PageVisit, jupyterlab, visit
from tests.integration.lab_pages import (
    RUN_TIMEOUT_MS,
    LearnerCopy,
    failed_checkpoints,
    release_learner_copy,
    run_all,
    save,
    screenshot_on_failure,
    type_answer,
    validate,
    wait_kernel_idle,
)

pytestmark = pytest.mark.slow

WORKSHOP = "m1_workshop_a_data_routines"


@pytest.fixture
def learner_copy(lab_server: LabServer, tmp_path: Path) -> LearnerCopy:
    """The learner's copy of Module 1 workshop A, released by ``cda release`` for one demo city."""
    return release_learner_copy(WORKSHOP, lab_server, tmp_path)


@pytest.mark.browser
def test_learner_opens_runs_explores_and_validates_in_jupyterlab(
    page: Any, lab_server: LabServer, learner_copy: LearnerCopy, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.set_default_timeout(60_000)
    step = "open"
    try:
        seen: PageVisit = visit(page, lab_server.lab_url(learner_copy.path))
        # 1. the released notebook opens, with a running kernel
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(state="visible")
        expect(
            page.locator(".jp-NotebookPanel-toolbar .validate-button"),
            "nbgrader's Validate button is missing: is its lab extension enabled "
            "(jupyter labextension list)?",
        ).to_be_visible()
        wait_kernel_idle(page)

        # 2. Run All executes it on the city's data (it stops at the first empty answer cell)
        step = "run-all"
        run_all(page)
        page.locator(".jp-OutputArea-output", has_text=learner_copy.city_text).wait_for(
            timeout=RUN_TIMEOUT_MS
        )

        # 3. the exploring widget renders (a real ipywidgets view, not its text fallback), and
        # its output shows the chosen metric's chart
        step = "widget"
        dropdown = page.locator(".jp-OutputArea .jupyter-widgets.widget-dropdown select")
        dropdown.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
        assert dropdown.locator("option").count() > 1
        chart = page.locator(".jp-OutputArea .widget-output img[alt^='Line chart of']").first
        expect(chart).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        # The empty answer cell runs quietly (its form, not an error); the checkpoint under
        # it answers in plain words, with no traceback
        first_answer = page.locator(".jp-CodeCell").nth(learner_copy.answers[0].code_index)
        first_check = page.locator(".jp-CodeCell").nth(learner_copy.answers[0].code_index + 1)
        first_check.locator(".jp-OutputArea-output", has_text="Checkpoint not passed yet").wait_for(
            timeout=RUN_TIMEOUT_MS
        )
        expect(
            first_answer.locator(".jp-OutputArea-output[data-mime-type*='stderr']")
        ).to_have_count(0)
        expect(first_answer.locator(".jp-OutputArea-output")).not_to_contain_text("Error")
        expect(first_answer.locator(".jp-OutputArea-output .widget-vbox").first).to_be_visible()
        expect(first_check.locator(".jp-OutputArea-output")).not_to_contain_text("Traceback")
        wait_kernel_idle(page)

        # 4a. with the empty answers, Validate reports every checkpoint failed, in plain words
        step = "validate-empty"
        outcome, text = validate(page)
        assert outcome == "failed", text
        assert failed_checkpoints(text, learner_copy.checkpoints) == set(
            learner_copy.checkpoints.values()
        ), text

        # 4b. one correct answer typed and saved: its checkpoint passes, the others still fail
        step = "validate-one-answer"
        first, *rest = learner_copy.answers
        type_answer(page, first)
        save(page)
        outcome, text = validate(page)
        assert outcome == "failed", text
        failed = failed_checkpoints(text, learner_copy.checkpoints)
        assert first.checkpoint and learner_copy.checkpoints[first.checkpoint] not in failed, text
        assert failed, f"the other exercises are still empty, yet:\n{text}"

        # 4c. every answer typed and saved: Validate reports success
        step = "validate-all-answers"
        for answer in rest:
            type_answer(page, answer)
        save(page)
        outcome, text = validate(page)
        assert outcome == "success", text
        assert "passes all the tests" in text
    except Exception as exc:
        detail = screenshot_on_failure(page, tmp_path, lab_server, step)
        raise AssertionError(f"step '{step}' failed: {exc}\n{detail}") from exc

    assert seen.failed == [], seen.failed
    assert seen.console_errors == [], seen.console_errors


def test_lab_server_and_its_kernels_are_stopped_even_when_the_test_fails(tmp_path: Path) -> None:
    import json
    import urllib.request

    import psutil

    root = tmp_path / "learner"
    root.mkdir()
    started: list[psutil.Process] = []
    with (
        pytest.raises(RuntimeError, match="the test failed"),
        jupyterlab(root, tmp_path / "jupyter-state") as server,
    ):
        request = urllib.request.Request(
            f"{server.url}/api/kernels",
            data=json.dumps({"name": "python3"}).encode(),
            method="POST",
            headers={
                "Authorization": f"token {server.token}",
                "Content-Type": "application/json",
            },
        )
        urllib.request.urlopen(request, timeout=60).close()
        process = psutil.Process(server.pid)
        started = [process, *process.children(recursive=True)]
        raise RuntimeError("the test failed")
    assert len(started) >= 2, "the server and the kernel it started"
    alive = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == []

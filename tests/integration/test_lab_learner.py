"""The learner's side in a real JupyterLab: the released notebook opens, runs on the city's data,
its exploring widget renders, and nbgrader's Validate button reports the checkpoint results.

A JupyterLab server (with the nbgrader lab and server extensions) runs on 127.0.0.1 for the test and
is always stopped with its kernels (``jupyterlab`` in conftest.py); Debian's Chromium is driven by
Playwright. Every wait is on DOM state, never a sleep.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cohort_tools.lessons.checkpoints import NBGRADER_CODE_STUB
from tests.integration.conftest import LabServer, PageVisit, jupyterlab, visit

pytestmark = pytest.mark.slow

DEMO_CITY = "port-alder"  # not the workshop's default city, so the injected parameter must be used
WORKSHOP = "m1_workshop_a_data_routines"
STUB = NBGRADER_CODE_STUB["python"]  # what nbgrader leaves in every released answer cell
CHECKPOINT_FAILED = (
    "Checkpoint not passed yet"  # cohort_tools.lessons.checkpoints' plain-language verdict
)

# Generous hang guards (not speed checks): kernel start plus the first altair import, and nbgrader's
# Validate, which re-executes the whole notebook in a fresh kernel on a shared 2-core machine.
RUN_TIMEOUT_MS = 120_000
VALIDATE_TIMEOUT_MS = 180_000


@dataclass
class Answer:
    """One answer cell: where it is in the page, and a correct answer to type."""

    grade_id: str
    code_index: int  # position among the notebook's code cells (= among .jp-CodeCell elements)
    correct: str
    checkpoint: str | None  # grade_id of the checkpoint cell that checks it


@dataclass
class LearnerCopy:
    """A released notebook in the learner's folder and what a correct run of it shows."""

    path: str  # relative to the server's root folder
    city_text: str  # appears in an output only when the city's own data was loaded
    answers: list[Answer]  # in notebook order
    checkpoints: dict[str, str]  # checkpoint cell grade_id -> its title (Checkpoint("..."))


def _checkpoint_title(source: str) -> str:
    match = re.search(r'Checkpoint\("([^"]+)"\)', source)
    assert match, f"a checkpoint cell without a Checkpoint(...) title:\n{source}"
    return match.group(1)


@pytest.fixture
def learner_copy(lab_server: LabServer, tmp_path: Path) -> LearnerCopy:
    """The learner's copy of the real workshop, released by ``cda release`` for one demo city."""
    from cohort_tools.core import paths
    from cohort_tools.course import assignment_id, release
    from cohort_tools.course.layout import Course
    from cohort_tools.course.samples import sample_notebook
    from cohort_tools.model.cohort import load_cohort

    # Only this workshop, to keep the release short: the course is built the real way from it.
    workshops = tmp_path / "workshops"
    workshops.mkdir()
    shutil.copy2(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    cohort = load_cohort()
    report = release(cohort=cohort, course_dir=tmp_path / "course", workshops_dir=workshops)
    aid = assignment_id(WORKSHOP, DEMO_CITY)
    released = report.course / "release" / aid / f"{WORKSHOP}.ipynb"
    assert released in report.released[DEMO_CITY]
    notebook = nbformat.read(released, as_version=4)  # type: ignore[no-untyped-call]
    # What a learner who answers everything correctly writes (the sample-submission helper's
    # "correct" kind: the solution, markers removed).
    solved = sample_notebook(Course(report.course), aid, "correct")
    correct = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in solved.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    answers: list[Answer] = []
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    for index, cell in enumerate(code_cells):
        grading = cell.metadata.get("nbgrader", {})
        if STUB in cell.source:
            gid = grading["grade_id"]
            answers.append(Answer(gid, index, correct[gid], None))
        elif grading.get("grade") and answers and answers[-1].checkpoint is None:
            answers[-1].checkpoint = grading["grade_id"]
    # the first answer's checkpoint shows one typed answer turning a checkpoint green
    assert answers[0].checkpoint, "the first exercise should be checked by a checkpoint"
    checkpoints = {
        c.metadata["nbgrader"]["grade_id"]: _checkpoint_title(c.source)
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade") and "Checkpoint(" in c.source
    }
    assert answers and checkpoints, "the workshop should have answer and checkpoint cells"
    target = lab_server.root_dir / released.name
    shutil.copy2(released, target)
    return LearnerCopy(
        path=released.name,
        city_text=f"uses the data of {cohort.city(DEMO_CITY).name}",
        answers=answers,
        checkpoints=checkpoints,
    )


def _screenshot_on_failure(page: Any, tmp_path: Path, server: LabServer, step: str) -> str:
    shot = tmp_path / f"failure-{step}.png"
    try:
        page.screenshot(path=str(shot), full_page=True)
    except Exception as exc:  # the page may be gone; the log still helps
        return f"(no screenshot: {exc})\nserver log:\n{server.log_tail()}"
    return f"screenshot: {shot}\nserver log:\n{server.log_tail()}"


def _wait_kernel_idle(page: Any) -> None:
    """Wait until the kernel is started and idle, as the status bar says ("Python 3 | Idle").

    The toolbar's execution indicator alone is not enough: it reads "idle" while the notebook is
    still loading and the status bar says "No Kernel | Initializing"; Run All clicked then ran
    nothing (reproduced in 1 of 2 runs). Waiting for the status bar fixed it (0 failures since).
    """
    page.locator("#jp-main-statusbar", has_text="| Idle").wait_for(timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector(
        ".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']",
        timeout=RUN_TIMEOUT_MS,
    )


def _run_all(page: Any) -> None:
    """Run > Run All Cells, then wait until the first code cell has run (prompt "[1]:")."""
    from playwright.sync_api import expect

    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    first_prompt = page.locator(".jp-CodeCell .jp-InputArea-prompt").first
    expect(first_prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=RUN_TIMEOUT_MS)


def _validate(page: Any) -> tuple[str, str]:
    """Press nbgrader's Validate button (it saves first); return the result's outcome and text.

    The outcome is the class nbgrader gives the message: "success", "failed", "changed" (a locked
    cell was edited) or "" (the validator itself failed; the text says why). The dialog is closed.
    """
    page.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(state="visible", timeout=VALIDATE_TIMEOUT_MS)
    classes = (message.get_attribute("class") or "").split()
    outcome = next(
        (c.removeprefix("validation-") for c in classes if c.startswith("validation-")), ""
    )
    text = message.inner_text()
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    page.locator(".jp-Dialog").wait_for(state="detached")
    return outcome, text


def _type_answer(page: Any, answer: Answer) -> None:
    """Replace an answer cell's text the way a learner does: click, select all, type."""
    from playwright.sync_api import expect

    cell = page.locator(".jp-CodeCell").nth(answer.code_index)
    placeholder = cell.locator(".jp-InputPlaceholder")
    if placeholder.count():  # a released answer cell's code is collapsed: show it first
        placeholder.click()
    editor = cell.locator(".cm-content")
    expect(editor).to_contain_text(STUB)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(answer.correct)
    longest = max(answer.correct.splitlines(), key=len).strip()
    expect(editor).to_contain_text(longest)
    expect(editor).not_to_contain_text(STUB)


def _save(page: Any) -> None:
    """Ctrl+S, then wait until the notebook's tab no longer shows unsaved changes."""
    from playwright.sync_api import expect

    page.keyboard.press("Control+s")
    tab = page.locator(".lm-TabBar-tab.jp-mod-current[data-type='document-title']")
    expect(tab).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"))


def _failed_checkpoints(message: str, checkpoints: dict[str, str]) -> set[str]:
    return {t for t in checkpoints.values() if f"{CHECKPOINT_FAILED}: {t}" in message}


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
        _wait_kernel_idle(page)

        # 2. Run All executes it on the city's data (it stops at the first empty answer cell)
        step = "run-all"
        _run_all(page)
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
        _wait_kernel_idle(page)

        # 4a. with the empty answers, Validate reports every checkpoint failed, in plain words
        step = "validate-empty"
        outcome, text = _validate(page)
        assert outcome == "failed", text
        assert _failed_checkpoints(text, learner_copy.checkpoints) == set(
            learner_copy.checkpoints.values()
        ), text

        # 4b. one correct answer typed and saved: its checkpoint passes, the others still fail
        step = "validate-one-answer"
        first, *rest = learner_copy.answers
        _type_answer(page, first)
        _save(page)
        outcome, text = _validate(page)
        assert outcome == "failed", text
        failed = _failed_checkpoints(text, learner_copy.checkpoints)
        assert first.checkpoint and learner_copy.checkpoints[first.checkpoint] not in failed, text
        assert failed, f"the other exercises are still empty, yet:\n{text}"

        # 4c. every answer typed and saved: Validate reports success
        step = "validate-all-answers"
        for answer in rest:
            _type_answer(page, answer)
        _save(page)
        outcome, text = _validate(page)
        assert outcome == "success", text
        assert "passes all the tests" in text
    except Exception as exc:
        detail = _screenshot_on_failure(page, tmp_path, lab_server, step)
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

"""Shared helpers for the tests that drive a learner's notebook in a real JupyterLab.

A released workshop copied into the lab's folder (:func:`release_learner_copy`), what its own
solution answers for the demo city (:func:`solution_answers`), and the learner's moves in the page:
wait for the kernel, Run All, type in an answer cell or a form field, save, Validate, find an answer
cell's form, and run axe. Every wait is on DOM state, never a sleep.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from cohort_tools.lessons.checkpoints import NBGRADER_CODE_STUB
from tests.integration.conftest import LabServer

DEMO_CITY = "port-alder"  # not the workshops' default city, so the injected parameter must be used
STUB = NBGRADER_CODE_STUB["python"]  # what nbgrader leaves in every released answer cell
CHECKPOINT_PASSED = "Checkpoint passed"  # cohort_tools.lessons.checkpoints' plain verdicts
CHECKPOINT_FAILED = "Checkpoint not passed yet"

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

    def answer(self, grade_id: str) -> Answer:
        return next(a for a in self.answers if a.grade_id == grade_id)


def _checkpoint_title(source: str) -> str:
    match = re.search(r'Checkpoint\("([^"]+)"\)', source)
    assert match, f"a checkpoint cell without a Checkpoint(...) title:\n{source}"
    return match.group(1)


def release_learner_copy(workshop: str, server: LabServer, work: Path) -> LearnerCopy:
    """The learner's copy of the real ``workshop``, released by ``cda release`` for the demo city
    and put in the lab's folder; ``work`` holds the course."""
    from cohort_tools.core import paths
    from cohort_tools.course import assignment_id, release
    from cohort_tools.course.layout import Course
    from cohort_tools.course.samples import sample_notebook
    from cohort_tools.model.cohort import load_cohort

    # Only this workshop, to keep the release short: the course is built the real way from it.
    workshops = work / "workshops"
    workshops.mkdir()
    shutil.copy2(paths.workshops_dir() / f"{workshop}.md", workshops)
    cohort = load_cohort()
    report = release(cohort=cohort, course_dir=work / "course", workshops_dir=workshops)
    aid = assignment_id(workshop, DEMO_CITY)
    released = report.course / "release" / aid / f"{workshop}.ipynb"
    assert released in report.released[DEMO_CITY]
    notebook = nbformat.read(released, as_version=4)
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
    shutil.copy2(released, server.root_dir / released.name)
    return LearnerCopy(
        path=released.name,
        city_text=f"uses the data of {cohort.city(DEMO_CITY).name}",
        answers=answers,
        checkpoints=checkpoints,
    )


def solution_answers(workshop: str, values: dict[str, str], work: Path) -> dict[str, Any]:
    """What the workshop's own solution gives for the demo city: ``values`` maps each key to a
    Python expression evaluated after the whole notebook ran (what the forms will say)."""
    from papermill.parameterize import parameterize_notebook

    from cohort_tools.core import paths
    from cohort_tools.notebooks.myst import read_myst
    from cohort_tools.notebooks.run import sliced_notebook_client

    nb = read_myst((paths.workshops_dir() / f"{workshop}.md").read_text(encoding="utf-8"))
    dump = (
        "import json\nprint('ANSWERS' + json.dumps({"
        + ", ".join(f"{k!r}: {v}" for k, v in values.items())
        + "}, default=str))"
    )
    nb.cells.append(nbformat.v4.new_code_cell(dump, metadata={"tags": []}))
    # a plain kernel (not the forked warm one: this process also drives the browser), waiting for
    # replies in slices as the run loop does (plain nbclient can miss a wake-up and wait 600 s)
    done = parameterize_notebook(nb, {"city": DEMO_CITY}, kernel_name="python3", language="python")
    work.mkdir(parents=True, exist_ok=True)
    client = sliced_notebook_client()
    client(done, timeout=600, resources={"metadata": {"path": str(work)}}).execute()
    text = "".join(o.get("text", "") for o in done.cells[-1].outputs)
    found = re.search(r"ANSWERS(\{.*\})", text)
    assert found, text
    answers: dict[str, Any] = json.loads(found.group(1))
    return answers


def screenshot_on_failure(page: Any, tmp_path: Path, server: LabServer, step: str) -> str:
    shot = tmp_path / f"failure-{step}.png"
    try:
        page.screenshot(path=str(shot), full_page=True)
    except Exception as exc:  # the page may be gone; the log still helps
        return f"(no screenshot: {exc})\nserver log:\n{server.log_tail()}"
    return f"screenshot: {shot}\nserver log:\n{server.log_tail()}"


def wait_kernel_idle(page: Any) -> None:
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


def run_all(page: Any) -> None:
    """Run > Run All Cells, then wait until the notebook is running it (the toolbar's execution
    indicator says busy: every code cell of a released notebook is collapsed, so no prompt shows
    "[*]"; the setup cell alone runs for seconds, importing pandas and altair)."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(
        ".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='busy']",
        timeout=RUN_TIMEOUT_MS,
    )


def validate(page: Any) -> tuple[str, str]:
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


def type_answer(page: Any, answer: Answer) -> None:
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


def save(page: Any) -> None:
    """Ctrl+S, then wait until the notebook's tab no longer shows unsaved changes."""
    from playwright.sync_api import expect

    page.keyboard.press("Control+s")
    tab = page.locator(".lm-TabBar-tab.jp-mod-current[data-type='document-title']")
    expect(tab).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"))


def close_and_reopen(page: Any, server: LabServer, copy: LearnerCopy) -> None:
    """Save, close the notebook's tab, open it again, wait for its kernel and Run All."""
    from tests.integration.conftest import visit

    save(page)
    page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon").click()
    visit(page, server.lab_url(copy.path))
    wait_kernel_idle(page)
    run_all(page)


def failed_checkpoints(message: str, checkpoints: dict[str, str]) -> set[str]:
    return {t for t in checkpoints.values() if f"{CHECKPOINT_FAILED}: {t}" in message}


def type_into(page: Any, field: Any, text: str) -> None:
    """Click a form field, replace what it holds with ``text`` from the keyboard, leave it (Tab)."""
    field.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Tab")


def form_of(page: Any, copy: LearnerCopy, grade_id: str) -> Any:
    """The form under the answer cell ``grade_id``, once it is shown."""
    form = (
        page.locator(".jp-CodeCell")
        .nth(copy.answer(grade_id).code_index)
        .locator(".jp-OutputArea-output", has_text="The checkpoint looks at:")
    )
    form.wait_for(timeout=RUN_TIMEOUT_MS)
    return form


def verdict(page: Any, copy: LearnerCopy, checkpoint: str) -> Any:
    """The output of the checkpoint cell ``checkpoint`` (grade_id) that holds its verdict."""
    index = next(
        a.code_index + 1 for a in copy.answers if a.checkpoint == checkpoint
    )  # a checkpoint cell follows its answer cell
    return (
        page.locator(".jp-CodeCell")
        .nth(index)
        .locator(".jp-OutputArea-output", has_text=copy.checkpoints[checkpoint])
    )


def serious_axe_violations(page: Any, context: str | dict[str, Any] | None) -> list[str]:
    """axe-core's serious and critical violations in ``context`` (a selector, or axe's
    include/exclude object; None: the whole page), one line each: rule id, impact, help, the
    first nodes."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        f" {[n.get('html', '')[:300] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def expect_no_instructor_panels(page: Any) -> None:
    """The learner's lab has no nbgrader instructor panel or command: no Create Assignment (its
    right-hand panel, its sidebar tab, its command in the palette), no formgrader, no course list.
    Only the learner's own (the assignment list, Validate) are there."""
    from playwright.sync_api import expect

    expect(page.locator("#nbgrader-create_assignemnt")).to_have_count(0)  # nbgrader's spelling
    expect(page.locator(".jp-SideBar .lm-TabBar-tab[title*='Create Assignment']")).to_have_count(0)
    page.keyboard.press("Control+Shift+c")  # the command palette
    palette = page.locator(".lm-CommandPalette")
    palette.locator("input").fill("nbgrader")
    items = palette.locator(".lm-CommandPalette-item")
    expect(items.filter(has_text="Assignment List")).to_have_count(1)
    for instructor in ("Create assignment", "Formgrader", "Course List"):
        expect(items.filter(has_text=instructor)).to_have_count(0)
    page.keyboard.press("Escape")
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    menu = page.locator(".lm-Menu")
    expect(menu).to_contain_text("Assignment List")
    for instructor in ("Create assignment", "Formgrader", "Course List"):
        expect(menu).not_to_contain_text(instructor)
    page.keyboard.press("Escape")


#: What axe-core finds on JupyterLab's own notebook page that neither a setting nor our notebooks
#: can change (JupyterLab 4.6, checked in its code): rule id -> a class on the element it is about.
JUPYTERLAB_AXE = {
    # the cell list is role="feed" (hard-coded in the notebook's viewport) and its cells are not
    # role="article"
    "aria-required-children": "jp-WindowedPanel-viewport",
    # the heading-collapse button beside a Markdown heading is an empty <button>, no label
    "button-name": "jp-collapseHeadingButton",
}


def notebook_axe_violations(
    page: Any, *, editor_opened: bool = False
) -> tuple[list[str], list[str]]:
    """axe-core's serious and critical violations on the whole notebook: (ours, JupyterLab's own).

    JupyterLab's own are those of :data:`JUPYTERLAB_AXE` (and, when ``editor_opened``, an opened
    editor's missing name, read-only editors excepted); everything else is ours and must be fixed."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context=".jp-NotebookPanel .jp-Notebook")
    ours: list[str] = []
    upstream: list[str] = []
    for v in result.response["violations"]:
        if v.get("impact") not in {"serious", "critical"}:
            continue
        for node in v["nodes"]:
            html = node.get("html", "")[:300]
            line = f"{v['id']} ({v['impact']}): {v['help']} - {node['target']} {html}"
            known = JUPYTERLAB_AXE.get(v["id"])
            # a code editor the learner opened (a reflection typed in its cell): CodeMirror's
            # role="textbox" gets no accessible name from JupyterLab. A read-only editor that
            # the notebook itself shows would be ours (the learner's view collapses every code
            # cell, the parameters cell too).
            opened = (
                editor_opened
                and v["id"] == "aria-input-field-name"
                and "cm-content" in html
                and 'aria-readonly="true"' not in html
            )
            (upstream if (known and known in html) or opened else ours).append(line)
    return ours, upstream

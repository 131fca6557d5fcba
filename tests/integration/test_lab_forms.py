"""A learner answers Module 1 workshop A in real JupyterLab through its forms (issue 17): mouse and
keyboard in the forms, no typing in a code cell except the reflection, which a person grades from
its cell. Every checkpoint passes, nbgrader's
Validate reports success (it runs the notebook afresh and reads the forms' answers file), the
answers are there after save, close and reopen, and axe finds no serious or critical violation in
the notebook with its forms. A screenshot of the released workshop is kept beside the test's files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cohort_tools.core import paths
from tests.integration.conftest import LabServer, visit
from tests.integration.test_lab_learner import (  # the learner's copy, and the lab helpers
    DEMO_CITY,
    RUN_TIMEOUT_MS,
    WORKSHOP,
    LearnerCopy,
    _run_all,
    _save,
    _screenshot_on_failure,
    _type_answer,
    _validate,
    _wait_kernel_idle,
    learner_copy,
)

pytestmark = pytest.mark.slow
__all__ = ["learner_copy"]  # a fixture, imported for pytest

NAMES = ["mayor_priorities", "data_vision", "priority_metrics", "metric_serves", "baseline_days",
         "target_days", "stat_meeting", "reflection"]  # fmt: skip


def _solution(tmp_path: Path) -> dict[str, Any]:
    """The answers of the workshop's own solution for the demo city (what the forms will say)."""
    from cohort_tools.notebooks.myst import read_myst

    nb = read_myst((paths.workshops_dir() / f"{WORKSHOP}.md").read_text(encoding="utf-8"))
    names = {n: n for n in [*NAMES, "metric_table", "top_service"]}
    dump = (
        "import json\nprint('ANSWERS' + json.dumps({"
        + ", ".join(f"{k!r}: {v}" for k, v in names.items() if k not in ("metric_table",))
        + ", 'metric_names': {m: str(metric_table.loc[m, 'metric']) for m in metric_table.index}"
        + "}, default=str))"
    )
    nb.cells.append(nbformat.v4.new_code_cell(dump, metadata={"tags": []}))  # type: ignore[no-untyped-call]
    # a plain kernel (not the forked warm one: this process also drives the browser)
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    done = parameterize_notebook(nb, {"city": DEMO_CITY}, kernel_name="python3", language="python")
    tmp_path.mkdir(parents=True, exist_ok=True)
    NotebookClient(done, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "".join(o.get("text", "") for o in done.cells[-1].outputs)
    found = re.search(r"ANSWERS(\{.*\})", text)
    assert found, text
    answers: dict[str, Any] = json.loads(found.group(1))
    return answers


def _type(page: Any, field: Any, text: str) -> None:
    """Click a form field, replace what it holds with ``text`` from the keyboard, leave it (Tab)."""
    field.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Tab")


def _form(page: Any, copy: LearnerCopy, grade_id: str) -> Any:
    index = next(a.code_index for a in copy.answers if a.grade_id == grade_id)
    form = (
        page.locator(".jp-CodeCell")
        .nth(index)
        .locator(".jp-OutputArea-output", has_text="The checkpoint looks at:")
    )
    form.wait_for(timeout=RUN_TIMEOUT_MS)
    return form


def _vision(page: Any, form: Any, want: dict[str, Any]) -> None:
    for i, priority in enumerate(want["mayor_priorities"], start=1):
        _type(page, form.get_by_label(f"Priority ({i})", exact=True), priority)
    _type(page, form.get_by_label("The mayor's vision for data", exact=True), want["data_vision"])


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
    _type(page, form.get_by_label(re.compile("^Baseline")), f"{want['baseline_days']:g}")


def _target(page: Any, form: Any, want: dict[str, Any]) -> None:
    _type(page, form.get_by_label(re.compile("^Target")), f"{want['target_days']:g}")


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
        form = _form(page, copy, grade_id)
        fill(page, form, want)
        form.get_by_text("Saved.").first.wait_for(timeout=RUN_TIMEOUT_MS)
        _run_all(page)
        checkpoint = checks.get(grade_id)
        if checkpoint:
            title = copy.checkpoints[checkpoint]
            page.locator(".jp-OutputArea-output", has_text=f"Checkpoint passed: {title}").wait_for(
                timeout=RUN_TIMEOUT_MS
            )
        _wait_kernel_idle(page)
    # The reflection is typed in its cell (the one exception): a person grades it from there,
    # and nbgrader scores an unchanged solution cell zero.
    reflection = next(a for a in copy.answers if a.grade_id == "reflection-missed-target")
    _type_answer(page, reflection)


def _serious_axe_violations(page: Any, context: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        f" {[n.get('html', '')[:300] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


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
        _wait_kernel_idle(page)
        _run_all(page)
        _form(page, learner_copy, "answer-vision")
        _wait_kernel_idle(page)
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
        assert _serious_axe_violations(page, ".jp-Notebook .jp-OutputArea") == []
        # JupyterLab's own notebook chrome is kept on record (upstream: an unnamed read-only
        # editor, the cells' "feed" role, the heading-collapse button without text)
        chrome = _serious_axe_violations(page, ".jp-NotebookPanel .jp-Notebook")
        (tmp_path / "axe-jupyterlab.txt").write_text("\n".join(chrome), encoding="utf-8")

        step = "validate"
        _save(page)
        outcome, text = _validate(page)
        assert outcome == "success", text

        step = "reopen"
        page.keyboard.press("Control+s")
        page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon").click()
        visit(page, lab_server.lab_url(learner_copy.path))
        _wait_kernel_idle(page)
        _run_all(page)
        form = _form(page, learner_copy, "answer-baseline")
        expect(form.get_by_label(re.compile("^Baseline"))).to_have_value(
            f"{want['baseline_days']:g}"
        )
        form = _form(page, learner_copy, "answer-vision")
        expect(form.get_by_label("Priority (1)", exact=True)).to_have_value(
            want["mayor_priorities"][0]
        )
    except Exception as exc:
        detail = _screenshot_on_failure(page, tmp_path, lab_server, step)
        raise AssertionError(f"step '{step}' failed: {exc}\n{detail}") from exc

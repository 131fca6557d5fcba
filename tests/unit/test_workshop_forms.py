"""Every applied exercise of the ten workshops can be answered in a form (issue 17).

Each answer cell (nbgrader grade_id ``answer-...``) ends with ``form.ask(...)``, whose keywords
cover every name the cell asks for (the ``name = None`` lines above the solution),
with a one-line note of what the checkpoint looks at. The setup cell makes the forms' answers file
under the notebook's own name, so Validate and the grader read the file the learner's forms wrote.
Reflections stay typed in their cell: a person grades them from the cell, and nbgrader scores an
unchanged solution cell zero before anyone reads it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cohort_tools.core import paths
from cohort_tools.course.answers import _assigned_names
from cohort_tools.notebooks.myst import read_myst

WORKSHOPS = sorted(p for p in paths.workshops_dir().glob("m[1-3]_*.md"))
#: Every notebook a team answers: the ten workshops and the month-6 strategy studio.
ANSWERED = [*WORKSHOPS, paths.workshops_dir() / "m6_strategy_studio.md"]


def _form_calls(source: str) -> list[ast.Call]:
    tree = ast.parse(source)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "ask"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "form"
    ]


def exercises_without_forms(path: Path) -> list[str]:
    """'grade_id: name' for each answer the notebook asks for with no form to give it."""
    missing: list[str] = []
    for cell in read_myst(path.read_text(encoding="utf-8")).cells:
        grade_id = str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
        if cell.cell_type != "code" or not grade_id.startswith("answer-"):
            continue
        asked = _assigned_names(cell.source.split("### BEGIN SOLUTION")[0])
        calls = _form_calls(cell.source)
        given = {k.arg for call in calls for k in call.keywords}
        says = [
            call.args[0]
            for call in calls
            if call.args
            and (
                isinstance(call.args[0], ast.JoinedStr)
                or (isinstance(call.args[0], ast.Constant) and str(call.args[0].value).strip())
            )
        ]
        missing += [f"{grade_id}: {name}" for name in asked if name not in given]
        if asked and not says:
            missing.append(f"{grade_id}: no line on what the checkpoint looks at")
    return missing


def test_ten_workshops_are_walked() -> None:
    assert len(WORKSHOPS) == 10, [p.name for p in WORKSHOPS]


@pytest.mark.parametrize("path", ANSWERED, ids=lambda p: p.stem)
def test_every_exercise_of_the_workshop_has_a_form(path: Path) -> None:
    assert exercises_without_forms(path) == []


@pytest.mark.parametrize("path", ANSWERED, ids=lambda p: p.stem)
def test_the_forms_save_under_the_notebooks_own_name(path: Path) -> None:
    setup = next(
        c
        for c in read_myst(path.read_text(encoding="utf-8")).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
    )
    assert f'form = nb.Answers("{path.stem}")' in setup.source


def test_a_workshop_with_an_exercise_and_no_form_is_caught(tmp_path: Path) -> None:
    source = WORKSHOPS[0].read_text(encoding="utf-8")
    start = source.index("form.ask(", source.index("grade_id: answer-baseline"))
    end = source.index("\n)\n", start) + 3
    broken = tmp_path / WORKSHOPS[0].name
    broken.write_text(source[:start] + source[end:], encoding="utf-8")
    assert exercises_without_forms(broken) == [
        "answer-baseline: baseline_days",
        "answer-baseline: no line on what the checkpoint looks at",
    ]

"""Rubrics beside the reflections: every workshop's reflection has one, and each adds up to the
cell's points."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.core import paths
from cohort_tools.lessons.rubrics import Rubric, rubric_problems, rubrics_in, score, summary
from cohort_tools.notebooks.myst import read_myst

MODULE_1 = sorted(paths.workshops_dir().glob("m1_*.md"))
WORKSHOPS = sorted(paths.workshops_dir().glob("*.md"))


def _manual_cells(nb: dict) -> list[str]:  # type: ignore[type-arg]
    return [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
        and c["metadata"]["nbgrader"].get("solution")
    ]


@pytest.mark.parametrize("workshop", MODULE_1, ids=lambda p: p.name)
def test_every_module_1_reflection_has_a_sound_rubric(workshop: Path) -> None:
    nb = read_myst(workshop.read_text(encoding="utf-8"))
    manual = _manual_cells(nb)
    assert manual, "a Module 1 workshop has a reflection a coach grades"
    assert set(rubrics_in(nb)) == set(manual)
    assert rubric_problems(nb) == []


@pytest.mark.parametrize("workshop", WORKSHOPS, ids=lambda p: p.name)
def test_every_reflection_in_every_workshop_has_a_sound_rubric(workshop: Path) -> None:
    nb = read_myst(workshop.read_text(encoding="utf-8"))
    manual = _manual_cells(nb)
    reflections = [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("reflection")
    ]
    assert reflections, f"{workshop.name} has a reflection a coach grades"
    assert set(reflections) <= set(manual), "a reflection is a manually graded answer cell"
    missing = sorted(set(manual) - set(rubrics_in(nb)))
    assert not missing, f"{workshop.name}: no rubric for {missing}"
    assert rubric_problems(nb) == []


def _rubric() -> Rubric:
    nb = read_myst((paths.workshops_dir() / "m1_workshop_a_data_routines.md").read_text())
    return rubrics_in(nb)["reflection-missed-target"]


def test_chosen_levels_give_the_manual_score_and_a_plain_summary() -> None:
    rubric = _rubric()
    assert score(rubric, ["Clear", "Partly"]) == 1.5
    assert summary(rubric, ["Clear", "Partly"]).splitlines()[0] == (
        "- Who notices and who decides: Clear (1/1)"
    )


def test_a_level_that_is_not_in_the_rubric_is_refused() -> None:
    with pytest.raises(ValueError, match="'Excellent' is not a level"):
        score(_rubric(), ["Excellent", "Clear"])
    with pytest.raises(ValueError, match="one level for each of the 2 criteria"):
        score(_rubric(), ["Clear"])


def test_a_rubric_that_does_not_add_up_to_the_cells_points_is_reported() -> None:
    nb = read_myst((paths.workshops_dir() / "m1_workshop_a_data_routines.md").read_text())
    for cell in nb["cells"]:
        if "cda" in cell["metadata"]:
            cell["metadata"]["nbgrader"]["points"] = 3
    assert rubric_problems(nb) == [
        "cell reflection-missed-target: the rubric's best levels add up to 2 points, the cell "
        "is worth 3."
    ]

"""The demo's course step on a rerun: nothing changed, nothing graded; a changed input, graded again.

One city (Riverton's data, copied) and one workshop, so each run grades three submissions.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cohort_tools.core import paths
from cohort_tools.course import grade
from cohort_tools.course.samples import UNCHANGED, run_course_demo
from tests.integration.conftest import require_bwrap

pytestmark = pytest.mark.slow

WORKSHOP = "m1_workshop_a_data_routines"


def _inputs(root: Path, demo_cohort_data: dict[str, Any]) -> tuple[Path, Path]:
    """A one-city cohort file (with its data folder) and a one-workshop folder, under ``root``."""
    data = copy.deepcopy(demo_cohort_data)
    data["cities"] = [c for c in data["cities"] if c["id"] == "riverton"]
    shutil.copytree(paths.DEMO_DIR / "cities" / "riverton", root / "cities" / "riverton")
    cohort = root / "cohort.yaml"
    cohort.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    workshops = root / "workshops"
    workshops.mkdir()
    shutil.copy(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    return cohort, workshops


def _scores(course: Path) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="cda") as gb:
        return {
            (s.student.id, s.assignment.name): float(s.score)
            for a in gb.assignments
            for s in a.submissions
        }


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many submissions each autograde call graded (the course step's grading, spied on)."""
    require_bwrap()  # grading runs each learner's code in the sandbox
    calls: list[int] = []
    real = grade.autograde

    def spy(**kwargs: Any) -> grade.GradeReport:
        report = real(**kwargs)
        calls.append(len(report.results))
        return report

    monkeypatch.setattr(grade, "autograde", spy)
    return calls


def test_a_rerun_with_nothing_changed_grades_nothing_and_keeps_the_scores(
    tmp_path: Path, demo_cohort_data: dict[str, Any], counted: list[int]
) -> None:
    cohort, workshops = _inputs(tmp_path / "in", demo_cohort_data)
    out = tmp_path / "out"
    first = run_course_demo(out=out, cohort=cohort, workshops=workshops)
    assert counted == [3]  # three learners, one workshop
    scores = _scores(out / "course")
    graded = sorted((out / "course" / "autograded").rglob("*.ipynb"))
    stamps = [p.stat().st_mtime_ns for p in graded]
    assert len(scores) == 3 and len(set(scores.values())) > 1  # correct, partial, wrong

    second = run_course_demo(out=out, cohort=cohort, workshops=workshops)
    assert counted == [3], "the rerun graded again"
    assert second.splitlines()[0] == UNCHANGED
    assert second.splitlines()[1:] == first.splitlines()  # the same progress table
    assert _scores(out / "course") == scores
    assert [p.stat().st_mtime_ns for p in graded] == stamps


def _edit_workshop(inputs: Path, out: Path) -> None:
    md = inputs / "workshops" / f"{WORKSHOP}.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nOne more closing line.\n", encoding="utf-8")


def _edit_city_data(inputs: Path, out: Path) -> None:
    city = inputs / "cities" / "riverton" / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")


def _delete_a_feedback_page(inputs: Path, out: Path) -> None:
    next((out / "course" / "feedback").rglob("*.html")).unlink()


@pytest.mark.parametrize(
    "change", [_edit_workshop, _edit_city_data, _delete_a_feedback_page], ids=lambda f: f.__name__
)
def test_a_changed_input_or_output_grades_the_course_again(
    tmp_path: Path,
    demo_cohort_data: dict[str, Any],
    counted: list[int],
    change: Callable[[Path, Path], None],
) -> None:
    cohort, workshops = _inputs(tmp_path / "in", demo_cohort_data)
    out = tmp_path / "out"
    run_course_demo(out=out, cohort=cohort, workshops=workshops)
    scores = _scores(out / "course")
    change(tmp_path / "in", out)

    again = run_course_demo(out=out, cohort=cohort, workshops=workshops)
    assert counted == [3, 3]
    assert UNCHANGED not in again
    assert _scores(out / "course") == scores  # the same answers earn the same scores
    assert len(list((out / "course" / "feedback").rglob("*.html"))) == 3
    # ... and with nothing changed since, the next run skips
    assert run_course_demo(out=out, cohort=cohort, workshops=workshops).startswith(UNCHANGED)
    assert counted == [3, 3]

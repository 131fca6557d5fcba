"""A released workshop is a learner's view, not a programmer's (issue 17): opened as a learner
opens it, it holds one parameters cell and no absolute path of the machine that built the course,
and every code cell (parameters, setup, analysis, answer and checkpoint) has its code collapsed (JupyterLab's
``jupyter.source_hidden``), the forms and verdicts showing in its outputs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from cohort_tools.core import paths

WORKSHOP = "m1_workshop_a_data_routines"
CITY = "port-alder"
# a quoted absolute path, e.g. "/tmp/x/cohort.yaml" or "/root/project/..."
ABSOLUTE = re.compile(r"""["'](/(?:[\w.+-]+/)*[\w.+-]+)["']""")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    from cohort_tools.course import assignment_id, build_course, release
    from cohort_tools.course.layout import Course

    root = tmp_path_factory.mktemp("learner-view")
    workshops = root / "workshops"
    workshops.mkdir()
    shutil.copy2(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    build_course(workshops_dir=workshops, course_dir=root / "course")
    # form answers saved while someone tried the source notebook: the next build drops them, so
    # they are neither released nor copied over a learner's submission by the grader
    source = Course(root / "course").source(assignment_id(WORKSHOP, CITY))
    (source / f"{WORKSHOP}.form.json").write_text('{"answers": {}}', encoding="utf-8")
    build_course(workshops_dir=workshops, course_dir=root / "course")
    report = release(course_dir=root / "course", workshops_dir=workshops)
    path = report.course / "release" / assignment_id(WORKSHOP, CITY) / f"{WORKSHOP}.ipynb"
    return nbformat.read(path, as_version=4), path


def test_a_released_notebook_names_no_absolute_path_of_the_build_machine(
    released: tuple[nbformat.NotebookNode, Path],
) -> None:
    nb, path = released
    text = path.read_text(encoding="utf-8")
    build_paths = {
        str(path.parents[3]),  # the build folder
        str(paths.project_root()),
        str(paths.default_cohort_file()),
        str(Path.home()),
    }
    assert [p for p in build_paths if p in text] == []
    found = [m for c in nb.cells for m in ABSOLUTE.findall(c.source)]
    assert found == []


def test_a_released_notebook_has_one_parameters_cell_naming_its_city(
    released: tuple[nbformat.NotebookNode, Path],
) -> None:
    nb, _ = released
    params = [
        c
        for c in nb.cells
        if {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
    ]
    assert len(params) == 1
    assert f'city = "{CITY}"' in params[0].source and 'cohort_file = ""' in params[0].source
    # collapsed like every code cell (the setup cell names the city in words)
    assert params[0].metadata.get("jupyter", {}).get("source_hidden") is True


def test_a_released_notebook_shows_no_setup_or_checkpoint_code(
    released: tuple[nbformat.NotebookNode, Path],
) -> None:
    nb, path = released
    shown = [
        c.metadata.get("nbgrader", {}).get("grade_id", "?")
        for c in nb.cells
        if c.cell_type == "code" and not c.metadata.get("jupyter", {}).get("source_hidden")
    ]
    assert shown == []
    kinds = {c.metadata.get("nbgrader", {}).get("grade_id", "") for c in nb.cells}
    assert {"setup", "check-baseline", "answer-baseline"} <= kinds  # the cells are all there
    assert not (path.parent / f"{WORKSHOP}.form.json").exists()

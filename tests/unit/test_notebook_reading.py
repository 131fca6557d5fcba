"""A notebook the package wrote is read without the schema check, to the same notebook as
nbformat reads it; a notebook of another major version still goes through nbformat."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cohort_tools.notebooks.reading import read_written


def test_a_version_4_notebook_reads_the_same_as_through_nbformat(tmp_path: Path) -> None:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell(
                "x = 1",
                metadata={"nbgrader": {"grade": True, "grade_id": "c1", "points": 1}},
                outputs=[new_output("error", ename="CheckpointFailed", evalue="no", traceback=[])],
            ),
        ],
        metadata={"cda": {"reads_course": True}},
    )
    path = tmp_path / "graded.ipynb"
    nbformat.write(nb, path)
    ours = read_written(path)
    assert ours == nbformat.read(path, as_version=4)
    assert ours.cells[1].metadata.nbgrader.grade_id == "c1"  # attribute access, as nbformat's


def test_a_version_3_notebook_is_converted_by_nbformat(tmp_path: Path) -> None:
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "old"},
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "input": "y = 2",
                        "language": "python",
                        "outputs": [],
                        "metadata": {},
                    }
                ],
                "metadata": {},
            }
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(v3), encoding="utf-8")
    ours = read_written(path)
    assert ours.nbformat == 4
    assert ours.cells[0].source == "y = 2"

"""Curriculum prose is written for busy public servants: US grade 10 or below (Flesch-Kincaid).

The score is printed per notebook (run pytest with -s to see it). Tables, code and headings are left
out: they are not sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
import textstat

from cohort_tools.core import paths

MAX_GRADE = 10.0
NOTEBOOKS = sorted(
    [*paths.curriculum_dir().glob("*.md"), *paths.workshops_dir().glob("*.md")],
    key=lambda p: p.name,
)


def prose(path: Path) -> str:
    nb = jupytext.read(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.sub(r"^\s*\|.*$", "", text, flags=re.M)  # tables
    text = re.sub(r"^#+ .*$", "", text, flags=re.M)  # headings
    text = re.sub(r"`[^`]*`", "", text)  # inline code
    return re.sub(r"[*_>]", "", text)


def test_there_are_notebooks_to_score() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_prose_reads_at_grade_ten_or_below(path: Path) -> None:
    grade = textstat.flesch_kincaid_grade(prose(path))
    print(f"{path.name}: Flesch-Kincaid grade {grade}")
    assert grade <= MAX_GRADE, f"{path.name} reads at grade {grade}; shorten sentences and words"


def test_dense_prose_scores_above_the_limit() -> None:
    dense = (
        "Institutionalisation of organisational performance-management methodologies necessitates "
        "comprehensive interdepartmental coordination, sustained administrative commitment, and "
        "systematic documentation of evidentiary considerations underpinning consequential decisions."
    )
    assert textstat.flesch_kincaid_grade(dense) > MAX_GRADE

"""Rubrics for the answers a coach grades (reflections): criteria, levels and points, as data.

A rubric lives beside its reflection, in the workshop's MyST source, as the answer cell's metadata::

    ```{code-cell} ipython3
    ---
    nbgrader: {grade: true, grade_id: reflection-missed-target, points: 2, solution: true, ...}
    cda:
      rubric:
        - criterion: Who notices and who decides
          levels:
            - {label: Not yet, points: 0, description: No role is named.}
            - {label: Partly, points: 0.5, description: One of the two roles is named.}
            - {label: Clear, points: 1, description: Both roles are named.}
        - ...
    ---
    ```

The cell's metadata travels with the notebook through the course build and nbgrader, so the grading
page reads the rubric from the course's own source notebook. A rubric's best levels add up to the
cell's nbgrader points (checked by :func:`rubric_problems`), and a coach's choice of one level per
criterion gives the manual score (:func:`score`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field, ValidationError

from cohort_tools.core.config import StrictModel
from cohort_tools.core.i18n import _

RUBRIC_KEY = "cda"


class Level(StrictModel):
    label: str = Field(min_length=1)
    points: float = Field(ge=0)
    description: str = Field(min_length=1)


class Criterion(StrictModel):
    criterion: str = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=2)

    @property
    def best(self) -> float:
        return max(level.points for level in self.levels)


class Rubric(StrictModel):
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @property
    def max_points(self) -> float:
        return sum(c.best for c in self.criteria)


def rubric_of(cell: Mapping[str, Any]) -> Rubric | None:
    """The rubric in a notebook cell's metadata (None if it has none); ValueError if malformed."""
    metadata = cell.get("metadata", {})
    raw = metadata.get(RUBRIC_KEY, {}).get("rubric") if isinstance(metadata, Mapping) else None
    if raw is None:
        return None
    try:
        return Rubric(criteria=raw)
    except ValidationError as exc:
        raise ValueError(str(exc)) from None


def rubrics_in(nb: Mapping[str, Any]) -> dict[str, Rubric]:
    """grade_id -> rubric, for every cell of a notebook that has one."""
    found = {}
    for cell in nb.get("cells", []):
        rubric = rubric_of(cell)
        if rubric is not None:
            found[cell["metadata"]["nbgrader"]["grade_id"]] = rubric
    return found


def rubric_problems(nb: Mapping[str, Any]) -> list[str]:
    """What is wrong with a notebook's rubrics (each names the cell): empty when they are sound."""
    problems = []
    for cell in nb.get("cells", []):
        grading = cell.get("metadata", {}).get("nbgrader", {})
        gid = grading.get("grade_id", "?")
        try:
            rubric = rubric_of(cell)
        except ValueError as exc:
            problems.append(
                _("cell {cell}: the rubric is not valid: {error}").format(cell=gid, error=exc)
            )
            continue
        if rubric is None:
            continue
        if not (grading.get("grade") and grading.get("solution")):
            problems.append(
                _("cell {cell}: a rubric belongs on a manually graded answer cell.").format(
                    cell=gid
                )
            )
        elif abs(rubric.max_points - float(grading.get("points", 0))) > 1e-9:
            problems.append(
                _(
                    "cell {cell}: the rubric's best levels add up to {points} points, the cell is "
                    "worth {worth}."
                ).format(cell=gid, points=f"{rubric.max_points:g}", worth=grading.get("points"))
            )
        for criterion in rubric.criteria:
            labels = [lv.label for lv in criterion.levels]
            if len(set(labels)) != len(labels):
                problems.append(
                    _("cell {cell}: '{criterion}' has two levels of one name.").format(
                        cell=gid, criterion=criterion.criterion
                    )
                )
    return problems


def score(rubric: Rubric, chosen: Sequence[str]) -> float:
    """The manual score for one chosen level label per criterion (in the rubric's order)."""
    if len(chosen) != len(rubric.criteria):
        raise ValueError(
            _("choose one level for each of the {count} criteria").format(
                count=len(rubric.criteria)
            )
        )
    total = 0.0
    for criterion, label in zip(rubric.criteria, chosen, strict=True):
        level = next((lv for lv in criterion.levels if lv.label == label), None)
        if level is None:
            raise ValueError(
                _("'{label}' is not a level of '{criterion}'").format(
                    label=label, criterion=criterion.criterion
                )
            )
        total += level.points
    return total


def summary(rubric: Rubric, chosen: Sequence[str]) -> str:
    """The levels chosen, in words, to put at the top of the coach's comment."""
    lines = []
    for criterion, label in zip(rubric.criteria, chosen, strict=True):
        level = next(lv for lv in criterion.levels if lv.label == label)
        lines.append(f"- {criterion.criterion}: {label} ({level.points:g}/{criterion.best:g})")
    return "\n".join(lines)

"""nbgrader's autograde steps, in nbgrader's order, written once.

``nbgrader autograde`` (nbgrader 0.9, ``nbgrader.converters.Autograde``) runs its
``sanitize_preprocessors`` on the submitted notebook, writes it to autograded/, reads it back and
runs its ``autograde_preprocessors``. The grader runs the same classes in the same order, in this
process; :data:`PIPELINE` is that order, split into the phases the grader runs them in (a unit test
checks it against nbgrader's own lists).
"""

from __future__ import annotations

import importlib
from typing import Any, Literal

import nbformat

Phase = Literal["sanitize", "execute", "after_execute", "write"]

#: (phase, class) in nbgrader's order. Ordering constraints beside each step.
PIPELINE: tuple[tuple[Phase, str], ...] = (
    # -- sanitize: the notebook as submitted --
    # First: outputs saved by the learner never count; only what runs here is scored.
    ("sanitize", "nbgrader.preprocessors.ClearOutput"),
    # Before OverwriteCells, which finds cells by grade_id / cell id: duplicates would confuse it.
    ("sanitize", "nbgrader.preprocessors.DeduplicateIds"),
    ("sanitize", "nbgrader.preprocessors.OverwriteKernelspec"),
    # Puts locked cells and tests back as released (add_missing_cells re-adds deleted checkpoints).
    # Our tampering notes are taken BEFORE it, while the learner's edits are still visible.
    ("sanitize", "nbgrader.preprocessors.OverwriteCells"),
    # After OverwriteCells: checks the metadata it restored.
    ("sanitize", "nbgrader.preprocessors.CheckCellMetadata"),
    # (nbgrader writes the sanitised notebook to disk and reads it back here: see run.roundtrip.)
    # -- execute: by cohort_tools.notebooks.run in a forked kernel, with Execute's own settings and
    #    hook (cohort_tools.core.compat.execute_options); never instantiated as a step here.
    ("execute", "nbgrader.preprocessors.Execute"),
    # -- after_execute: on the executed notebook, before any score is taken --
    ("after_execute", "nbgrader.preprocessors.IgnorePattern"),
    ("after_execute", "nbconvert.preprocessors.ClearMetadataPreprocessor"),
    ("after_execute", "nbgrader.preprocessors.LimitOutput"),
    # -- write: the gradebook, under the course's write lock, in one transaction (gradebook.py) --
    # Scores every graded cell from the outputs above.
    ("write", "nbgrader.preprocessors.SaveAutoGrades"),
    # After SaveAutoGrades: a late penalty applies to the score just saved.
    ("write", "nbgrader.preprocessors.AssignLatePenalties"),
    # Last, as in nbgrader: nothing damaged the grading metadata on the way.
    ("write", "nbgrader.preprocessors.CheckCellMetadata"),
)


def step_class(path: str) -> type:
    module, _, name = path.rpartition(".")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


def step_classes(phase: Phase) -> list[type]:
    """The classes of one phase, in order."""
    return [step_class(path) for p, path in PIPELINE if p == phase]


def run_phase(
    phase: Phase, nb: nbformat.NotebookNode, resources: dict[str, Any], config: Any
) -> nbformat.NotebookNode:
    """Run one phase's preprocessors (configured by the course's nbgrader config) on ``nb``."""
    if phase == "execute":
        raise ValueError("the execute phase runs through cohort_tools.notebooks.run, not here")
    for cls in step_classes(phase):
        # __call__ honours each preprocessor's `enabled` setting, as nbconvert's exporter does.
        nb, resources = cls(config=config)(nb, resources)
    return nb


__all__ = ["PIPELINE", "Phase", "run_phase", "step_class", "step_classes"]

"""The demo course's rerun record: skip releasing and grading when nothing it depends on changed.

``run_course_demo`` (the course step of ``cda demo run``) builds and releases the course, writes
the sample submissions, grades them, and writes feedback and progress. All of that follows from its
inputs: the workshops, the cohort file, each city's data folder, the curriculum's data, the
``cohort_tools`` source and catalogs (the grader, the lessons, the sample answers, the Spanish
hints) and the versions of nbgrader and the package. After a run, :func:`save` writes a record beside the course
(``course/.cda-demo-course.json``) with the content hash of those inputs (:func:`inputs_key`) and of
the course folder it produced (:func:`outputs_digest`: every file, submissions, grades, feedback and
progress included). :func:`unchanged` is true only when both still match: a changed input, or a
course folder changed or removed since (a deleted feedback page, a gradebook edited by hand), means
the whole step runs again. The record is :class:`cohort_tools.notebooks.digest.RunRecord`, which the
strategies, the cohort view, the kit and the book keep too.
"""

from __future__ import annotations

from pathlib import Path

from cohort_tools import __version__
from cohort_tools.core import paths
from cohort_tools.model.cohort import Cohort
from cohort_tools.notebooks.digest import (
    RunRecord,
    folder_digest,
    json_digest,
    sha256_hex,
    source_digest,
)

RECORD = ".cda-demo-course.json"
FORMAT = "1"  # bump when what the course step writes changes without any input changing


def inputs_key(cohort: Cohort, *, workshops: Path | None = None) -> str:
    """The content hash of everything the demo course is made from."""
    import nbgrader

    payload = {
        "format": FORMAT,
        "package": __version__,
        "nbgrader": str(getattr(nbgrader, "__version__", "")),
        "source": source_digest(),
        "workshops": folder_digest(workshops or paths.workshops_dir(), suffixes=(".md",)),
        "curriculum": folder_digest(paths.curriculum_dir()),
        "cohort": sha256_hex(cohort.path.read_bytes()) if cohort.path.is_file() else "none",
        "cities": {c.id: folder_digest(c.data_dir) for c in cohort.cities},
    }
    return json_digest(payload)


def outputs_digest(course_dir: Path) -> str:
    """The content hash of the course folder (every file but the dot-files: locks, records)."""
    return folder_digest(course_dir)


def unchanged(course_dir: Path, key: str) -> bool:
    """Whether the course in ``course_dir`` was made from inputs with this key and is as it was."""
    return RunRecord(course_dir, RECORD).unchanged(key)


def save(course_dir: Path, key: str) -> None:
    """Record the inputs' key and the course folder as this run left it."""
    RunRecord(course_dir, RECORD).save(key)


def forget(course_dir: Path) -> None:
    """Drop the record (before a run changes the course: a run that fails leaves none)."""
    RunRecord(course_dir, RECORD).forget()


__all__ = ["RECORD", "forget", "inputs_key", "outputs_digest", "save", "unchanged"]

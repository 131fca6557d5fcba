"""Sample submissions (correct, partly correct, wrong) for the demo and the benchmark.

A sample starts from the city's *released* notebook (what a learner receives) and fills its answer
cells: "correct" takes the answer from the city's source notebook (the solution, markers removed),
"wrong" uses a typical mistake from :data:`WRONG_ANSWERS` (or leaves the placeholder), and
"partial" answers the first half of the exercises correctly and the rest wrongly.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from cohort_tools.core import defaults
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.lessons.checkpoints import code_stubs
from cohort_tools.model.cohort import Cohort

from .layout import Course

KINDS = ("correct", "partial", "wrong")

#: Workshops a city's team has not handed in yet (by file-name prefix), so the demo also shows a
#: strategy with gaps: Port Alder has not done Module 3, nor the month-6 strategy studio (so its
#: strategy keeps the generated summary and reads "not signed yet").
NOT_YET_SUBMITTED = {"port-alder": ("m3_", "m6_")}

#: Typical mistakes, by answer cell grade_id (workshop A); other answer cells keep the placeholder.
WRONG_ANSWERS = {
    "answer-priority-metrics": "priority_metrics = list(metric_table.index[:2])  # only two",
    "answer-baseline": 'baseline_days = float(close_times.loc[top_service, "average_days"]) * 24',
    "answer-target": 'target_days = round(float(close_times.loc[top_service, "median_days"]) * 0.2, 2)',
    "answer-stat-meeting": (
        'stat_meeting = {"cadence": "daily", "chair": "", "first_metric": "NOT-A-METRIC"}'
    ),
    "reflection-missed-target": 'reflection = "not sure"',
    # the strategy studio (month 6)
    "answer-strategy-budget": "strategy_budget_usd = 1.2  # in millions",
    "answer-sign-off": (
        'sign_off = {"role": "mayor", "date": "next week", "decision": "yes", "changes": ""}'
    ),
}


def _solution(source: str) -> str:
    lines = [ln for ln in source.splitlines() if "### BEGIN SOLUTION" not in ln]
    return "\n".join(ln for ln in lines if "### END SOLUTION" not in ln)


def _placeholder(source: str) -> str:
    drop = (*code_stubs(), "YOUR ANSWER HERE")
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in drop)


def _is_answer(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def sample_notebook(course: Course, assignment: str, kind: str) -> nbformat.NotebookNode:
    """The released notebook of ``assignment`` with its answers filled in as ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    workshop, _ = course.split(assignment)
    released: nbformat.NotebookNode = nbformat.read(
        course.release(assignment) / f"{workshop}.ipynb", as_version=4
    )
    source = nbformat.read(course.source(assignment) / f"{workshop}.ipynb", as_version=4)
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: _solution(c.source)
        for c in source.cells
        if _is_answer(c)
    }
    answers = [c for c in released.cells if _is_answer(c) and c.cell_type == "code"]
    half = (len(answers) + 1) // 2
    for i, cell in enumerate(answers):
        gid = cell.metadata["nbgrader"]["grade_id"]
        right = kind == "correct" or (kind == "partial" and i < half)
        if right:
            cell.source = solutions.get(gid, _placeholder(cell.source))
        else:
            cell.source = WRONG_ANSWERS.get(gid, _placeholder(cell.source))
    return released


def write_submission(
    course: Course, student: str, assignment: str, nb: nbformat.NotebookNode | str | bytes
) -> Path:
    """Put a notebook (or raw text/bytes, for broken files) where nbgrader expects a submission."""
    workshop, _ = course.split(assignment)
    target = course.submitted(student, assignment) / f"{workshop}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, bytes):
        target.write_bytes(nb)
    elif isinstance(nb, str):
        target.write_text(nb, encoding="utf-8")
    else:
        atomic_write_text(target, nbformat.writes(nb))
    return target


def make_sample_submissions(
    *, course_dir: Path = defaults.COURSE_DIR, cohort: Cohort | Path | None = None
) -> dict[str, str]:
    """For every registered learner of the cohort's cities: a correct, partial or wrong submission
    (in turn, per city) of each of their city's assignments. Returns learner id -> kind."""
    from .build import _resolve_cohort

    course = Course(course_dir.resolve())
    cities = {c.id for c in _resolve_cohort(cohort).cities}
    kinds: dict[str, str] = {}
    for city in sorted(cities):
        members = sorted((ln for ln in course.learners().values() if ln.city == city), key=str)
        for i, ln in enumerate(members):
            kind = KINDS[i % len(KINDS)]
            kinds[ln.id] = kind
            for aid in course.assignments():
                workshop, of_city = course.split(aid)
                if of_city == city and not workshop.startswith(NOT_YET_SUBMITTED.get(city, ())):
                    write_submission(course, ln.id, aid, sample_notebook(course, aid, kind))
    return kinds


#: The line the course step prints when a rerun has nothing to do.
UNCHANGED = (
    "Course unchanged, skipped: the workshops, cohort, city data, sample submissions and package "
    "are as they were when it was last graded, and so is the course folder; its grades stand."
)


def run_course_demo(
    *,
    out: Path,
    cohort: Cohort | Path | None = None,
    workshops: Path | None = None,
    force: bool = False,
) -> str:
    """Build, release, submit samples, autograde, feedback and progress into ``out/course``.

    Returns the progress table text (also saved with its chart under ``out/course/progress``).
    When the course there was made from the same inputs and is as that run left it
    (:mod:`.rerun`), nothing is done and the saved table is returned after :data:`UNCHANGED`;
    ``force`` runs every step regardless. ``workshops``: the workshops folder (default: the
    project's).
    """
    from cohort_tools.core.errors import CdaError

    from . import rerun
    from .build import _resolve_cohort, build_course, release
    from .grade import autograde
    from .report import PROGRESS_TEXT, feedback, progress

    course_dir = (out / "course").resolve()
    loaded = _resolve_cohort(cohort)
    key = rerun.inputs_key(loaded, workshops=workshops)
    table = course_dir / "progress" / PROGRESS_TEXT
    if not force and table.is_file() and rerun.unchanged(course_dir, key):
        return UNCHANGED + "\n" + table.read_text(encoding="utf-8").rstrip("\n")
    rerun.forget(course_dir)
    build_course(course_dir=course_dir, cohort=loaded, workshops_dir=workshops)
    release(course_dir=course_dir, cohort=loaded, workshops_dir=workshops)
    make_sample_submissions(course_dir=course_dir, cohort=loaded)
    report = autograde(course_dir=course_dir)
    if not report.ok:
        raise CdaError.single(course_dir, "autograding failed:\n" + report.summary())
    feedback(course_dir=course_dir)
    text = progress(course_dir=course_dir, out=course_dir / "progress")
    rerun.save(course_dir, key)
    return text

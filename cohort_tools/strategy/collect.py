"""Read a city team's named answers from its graded workshop submissions.

For each workshop the city's team submitted, the grader left an autograded notebook and the
team's named answers (``<notebook>.answers.json``, see :mod:`cohort_tools.course.answers`). When
several team members submitted the same workshop, the submission with the most checkpoints passed
is the team's (ties: the latest). A checkpoint that did not pass marks its answers as inconsistent;
any other error (a cell that crashed, ran out of time, or a notebook that stopped) means the
submission failed to execute, which :func:`collect_team_answers` reports as a problem.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat

from cohort_tools.core.errors import Problem
from cohort_tools.core.fileio import file_identity
from cohort_tools.core.i18n import _, current_language
from cohort_tools.course.answers import answers_file, checkpoint_for, read_answers
from cohort_tools.course.layout import Course, course_for_city
from cohort_tools.course.report import CoachReading, coach_readings
from cohort_tools.model.programme import Programme, Session, in_language
from cohort_tools.notebooks.reading import read_written
from cohort_tools.render.page import strip_ansi

CHECKPOINT_ERROR = "CheckpointFailed"

T = TypeVar("T")

#: What reading a notebook gave, by the file's identity
#: (:func:`~cohort_tools.core.fileio.file_identity`): the strategy studio reviews the strategy
#: three times in one kernel, and a packet run reviews each city's, each time from the same tens of
#: notebooks. A file written again is read again.
_READ: dict[tuple[Any, ...], Any] = {}
_READ_MAX = 1024


def _read_once(kind: str, path: Path, read: Callable[[Path], T]) -> T:
    """``read(path)``, or a copy of what it gave for this very file before."""
    key = (kind, *file_identity(path))
    found: T = copy.deepcopy(_kept(key, lambda: read(path)))
    return found


def _kept(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """What ``make()`` gave for ``key`` before, else ``make()`` (kept for next time)."""
    if key not in _READ:
        _keep(key, make())
    kept: T = _READ[key]
    return kept


def _keep(key: tuple[Any, ...], value: Any) -> None:
    """Keep ``value`` for ``key`` (all is forgotten once :data:`_READ_MAX` values are kept)."""
    if len(_READ) >= _READ_MAX:
        _READ.clear()
    _READ[key] = value


@dataclass
class Checkpoint:
    grade_id: str
    passed: bool
    problems: list[str] = field(default_factory=list)  # the checkpoint's plain words


@dataclass
class Submission:
    """The team's graded submission of one workshop."""

    session: Session
    learner: str
    notebook: Path
    answers: dict[str, Any] | None
    checkpoints: dict[str, Checkpoint]
    checkpoint_of: dict[str, str]  # answer name -> checkpoint grade_id
    crashes: list[str]  # plain descriptions of cells that failed for another reason
    #: The coach's scores on the written answers (reflections), from the gradebook.
    coach: CoachReading | None = None

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checkpoints.values())


@dataclass
class TeamAnswers:
    city: str
    submissions: dict[str, Submission]  # session id -> the team's submission
    course_dir: Path

    def submission(self, session_id: str) -> Submission | None:
        return self.submissions.get(session_id)


def _checkpoint_problems(output: dict[str, Any]) -> list[str]:
    """The '- ...' lines of a CheckpointFailed message (what is wrong, and the hint)."""
    text = strip_ansi("\n".join(output.get("traceback") or []) or str(output.get("evalue", "")))
    lines = [ln.strip() for ln in text.splitlines()]
    return [ln.lstrip("-• ").strip() for ln in lines if ln.startswith(("-", "•"))] or [
        str(output.get("evalue", "")).strip()
    ]


def read_graded_notebook(
    path: Path,
) -> tuple[dict[str, Checkpoint], list[str], nbformat.NotebookNode]:
    """Checkpoint results and crashes of an autograded notebook."""
    nb = read_written(path)
    checkpoints: dict[str, Checkpoint] = {}
    crashes: list[str] = []
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = str(meta.get("grade_id") or f"cell {index}")
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if meta.get("grade") and not meta.get("solution"):
            failed = [o for o in errors if o.get("ename") == CHECKPOINT_ERROR]
            checkpoints[gid] = Checkpoint(
                gid, not errors, [p for o in failed for p in _checkpoint_problems(o)]
            )
        for o in errors:
            if o.get("ename") != CHECKPOINT_ERROR:
                detail = strip_ansi(str(o.get("evalue", ""))).strip().splitlines()
                crashes.append(
                    f"cell '{gid}' stopped with {o.get('ename')}"
                    + (f": {detail[0][:160]}" if detail else "")
                )
    return checkpoints, crashes, nb


def _workshop_sessions(programme: Programme) -> list[Session]:
    return [s for s in programme.sessions() if s.notebook and s.notebook.startswith("workshops/")]


def collect_team_answers(
    city: str, *, course_dir: Path, programme: Programme, leave_out: Collection[str] = ()
) -> tuple[TeamAnswers, list[Problem]]:
    """The city team's submission of each workshop, and a problem per submission that crashed.

    ``leave_out``: session ids not to read (the strategy studio, while its own submissions are
    being graded)."""
    course = course_for_city(course_dir.resolve(), city) or Course(course_dir.resolve())
    found: dict[str, Submission] = {}
    problems: list[Problem] = []
    root = course.folder("autograded")
    coached: list[tuple[Submission, str]] = []  # the team's submissions and their assignments
    for session in _workshop_sessions(programme):
        if session.id in leave_out:
            continue
        workshop = Path(str(session.notebook)).stem
        aid = course.assignment(workshop, city)
        candidates: list[tuple[tuple[int, int, float], Submission]] = []
        for folder in sorted(root.glob(f"*/{aid}")) if root.is_dir() else []:
            path = folder / f"{workshop}.ipynb"
            if not path.is_file():
                continue
            checkpoints, crashes = _read_once("graded", path, _results)
            sub = Submission(
                session=session,
                learner=folder.parent.name,
                notebook=path,
                answers=read_answers(answers_file(folder, workshop)),
                checkpoints=checkpoints,
                checkpoint_of=_checkpoint_map(course, aid, workshop),
                crashes=crashes,
            )
            rank = (sub.passed, -len(crashes), path.stat().st_mtime)
            candidates.append((rank, sub))
        if not candidates:
            continue
        best = max(candidates, key=lambda c: c[0])[1]
        coached.append((best, aid))
        found[session.id] = best
        if best.crashes or best.answers is None:
            why = "; ".join(best.crashes) or _(
                "the notebook stopped before its answers could be read"
            )
            title = in_language(programme, current_language()).session(session.id).title
            problems.append(
                Problem(
                    file=str(best.notebook),
                    city=city,
                    field=session.id,
                    message=_(
                        "the team's submission of '{title}' (learner {learner}) failed to "
                        "execute: {why}"
                    ).format(title=title, learner=best.learner, why=why),
                    fix=_(
                        "open the notebook, fix that cell so it runs, submit again and run "
                        "`cda course autograde`; the strategy is built from a notebook that runs "
                        "to the end."
                    ),
                )
            )
    readings = _coaches_once(course, [(sub.learner, aid) for sub, aid in coached])
    for sub, aid in coached:
        sub.coach = readings[(sub.learner, aid)]
    return TeamAnswers(city, found, course_dir), problems


def _results(path: Path) -> tuple[dict[str, Checkpoint], list[str]]:
    checkpoints, crashes, _ = read_graded_notebook(path)
    return checkpoints, crashes


def _coaches_once(
    course: Course, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], CoachReading | None]:
    """:func:`coach_readings` of each ``(learner, assignment)``, or what it gave before for the
    same gradebook and source notebooks, unchanged (SQLite writes in place here: no WAL). Those
    not read before are read together, the gradebook opened once."""
    gradebook = _identity([course.gradebook])
    keys = {
        pair: ("coach", *pair, gradebook, _identity(sorted(course.source(pair[1]).glob("*.ipynb"))))
        for pair in wanted
    }
    known: dict[tuple[str, str], CoachReading | None] = {
        pair: _READ[key] for pair, key in keys.items() if key in _READ
    }
    missing = [pair for pair in keys if pair not in known]
    read = coach_readings(course, missing) if missing else {}
    for pair, reading in read.items():
        _keep(keys[pair], reading)  # a CoachReading is frozen: shared, not copied
    return {**known, **read}


def _identity(files: list[Path]) -> tuple[tuple[str, int, int, int], ...]:
    """Each file that exists, as the same file (path, inode) with the same content (size,
    modification time): a file written again has another identity."""
    return tuple(
        (str(p), st.st_ino, st.st_size, st.st_mtime_ns)
        for p in files
        if (st := _stat_or_none(p)) is not None
    )


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _checkpoint_map(course: Course, aid: str, workshop: str) -> dict[str, str]:
    src = course.source(aid) / f"{workshop}.ipynb"
    if not src.is_file():
        return {}
    return _read_once("source", src, lambda p: checkpoint_for(read_written(p)))

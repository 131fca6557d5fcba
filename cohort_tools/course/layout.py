"""The course folder: where nbgrader's files live, the ids we give assignments and learners.

Two layouts, read by the same grader and reports:

* **one course for the cohort** (``cda course build``, ``make demo``): course id ``cda``, one
  assignment per workshop and city (``<workshop>--<city>``), as below;
* **one course per city** (``cda course build --per-city``, the live cohort's hub: nbgrader's
  multiple-classes set-up): ``course/<city>/`` is an nbgrader course whose id is the city and whose
  assignments are the workshops (``m1_workshop_a_data_routines``); ``course/learners.json`` lists
  every learner, and each city's course has its own.

:class:`Course` is one nbgrader course either way; :func:`course_folders` lists the courses under a
course folder, and :meth:`Course.split` / :meth:`Course.assignment` translate between an assignment
id and (workshop, city) for both.

::

    course/
      nbgrader_config.py        written by build_course (nbgrader's own config file)
      gradebook.db              nbgrader's SQLite gradebook (names and emails live only here)
      learners.json             pseudonymous id -> city and role (no names, no emails)
      source/<workshop>--<city>/<workshop>.ipynb      per-city source, with solutions
      release/<workshop>--<city>/<workshop>.ipynb     what the city's learners get
      submitted/<student>/<workshop>--<city>/<workshop>.ipynb
      autograded/..., feedback/...                    nbgrader's usual folders
      .gradebook.lock           serialises every gradebook write (see :func:`gradebook_lock`)
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohort_tools.core.compat import one_transaction as one_transaction  # re-exported
from cohort_tools.core.defaults import COURSE_CELL_TIMEOUT, COURSE_DIR
from cohort_tools.core.fileio import atomic_write_text

COURSE_ID = "cda"
SEPARATOR = "--"  # between the workshop and the city in an assignment id (nbgrader forbids "+")
PARAMETERS_GRADE_ID = "city-parameters"
DEFAULTS_GRADE_ID = "parameter-defaults"
LEARNERS_FILE = "learners.json"
DEFAULT_TIMEOUT = COURSE_CELL_TIMEOUT

NBGRADER_CONFIG = """\
# Written by cohort_tools (cda course build). Used by cda's in-process grader and by the
# `nbgrader` command alike, so both grade the same way.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{course_id}"
# Every cell may run this many seconds; then it is interrupted and scores zero.
c.Execute.timeout = {timeout}
# A learner who deletes a checkpoint cell gets it back (and it runs) when graded.
c.OverwriteCells.add_missing_cells = True
# Answer cells start with a placeholder line to edit; the stub only points at it (no
# NotImplementedError for learners). See cohort_tools.lessons.checkpoints.NBGRADER_CODE_STUB.
c.ClearSolutions.code_stub = {code_stub!r}
"""


def assignment_id(workshop: str, city: str) -> str:
    return f"{workshop}{SEPARATOR}{city}"


def split_assignment_id(value: str) -> tuple[str, str]:
    """(workshop, city) from an assignment id; city is '' for a malformed id."""
    workshop, _, city = value.partition(SEPARATOR)
    return workshop, city


def student_id(city: str, email: str) -> str:
    """A stable pseudonymous id: the city id and a short hash of the (lower-cased) email."""
    digest = hashlib.sha256(f"cohort-tools:{email.strip().lower()}".encode()).hexdigest()
    return f"{city}-{digest[:8]}"


@dataclass(frozen=True)
class Learner:
    """A registered learner as outputs may show them: no name, no email."""

    id: str
    city: str
    role: str


@dataclass(frozen=True)
class Course:
    """Paths inside one nbgrader course folder."""

    root: Path

    @functools.cached_property
    def course_id(self) -> str:
        """nbgrader's course id: ``cda`` for the cohort's course, the city id for a city's course."""
        if not self.config_file.is_file():
            return COURSE_ID
        return str(self.nbgrader_config().CourseDirectory.get("course_id") or COURSE_ID)

    @property
    def city(self) -> str | None:
        """The city of a city's course (None for the cohort's one course)."""
        return None if self.course_id == COURSE_ID else self.course_id

    def assignment(self, workshop: str, city: str) -> str:
        """The id of a workshop's assignment for a city in this course."""
        return workshop if self.city else assignment_id(workshop, city)

    def split(self, assignment: str) -> tuple[str, str]:
        """(workshop, city) of an assignment id of this course."""
        return (assignment, self.city) if self.city else split_assignment_id(assignment)

    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook}"

    def folder(self, kind: str) -> Path:
        return self.root / kind

    def source(self, assignment: str) -> Path:
        return self.root / "source" / assignment

    def release(self, assignment: str) -> Path:
        return self.root / "release" / assignment

    def submitted(self, student: str, assignment: str) -> Path:
        return self.root / "submitted" / student / assignment

    def autograded(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment

    def feedback(self, student: str, assignment: str) -> Path:
        return self.root / "feedback" / student / assignment

    def learners(self) -> dict[str, Learner]:
        path = self.root / LEARNERS_FILE
        if not path.is_file():
            return {}
        data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
        return {k: Learner(k, v["city"], v["role"]) for k, v in data.items()}

    def write_learners(self, learners: list[Learner]) -> None:
        data = {ln.id: {"city": ln.city, "role": ln.role} for ln in learners}
        atomic_write_text(self.root / LEARNERS_FILE, json.dumps(data, indent=1, sort_keys=True))

    def assignments(self) -> list[str]:
        folder = self.root / "source"
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []

    def nbgrader_config(self) -> Any:
        """The course's nbgrader configuration (a traitlets Config)."""
        from traitlets.config.loader import PyFileConfigLoader

        return PyFileConfigLoader(self.config_file.name, path=str(self.root)).load_config()

    def coursedir(self) -> Any:
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(root=str(self.root), config=self.nbgrader_config())


def course_answers_digest(course_dir: Path, city: str) -> str:
    """A digest of the city's graded submissions (answers and notebooks) in a course folder.

    Every file of the city's assignments under ``autograded/`` (``<student>/<workshop>--<city>/`` in
    the cohort's one course, ``<student>/<workshop>/`` in the city's own course), by path and bytes;
    it changes when any of the city's learners is (re)graded. Packets that read the course use it in
    their cache key.
    """
    h = hashlib.sha256()
    course = course_for_city(Path(course_dir), city)
    if course is None:
        return h.hexdigest()[:16]
    root = course.folder("autograded")
    pattern = f"*/{assignment_id('*', city)}/*" if course.city is None else "*/*/*"
    files = sorted(root.glob(pattern)) if root.is_dir() else []
    for f in files:
        if f.is_file():
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


_THREAD_LOCK = threading.Lock()


def course_folders(folder: Path) -> list[Course]:
    """The nbgrader courses in a course folder: itself (one course for the cohort), or one
    sub-folder per city (one course per city)."""
    if Course(folder).gradebook.is_file():
        return [Course(folder)]
    if not folder.is_dir():
        return []
    return [
        Course(sub)
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and Course(sub).gradebook.is_file()
    ]


def course_for_city(folder: Path, city: str) -> Course | None:
    """The course that holds a city's assignments (None if there is none)."""
    for course in course_folders(folder):
        if course.city in (None, city):
            return course
    return None


def is_course(folder: Path | None) -> bool:
    """Whether ``folder`` holds a built course (its gradebook exists), or a course per city."""
    return folder is not None and bool(course_folders(folder))


def course_or_default(folder: Path | None, default: Path = COURSE_DIR) -> Path | None:
    """``folder`` if given, else ``./course`` when a course is built there, else None."""
    return folder if folder is not None else (default if is_course(default) else None)


@contextlib.contextmanager
def gradebook_lock(course: Course) -> Iterator[None]:
    """Hold the course's gradebook write lock: one writer at a time, across threads and processes.

    SQLite itself serialises transactions, but nbgrader commits after every cell; holding this lock
    around a whole submission (and committing once) means a reader never sees half a student's
    grades, and two ``cda course autograde`` runs never interleave. ``fcntl.flock`` is used directly (POSIX,
    like the forked kernels) rather than adding a dependency for a dozen lines.
    """
    course.root.mkdir(parents=True, exist_ok=True)
    with _THREAD_LOCK, open(course.root / ".gradebook.lock", "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def tools_on_path() -> None:
    """Put this Python's scripts folder on PATH: nbgrader runs the ``alembic`` command by name
    when it creates a gradebook, which fails when the virtualenv is not activated (e.g. under make).
    """
    import os
    import sys

    scripts = str(Path(sys.executable).parent)
    current = os.environ.get("PATH", "")
    if scripts not in current.split(os.pathsep):
        os.environ["PATH"] = scripts + (os.pathsep + current if current else "")

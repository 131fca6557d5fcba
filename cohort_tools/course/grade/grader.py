"""The grader: every submission of a course, several at once, each through nbgrader's steps.

By default (isolated) the learner's code runs in the city's sandbox and the checkpoints in a
trusted kernel that never runs learner code (:mod:`.isolated`). ``trusted=True`` runs the whole
submission, checkpoints included, in one kernel, as ``nbgrader autograde`` does: only for a single
user grading their own notebooks (a warning says so).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from cohort_tools.core import defaults
from cohort_tools.core.compat import (
    execute_options,
    gradebook_engines_reused,
    nbgrader_resources,
    schemas_checked_once,
)
from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import N_, Message
from cohort_tools.lessons.forms import FORM_SUFFIX
from cohort_tools.notebooks.reading import read_written

from ..answers import answer_names, answers_file, dump_code
from ..layout import Course, tools_on_path
from . import isolated
from .gradebook import NotebookInfo, Prepared, assignment_info, record_grades
from .results import GradeReport, SubmissionResult
from .run import cell_label, execute, execution_notes, failure_note, read_submission, roundtrip
from .steps import run_phase
from .tampering import check_tampering

if TYPE_CHECKING:
    from cohort_tools.notebooks.sandbox import SandboxOutcome, SandboxPool

log = logging.getLogger(__name__)

TRUSTED_WARNING = (
    "Grading WITHOUT isolation (trusted mode): each learner's code runs in the same kernel as the "
    "checkpoints and can read the hidden tests, other submissions, other cities' data and the "
    "gradebook, and change its own grade. Use it only to grade your own notebooks."
)


class Grader:
    """Grades submissions of one course; thread-safe; use as a context manager."""

    def __init__(
        self, course: Course, *, jobs: int, timeout: int | None, trusted: bool = False
    ) -> None:
        from cohort_tools.notebooks.kernels import WARM_PROVIDERS, KernelPool

        schemas_checked_once()
        gradebook_engines_reused()
        self.course = course
        self.trusted = trusted
        self.jobs = jobs
        if trusted:
            log.warning(TRUSTED_WARNING)
        self.config = course.nbgrader_config()
        if timeout is not None:
            self.config.Execute.timeout = int(timeout)
        # nbgrader's Execute settings (time limit, interrupt and go on, its output hook); the time
        # limit and "keep going after errors" are run()'s own arguments.
        self.execute_options = execute_options(self.config)
        self.timeout = int(self.execute_options.pop("timeout") or 0)
        self.execute_options.pop("allow_errors")
        self.coursedir = course.coursedir()
        self.learners = course.learners()
        # Every kernel starts with the cohort's small city tables in memory (trusted kernels).
        self.pool = KernelPool(jobs, warm=WARM_PROVIDERS, preload=self._city_folders())
        self._info: dict[str, list[NotebookInfo]] = {}
        self._info_lock = threading.Lock()
        self._sandboxes: dict[str, SandboxPool] = {}
        self._sandbox_lock = threading.Lock()
        self._figures: dict[str, bytes] = {}
        self._views: isolated.ViewCache = {}  # the course views' notebooks, made once each
        self._quiet = warnings.catch_warnings()

    def __enter__(self) -> Grader:
        from nbformat.warnings import MissingIDFieldWarning
        from sqlalchemy.exc import SAWarning

        # Set once here, in the thread that opens the grader: warnings' filters are one list for
        # the whole process, and threads that each swap it (catch_warnings) undo each other's.
        self._quiet.__enter__()
        # nbgrader re-adds a deleted checkpoint cell without a cell id (nbformat warns), and its
        # add_submission builds related rows before adding them (SQLAlchemy notes it).
        warnings.simplefilter("ignore", MissingIDFieldWarning)
        warnings.filterwarnings("ignore", category=SAWarning)
        self.pool.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            with self._sandbox_lock:
                pools, self._sandboxes = list(self._sandboxes.values()), {}
            for pool in pools:
                pool.close()
            self.pool.close()
        finally:
            self._quiet.__exit__(None, None, None)

    # -- the sandbox of each city ------------------------------------------------------------------

    def _cohort_file(self) -> Path | None:
        """The cohort file the course was built from (its build record), else None (the default)."""
        from ..names import built_from

        return built_from(self.course.root)

    def _city_folders(self) -> list[Path]:
        """The data folders of the cities with a learner in the course."""
        from cohort_tools.model.cohort import load_cohort

        try:
            cohort = load_cohort(self._cohort_file())
        except CdaError:
            return []  # the sandbox reports the cohort file when a submission needs it
        cities = {ln.city for ln in self.learners.values()}
        return [Path(c.data_dir).resolve() for c in cohort.cities if c.id in cities]

    def sandbox(self, city: str) -> SandboxPool:
        """The city's sandbox pool (started on first use; one per city, ``jobs`` slots)."""
        from cohort_tools.model.cohort import city_only_cohort, load_cohort
        from cohort_tools.notebooks.sandbox import SandboxLimits, SandboxPool

        with self._sandbox_lock:
            pool = self._sandboxes.get(city)
            if pool is None:
                cohort = load_cohort(self._cohort_file())
                figures = isolated.cohort_figures(cohort.path, city)
                pool = SandboxPool(
                    cohort.city(city).data_dir,
                    jobs=self.jobs,
                    limits=SandboxLimits(timeout=float(self.timeout or 120)),
                    # The city by its id, in a cohort file of that city alone (team roles, no
                    # names or e-mails) whose data folder is the sandbox's view of the city's data.
                    cohort=city_only_cohort(cohort, city, data_folder="city"),
                )
                pool.start()
                self._figures[city] = figures
                self._sandboxes[city] = pool
            return pool

    def info(self, assignment: str) -> list[NotebookInfo]:
        with self._info_lock:
            if assignment not in self._info:
                self._info[assignment] = assignment_info(self.course, assignment)
            return self._info[assignment]

    def _answers_code(self, assignment: str, notebook: str, out_dir: Path) -> str | None:
        """Code that saves the notebook's named answers beside the autograded copy."""
        src = self.course.source(assignment) / f"{notebook}.ipynb"
        if not src.is_file():
            return None
        names = answer_names(read_written(src))
        return dump_code(names, str(answers_file(out_dir, notebook))) if names else None

    def grade(self, student: str, assignment: str) -> SubmissionResult:
        start = time.monotonic()
        workshop, city = self.course.split(assignment)
        result = SubmissionResult(student, assignment, city, workshop, "graded")
        try:
            self._grade(result)
        except Exception as exc:  # infrastructure: kernel, gradebook, disk
            result.status = "error"
            error = f"{type(exc).__name__}: {exc}"
            result.notes.append(Message(N_("grading failed: {error}"), error=error))
        result.seconds = time.monotonic() - start
        return result

    def _grade(self, result: SubmissionResult) -> None:
        student, assignment = result.student, result.assignment
        infos = self.info(assignment)
        if not infos:
            result.status = "zero"
            result.notes.append(
                Message(
                    N_(
                        "there is no assignment '{assignment}' in the course; nothing was "
                        "graded. Was it submitted to the right folder?"
                    ),
                    assignment=assignment,
                )
            )
            return
        learner = self.learners.get(student)
        if learner is None:
            result.notes.append(
                Message(
                    N_("'{student}' is not a registered learner (run `cda course release`)."),
                    student=student,
                )
            )
        elif learner.city != result.city:
            result.notes.append(
                Message(
                    N_(
                        "this learner belongs to {city} but submitted {other}'s notebook; it was "
                        "graded with {other}'s data."
                    ),
                    city=learner.city,
                    other=result.city,
                )
            )
        submitted = self.course.submitted(student, assignment)
        # Each grading works in its own scratch folder, swapped into autograded/ after the commit,
        # so two graders of the same submission never delete each other's files.
        final_dir = self.course.autograded(student, assignment)
        final_dir.parent.mkdir(parents=True, exist_ok=True)
        out_dir = Path(tempfile.mkdtemp(prefix=f".{assignment}.", dir=final_dir.parent))
        # nbgrader copies the source folder's other files (data beside the notebook) over the
        # submission's; the same here.
        source = self.course.source(assignment)
        for path in source.rglob("*"):
            if path.is_file() and path.suffix != ".ipynb":
                target = out_dir / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        # The answers the learner gave in the notebook's forms (<notebook>.form.json, beside the
        # notebook; nbgrader submits it with the notebook): the answer cells read them when run.
        for info in infos:
            form = submitted / f"{info.name}{FORM_SUFFIX}"
            if form.is_file() and not form.is_symlink():
                shutil.copy(form, out_dir / form.name)
        found = sorted(p.name for p in submitted.glob("*.ipynb"))
        prepared = [self._notebook(result, info, submitted, out_dir, found) for info in infos]
        record_grades(self.course, self.coursedir, self.config, result, prepared)

    def _notebook(
        self,
        result: SubmissionResult,
        info: NotebookInfo,
        submitted: Path,
        out_dir: Path,
        found: list[str],
    ) -> Prepared:
        """One notebook of a submission through nbgrader's steps up to the gradebook."""
        student, assignment = result.student, result.assignment
        path = submitted / f"{info.name}.ipynb"
        nb, why = read_submission(path)
        if nb is None:
            if why == "missing":
                others = [f for f in found if f != path.name]
                why = (
                    Message(
                        N_(
                            "no notebook named {file} was submitted (found {others}: a renamed "
                            "copy is not graded); it scores zero."
                        ),
                        file=path.name,
                        others=", ".join(others),
                    )
                    if others
                    else Message(
                        N_("no notebook named {file} was submitted; it scores zero."),
                        file=path.name,
                    )
                )
            return Prepared(info.name, None, [why], out_dir)
        notes = check_tampering(nb, info, result.city)

        def resources(where: Path) -> dict[str, object]:
            return nbgrader_resources(
                db_url=self.course.db_url,
                student=student,
                assignment=assignment,
                notebook=info.name,
                path=where,
            )

        try:
            nb = run_phase("sanitize", nb, resources(submitted), self.config)
        except Exception as exc:
            return Prepared(
                info.name,
                None,
                [
                    Message(
                        N_(
                            "{file}'s grading information was damaged ({error}); it scores "
                            "zero. Ask the learner to start from a fresh copy of the notebook."
                        ),
                        file=path.name,
                        error=str(exc),
                    )
                ],
                out_dir,
            )
        nb = roundtrip(nb)
        if not self.trusted:
            return self._isolated(result, info, nb, out_dir, notes, resources(out_dir))
        outcome = execute(
            nb,
            pool=self.pool,
            cwd=out_dir,
            timeout=self.timeout,
            execute_options=self.execute_options,
            after=self._answers_code(assignment, info.name, out_dir),
        )
        nb = run_phase("after_execute", nb, resources(out_dir), self.config)
        notes += execution_notes(nb, outcome, self.timeout)
        return Prepared(info.name, nb, notes, out_dir)

    def _isolated(
        self,
        result: SubmissionResult,
        info: NotebookInfo,
        nb: nbformat.NotebookNode,
        out_dir: Path,
        notes: list[str],
        resources: dict[str, object],
    ) -> Prepared:
        """The learner's cells in the sandbox, then the checkpoints on their values (trusted)."""
        assignment = result.assignment
        names = self._answer_names(assignment, info.name)
        pool = self.sandbox(result.city)
        from cohort_tools.nb import COHORT_FIGURES_FILE

        files = {COHORT_FIGURES_FILE: self._figures[result.city]}
        source = self.course.source(assignment)
        for path in source.rglob("*"):
            if path.is_file() and path.suffix != ".ipynb":
                files[str(path.relative_to(source))] = path.read_bytes()
        # The learner's form answers (copied beside the graded notebook): the answer cells read
        # them in the sandbox as they did in JupyterLab.
        form = out_dir / f"{info.name}{FORM_SUFFIX}"
        if form.is_file() and not form.is_symlink():
            files[form.name] = form.read_bytes()
        params: dict[str, object] = {}  # the pool names the city and its one-city cohort file
        if reads_course(self.course, assignment):
            from ..build import COURSE_PARAMETER

            # Not the course: its city's graded answers and checkpoint results, nothing else, from
            # the course folder the notebook's locked parameters name (as the checkpoints read).
            named = isolated.parameter_value(nb, COURSE_PARAMETER)
            view = Course(Path(named)) if named else self.course
            files |= isolated.course_view(view, result.city, assignment, cache=self._views)
            params[COURSE_PARAMETER] = "course"
        mine = isolated.learner_copy(nb, info)
        outcome = pool.run(
            mine,
            answers=names,
            files=files,
            parameters=params,
            notebook_name=f"{info.name}.ipynb",
        )
        if outcome.status == "failed":
            raise RuntimeError(f"the sandbox could not run the notebook: {outcome.message}")
        skip = str(self.execute_options.get("skip_cells_with_tag") or "skip-execution")
        graded = isolated.trusted_copy(nb, info, outcome, skip)
        run_outcome = execute(
            graded,
            pool=self.pool,
            cwd=out_dir,
            timeout=self.timeout,
            execute_options=self.execute_options,
            after=None,
        )
        graded = isolated.merge_back(graded, nb, outcome, skip)
        if names:
            isolated.write_answers(answers_file(out_dir, info.name), outcome)
        graded = run_phase("after_execute", graded, resources, self.config)
        notes += sandbox_notes(outcome, self.timeout)
        notes += [n for n in execution_notes(graded, run_outcome, self.timeout) if n not in notes]
        return Prepared(info.name, graded, notes, out_dir)

    def _answer_names(self, assignment: str, notebook: str) -> list[str]:
        src = self.course.source(assignment) / f"{notebook}.ipynb"
        if not src.is_file():
            return []
        return answer_names(read_written(src))


def sandbox_notes(outcome: SandboxOutcome, timeout: int) -> list[str]:
    """Plain lines for the learner's cells that did not run cleanly in the sandbox."""
    notes: list[str] = []
    for n, cell in enumerate(outcome.cells, start=1):
        label = cell_label(n, cell.grade_id)
        note = failure_note(label, cell.status, cell.ename, cell.evalue, timeout, outcome.message)
        if note:
            notes.append(note)
        if cell.status == "died":
            break
    return notes


def find_submissions(course: Course) -> list[tuple[str, str]]:
    """(student, assignment) for every folder under course/submitted/<student>/<assignment>/."""
    root = course.folder("submitted")
    if not root.is_dir():
        return []
    return sorted(
        (s.name, a.name)
        for s in root.iterdir()
        if s.is_dir() and not s.name.startswith(".")
        for a in s.iterdir()
        if a.is_dir() and not a.name.startswith(".")
    )


def reads_course(course: Course, assignment: str) -> bool:
    """Whether the assignment's notebook reads the course's other graded answers (it declares the
    course folder as a parameter; see build.COURSE_PARAMETER), so it is graded after them."""
    workshop, _ = course.split(assignment)
    src = course.source(assignment) / f"{workshop}.ipynb"
    if not src.is_file():
        return False
    try:
        meta = read_written(src).metadata
    except Exception:
        return False
    return bool(meta.get("cda", {}).get("reads_course"))


#: Gradings run at once per core by default. A grading waits for about a third of its time (a
#: kernel's start-up handshake, the sandbox's messages), so two per core keep the cores busy.
#: Measured on the 2-core machine (the demo's 128 sample submissions): 2 at once 124.8 s, CPU busy
#: 73 %; 4 at once 106.5 s, 87 %.
GRADINGS_PER_CORE = 2


def autograde(
    *,
    course_dir: Path = defaults.COURSE_DIR,
    jobs: int | None = None,
    timeout: int | None = None,
    students: list[str] | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
    trusted: bool = False,
) -> GradeReport:
    """Grade every submission in ``course_dir/submitted`` (or only ``students``'s).

    Isolated by default: learner code runs in the city's sandbox, checkpoints in a trusted kernel.
    ``trusted=True``: the old single-kernel way (learner code can reach the course; warns).

    ``jobs``: notebooks graded at once (default: :data:`GRADINGS_PER_CORE` per core). ``timeout``:
    seconds a cell may run (default: the course's ``c.Execute.timeout``).
    """
    tools_on_path()
    course = Course(course_dir.resolve())
    if not course.config_file.is_file() or not course.gradebook.is_file():
        raise CdaError.single(
            course.root, "this is not a built course folder.", "run `cda course build` first."
        )
    start = time.monotonic()
    todo = [(s, a) for s, a in find_submissions(course) if students is None or s in set(students)]
    jobs = max(1, jobs or GRADINGS_PER_CORE * (os.cpu_count() or 1))
    results: list[SubmissionResult] = []
    # Workshops that read the course's other graded answers (the strategy studio) are graded last.
    later = {a for _, a in todo if reads_course(course, a)}
    waves = [[sa for sa in todo if sa[1] not in later], [sa for sa in todo if sa[1] in later]]
    if todo:
        with (
            Grader(course, jobs=jobs, timeout=timeout, trusted=trusted) as grader,
            ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="cda-grade") as ex,
        ):
            for wave in waves:
                for res in ex.map(lambda sa: grader.grade(*sa), wave):
                    results.append(res)
                    if on_result:
                        on_result(res)
    submitted = set(todo)
    not_submitted = []
    for ln in course.learners().values():
        for aid in course.assignments():
            wanted = students is None or ln.id in students
            if wanted and course.split(aid)[1] == ln.city and (ln.id, aid) not in submitted:
                not_submitted.append((ln.id, aid))
    return GradeReport(course.root, results, sorted(not_submitted), time.monotonic() - start, jobs)


def copy_course(src: Path, dst: Path) -> Path:
    """A copy of a course folder (for benchmarks and tests)."""
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".gradebook.lock"))
    return dst


__all__ = ["Grader", "autograde", "copy_course", "find_submissions"]

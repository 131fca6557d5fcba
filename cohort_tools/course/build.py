"""Build the nbgrader course from the MyST workshops and release it, one assignment per city.

Design: **one nbgrader assignment per workshop per city** (``m1_workshop_a_data_routines--riverton``).

* The city's values are injected into the *source* notebook with papermill's own
  ``parameterize_notebook`` (as the packet engine does), and the injected cell is given locked
  nbgrader metadata (``grade_id: city-parameters``). nbgrader's ``generate_assignment`` then stores
  that cell, with its checksum, in the gradebook like any other locked cell.
* When a learner edits the city in the released notebook, nbgrader's ``OverwriteCells`` puts the
  released source back before grading, so every submission is graded against the city the learner
  was released - never the one they typed. The grader reports the change (see ``grade.py``). A
  learner who *deletes* the cell gets it restored from the gradebook by the grader (nbgrader restores
  only deleted checkpoint cells by itself).
* Per-city assignments also keep grades, feedback and progress naturally split by city, and each
  assignment's checksums describe exactly the notebook that city received.

The alternative - one assignment for all cities and re-injecting parameters before grading - would
leave the released notebook's parameters unlocked (a learner could grade against another city in the
Validate button) and would need our own code in the middle of nbgrader's pipeline.

Names and emails are written only to the gradebook (nbgrader's student table); every other output
uses the pseudonymous learner id from :func:`cohort_tools.course.layout.student_id`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from cohort_tools.core import defaults, paths
from cohort_tools.core.compat import (
    cells_saved_in_one_transaction,
    gradebook_engines_reused,
    schemas_checked_once,
)
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import SOURCE_LANGUAGE, translated_source
from cohort_tools.lessons.checkpoints import NBGRADER_CODE_STUB, code_stub
from cohort_tools.lessons.forms import FORM_SUFFIX
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.notebooks.myst import parameter_names, read_myst

from .layout import (
    COURSE_ID,
    DEFAULT_TIMEOUT,
    DEFAULTS_GRADE_ID,
    NBGRADER_CONFIG,
    PARAMETERS_GRADE_ID,
    Course,
    Learner,
    gradebook_lock,
    student_id,
    tools_on_path,
)
from .names import BUILD_RECORD


@dataclass(frozen=True)
class Workshop:
    name: str
    path: Path
    source: str
    language: str = SOURCE_LANGUAGE  # the language its text is written in

    def edition(self, language: str) -> Workshop:
        """This workshop in ``language``: its translated MyST source when there is one."""
        path = translated_source(self.path, language)
        if path is None or path == self.path:
            return self
        return Workshop(self.name, path, path.read_text(encoding="utf-8"), language)


@dataclass
class BuildReport:
    course: Path
    assignments: list[str]
    workshops: list[str]
    cities: list[str]

    def summary(self) -> str:
        return (
            f"Course built at {self.course}: {len(self.workshops)} workshop(s) x "
            f"{len(self.cities)} city(ies) = {len(self.assignments)} assignment(s)."
        )


@dataclass
class ReleaseReport:
    course: Path
    learners: list[Learner]
    released: dict[str, list[Path]] = field(default_factory=dict)  # city -> notebooks

    def _where(self) -> str:
        if (self.course / "release").is_dir():
            return str(self.course / "release")
        return str(self.course / "<city>" / "release")  # one course per city

    def summary(self) -> str:
        cities = sorted({ln.city for ln in self.learners})
        n = sum(len(v) for v in self.released.values())
        return (
            f"Released {n} notebook(s) to {len(self.learners)} learner(s) in {len(cities)} "
            f"city(ies) ({', '.join(cities)}). Released notebooks: {self._where()}"
        )


def discover_workshops(folder: Path) -> list[Workshop]:
    found = [p for p in sorted(folder.glob("*.md")) if not p.name.startswith(("_", ".", "README"))]
    if not found:
        raise CdaError.single(
            folder, "there are no workshop notebooks (*.md) here.", "add a MyST workshop notebook."
        )
    return [Workshop(p.stem, p, p.read_text(encoding="utf-8")) for p in found]


def _check_workshop(ws: Workshop, nb: nbformat.NotebookNode) -> None:
    problems = []
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(params) != 1:
        problems.append(
            Problem(
                str(ws.path),
                f"a workshop needs exactly one code cell tagged 'parameters'; found {len(params)}.",
                'tag one code cell `:tags: [parameters]` holding `city: str = "riverton"  # city id '
                'in the cohort` and `cohort_file: str = ""  # ...`.',
            )
        )
    else:
        names = set(parameter_names(nb))
        missing = [p for p in ("city", "cohort_file") if p not in names]
        if missing:
            problems.append(
                Problem(
                    str(ws.path),
                    f"the parameters cell does not declare {', '.join(missing)}.",
                    'declare `city: str = "riverton"` and `cohort_file: str = ""`, one per line.',
                    field="parameters",
                )
            )
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    if not graded:
        problems.append(
            Problem(
                str(ws.path),
                "no cell is graded (nbgrader metadata with grade: true).",
                "give each checkpoint cell nbgrader metadata with grade: true and points.",
            )
        )
    if problems:
        raise CdaError(problems)


def _lock(cell: nbformat.NotebookNode, grade_id: str) -> None:
    cell.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": grade_id,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False


#: A workshop that declares this parameter reads the course's other graded answers (the strategy
#: studio reads the draft strategy): the build injects the course folder, and the grader grades
#: it after every other workshop (see grade.reads_course).
COURSE_PARAMETER = "course_dir"


def city_source(
    ws: Workshop, city: str, cohort_file: str, course_dir: str = ""
) -> nbformat.NotebookNode:
    """The workshop for one city: papermill-injected parameters in a locked nbgrader cell (with
    the course folder, for a workshop that declares ``course_dir``)."""
    from papermill.parameterize import parameterize_notebook

    source = read_myst(ws.source)
    _check_workshop(ws, source)
    values = {"city": city, "cohort_file": cohort_file}
    reads_course = COURSE_PARAMETER in parameter_names(source)
    if reads_course:
        values[COURSE_PARAMETER] = course_dir
    nb: nbformat.NotebookNode = parameterize_notebook(
        source, values, kernel_name="python3", language="python"
    )
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            _lock(cell, PARAMETERS_GRADE_ID)
        elif "parameters" in tags and "nbgrader" not in cell.metadata:
            _lock(cell, DEFAULTS_GRADE_ID)
    learners_view(nb)
    # Cell ids must be unique and stable: nbgrader keys cells by grade_id, the rest by position.
    nb.metadata["cda"] = {"workshop": ws.name, "city": city, "reads_course": reads_course}
    if ws.language != SOURCE_LANGUAGE:  # the feedback page is written in it
        nb.metadata["cda"]["language"] = ws.language
    return nb


def learners_view(nb: nbformat.NotebookNode) -> None:
    """What a learner opens: one parameters cell (the city's, injected; the workshop's defaults
    cell is dropped), and every code cell's source collapsed (JupyterLab's
    ``jupyter.source_hidden``: the learner sees text, tables, charts, forms and verdicts; a click on
    the collapsed bar shows the code to the curious). The parameters cell too: the setup cell names
    the city in words, and JupyterLab gives a shown read-only editor no accessible name (axe's
    aria-input-field-name)."""
    injected = any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    if injected:
        nb.cells = [
            c
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id") != DEFAULTS_GRADE_ID
        ]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.metadata.setdefault("tags", []).append("parameters")
        cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def _runtime_cohort_file(cohort: Cohort) -> str:
    """The cohort_file parameter a released notebook gets: "" (resolved when it runs: the
    learner's ``$CDA_COHORT_FILE``, else the embedded demo cohort) when that is this cohort, so no
    path of the build machine is written into a learner's notebook; else the cohort file's path."""
    if cohort.path.resolve() == paths.default_cohort_file().resolve():
        return ""
    return str(cohort.path)


def _api(course: Course) -> Any:
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(coursedir=course.coursedir(), config=course.nbgrader_config())


def _nbgrader(result: dict[str, Any], what: str, where: Path) -> None:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()[-8:]
        raise CdaError.single(
            where,
            f"nbgrader could not {what}: " + " | ".join(detail),
            "fix the workshop's nbgrader metadata (see the message), then run again.",
        )


def _resolve_cohort(cohort: Cohort | Path | None) -> Cohort:
    return cohort if isinstance(cohort, Cohort) else load_cohort(cohort)


def build_course(
    *,
    workshops_dir: Path | None = None,
    course_dir: Path = defaults.COURSE_DIR,
    cohort: Cohort | Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    per_city: bool = False,
    cohort_param: str | None = None,
) -> BuildReport:
    """Make (or update) the nbgrader course folder: config, gradebook and per-city sources.

    Sources are converted from MyST in memory; ``.ipynb`` files are written only inside
    ``course_dir`` (git-ignored). An existing gradebook is kept, with its grades.

    ``per_city``: one nbgrader course per city (``course_dir/<city>/``, course id = the city,
    assignments = the workshops), nbgrader's multiple-classes layout used by the live cohort's hub.
    ``cohort_param``: what the notebooks' ``cohort_file`` parameter is set to (default: "" when
    this is the cohort the notebooks find at run time, else this cohort file's path; the hub gives "" so a released notebook names no path of the build machine, and
    each learner's server says where its city's cohort file is, in ``CDA_COHORT_FILE``).
    """
    tools_on_path()
    loaded = _resolve_cohort(cohort)
    workshops = discover_workshops(workshops_dir or paths.workshops_dir())
    root = course_dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    cohort_file = _runtime_cohort_file(loaded) if cohort_param is None else cohort_param
    courses = (
        {city.id: Course(root / city.id) for city in loaded.cities}
        if per_city
        else dict.fromkeys((c.id for c in loaded.cities), Course(root))
    )
    from nbgrader.api import Gradebook

    assignments = []
    languages = {city.id: city.lang for city in loaded.cities}
    for course in dict.fromkeys(courses.values()):
        course.root.mkdir(parents=True, exist_ok=True)
        course_id = course.root.name if per_city else COURSE_ID
        # a city's own course releases in its language; the shared demo course sets the stub per
        # city when it releases (:func:`release`)
        stub = code_stub(languages[course_id]) if per_city else NBGRADER_CODE_STUB
        atomic_write_text(
            course.config_file,
            NBGRADER_CONFIG.format(course_id=course_id, timeout=int(timeout), code_stub=stub),
        )
        course.__dict__.pop("course_id", None)  # re-read from the file just written
    for ws in workshops:
        for city in loaded.cities:
            course = courses[city.id]
            aid = course.assignment(ws.name, city.id)
            nb = city_source(ws.edition(city.lang), city.id, cohort_file, str(course.root))
            # Form answers saved while trying the source notebook would be released to every
            # learner and copied over their submissions by the grader: the source has none.
            course.source(aid).joinpath(f"{ws.name}{FORM_SUFFIX}").unlink(missing_ok=True)
            atomic_write_text(
                course.source(aid) / f"{ws.name}.ipynb",
                nbformat.writes(nb),
            )
            assignments.append(aid if not per_city else f"{city.id}/{aid}")
    import shutil

    for course in dict.fromkeys(courses.values()):
        wanted = {
            a.rsplit("/", 1)[-1]
            for a in assignments
            if not per_city or a.startswith(f"{course.root.name}/")
        }
        # Remove sources of workshops or cities that are gone (their grades stay in the gradebook).
        for old in set(course.assignments()) - wanted:
            shutil.rmtree(course.source(old), ignore_errors=True)
        with gradebook_lock(course), Gradebook(course.db_url, course_id=course.course_id):
            pass  # creates the gradebook's tables
    atomic_write_text(
        root / BUILD_RECORD,
        json.dumps(
            {
                "cohort": str(loaded.path),
                "workshops": [w.name for w in workshops],
                "per_city": per_city,
            },
            indent=1,
        ),
    )
    return BuildReport(
        root, assignments, [w.name for w in workshops], [c.id for c in loaded.cities]
    )


def _learners(loaded: Cohort) -> tuple[list[Learner], dict[str, dict[str, str]]]:
    learners: list[Learner] = []
    private: dict[str, dict[str, str]] = {}
    seen: dict[str, str] = {}
    for city in loaded.cities:
        for member in city.senior_team:
            sid = student_id(city.id, str(member.email))
            if sid in private:
                continue  # listed twice in one city (the cohort check reports it)
            if sid in seen:
                raise CdaError.single(
                    loaded.path,
                    f"two senior team members get the same learner id {sid}.",
                    "give each member a distinct email.",
                    city=city.id,
                )
            seen[sid] = city.id
            first, _, last = member.name.partition(" ")
            private[sid] = {"first_name": first, "last_name": last, "email": str(member.email)}
            learners.append(Learner(sid, city.id, member.role))
    return learners, private


def release(
    *,
    cohort: Cohort | Path | None = None,
    course_dir: Path = defaults.COURSE_DIR,
    workshops_dir: Path | None = None,
) -> ReleaseReport:
    """Register every senior team member as a learner and release each city's notebooks.

    Builds the course first when it has not been built. Released notebooks carry the city's
    parameters in a locked cell and contain no solutions or hidden tests (nbgrader's
    ``generate_assignment``). A folder with one course per city is released course by course;
    each city's gradebook registers only that city's learners.
    """
    from cohort_tools.course.layout import course_folders

    tools_on_path()
    schemas_checked_once()
    cells_saved_in_one_transaction()
    gradebook_engines_reused()
    loaded = _resolve_cohort(cohort)
    root = course_dir.resolve()
    if not course_folders(root) or not any(c.assignments() for c in course_folders(root)):
        build_course(workshops_dir=workshops_dir, course_dir=course_dir, cohort=loaded)
    learners, private = _learners(loaded)
    from nbgrader.api import Gradebook

    city_ids = {c.id for c in loaded.cities}
    released: dict[str, list[Path]] = {c: [] for c in sorted(city_ids)}
    for course in course_folders(root):
        api = _api(course)
        mine = [ln for ln in learners if course.city in (None, ln.city)]
        languages = {c.id: c.lang for c in loaded.cities}
        with gradebook_lock(course):
            for aid in course.assignments():
                _, city = course.split(aid)
                if city not in city_ids:
                    continue
                # the stub left where each answer goes, in the city's language
                api.config.ClearSolutions.code_stub = code_stub(languages[city])
                _nbgrader(api.generate_assignment(aid), f"release {aid}", course.source(aid))
                released[city].extend(sorted(course.release(aid).glob("*.ipynb")))
            with Gradebook(course.db_url, course_id=course.course_id) as gb:
                for ln in mine:
                    gb.update_or_create_student(ln.id, **private[ln.id])
        course.write_learners(mine)
    if course_folders(root) != [Course(root)]:
        Course(root).write_learners(learners)  # the cohort's learners, for the reports
    return ReleaseReport(root, learners, released)

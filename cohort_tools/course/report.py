"""Feedback pages (nbgrader's generate_feedback, hidden tests removed) and the progress table/chart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cohort_tools.core import defaults
from cohort_tools.core.compat import feedback_in_language, html_exporter, nbgrader_resources
from cohort_tools.core.errors import CdaError
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import N_, _, format_percent
from cohort_tools.notebooks.myst import notebook_title
from cohort_tools.notebooks.reading import read_written

from .grade.gradebook import grade_id
from .grade.isolated import is_answer, is_checkpoint
from .layout import Course, course_folders, tools_on_path
from .names import Names, names

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
#: The progress table as text, beside its chart.
PROGRESS_TEXT = "progress.txt"


def _hide_hidden_tests(nb: Any) -> Any:
    """Remove hidden tests from grade cells, and replace the tracebacks of cells that had them.

    A traceback quotes the failing source line, which may be a hidden test; the plain verdict
    (the exception's name and message, e.g. a checkpoint's hint) is kept.
    """
    for cell in nb.cells:
        if cell.cell_type != "code" or HIDDEN_BEGIN not in cell.source:
            continue
        kept, hidden = [], False
        for line in cell.source.splitlines():
            if HIDDEN_BEGIN in line:
                hidden = True
            elif HIDDEN_END in line:
                hidden = False
            elif not hidden:
                kept.append(line)
        cell.source = "\n".join(kept)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
    return nb


def _only_what_the_team_wrote_and_the_checks(nb: Any) -> Any:
    """Hide the code of every cell that is not the team's answer (set-up, tables, charts, the
    notebook's parameters, the checkpoints), keeping what it showed: a feedback page is read by
    people who mostly do not code, and the notebook's own machinery is not theirs to review. The
    answers keep their code; a checkpoint keeps its heading (its title and score, which the score
    list links to) and its verdict. nbconvert leaves out the source of a cell whose metadata says
    ``transient.remove_source``, as its own TagRemovePreprocessor does; a checkpoint's source is
    emptied instead, because nbgrader's heading is drawn with the cell's code."""
    for cell in nb.cells:
        if cell.cell_type != "code" or is_answer(cell):
            continue
        if is_checkpoint(cell):
            cell.source = ""
        else:
            cell.metadata["transient"] = {"remove_source": True}
    return nb


def _without_the_forms_code(nb: Any, released: Any | None) -> Any:
    """Answer cells without the code the notebook put under the answer line (the form that asks
    for it, and the helpers that build the form), when the team left it as released: that code
    is the notebook's, not the team's; what the form saved is in the cell's output. The lines the
    team wrote (or left as placeholders) stay."""
    from cohort_tools.lessons.checkpoints import code_stubs

    if released is None:
        return nb
    stubs = code_stubs()
    template: dict[str | None, list[str]] = {}
    for cell in released.cells:
        if cell.cell_type == "code" and is_answer(cell):
            lines = cell.source.splitlines()
            at = next((i for i, line in enumerate(lines) if line.strip() in stubs), None)
            if at is not None and at + 1 < len(lines):
                template[grade_id(cell)] = lines[at + 1 :]
    for cell in nb.cells:
        machinery = template.get(grade_id(cell))
        if cell.cell_type != "code" or not is_answer(cell) or not machinery:
            continue
        lines = cell.source.rstrip("\n").splitlines()
        if len(lines) > len(machinery) and lines[-len(machinery) :] == machinery:
            cell.source = "\n".join(lines[: -len(machinery)])
    return nb


def _released(course: Course, assignment: str, notebook: str) -> Any | None:
    """The notebook as released to the learners (None when it is not there)."""
    path = course.release(assignment) / f"{notebook}.ipynb"
    return read_written(path) if path.is_file() else None


def checkpoint_titles(nb: Any) -> dict[str, str]:
    """Each checkpoint cell's grade id and the title its code gives it
    (``with nb.Checkpoint("the baseline") as cp:``), for the page's headings and score list."""
    import ast

    titles: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not is_checkpoint(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Checkpoint"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                titles[grade_id(cell) or ""] = node.args[0].value
                break
    return titles


def feedback(*, course_dir: Path = defaults.COURSE_DIR) -> list[Path]:
    """Write each graded submission's HTML feedback page (course/feedback/<learner>/<assignment>/).

    nbgrader's GenerateFeedback makes the page from the autograded notebook after hidden tests (and
    tracebacks that could quote them) are removed. Pages name the learner only by pseudonymous id.
    """
    tools_on_path()
    courses = course_folders(course_dir.resolve())
    if not courses:
        raise CdaError.single(
            course_dir.resolve(), "this is not a built course folder.", "run `cda course build`."
        )
    written: list[Path] = []
    for course in courses:
        written += _feedback_of(course)
    return written


#: A course with at least this many graded notebooks makes its feedback pages in two processes or
#: more (up to the cores): a worker's start (about 2 s of imports) is paid back from there.
FEEDBACK_WORKERS_FROM = 24


def _feedback_of(course: Course) -> list[Path]:
    """The feedback pages of one nbgrader course, in order of their notebooks."""
    root = course.folder("autograded")
    paths = sorted(root.glob("*/*/*.ipynb")) if root.is_dir() else []
    workers = min(os.cpu_count() or 1, max(1, len(paths) // (FEEDBACK_WORKERS_FROM // 2)))
    if workers < 2 or len(paths) < FEEDBACK_WORKERS_FROM:
        return _feedback_pages(course, paths)
    # Each page is pure Python (nbconvert's templates, pygments): one process would make them one
    # at a time. This process makes one share while fresh interpreters (``python -m
    # cohort_tools.course.feedback_worker``: not forks, the caller may run threads; not
    # multiprocessing, which would import the caller's script again) make the others. Each page is
    # written in place, atomically.
    shares = [paths[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers - 1, "cda-feedback") as pool:
        others = [pool.submit(_feedback_elsewhere, course, share) for share in shares[1:]]
        made = _feedback_pages(course, shares[0])
        for future in others:
            made += future.result()
    # <learner>/<assignment>/<notebook>.html sorts as <learner>/<assignment>/<notebook>.ipynb
    return sorted(made)


def _feedback_elsewhere(course: Course, paths: list[Path]) -> list[Path]:
    """:func:`_feedback_pages` in a worker process (see ``feedback_worker``)."""
    job = json.dumps({"course": str(course.root), "notebooks": [str(p) for p in paths]})
    command = [sys.executable, "-m", "cohort_tools.course.feedback_worker"]
    done = subprocess.run(command, input=job, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise CdaError.single(
            course.root / "feedback",
            f"the feedback pages could not be made:\n{tail}",
            "run `cda course feedback` again; if it fails the same way, report the message.",
        )
    return [Path(p) for p in json.loads(done.stdout)]


def _feedback_pages(course: Course, paths: list[Path]) -> list[Path]:
    """The feedback pages of these graded notebooks of ``course``, written."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.preprocessors import GetGrades

    if not paths:
        return []
    # nbgrader's own converter, used only to configure the exporter exactly as generate_feedback does.
    conv = GenerateFeedback(coursedir=course.coursedir(), config=course.nbgrader_config())
    written = []
    # One exporter for the course: building one compiles its templates again (nbconvert has no
    # type hints for these).
    plain = html_exporter(config=conv.config)
    plain.register_preprocessor(CSSHTMLHeaderPreprocessor(config=conv.config), enabled=True)
    for path in paths:
        student, assignment, notebook = path.parent.parent.name, path.parent.name, path.stem
        nb = read_written(path)
        resources = nbgrader_resources(
            db_url=course.db_url,
            student=student,
            assignment=assignment,
            notebook=notebook,
            path=path.parent,
        )
        # GetGrades reads the scores first (it needs the original cells), then hidden tests go.
        nb, resources = GetGrades(config=conv.config).preprocess(nb, resources)
        titles = checkpoint_titles(nb)
        nb = _only_what_the_team_wrote_and_the_checks(_hide_hidden_tests(nb))
        nb = _without_the_forms_code(nb, _released(course, assignment, notebook))
        html, _ = plain.from_notebook_node(nb, resources=resources)
        html = feedback_in_language(
            html,
            nb.metadata.get("cda", {}).get("language", "en"),
            notebook=notebook,
            title=notebook_title(nb),
            checkpoints=titles,
        )
        target = course.feedback(student, assignment) / f"{notebook}.html"
        atomic_write_text(target, html)
        written.append(target)
    return written


#: A learner's assignment in the progress table.
ProgressStatus = Literal["graded", "not submitted"]


@dataclass
class ProgressRow:
    city: str
    learner: str
    role: str
    module: str
    workshop: str
    status: ProgressStatus
    score: float | None
    max_score: float
    awaiting_coach: bool


def _module(workshop: str) -> str:
    head = workshop.split("_", 1)[0]
    return head if head.startswith("m") and head[1:].isdigit() else "other"


def progress_rows(course: Course) -> list[ProgressRow]:
    """One row per learner and workshop of their city, in every course of the course folder."""
    courses = course_folders(course.root)
    if courses != [course]:
        return [row for c in courses for row in progress_rows(c)]
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(course.db_url, course_id=course.course_id) as gb:
        for ln in sorted(course.learners().values(), key=lambda x: (x.city, x.role, x.id)):
            for aid in course.assignments():
                workshop, city = course.split(aid)
                if city != ln.city:
                    continue
                try:
                    max_score = float(gb.find_assignment(aid).max_score)
                except MissingEntry:
                    max_score = 0.0
                status: ProgressStatus
                try:
                    sub = gb.find_submission(aid, ln.id)
                    status, score, manual = "graded", float(sub.score), bool(sub.needs_manual_grade)
                except MissingEntry:
                    status, score, manual = "not submitted", None, False
                rows.append(
                    ProgressRow(
                        city,
                        ln.id,
                        ln.role,
                        _module(workshop),
                        workshop,
                        status,
                        score,
                        max_score,
                        manual,
                    )
                )
    return rows


@dataclass(frozen=True)
class CoachReading:
    """What the coach has done with one submission's answers that a person grades (reflections
    and other written answers, scored with their rubric on the grading page)."""

    answers: int  # written answers that a coach scores
    read: int  # of which the coach has scored
    points: float  # the coach's points on those it scored
    max_points: float  # the most those answers can earn, all of them

    @property
    def waiting(self) -> int:
        return self.answers - self.read


def _holds_grades(gradebook: Path) -> bool:
    """Whether the gradebook file can hold a grade. An empty file (the sandbox's mark of a course
    view, :func:`cohort_tools.course.grade.isolated.course_view`) holds none, and opening it
    would make nbgrader create its tables and run its ``alembic`` command (a second Python
    process, about 4 s of CPU) for nothing."""
    try:
        return gradebook.stat().st_size > 0
    except OSError:
        return False


def coach_reading(course: Course, student: str, assignment: str) -> CoachReading | None:
    """The coach's manual scores on ``student``'s submission of ``assignment``, from the
    gradebook (None when the gradebook has no such submission, or it has no written answer)."""
    return coach_readings(course, [(student, assignment)])[(student, assignment)]


def coach_readings(
    course: Course, wanted: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], CoachReading | None]:
    """:func:`coach_reading` of each ``(student, assignment)``, with the gradebook opened once
    (a strategy reads one per workshop; each opening costs a new database engine, whose compiled
    queries are not shared)."""
    from nbgrader.api import Gradebook, MissingEntry

    found: dict[tuple[str, str], CoachReading | None] = dict.fromkeys(wanted)
    manual_of = {assignment: _written_answers(course, assignment) for _, assignment in wanted}
    if not any(manual_of.values()) or not _holds_grades(course.gradebook):
        return found
    tools_on_path()  # nbgrader may run its ``alembic`` command on an older gradebook
    with Gradebook(course.db_url, course_id=course.course_id) as gb:
        for student, assignment in wanted:
            manual = manual_of[assignment]
            if not manual:
                continue
            try:
                gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            read, points = 0, 0.0
            for notebook, gid, _ in manual:
                try:
                    grade = gb.find_grade(gid, notebook, assignment, student)
                except MissingEntry:
                    continue
                if grade.manual_score is not None:
                    read += 1
                    points += float(grade.manual_score)
            found[(student, assignment)] = CoachReading(
                len(manual), read, points, sum(p for _, _, p in manual)
            )
    return found


def _written_answers(course: Course, assignment: str) -> list[tuple[str, str, float]]:
    """The answers a coach scores by hand in ``assignment``: (notebook, grade id, points)."""
    manual: list[tuple[str, str, float]] = []
    for source in sorted(course.source(assignment).glob("*.ipynb")):
        nb = read_written(source)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and meta.get("solution") and meta.get("grade_id"):
                manual.append((source.stem, str(meta["grade_id"]), float(meta.get("points", 0))))
    return manual


#: The table's column headings and its status words (data keeps the English words).
_HEADINGS = (N_("city"), N_("learner"), N_("role"), N_("module"), N_("workshop"), N_("status"),
             N_("score"))  # fmt: skip
_STATUS = {"graded": N_("graded"), "not submitted": N_("not submitted")}


def _module_number(module: str) -> str:
    return module[1:] if module.startswith("m") and module[1:].isdigit() else "-"


def progress_table(rows: list[ProgressRow], shown_as: Names | None = None) -> str:
    """The table in the current language (``cda --language``): headings, status words and the
    closing line per city; cities, roles and workshops by name (``shown_as``: ids where no name is
    known); learners by their pseudonymous ids, on purpose; modules by number."""
    label = shown_as or Names()
    header = tuple(_(h) for h in _HEADINGS)
    body = [
        (
            label.city(r.city),
            r.learner,
            label.role(r.role),
            _module_number(r.module),
            label.workshop(r.workshop),
            _(_STATUS[r.status]),
            "-"
            if r.score is None
            else f"{r.score:g}/{r.max_score:g}"
            + (" (+" + _("coach") + ")" if r.awaiting_coach else ""),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=False)]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
        for row in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    cities = sorted({r.city for r in rows})
    for city in cities:
        mine = [r for r in rows if r.city == city]
        done = [r for r in mine if r.status == "graded"]
        share = (
            sum(r.score or 0 for r in done) / sum(r.max_score for r in done)
            if done and sum(r.max_score for r in done)
            else 0
        )
        line = _("{city}: {done}/{due} submitted; average score {share}")
        lines.append(
            line.format(
                city=label.city(city), done=len(done), due=len(mine), share=format_percent(share)
            )
        )
    return "\n".join(lines)


def progress(*, course_dir: Path = defaults.COURSE_DIR, out: Path | None = None) -> str:
    """The progress table (returned and, with ``out``, saved with an SVG chart and its text)."""
    tools_on_path()
    course = Course(course_dir.resolve())
    if not course_folders(course.root):
        raise CdaError.single(
            course.root, "this is not a built course folder.", "run `cda course build`."
        )
    rows = progress_rows(course)
    shown_as = names(course.root)
    text = progress_table(rows, shown_as)
    if out is not None:
        import altair as alt
        import pandas as pd
        import vl_convert as vlc

        frame = pd.DataFrame(
            [
                {
                    "city": shown_as.city(r.city),
                    "learner": r.learner,
                    "percent": 0.0
                    if r.score is None or not r.max_score
                    else 100 * r.score / r.max_score,
                    "status": r.status,
                }
                for r in rows
            ]
        )
        alt_text = (
            _(
                "Bar chart of each learner's autograded score as a percent of the points, grouped "
                "by city; learners who have not submitted show no bar."
            )
            + " "
            + text.splitlines()[-1]
        )
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                y=alt.Y("learner:N", title=_("Learner (pseudonymous id)")),
                x=alt.X(
                    "percent:Q", title=_("Score (% of points)"), scale=alt.Scale(domain=[0, 100])
                ),
                color=alt.Color("city:N", title=_("City")),
            )
            .properties(title=_("Workshop progress"), description=alt_text, width=360)
        )
        out.mkdir(parents=True, exist_ok=True)
        svg = vlc.vegalite_to_svg(chart.to_dict())
        atomic_write_text(out / "progress.svg", svg)
        atomic_write_text(out / PROGRESS_TEXT, text + "\n")
        atomic_write_text(out / "progress-chart-description.txt", alt_text + "\n")
    return text

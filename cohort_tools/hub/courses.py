"""One city's course on the hub: the exchange, collecting, grading and releasing feedback.

Each city is one nbgrader course (course id = the city id; its assignments are the workshops), as
in nbgrader's multiple-classes set-up: the course folder ``<state>/courses/<city>`` belongs to the
city's grading account ``grader-<city>``, and the exchange folder ``<state>/exchange/<city>`` to the
same account, readable only by the city's group (``cda-<city>``: its learners). nbgrader's
``path_includes_course`` keeps each course's files apart in the one exchange.

Everything here runs as ``grader-<city>``: in the course's grading service (the page coaches use),
or from ``cda hub grade`` (which switches to that account). The grading itself is the project's
grader (:func:`cohort_tools.course.autograde`), feedback is the project's (hidden tests removed),
and the exchange steps are nbgrader's own (``NbGraderAPI``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import _
from cohort_tools.course.answers import answers_file, read_answers
from cohort_tools.lessons.rubrics import Rubric, rubrics_in
from cohort_tools.lessons.rubrics import score as rubric_score
from cohort_tools.lessons.rubrics import summary as rubric_summary

RUBRIC_CHOICES = "rubric_choices.json"  # beside the gradebook: the levels a coach chose


@dataclass(frozen=True)
class CityCourse:
    """One city's nbgrader course and its part of the exchange."""

    city: str
    root: Path
    exchange_root: Path

    def course(self) -> Any:
        from cohort_tools.course.layout import Course

        return Course(self.root)

    def config(self) -> Any:
        config = self.course().nbgrader_config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.course_id = self.city
        config.Exchange.root = str(self.exchange_root)
        config.Exchange.path_includes_course = True
        return config

    def api(self) -> Any:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config()
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    def assignments(self) -> list[str]:
        folder = self.root / "release"
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def _check(result: dict[str, Any], what: str, where: Path) -> str:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()[-6:]
        raise CdaError.single(
            where,
            f"nbgrader could not {what}: " + " | ".join(detail),
            "see the message; the exchange folder must belong to the course's grading account.",
        )
    return str(result.get("log") or "")


def release_to_exchange(course: CityCourse) -> list[str]:
    """Put every released workshop of the course in the exchange, where learners fetch it."""
    api = course.api()
    done = []
    for assignment in course.assignments():
        outbound = course.exchange_root / course.city / "outbound" / assignment
        if outbound.is_dir():
            continue  # already released: learners may have fetched it
        _check(api.release_assignment(assignment), f"release {assignment}", course.root)
        done.append(assignment)
    return done


@dataclass
class CollectReport:
    collected: list[str] = field(default_factory=list)  # "<learner> <workshop>"
    grade_lines: list[str] = field(default_factory=list)
    ok: bool = True

    def summary(self) -> str:
        if not self.collected:
            head = _("No new submissions to collect.")
        else:
            head = _("Collected {count} new submission(s).").format(count=len(self.collected))
        return "\n".join([head, *self.grade_lines])


def _submitted_stamps(course: CityCourse) -> dict[tuple[str, str], str]:
    stamps = {}
    for stamp in (course.root / "submitted").glob("*/*/timestamp.txt"):
        stamps[(stamp.parent.parent.name, stamp.parent.name)] = stamp.read_text().strip()
    return stamps


def collect_and_grade(course: CityCourse, *, jobs: int | None = None) -> CollectReport:
    """Collect new submissions from the exchange, then grade them with the project's grader."""
    from cohort_tools.course import autograde

    before = _submitted_stamps(course)
    api = course.api()
    for assignment in course.assignments():
        _check(api.collect(assignment, update=True), f"collect {assignment}", course.root)
    after = _submitted_stamps(course)
    report = CollectReport(
        collected=sorted(f"{s} {a}" for (s, a), t in after.items() if before.get((s, a)) != t)
    )
    if report.collected:
        graded = autograde(course_dir=course.root, jobs=jobs)
        report.grade_lines = graded.summary().splitlines()
        report.ok = bool(graded.ok)
        kept = reapply_manual_grades(course)
        if kept:
            report.grade_lines.append(
                _("Kept {count} reflection grade(s) of submissions that did not change.").format(
                    count=kept
                )
            )
    return report


def reapply_manual_grades(course: CityCourse) -> int:
    """Put back the coach's grades of reflections whose submission has not changed since.

    Grading a submission again (when a learner's other workshop is collected) resets nbgrader's
    manual scores; a resubmitted notebook must be graded again, an unchanged one keeps its grade.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from cohort_tools.course.layout import gradebook_lock

    stamps = _submitted_stamps(course)
    kept = 0
    choices = _read_choices(course)
    with (
        gradebook_lock(course.course()),
        Gradebook(course.course().db_url, course_id=course.city) as gb,
    ):
        for key, choice in choices.items():
            student, assignment, notebook, grade_id = key.split("/", 3)
            if (
                not choice.get("submission")
                or stamps.get((student, assignment)) != choice["submission"]
            ):
                continue
            try:
                grade = gb.find_grade(grade_id, notebook, assignment, student)
                comment = gb.find_comment(grade_id, notebook, assignment, student)
            except MissingEntry:
                continue
            if grade.manual_score != choice.get("points") or grade.needs_manual_grade:
                grade.manual_score = choice.get("points")
                grade.needs_manual_grade = False
                comment.manual_comment = choice.get("text", "")
                kept += 1
        gb.db.commit()
    return kept


@dataclass
class ReleaseReport:
    pages: int
    released: list[str]

    def summary(self) -> str:
        released = ", ".join(self.released) or _("nothing new")
        return _(
            "Feedback written for {count} submission(s) and released to the learners ({released})."
        ).format(count=self.pages, released=released)


def release_feedback(course: CityCourse) -> ReleaseReport:
    """Write each graded submission's feedback page (no hidden tests) and release it to learners."""
    import shutil

    from cohort_tools.core.fileio import atomic_write_text
    from cohort_tools.course import feedback

    pages = feedback(course_dir=course.root)
    # nbgrader's release_feedback names each page by the submission's secret and time, which its
    # own generate_feedback copies beside the page: so do we.
    for page in pages:
        submitted = course.root / "submitted" / page.parent.parent.name / page.parent.name
        for name in ("timestamp.txt", "submission_secret.txt"):
            if (submitted / name).is_file():
                shutil.copy2(submitted / name, page.parent / name)
    api = course.api()
    released = []
    for assignment in course.assignments():
        if any((course.root / "feedback").glob(f"*/{assignment}/*.html")):
            _check(
                api.release_feedback(assignment), f"release feedback of {assignment}", course.root
            )
            released.append(assignment)
    record = _read_released(course)
    stamps = _submitted_stamps(course)
    for page in (course.root / "feedback").glob("*/*/*.html"):
        key = (page.parent.parent.name, page.parent.name)
        if key in stamps:
            record[f"{key[0]}/{key[1]}"] = stamps[key]
    atomic_write_text(course.root / RELEASED, json.dumps(record, indent=1, sort_keys=True))
    return ReleaseReport(len(pages), released)


# -- grading the reflections against their rubrics ------------------------------------------------


@dataclass
class ManualItem:
    """One answer a coach grades: the question, the learner's answer, the rubric, what was given."""

    notebook: str
    grade_id: str
    question: str  # Markdown of the cells just above the answer
    answer: str
    max_points: float
    rubric: Rubric | None
    score: float | None
    answer_text: str  # the answer's value as the grader saw it (e.g. the reflection's text)
    comment: str  # as the learner sees it: the levels chosen, then the coach's own words
    chosen: list[str]
    own_comment: str  # the coach's own words


def _cells_by_id(nb: Any) -> dict[str, int]:
    return {
        c.metadata["nbgrader"]["grade_id"]: i
        for i, c in enumerate(nb.cells)
        if "nbgrader" in c.metadata and "grade_id" in c.metadata["nbgrader"]
    }


def _question(nb: Any, index: int) -> str:
    """The Markdown just above a cell (up to the previous code cell)."""
    parts = []
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type != "markdown":
            break
        parts.append(cell.source)
    return "\n\n".join(reversed(parts))


def _assigned(source: str) -> list[str]:
    """Names a cell assigns at its top level, in order."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _choices_file(course: CityCourse) -> Path:
    return course.root / RUBRIC_CHOICES


def _read_choices(course: CityCourse) -> dict[str, dict[str, Any]]:
    path = _choices_file(course)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _choice_key(student: str, assignment: str, notebook: str, grade_id: str) -> str:
    return f"{student}/{assignment}/{notebook}/{grade_id}"


def manual_items(course: CityCourse, student: str, assignment: str) -> list[ManualItem]:
    """Every answer of a submission that needs a coach, with its rubric (from the source notebook)."""
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry

    items = []
    choices = _read_choices(course)
    sources = sorted((course.root / "source" / assignment).glob("*.ipynb"))
    with Gradebook(course.course().db_url, course_id=course.city) as gb:
        for source in sources:
            notebook = source.stem
            nb = nbformat.read(source, as_version=4)
            rubrics = rubrics_in(nb)
            index = _cells_by_id(nb)
            graded = course.root / "autograded" / student / assignment / source.name
            submitted: Any = None
            if graded.is_file():
                submitted = nbformat.read(graded, as_version=4)
            answers = _cells_by_id(submitted) if submitted is not None else {}
            values = read_answers(answers_file(graded.parent, notebook)) or {}
            for gid, i in index.items():
                meta = nb.cells[i].metadata["nbgrader"]
                if not (meta.get("grade") and meta.get("solution")):
                    continue
                try:
                    grade = gb.find_grade(gid, notebook, assignment, student)
                    comment = gb.find_comment(gid, notebook, assignment, student)
                except MissingEntry:  # not graded yet: nothing to show
                    continue
                choice = choices.get(_choice_key(student, assignment, notebook, gid), {})
                answer = str(submitted.cells[answers[gid]].source) if gid in answers else ""
                value = next(
                    (
                        values[n]
                        for n in reversed(_assigned(answer))
                        if isinstance(values.get(n), str)
                    ),
                    None,
                )
                items.append(
                    ManualItem(
                        notebook=notebook,
                        grade_id=gid,
                        question=_question(nb, i),
                        answer=answer,
                        answer_text=value if value is not None else answer,
                        max_points=float(meta.get("points", 0)),
                        rubric=rubrics.get(gid),
                        score=grade.manual_score,
                        comment=comment.manual_comment or "",
                        chosen=list(choice.get("levels", [])),
                        own_comment=str(choice.get("comment", "")),
                    )
                )
    return items


def save_manual_grade(
    course: CityCourse,
    *,
    student: str,
    assignment: str,
    notebook: str,
    grade_id: str,
    chosen: list[str],
    comment: str,
) -> float:
    """Score one answer from the rubric levels chosen; keep the comment (with the levels on top)."""
    from nbgrader.api import Gradebook

    from cohort_tools.core.fileio import atomic_write_text
    from cohort_tools.course.layout import gradebook_lock

    item = next(
        (
            i
            for i in manual_items(course, student, assignment)
            if i.notebook == notebook and i.grade_id == grade_id
        ),
        None,
    )
    if item is None or item.rubric is None:
        raise CdaError.single(
            course.root,
            f"{student} has no graded answer '{grade_id}' with a rubric in {assignment}.",
            "collect and autograde the submission first.",
        )
    points = rubric_score(item.rubric, chosen)
    text = rubric_summary(item.rubric, chosen) + (
        "\n\n" + comment.strip() if comment.strip() else ""
    )
    with (
        gradebook_lock(course.course()),
        Gradebook(course.course().db_url, course_id=course.city) as gb,
    ):
        grade = gb.find_grade(grade_id, notebook, assignment, student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gb.find_comment(grade_id, notebook, assignment, student).manual_comment = text
        gb.db.commit()
        choices = _read_choices(course)
        choices[_choice_key(student, assignment, notebook, grade_id)] = {
            "levels": list(chosen),
            "comment": comment.strip(),
            "points": points,
            "text": text,
            "submission": _submitted_stamps(course).get((student, assignment), ""),
        }
        atomic_write_text(_choices_file(course), json.dumps(choices, indent=1, sort_keys=True))
    return points


# -- what the grading page lists ---------------------------------------------------------------------


@dataclass
class SubmissionRow:
    student: str
    assignment: str
    submitted: str  # timestamp, "" if not collected
    auto: tuple[float, float] | None  # (score, max) of the checkpoints
    manual_done: int
    manual_total: int
    feedback: bool  # a feedback page has been released

    @property
    def needs_coach(self) -> bool:
        return self.manual_done < self.manual_total


def manual_grade_ids(course: CityCourse, assignment: str) -> set[tuple[str, str]]:
    """(notebook, grade_id) of every answer a coach grades in a workshop (from its source)."""
    import nbformat

    found = set()
    for source in (course.root / "source" / assignment).glob("*.ipynb"):
        nb = nbformat.read(source, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and meta.get("solution"):
                found.add((source.stem, meta["grade_id"]))
    return found


def submission_rows(course: CityCourse) -> list[SubmissionRow]:
    """Every collected submission: its checkpoints' score, its reflections graded, its feedback."""
    from nbgrader.api import Gradebook, MissingEntry

    rows: list[SubmissionRow] = []
    if not course.course().gradebook.is_file():
        return rows
    stamps = _submitted_stamps(course)
    released = _read_released(course)
    manual = {a: manual_grade_ids(course, a) for a in course.assignments()}
    with Gradebook(course.course().db_url, course_id=course.city) as gb:
        for (student, assignment), stamp in sorted(stamps.items()):
            wanted = manual.get(assignment, set())
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                rows.append(SubmissionRow(student, assignment, stamp, None, 0, len(wanted), False))
                continue
            auto = max_auto = 0.0
            done = 0
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if (nb.name, grade.name) in wanted:
                        done += grade.manual_score is not None
                    else:
                        auto += grade.score
                        max_auto += grade.max_score
            rows.append(
                SubmissionRow(
                    student,
                    assignment,
                    stamp,
                    (auto, max_auto),
                    done,
                    len(wanted),
                    released.get(f"{student}/{assignment}") == stamp,
                )
            )
    return rows


RELEASED = (
    "feedback_released.json"  # learner/workshop -> the submission time whose feedback went out
)


def _read_released(course: CityCourse) -> dict[str, str]:
    path = course.root / RELEASED
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- set up at hub start (as root) -------------------------------------------------------------------


def build_and_release(plan: Any, cohort: Any, workshops_dir: Path | None = None) -> list[str]:
    """Build each city's course from the workshops (the project's course build, one course per
    city, no build-machine path in the notebooks), register its learners, generate the learners'
    copies, hand each course to its grading account, and put the workshops in the exchange."""
    import os

    from cohort_tools.course.build import build_course, release
    from cohort_tools.hub.accounts import grader_user_name, system_user

    root = plan.state_dir / "courses"
    build_course(
        workshops_dir=workshops_dir,
        course_dir=root,
        cohort=cohort,
        per_city=True,
        cohort_param="",
    )
    release(cohort=cohort, course_dir=root, workshops_dir=workshops_dir)
    lines = []
    for city in plan.cities:
        grader = system_user(grader_user_name(city))
        assert grader is not None
        folder = plan.course_dir(city)
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in [*dirnames, *filenames]:
                os.chown(Path(dirpath) / name, grader.pw_uid, grader.pw_gid, follow_symlinks=False)
        os.chown(folder, grader.pw_uid, grader.pw_gid)
        folder.chmod(0o700)
        lines.append(run_as_grader(plan, city, "release"))
    return lines


# -- run as the grading account --------------------------------------------------------------------

GRADE_STEPS = ("release", "grade")


def run_as_grader(plan: Any, city: str, step: str) -> str:
    """Run one step for a city's course as its grading account (from root); return its output."""
    import subprocess

    from cohort_tools.hub.accounts import grader_user_name
    from cohort_tools.hub.environment import cda_home

    command = [
        "runuser",
        "-u",
        grader_user_name(city),
        "--",
        "env",
        f"HOME={plan.home_root / grader_user_name(city)}",
        f"PATH={plan.prefix / 'bin'}:/usr/bin:/bin",
        f"CDA_HOME={cda_home(plan.prefix)}",
        f"CDA_COHORT_FILE={plan.city_cohort_file(city)}",
        "JUPYTER_PLATFORM_DIRS=1",
        "PYDEVD_DISABLE_FILE_VALIDATION=1",
        str(plan.prefix / "bin" / "python"),
        "-m",
        "cohort_tools.hub.courses",
        step,
        "--state",
        str(plan.state_dir),
        "--city",
        city,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=plan.course_dir(city), check=False
    )
    if result.returncode != 0:
        raise CdaError.single(
            plan.course_dir(city),
            f"the {step} step of {city}'s course failed:\n"
            + "\n".join((result.stderr or result.stdout).strip().splitlines()[-12:]),
            "see the message; then run the command again.",
            city=city,
        )
    return result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    """``python -m cohort_tools.hub.courses release|grade --state DIR --city ID`` (as the grader)."""
    import argparse

    from cohort_tools.hub.plan import load_plan

    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=GRADE_STEPS)
    parser.add_argument("--state", required=True, type=Path)
    parser.add_argument("--city", required=True)
    args = parser.parse_args(argv)
    plan = load_plan(args.state)
    course = CityCourse(args.city, plan.course_dir(args.city), plan.exchange_dir)
    try:
        if args.step == "release":  # the course build has generated release/ (as root)
            done = release_to_exchange(course)
            print(f"{args.city}: released {', '.join(done) or 'nothing new'}")
        else:
            collected = collect_and_grade(course)
            print(collected.summary())
            print(release_feedback(course).summary())
            return 0 if collected.ok else 1
    except CdaError as exc:
        print(str(exc))
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""The course end to end on the demo cohort: leaks, bad submissions, tampering, concurrent graders.

One course is built and released per module; each bad submission is one extra learner folder, so the
suite grades the whole set in a single autograde run (few notebook executions).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cohort_tools.core import paths
from cohort_tools.course import report
from cohort_tools.course.build import build_course, release
from cohort_tools.course.grade import GradeReport, autograde, copy_course
from cohort_tools.course.layout import Course, assignment_id
from cohort_tools.course.report import feedback, progress
from cohort_tools.course.samples import sample_notebook, write_submission

pytestmark = pytest.mark.slow

WORKSHOP = "m1_workshop_a_data_routines"
AID = assignment_id(WORKSHOP, "riverton")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Course, GradeReport]:
    root = tmp_path_factory.mktemp("course") / "course"
    build_course(workshops_dir=paths.workshops_dir(), course_dir=root, timeout=8)
    release(course_dir=root)
    course = Course(root)
    good = sample_notebook(course, AID, "correct")

    def edited(fn: object) -> nbformat.NotebookNode:
        nb = nbformat.from_dict(json.loads(nbformat.writes(good)))
        fn(nb)  # type: ignore[operator]
        return nb

    def answer(nb: nbformat.NotebookNode, gid: str, src: str) -> None:
        for c in nb.cells:
            if c.metadata.get("nbgrader", {}).get("grade_id") == gid:
                c.source = src

    def param_city(nb: nbformat.NotebookNode) -> None:
        answer(nb, "city-parameters", 'city = "port-alder"\ncohort_file = ""')

    def drop(gid: str):  # type: ignore[no-untyped-def]
        def fn(nb: nbformat.NotebookNode) -> None:
            nb.cells = [
                c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != gid
            ]

        return fn

    cases = {
        "riverton-correct": good,
        "riverton-syntax": edited(lambda nb: answer(nb, "answer-baseline", "baseline_days = (4.5")),
        "riverton-loop": edited(lambda nb: answer(nb, "answer-target", "while True:\n    pass")),
        "riverton-city": edited(param_city),
        "riverton-noparams": edited(drop("city-parameters")),
        "riverton-nocheck": edited(drop("check-baseline")),
        "riverton-editlock": edited(lambda nb: answer(nb, "check-target", "pass")),
    }
    for student, nb in cases.items():
        write_submission(course, student, AID, nb)
    write_submission(course, "riverton-empty", AID, b"")
    write_submission(course, "riverton-json", AID, '{"cells": [')
    (course.submitted("riverton-missing", AID)).mkdir(parents=True)
    write_submission(course, "riverton-missing", AID, good).rename(
        course.submitted("riverton-missing", AID) / "Copy1.ipynb"
    )
    return course, autograde(course_dir=root, jobs=2)


def result(report: GradeReport, student: str):  # type: ignore[no-untyped-def]
    return next(r for r in report.results if r.student == student)


def test_every_submission_is_graded_and_the_run_succeeds(
    graded: tuple[Course, GradeReport],
) -> None:
    _, report = graded
    assert report.ok, report.summary()
    assert len(report.results) == 10
    assert (
        result(report, "riverton-correct").score == 9
    )  # 8 for the four exercises, 1 for the vision


@pytest.mark.parametrize(
    ("student", "score", "words"),
    [
        ("riverton-syntax", 7, "syntax error"),  # only the baseline checkpoint fails
        ("riverton-loop", 7, "time limit"),
        ("riverton-empty", 0, "empty file"),
        ("riverton-json", 0, "not a readable notebook"),
        ("riverton-missing", 0, "renamed copy"),
    ],
)
def test_bad_submission_scores_what_is_due_with_one_clear_line(
    graded: tuple[Course, GradeReport], student: str, score: float, words: str
) -> None:
    r = result(graded[1], student)
    assert r.score == score, r.line()
    assert any(words in n for n in r.notes), r.line()
    assert r.status != "error"


def test_an_edited_city_is_graded_against_the_released_city_and_reported(
    graded: tuple[Course, GradeReport],
) -> None:
    course, report = graded
    r = result(report, "riverton-city")
    assert r.score == 9
    assert any("city parameter was changed" in n and "riverton" in n for n in r.notes)
    out = nbformat.read(course.autograded("riverton-city", AID) / f"{WORKSHOP}.ipynb", 4)
    assert 'city = "riverton"' in "".join(c.source for c in out.cells)


def test_deleted_locked_cells_are_restored_and_reported(graded: tuple[Course, GradeReport]) -> None:
    _, report = graded
    for student, words in [
        ("riverton-noparams", "parameters cell was deleted"),
        ("riverton-nocheck", "'check-baseline' was deleted"),
        ("riverton-editlock", "'check-target' was edited"),
    ]:
        r = result(report, student)
        assert r.score == 9, r.line()
        assert any(words in n for n in r.notes), r.line()


def _secret_lines(course: Course, marker: str) -> set[str]:
    lines: set[str] = set()
    public: set[str] = set()  # lines also outside the markers (e.g. the answer's placeholder)
    for src in (course.root / "source").glob("*/*.ipynb"):
        for cell in nbformat.read(src, 4).cells:
            inside = False
            for line in cell.source.splitlines():
                if f"### BEGIN {marker}" in line:
                    inside = True
                elif f"### END {marker}" in line:
                    inside = False
                elif inside and len(line.strip()) > 12:
                    lines.add(line.strip())
                elif not inside:
                    public.add(line.strip())
    return lines - public


def test_no_released_or_feedback_file_holds_solutions_hidden_tests_names_or_emails(
    graded: tuple[Course, GradeReport],
) -> None:
    course, _ = graded
    pages = feedback(course_dir=course.root)
    assert pages
    hidden, solutions = _secret_lines(course, "HIDDEN TESTS"), _secret_lines(course, "SOLUTION")
    assert hidden and solutions
    people = [c for c in paths.DEMO_COHORT_FILE.read_text().split() if "@" in c or c.istitle()]
    emails = [w.strip("{},") for w in people if "@" in w]
    files = [p for p in (course.root / "release").rglob("*") if p.is_file()]
    files += [p for p in (course.root / "feedback").rglob("*") if p.is_file()]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, path
        # Feedback shows the learner's own answers (here the sample answers are the solutions).
        secret = hidden | (solutions if "release" in path.parts else set())
        leaked = [s for s in secret if s in text]
        assert not leaked, (path, leaked[:3])
        assert not [e for e in emails if e in text], path
        assert "Priya" not in text and "Raman" not in text, path


def test_feedback_pages_name_each_checkpoint_by_its_title_and_show_its_verdict_not_its_code(
    graded: tuple[Course, GradeReport],
) -> None:
    course, _ = graded
    pages = [p for p in feedback(course_dir=course.root) if "riverton-correct" in p.parts]
    assert pages
    page = pages[0].read_text(encoding="utf-8")
    assert '<span class="nbgrader-label">Checkpoint: the baseline for the most-requested' in page
    assert '<a href="#check-baseline">Checkpoint: the baseline for the most-requested' in page
    assert "Checkpoint passed: the baseline for the most-requested" in page
    assert "<code>check-" not in page and "with nb.Checkpoint" not in page
    assert not re.search(r"<pre><span></span>\s*</pre>", page)  # no empty code box in its place


def test_progress_table_and_chart_have_no_names(
    graded: tuple[Course, GradeReport], tmp_path: Path
) -> None:
    course, _ = graded
    text = progress(course_dir=course.root, out=tmp_path)
    assert "Riverton:" in text and "@" not in text and "Priya" not in text
    svg = (tmp_path / "progress.svg").read_text()
    assert svg.startswith("<svg") and "Priya" not in svg
    assert (tmp_path / "progress-chart-description.txt").read_text().strip()


def test_two_graders_at_once_leave_a_consistent_gradebook(
    graded: tuple[Course, GradeReport], tmp_path: Path
) -> None:
    course, first = graded
    copy = copy_course(course.root, tmp_path / "copy")
    keep = ["riverton-correct", "riverton-syntax", "riverton-city"]
    reports: list[GradeReport] = []
    threads = [
        threading.Thread(
            target=lambda: reports.append(autograde(course_dir=copy, jobs=1, students=keep))
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.ok for r in reports), [r.summary() for r in reports]
    con = sqlite3.connect(copy / "gradebook.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for r in reports:
        for s in keep:
            assert result(r, s).score == result(first, s).score


def test_feedback_pages_made_in_worker_processes_are_the_pages_one_process_makes(
    graded: tuple[Course, GradeReport], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    course, _ = graded
    one = copy_course(course.root, tmp_path / "one")
    several = copy_course(course.root, tmp_path / "several")
    alone = feedback(course_dir=one)
    monkeypatch.setattr(report, "FEEDBACK_WORKERS_FROM", 2)
    monkeypatch.setattr(report.os, "cpu_count", lambda: 2)
    spawned: list[object] = []
    real = report._feedback_elsewhere

    def counting(*args: Any) -> Any:
        spawned.append(args)
        return real(*args)

    monkeypatch.setattr(report, "_feedback_elsewhere", counting)
    shared = feedback(course_dir=several)
    assert spawned, "no worker process was started"
    assert len(alone) >= 2
    assert [p.relative_to(one) for p in alone] == [p.relative_to(several) for p in shared]
    for a, b in zip(alone, shared, strict=True):
        # nbconvert gives each widget view a fresh random id, whichever process makes the page
        assert _without_widget_ids(a) == _without_widget_ids(b), a.relative_to(one)


def _without_widget_ids(page: Path) -> str:
    uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    return re.sub(uuid, "<id>", page.read_text(encoding="utf-8"))

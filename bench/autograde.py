"""Benchmark: cda's autograder vs `nbgrader autograde` once per submission.

100 submissions (correct, partly correct, wrong, in turn) of the demo cohort's workshops are graded
three ways on copies of the same course folder: `cda course autograde` with isolation on (the
default: learner code in the city's sandbox, checkpoints in a trusted kernel), `cda course autograde
--trusted` (one kernel, no sandbox), and `nbgrader autograde` once per submission. Prints each time,
the ratios to nbgrader (target: isolation on >= 5x) and whether every score matches nbgrader's. A
benchmark, not a test. Run: .venv/bin/python bench/autograde.py [N]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cohort_tools.course.build import build_course, release
from cohort_tools.course.grade import autograde, copy_course
from cohort_tools.course.layout import COURSE_ID, Course, split_assignment_id, tools_on_path
from cohort_tools.course.samples import KINDS, sample_notebook, write_submission


def gradebook_scores(course: Path) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gb:
        return {
            (s.student.id, s.assignment.name): float(s.score)
            for a in gb.assignments
            for s in a.submissions
        }


def main(n: int = 100) -> None:
    tools_on_path()
    work = Path(tempfile.mkdtemp(prefix="cda-bench-autograde-"))
    base = work / "course"
    build_course(course_dir=base)
    release(course_dir=base)
    course = Course(base)
    assignments = course.assignments()
    samples = {(a, k): sample_notebook(course, a, k) for a in assignments for k in KINDS}
    for i in range(n):
        aid = assignments[i % len(assignments)]
        city = split_assignment_id(aid)[1]
        write_submission(course, f"{city}-bench{i:03d}", aid, samples[(aid, KINDS[i % 3])])
    ours, theirs = copy_course(base, work / "ours"), copy_course(base, work / "theirs")
    plain = copy_course(base, work / "trusted")
    cores = os.cpu_count()

    start = time.monotonic()
    report = autograde(course_dir=ours)
    t_ours = time.monotonic() - start

    start = time.monotonic()
    trusted_report = autograde(course_dir=plain, trusted=True)
    t_trusted = time.monotonic() - start

    start = time.monotonic()
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for student_dir in sorted((theirs / "submitted").iterdir()):
        for a in sorted(student_dir.iterdir()):
            subprocess.run(
                [nbgrader, "autograde", a.name, "--student", student_dir.name, "--force"],
                cwd=theirs,
                check=False,
                capture_output=True,
            )
    t_cli = time.monotonic() - start

    cli = gradebook_scores(theirs)
    print(f"submissions: {n} ({', '.join(KINDS)} in turn), cores: {cores}")
    print(f"nbgrader autograde, once per submission:              {t_cli:.1f} s")
    for label, seconds, folder, jobs in (
        ("cda course autograde, isolation on (default)", t_ours, ours, report.jobs),
        ("cda course autograde --trusted (no sandbox)", t_trusted, plain, trusted_report.jobs),
    ):
        mine = gradebook_scores(folder)
        mismatches = [
            (k, mine.get(k), cli.get(k))
            for k in sorted(set(mine) | set(cli))
            if mine.get(k) != cli.get(k)
        ]
        print(
            f"{label}, {jobs} at a time: {seconds:.1f} s = {t_cli / seconds:.2f}x nbgrader; "
            f"scores match nbgrader: {not mismatches} ({len(mine)} vs {len(cli)} graded)"
        )
        for m in mismatches[:10]:
            print("  mismatch:", m)
    print(f"work folder: {work}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)

"""Stall check (issue 15, item 4): 200 consecutive gradings of the demo's widget-cell notebook.

A grading that takes more than 10x the median is a stall (the old symptom: a widget cell run to its
60-180 s time limit while the notebook takes about 2 s alone). The demo cohort's first workshop (its
metric picker is an ipywidgets cell) is built into a course of that one workshop; one honest
submission (the solution) is graded N times in a row by the course's grader, one at a time, as
`cda course autograde` grades it. Prints the median, the slowest grading and the number of stalls,
which must be 0. A check, not a test. Run: .venv/bin/python bench/stall.py [N] [--trusted]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cohort_tools.core import paths
from cohort_tools.course.build import build_course, release
from cohort_tools.course.grade import Grader
from cohort_tools.course.layout import Course, assignment_id, tools_on_path
from cohort_tools.course.samples import sample_notebook, write_submission

WORKSHOP = "m1_workshop_a_data_routines"
CITY = "riverton"
STALL_FACTOR = 10


def main(n: int = 200, *, trusted: bool = False) -> int:
    tools_on_path()
    work = Path(tempfile.mkdtemp(prefix="cda-bench-stall-"))
    workshops = work / "workshops"
    workshops.mkdir()
    shutil.copy(paths.workshops_dir() / f"{WORKSHOP}.md", workshops)
    root = work / "course"
    build_course(workshops_dir=workshops, course_dir=root)
    release(course_dir=root)
    course = Course(root)
    aid = assignment_id(WORKSHOP, CITY)
    student = f"{CITY}-stall"
    write_submission(course, student, aid, sample_notebook(course, aid, "correct"))
    times: list[float] = []
    scores: set[float] = set()
    with Grader(course, jobs=1, timeout=None, trusted=trusted) as grader:
        for i in range(n):
            start = time.monotonic()
            result = grader.grade(student, aid)
            times.append(time.monotonic() - start)
            scores.add(result.score)
            if result.status == "error":
                print(f"grading {i + 1} failed: {result.notes}")
    median = statistics.median(times)
    stalls = [t for t in times if t > STALL_FACTOR * median]
    mode = "trusted (no sandbox)" if trusted else "isolated (sandbox + trusted checkpoint kernel)"
    print(f"gradings: {n} of {WORKSHOP} ({CITY}), one at a time, {mode}")
    print(f"median: {median:.2f} s, slowest: {max(times):.2f} s, scores seen: {sorted(scores)}")
    print(f"stalls (> {STALL_FACTOR}x the median): {len(stalls)}")
    shutil.rmtree(work, ignore_errors=True)
    return len(stalls)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(1 if main(int(args[0]) if args else 200, trusted="--trusted" in sys.argv) else 0)

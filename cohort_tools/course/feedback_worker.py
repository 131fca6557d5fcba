"""A worker that makes some of a course's feedback pages (see ``report._feedback_of``).

    python -m cohort_tools.course.feedback_worker < {"course": DIR, "notebooks": [PATH, ...]}

Reads the job as JSON on its input, writes each graded notebook's feedback page, and prints the
pages' paths as a JSON list. A failure is its traceback on the error output and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .layout import Course, tools_on_path
from .report import _feedback_pages


def main() -> None:
    job = json.loads(sys.stdin.read())
    tools_on_path()
    course = Course(Path(job["course"]))
    pages = _feedback_pages(course, [Path(p) for p in job["notebooks"]])
    print(json.dumps([str(p) for p in pages]))


if __name__ == "__main__":
    main()

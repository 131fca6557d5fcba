"""The verb on the cohort view: ``cda cohort view``.

A keyword-only typed function that delegates to :mod:`cohort_tools.cohort_view.page`; the CLI
(cohort_tools/cli.py) takes its option defaults from it.
"""

from __future__ import annotations

from pathlib import Path

from cohort_tools.core.defaults import COHORT_VIEW_DIR


def view(
    *, cohort: Path | None = None, course: Path | None = None, out: Path = COHORT_VIEW_DIR
) -> Path:
    """One page across the cohort: progress, maturity, strategy, commitments, showcases.

    ``course``: the course folder with progress and answers (default: ./course when it exists).
    Returns the page written.
    """
    from cohort_tools.cohort_view.page import write_cohort_view
    from cohort_tools.course.layout import course_or_default

    return write_cohort_view(cohort=cohort, course_dir=course_or_default(course), out=out)

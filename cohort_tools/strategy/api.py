"""The verb on the citywide data strategy: ``cda strategy build``.

A keyword-only typed function that delegates to :mod:`cohort_tools.strategy`; the CLI
(cohort_tools/cli.py) takes its option defaults from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cohort_tools.core.defaults import COURSE_DIR, STRATEGY_DIR

if TYPE_CHECKING:
    from cohort_tools.strategy import StrategyResult


def build(
    *,
    city: str | None = None,
    cohort: Path | None = None,
    course: Path = COURSE_DIR,
    out: Path = STRATEGY_DIR,
) -> list[StrategyResult]:
    """Assemble the citywide data strategy (HTML, PDF, Word) and its completeness report.

    ``city``: one city id (default: every city of the cohort); ``course``: the course folder holding
    the graded submissions; ``out``: one folder per city is written inside it.
    """
    from cohort_tools.strategy import build_strategies, build_strategy

    if city:
        return [build_strategy(city=city, cohort=cohort, course_dir=course, out=out)]
    return build_strategies(cohort=cohort, course_dir=course, out=out)

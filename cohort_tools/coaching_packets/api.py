"""The verbs on coaching packets and printed worksheets: ``cda packets build``,
``cda worksheets build``.

A keyword-only typed function that delegates to the packet engine; the CLI (cohort_tools/cli.py)
takes its option defaults from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from cohort_tools.core.defaults import PACKET_CELL_TIMEOUT, PACKETS_DIR, WORKSHEETS_DIR

if TYPE_CHECKING:
    from cohort_tools.coaching_packets.engine import PacketReport


def build(
    *,
    cohort: Path | None = None,
    cities: list[str] | None = None,
    templates: list[str] | None = None,
    out: Path = PACKETS_DIR,
    jobs: Annotated[int | None, Field(ge=1)] = None,
    scheduler: str | None = None,
    force: bool = False,
    show_code: bool = False,
    quiet: bool = False,
    timeout: Annotated[int, Field(ge=1)] = PACKET_CELL_TIMEOUT,
    course: Path | None = None,
) -> PacketReport:
    """Make the coaching packets: one page per template and one PDF per city, plus an index.

    ``cities`` and ``templates`` narrow the run (default: all); ``jobs`` is the notebooks run at once
    (default: the number of cores); ``scheduler`` a Dask scheduler address (tcp://host:8786) to run
    on a cluster; ``force`` re-runs unchanged packets; ``timeout`` the seconds one cell may run;
    ``course`` the course folder with the graded workshops (default: ./course when it exists).
    Packet failures are in the report (``report.ok``); unusable input raises CdaError.
    """
    from cohort_tools.coaching_packets import engine
    from cohort_tools.course.layout import course_or_default

    return engine.run_packets(
        cohort=cohort,
        cities=cities or None,
        templates=templates or None,
        out=out,
        jobs=jobs,
        scheduler=scheduler,
        force=force,
        show_code=show_code,
        quiet=quiet,
        timeout=timeout,
        course_dir=course_or_default(course),
    )


def build_worksheets(
    *,
    cohort: Path | None = None,
    cities: list[str] | None = None,
    workshops: list[str] | None = None,
    out: Path = WORKSHEETS_DIR,
    jobs: Annotated[int | None, Field(ge=1)] = None,
    force: bool = False,
    quiet: bool = False,
    timeout: Annotated[int, Field(ge=1)] = PACKET_CELL_TIMEOUT,
    course: Path | None = None,
) -> PacketReport:
    """Print the worksheets for in-person sessions: per city, the mayor's convening workbook and
    every workshop on the city's own data, each as a page and a PDF with blank forms to fill in by
    hand, plus an index.

    ``cities`` and ``workshops`` narrow the run (default: all); ``force`` re-runs unchanged
    worksheets; ``course`` the course folder the strategy studio reads (default: ./course when it
    exists). Failures are in the report (``report.ok``); unusable input raises CdaError.
    """
    from cohort_tools.coaching_packets import engine
    from cohort_tools.course.layout import course_or_default

    return engine.run_worksheets(
        cohort=cohort,
        cities=cities or None,
        workshops=workshops or None,
        out=out,
        jobs=jobs,
        force=force,
        quiet=quiet,
        timeout=timeout,
        course_dir=course_or_default(course),
    )

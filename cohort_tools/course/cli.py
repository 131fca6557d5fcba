"""``cda course build``, ``cda release``, ``cda autograde``, ``cda feedback``, ``cda progress``.

The lead registers :data:`COMMANDS` (name, function) on the main app, or ``course_app`` as a group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors

course_app = typer.Typer(help="The nbgrader course: build, release, grade, feedback, progress.")

CohortOpt = Annotated[
    Path | None, typer.Option("--cohort", help="Cohort file (YAML). Default: the demo cohort.")
]
CourseOpt = Annotated[Path, typer.Option("--course", help="Course folder.")]


@reports_errors
def build_command(
    cohort: CohortOpt = None,
    course: CourseOpt = Path("course"),
    workshops: Annotated[
        Path | None,
        typer.Option("--workshops", help="Workshops folder (MyST). Default: workshops/."),
    ] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=1, help="Seconds a cell may run.")] = 60,
) -> None:
    """Make the nbgrader course folder from the MyST workshops (one assignment per city)."""
    from cohort_tools.course.build import build_course

    typer.echo(
        build_course(
            workshops_dir=workshops, course_dir=course, cohort=cohort, timeout=timeout
        ).summary()
    )


@reports_errors
def release_command(cohort: CohortOpt = None, course: CourseOpt = Path("course")) -> None:
    """Register every senior team member and release each city's notebooks."""
    from cohort_tools.course.build import release

    typer.echo(release(cohort=cohort, course_dir=course).summary())


@reports_errors
def autograde_command(
    course: CourseOpt = Path("course"),
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Notebooks at once.")] = None,
    timeout: Annotated[
        int | None, typer.Option("--timeout", min=1, help="Seconds a cell may run.")
    ] = None,
) -> None:
    """Grade every submission; bad submissions are listed, only system failures exit non-zero."""
    from cohort_tools.course.grade import autograde

    report = autograde(course_dir=course, jobs=jobs, timeout=timeout)
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


@reports_errors
def feedback_command(course: CourseOpt = Path("course")) -> None:
    """Write each learner's HTML feedback (no names, no hidden tests)."""
    from cohort_tools.course.report import feedback

    pages = feedback(course_dir=course)
    typer.echo(f"{len(pages)} feedback page(s) in {course / 'feedback'}")


@reports_errors
def progress_command(
    course: CourseOpt = Path("course"),
    out: Annotated[Path | None, typer.Option("--out", help="Save table + SVG chart here.")] = None,
) -> None:
    """Completion and scores by city, learner and module (table; chart with --out)."""
    from cohort_tools.course.report import progress

    typer.echo(progress(course_dir=course, out=out))


course_app.command("build")(build_command)

#: (name, function) for the main app: `cda course build` is the group above; these are top level.
COMMANDS = [
    ("release", release_command),
    ("autograde", autograde_command),
    ("feedback", feedback_command),
    ("progress", progress_command),
]

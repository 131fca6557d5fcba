"""`cda strategy build`: the citywide data strategy, assembled from the team's answers and the city's data.

Outputs per city, in ``OUT/<city>/``: ``strategy.html``, ``strategy.pdf``, ``strategy.docx`` (an
editable Word copy), ``public-summary.html`` and ``public-summary.pdf`` (one page for residents),
``completeness.md`` and ``completeness.json`` (gaps, points to resolve, the quality rubric). The folder is built beside the
old one and swapped in only when every file is written, so a failed run leaves the last good
strategy in place.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohort_tools.core.defaults import COURSE_DIR, STRATEGY_DIR
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.fileio import atomic_write_bytes, staged_dir
from cohort_tools.core.i18n import SOURCE_LANGUAGE, _, reader_language, shared_language, speaking
from cohort_tools.course.layout import is_course
from cohort_tools.model.cohort import Cohort, load_cohort
from cohort_tools.model.programme import Programme, in_language, load_programme
from cohort_tools.render.page import PdfWorkers, settled

from .build import assemble, studio_sessions
from .collect import TeamAnswers, collect_team_answers
from .document import Strategy
from .fmt import in_country
from .render import (
    completeness_json,
    completeness_markdown,
    pdf_html,
    public_html,
    to_docx,
    to_html,
)

__all__ = [
    "Strategy",
    "StrategyResult",
    "TeamAnswers",
    "build_strategies",
    "build_strategy",
    "collect_team_answers",
    "review",
]

FILES = (
    "strategy.html",
    "strategy.pdf",
    "strategy.docx",
    "public-summary.html",
    "public-summary.pdf",
    "completeness.md",
    "completeness.json",
)


@dataclass
class StrategyResult:
    strategy: Strategy
    folder: Path
    language: str = SOURCE_LANGUAGE  # the city's: its line reads as its document does

    def summary(self) -> str:
        """One line per city, in the city's language unless ``cda --language`` asked for another."""
        s = self.strategy
        counts = {
            "city": s.city_name,
            "done": sum(sec.complete for sec in s.sections),
            "sections": len(s.sections),
            "gaps": len(s.gaps),
            "flags": len(s.flags),
            "report": self.folder / "completeness.md",
        }
        with speaking(reader_language(self.language)):
            text = _("{city}: {done} of {sections} sections complete")
            if s.gaps or s.flags:
                text += _(", {gaps} gap(s) and {flags} point(s) to resolve listed in {report}")
            return "  " + text.format(**counts)


def _course_problem(course_dir: Path) -> Problem | None:
    if is_course(course_dir):
        return None
    return Problem(
        file=str(course_dir),
        message=_(
            "there is no course here (no gradebook.db), so there are no workshop answers to "
            "build the strategy from."
        ),
        fix=_(
            "pass the course folder with --course, or run `cda course build`, `cda course "
            "release` and `cda course autograde` first."
        ),
    )


def build_strategy(
    *,
    city: str,
    cohort: Cohort | Path | None = None,
    course_dir: Path = COURSE_DIR,
    out: Path = STRATEGY_DIR,
    programme: Programme | None = None,
    made_on: dt.date | None = None,
) -> StrategyResult:
    """Assemble ``city``'s strategy and write its five files to ``out/<city>/`` (all or nothing)."""
    pending = _assembled(
        city=city,
        cohort=cohort,
        course_dir=course_dir,
        programme=programme,
        made_on=made_on,
        pdfs=PdfWorkers(0),
    )
    return pending.write(out)


@dataclass
class _Assembled:
    """A city's strategy and its files, the PDFs perhaps still being made."""

    strategy: Strategy
    city: str
    language: str
    files: dict[str, bytes | Future[bytes]]

    def write(self, out: Path) -> StrategyResult:
        """Write every file to ``out/<city>/`` (all or nothing), once the PDFs are made."""
        final = out / self.city
        with staged_dir(final) as tmp:
            for name, content in settled(self.files).items():
                atomic_write_bytes(tmp / name, content)
        return StrategyResult(self.strategy, final, self.language)


def _assembled(
    *,
    city: str,
    cohort: Cohort | Path | None,
    course_dir: Path,
    programme: Programme | None,
    made_on: dt.date | None,
    pdfs: PdfWorkers,
) -> _Assembled:
    """The city's strategy and its files; its two PDFs are handed to ``pdfs``."""
    loaded = cohort if isinstance(cohort, Cohort) else load_cohort(cohort)
    programme = programme or load_programme()
    target = loaded.city(city)  # CdaError naming the cohort file and the known cities
    # What goes wrong is said in the city's language (unless `cda --language` asked for another).
    with speaking(reader_language(target.lang)):
        problem = _course_problem(course_dir)
        if problem:
            headline = _("Cannot build the strategy of {city}.").format(city=target.name)
            raise CdaError([problem], headline=headline)
        team, problems = collect_team_answers(city, course_dir=course_dir, programme=programme)
        if problems:
            headline = _(
                "The strategy of {city} was not built (the last good one is kept): a submission "
                "it needs did not run to the end."
            ).format(city=target.name)
            raise CdaError(problems, headline=headline)
    # The document is written in the city's language, with its country's money and numbers.
    with speaking(target.lang), in_country(target.country):
        local = in_language(programme, target.lang)
        strategy = assemble(target, team, local, loaded, made_on=made_on)
        public = public_html(strategy)
        files: dict[str, bytes | Future[bytes]] = {
            "strategy.html": to_html(strategy).encode("utf-8"),
            "strategy.pdf": pdfs.submit([pdf_html(strategy)]),
            "strategy.docx": to_docx(strategy),
            "public-summary.html": public.encode("utf-8"),
            "public-summary.pdf": pdfs.submit([public]),
            "completeness.md": completeness_markdown(strategy).encode("utf-8"),
            "completeness.json": completeness_json(strategy).encode("utf-8"),
        }
    return _Assembled(strategy, city, target.lang, files)


def review(
    *,
    city: str,
    cohort: Cohort | Path | None = None,
    course_dir: Path | None = None,
    studio: Mapping[str, Any] | None = None,
) -> tuple[Strategy | None, list[Problem]]:
    """The strategy's content as it stands (nothing written, no chart drawn), for packets, the
    cohort view and the strategy studio.

    None when there is no course folder yet; the problems list submissions that did not run.
    ``studio``: the strategy studio's answers to apply instead of the team's graded studio
    submission; ``{}`` gives the draft the studio works on (every workshop, no studio decision).
    """
    if course_dir is None or _course_problem(course_dir) is not None:
        return None, []
    loaded = cohort if isinstance(cohort, Cohort) else load_cohort(cohort)
    programme = load_programme()
    # With the studio's answers given, its graded submissions are not read (they may be being
    # graded at this moment: the studio calls this from inside the grader).
    leave_out = {s.id for s in studio_sessions(programme)} if studio is not None else set()
    team, problems = collect_team_answers(
        city, course_dir=course_dir, programme=programme, leave_out=leave_out
    )
    target = loaded.city(city)
    with speaking(target.lang), in_country(target.country):
        local = in_language(programme, target.lang)
        strategy = assemble(target, team, local, loaded, draw=False, studio=studio)
    return strategy, problems


def build_strategies(
    *,
    cohort: Cohort | Path | None = None,
    course_dir: Path = COURSE_DIR,
    out: Path = STRATEGY_DIR,
) -> list[StrategyResult]:
    """Every city's strategy. A city whose submissions crashed is reported; the others are built."""
    loaded = cohort if isinstance(cohort, Cohort) else load_cohort(cohort)
    programme = load_programme()
    problems: list[Problem] = []
    # Each city's PDFs are made in worker processes while the next city is assembled.
    several = len(loaded.cities) > 1
    pdfs = PdfWorkers(min(os.cpu_count() or 1, 2 * len(loaded.cities)) if several else 0)
    try:
        pending: list[_Assembled] = []
        for c in loaded.cities:
            try:
                pending.append(
                    _assembled(
                        city=c.id,
                        cohort=loaded,
                        course_dir=course_dir,
                        programme=programme,
                        made_on=None,
                        pdfs=pdfs,
                    )
                )
            except CdaError as exc:
                problems.extend(exc.problems)
        results = [p.write(out) for p in pending]
    finally:
        pdfs.close(cancel=True)
    if problems:
        with speaking(reader_language(shared_language(c.lang for c in loaded.cities))):
            raise CdaError(problems, headline=_("Some strategies were not built."))
    return results

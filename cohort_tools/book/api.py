"""The verb on the curriculum book: ``cda book build``.

A keyword-only typed function that delegates to :mod:`cohort_tools.book.build`; the CLI
(cohort_tools/cli.py) takes its option defaults from it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cohort_tools.book.build import DEFAULT_OUT, BookBuild, build_book_report
from cohort_tools.core.defaults import DEMO_CITY


def build(
    *,
    out: Path = DEFAULT_OUT,
    city: str = DEMO_CITY,
    strict: bool = True,
    echo: Callable[[str], None] | None = None,
    languages: list[str] | None = None,
) -> BookBuild:
    """Build the curriculum book offline; ``out`` is replaced on success.

    ``city``: the demo city the session notebooks run on; ``strict``: Sphinx warnings are errors;
    ``echo`` receives progress lines; ``languages``: the editions to build (default: English and
    every language with a translated landing page; each other edition goes to ``out/<language>``
    and runs its notebooks on a demo city that reads that language).
    """
    return build_book_report(
        out=out, strict=strict, execute_city=city, echo=echo, languages=languages
    )

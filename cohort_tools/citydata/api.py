"""The verbs on city data folders: ``cda data check|import|dictionary|demo``.

Keyword-only typed functions; the CLI (cohort_tools/cli.py) takes its option defaults from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cohort_tools.core.defaults import DEMO_CITY_DIR
from cohort_tools.core.errors import CdaError, Problem, errors_only, language_option
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import SOURCE_LANGUAGE, asked_language, speaking
from cohort_tools.core.i18n import gettext as _

from .config import Format
from .demo.profiles import DemoSize
from .importer import ImportResult, OutputFormat


@dataclass
class CityCheck:
    """Every problem found in one city folder."""

    city_dir: Path
    problems: list[Problem]
    language: str = SOURCE_LANGUAGE

    @property
    def ok(self) -> bool:
        return not errors_only(self.problems)

    def report(self) -> str:
        """Problems grouped by file, errors first, then a one-line verdict (in the check's
        language)."""
        with speaking(self.language):
            errors = errors_only(self.problems)
            warnings = [p for p in self.problems if p.severity != "error"]
            lines = [_("error: {problem}").format(problem=p) for p in errors]
            lines += [_("warning: {problem}").format(problem=p) for p in warnings]
            if errors:
                lines.append(
                    _(
                        "{folder}: {errors} error(s), {warnings} warning(s). Nothing was changed; "
                        "fix the errors and run the check again."
                    ).format(folder=self.city_dir, errors=len(errors), warnings=len(warnings))
                )
            else:
                lines.append(
                    _("{folder}: valid ({warnings} warning(s)).").format(
                        folder=self.city_dir, warnings=len(warnings)
                    )
                )
            return "\n".join(lines)


def _language(language: str | None, city_dir: Path) -> str:
    """``language`` if given (and known), else the one ``cda --language`` asked for, else the one
    city.yaml names, else the language of the city whose data folder this is in the cohort file
    (``CDA_COHORT_FILE``), else English."""
    from .config import declared_language

    if language is not None:
        return language_option(language)
    return (
        asked_language()
        or declared_language(city_dir)
        or _cohort_language(city_dir)
        or SOURCE_LANGUAGE
    )


def _cohort_language(city_dir: Path) -> str | None:
    """The language of the cohort's city whose data folder is ``city_dir`` (None when the cohort
    file is unusable or names no such city: the check itself must not fail on the cohort)."""
    from cohort_tools.model.cohort import load_cohort

    try:
        cohort = load_cohort(None)
    except (CdaError, OSError):
        return None
    folder = Path(city_dir).resolve()
    return next((c.lang for c in cohort.cities if c.data_dir == folder), None)


def check(*, city_dir: Path, language: str | None = None) -> CityCheck:
    """Validate every table of a city folder and collect every problem (nothing is changed).

    The problems are written in ``language``; by default in the city's (see :func:`_language`).
    """
    from .validate import check_city

    chosen = _language(language, city_dir)
    with speaking(chosen):
        return CityCheck(city_dir, check_city(city_dir), chosen)


def import_file(
    *,
    source: Path,
    city_dir: Path,
    table: str,
    format: Format = "auto",
    preset: str | None = None,
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | None = None,
    date_format: str | None = None,
    output_format: OutputFormat = "csv",
    force: bool = False,
    language: str | None = None,
) -> ImportResult:
    """Normalise and validate an export, then write it into ``city_dir`` as ``table``.

    ``preset`` is a named column map (e.g. ``socrata_nyc_311``); ``date_format`` a strptime format
    for dates that are not ISO 8601; ``output_format`` csv, or parquet for large tables. An existing
    table is replaced only with ``force``. Messages are in ``language`` (default: the city.yaml's).
    """
    from .importer import import_table

    with speaking(_language(language, city_dir)):
        return import_table(
            source,
            city_dir=city_dir,
            table=table,
            format=format,
            preset=preset,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            date_format=date_format,
            force=force,
            output_format=output_format,
        )


def dictionary(*, out: Path | None = None) -> str:
    """The data dictionary (Markdown) generated from the schemas; also written to ``out`` if given."""
    from .dictionary import render_markdown

    text = render_markdown()
    if out is not None:
        atomic_write_text(out, text)
    return text


def demo(
    *,
    size: DemoSize = "small",
    seed: int = 1,
    out: Path = DEMO_CITY_DIR,
    city_id: str | None = None,
) -> Path:
    """Generate a realistic, clearly fictional city folder (same seed, same bytes); return it."""
    from .demo import generate_city

    return generate_city(size, seed, out, city_id)

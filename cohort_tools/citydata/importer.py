"""`cda data import`: bring a city's export into a city folder as a normalised, validated table.

The source file is only read. The output (``<city_dir>/<table>.csv`` by default, UTF-8, our column
names, ISO 8601 dates, true/false) is written atomically and only if the table validates; an existing
table is replaced only with ``force=True``.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from cohort_tools.core.errors import CdaError, Problem, errors_only
from cohort_tools.core.fileio import atomic_write_bytes
from cohort_tools.core.i18n import SOURCE_LANGUAGE, current_language
from cohort_tools.core.i18n import gettext as _

from . import schemas
from .check import TABLE_EXTENSIONS, check_prepared, cross_check
from .config import CITY_FILE, CityConfig, Format, TableConfig, load_city_config
from .normalise import PreparedTable, prepare_table
from .presets import preset_names, preset_table

OutputFormat = Literal["csv", "parquet"]


@dataclass
class ImportResult:
    """Where the table was written, how many rows, and the warnings met on the way."""

    path: Path
    rows: int
    replaced: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    language: str = SOURCE_LANGUAGE

    def report(self) -> list[tuple[str, bool]]:
        """What to print, line by line, in the import's language: (text, to stderr)."""
        from cohort_tools.core.i18n import speaking

        with speaking(self.language):
            lines = [(_("warning: {problem}").format(problem=p), True) for p in self.warnings]
            lines += [
                (_("removed the previous {file}").format(file=old.name), True)
                for old in self.replaced
            ]
            lines.append(
                (
                    _("Imported {rows} rows into {file}.").format(rows=self.rows, file=self.path),
                    False,
                )
            )
            return lines


def _existing(city_dir: Path, table: str) -> list[Path]:
    if not city_dir.is_dir():
        return []
    return sorted(
        p
        for p in city_dir.iterdir()
        if p.is_file() and p.stem == table and p.suffix.lower() in TABLE_EXTENSIONS
    )


def table_to_csv(frame: pd.DataFrame, table: str) -> bytes:
    """Our CSV form: ISO 8601 dates, true/false, blanks for missing values, UTF-8."""
    out = {}
    for column in frame.columns:
        kind = schemas.kind_of(table, column)
        s = frame[column]
        if kind in ("date", "datetime"):
            if kind == "date":
                fmt = "%Y-%m-%d"
            elif (s.dropna().dt.microsecond != 0).any():
                fmt = "%Y-%m-%dT%H:%M:%S.%f"
            else:
                fmt = "%Y-%m-%dT%H:%M:%S"
            s = s.dt.strftime(fmt)
        elif kind == "bool":
            s = s.map({True: "true", False: "false"}).astype("object")
        out[column] = s
    buffer = io.StringIO()
    pd.DataFrame(out).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def import_table(
    source: Path,
    *,
    city_dir: Path,
    table: str,
    format: Format = "auto",
    preset: str | None = None,
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | None = None,
    date_format: str | None = None,
    force: bool = False,
    output_format: OutputFormat = "csv",
) -> ImportResult:
    """Normalise and validate ``source`` as ``table`` and write it into ``city_dir``."""
    source = Path(source)
    city_dir = Path(city_dir)
    if table not in schemas.TABLES:
        raise CdaError.single(
            table,
            _("'{table}' is not a city table.").format(table=table),
            _("use one of: {choices}.").format(choices=", ".join(schemas.TABLES)),
        )
    if not source.is_file():
        raise CdaError.single(source, _("the file to import does not exist."), _("check the path."))
    if preset is not None:
        if preset not in preset_names():
            raise CdaError.single(
                preset,
                _("unknown preset '{preset}'.").format(preset=preset),
                _("use one of: {choices}.").format(choices=", ".join(preset_names())),
            )
        if preset_table(preset) != table:
            raise CdaError.single(
                preset,
                _("preset '{preset}' is for the {its_table} table, not {table}.").format(
                    preset=preset, its_table=preset_table(preset), table=table
                ),
                _("use --table {its_table}, or drop --preset.").format(
                    its_table=preset_table(preset)
                ),
            )
    config: CityConfig | None = None
    if (city_dir / CITY_FILE).exists():
        config = load_city_config(city_dir)
        declared = config.tables.get(table)
        if declared and declared.file:
            raise CdaError.single(
                city_dir / CITY_FILE,
                _(
                    "city.yaml reads the {table} table from '{file}', so an imported {table} "
                    "file would be ignored."
                ).format(table=table, file=declared.file),
                _(
                    "remove tables.{table}.file from city.yaml first (or keep using that file)."
                ).format(table=table),
                field=f"tables.{table}.file",
            )
    target = city_dir / f"{table}.{output_format}"
    existing = _existing(city_dir, table)
    if source.resolve() in {p.resolve() for p in [*existing, target]}:
        raise CdaError.single(
            source,
            _(
                "this file is already the city's table; importing it onto itself would "
                "overwrite it."
            ),
            _(
                "import from a copy outside the city folder, or use `cda data check` to "
                "validate it."
            ),
        )
    if existing and not force:
        raise CdaError.single(
            existing[0],
            _("the city already has a {table} table ({files}).").format(
                table=table, files=", ".join(p.name for p in existing)
            ),
            _("pass --force to replace it, or import into another city folder."),
        )
    table_config = TableConfig(
        preset=preset,
        format=format,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        date_format=date_format,
    )
    item = prepare_table(
        table,
        source,
        table_config,
        timezone=config.timezone if config else None,
        city=config.id if config else None,
    )
    problems = check_prepared(
        item, config.id if config else None, config.country if config else None
    )
    if item.frame is not None:
        prepared: dict[str, PreparedTable] = {table: item}
        for column, (other, _column) in schemas.foreign_keys(table).items():
            if column in item.frame:
                found = _existing(city_dir, other)
                if len(found) == 1:
                    prepared[other] = prepare_table(
                        other, found[0], config.table(other) if config else None
                    )
        # A missing referenced table is only a warning here: the city may add it later.
        problems += [
            p for p in cross_check(prepared, config.id if config else None) if p.file == str(source)
        ]
    errors = errors_only(problems)
    if errors or item.frame is None:
        raise CdaError(
            errors or problems,
            headline=_("{file} was not imported as {table}; nothing was written.").format(
                file=source, table=table
            ),
        )
    ordered = [c for c in schemas.TABLES[table].columns if c in item.frame]
    frame = item.frame[ordered].reset_index(drop=True)
    if output_format == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        data = table_to_csv(frame, table)
    atomic_write_bytes(target, data)
    replaced = [p for p in existing if p.resolve() != target.resolve()]
    for old in replaced:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    warnings = [p for p in problems if p.severity != "error"]
    return ImportResult(target, len(frame), replaced, warnings, current_language())

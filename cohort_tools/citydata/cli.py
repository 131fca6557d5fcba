"""`cda data ...`: thin typer commands over the plain functions of :mod:`cohort_tools.citydata`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors
from cohort_tools.core.errors import CdaError, Problem, errors_only

data_app = typer.Typer(
    help="City data folders: import real exports, check them, print the data dictionary, "
    "generate demo cities.",
    no_args_is_help=True,
)


def format_report(city_dir: Path, problems: Sequence[Problem]) -> str:
    """Problems grouped by file, errors first, then a one-line verdict."""
    errors = errors_only(problems)
    warnings = [p for p in problems if p.severity != "error"]
    lines: list[str] = []
    for label, group in (("error", errors), ("warning", warnings)):
        for p in group:
            lines.append(f"{label}: {p}")
    if errors:
        lines.append(
            f"{city_dir}: {len(errors)} error(s), {len(warnings)} warning(s). "
            "Nothing was changed; fix the errors and run the check again."
        )
    else:
        lines.append(f"{city_dir}: valid ({len(warnings)} warning(s)).")
    return "\n".join(lines)


@data_app.command("check")
@reports_errors
def check_command(
    city_dir: Annotated[Path, typer.Argument(help="The city data folder (holding city.yaml).")],
) -> None:
    """Validate every table of a city folder; list every problem; exit 1 on errors."""
    from .check import check_city

    problems = check_city(city_dir)
    report = format_report(city_dir, problems)
    if errors_only(problems):
        typer.echo(report, err=True)
        raise typer.Exit(1)
    typer.echo(report)


@data_app.command("import")
@reports_errors
def import_command(
    source: Annotated[
        Path, typer.Argument(help="The export to import (CSV, xlsx, Parquet, JSON).")
    ],
    city_dir: Annotated[
        Path, typer.Option("--city-dir", help="The city data folder to write into.")
    ],
    table: Annotated[str, typer.Option("--table", help="Which table the file holds.")],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="auto, csv, xlsx, parquet, socrata_csv, socrata_json or open311_json.",
        ),
    ] = "auto",
    preset: Annotated[
        str | None, typer.Option("--preset", help="Named column map, e.g. socrata_nyc_311.")
    ] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="Text encoding, or auto.")] = "auto",
    delimiter: Annotated[str, typer.Option("--delimiter", help="CSV delimiter, or auto.")] = "auto",
    sheet: Annotated[str | None, typer.Option("--sheet", help="Excel sheet name.")] = None,
    date_format: Annotated[
        str | None, typer.Option("--date-format", help="strptime format if dates are not ISO.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--output-format", help="csv (default) or parquet (large tables).")
    ] = "csv",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing table.")] = False,
) -> None:
    """Normalise and validate an export, then write it into a city folder as TABLE."""
    from .importer import import_table

    if output_format not in ("csv", "parquet"):
        raise CdaError.single(
            "--output-format", f"unknown output format '{output_format}'.", "use csv or parquet."
        )
    result = import_table(
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
        output_format=output_format,  # type: ignore[arg-type]
    )
    for p in result.warnings:
        typer.echo(f"warning: {p}", err=True)
    for old in result.replaced:
        typer.echo(f"removed the previous {old.name}", err=True)
    typer.echo(f"Imported {result.rows} rows into {result.path}.")


@data_app.command("dictionary")
@reports_errors
def dictionary_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the Markdown here instead of printing it.")
    ] = None,
) -> None:
    """Print (or write) the data dictionary generated from the schemas."""
    from cohort_tools.core.fileio import atomic_write_text

    from .dictionary import render_markdown

    text = render_markdown()
    if out is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
        typer.echo(f"Wrote {out}.")


@data_app.command("demo")
@reports_errors
def demo_command(
    size: Annotated[str, typer.Option("--size", help="small, medium or large.")] = "small",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same bytes).")] = 1,
    out: Annotated[Path, typer.Option("--out", help="Folder to create.")] = Path("demo-city"),
    city_id: Annotated[
        str | None, typer.Option("--city-id", help="City id (default depends on size).")
    ] = None,
) -> None:
    """Generate a realistic, clearly fictional demo city folder."""
    from .demo import generate_city

    path = generate_city(size, seed, out, city_id)
    typer.echo(f"Wrote the demo city to {path}.")

"""Checking a whole city folder: every table, large ones through DuckDB (:mod:`.bulk`), the rest
through pandas and pandera (:mod:`.check`), then the checks across tables.

It sits above both paths, so neither imports the other in a circle.
"""

from __future__ import annotations

from pathlib import Path

from cohort_tools.core.errors import Problem
from cohort_tools.core.i18n import gettext as _

from . import bulk, schemas
from .check import (
    check_prepared,
    cross_check_table,
    prepare_city_table,
    scan_city,
)
from .normalise import PreparedTable


def check_city(city_dir: Path) -> list[Problem]:
    """Every problem in a city folder (errors and warnings), in file order. Reads only."""
    folder = scan_city(Path(city_dir))
    problems = list(folder.problems)
    city = folder.city_id
    prepared: dict[str, PreparedTable] = {}
    checked: dict[str, list[Problem]] = {}
    for table in schemas.TABLES:
        if table not in folder.files:
            if not any(table in p.message for p in folder.problems):
                problems.append(
                    Problem(
                        str(folder.path),
                        _("there is no {table} table.").format(table=table),
                        _(
                            "add {table}.csv (or .xlsx/.parquet) if the city has this data; "
                            "notebooks that need it will say so."
                        ).format(table=table),
                        city=city,
                        severity="warning",
                    )
                )
            continue
        # Large tables are validated by DuckDB, streamed, with the same problems (see bulk).
        outcome = bulk.check_table(folder, table, prepared)
        if outcome is not None:
            problems.extend(outcome[0])
            checked[table] = outcome[1]
            prepared[table] = PreparedTable(table, folder.files[table], None)
            continue
        item = prepare_city_table(folder, table)
        prepared[table] = item
        problems.extend(
            check_prepared(item, city, folder.config.country if folder.config else None)
        )
    for table, item in prepared.items():
        if table in checked:
            problems.extend(checked[table])
        else:
            problems.extend(cross_check_table(item, prepared, city))
    return problems

"""City data: one documented folder format, readers for real exports, validation, and the loader.

Notebooks load data only through :func:`load` (or :func:`open_city` / :func:`connect`), which
validate first, drop personal-name and e-mail columns, and cache normalised Parquet.
"""

from __future__ import annotations

from .importer import import_table
from .loader import CityData, connect, load, open_city
from .schemas import SCHEMA_VERSION, TABLES
from .validate import check_city

__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "CityData",
    "check_city",
    "connect",
    "import_table",
    "load",
    "open_city",
]

"""The one way notebooks load city data: validate, drop personal columns, cache normalised Parquet.

``load(city, table)`` reads a table through its city.yaml instructions, validates it (the table's own
schema plus its foreign keys), and caches the normalised result as Parquet under
``<city_dir>/.cda-cache/`` (or, if that folder cannot be written, under the user's cache folder). The
cache file name holds a hash of the source file's bytes, the table's city.yaml settings, the files of
the tables it refers to, and :data:`~cohort_tools.citydata.schemas.SCHEMA_VERSION`, so a changed
source (or schema) is never served from a stale cache. Cache files are written to a temporary name
and renamed into place, so several processes may load the same city at once.

Large tables (a CSV over 64 MiB, a Parquet file of 200,000 rows or more) are validated and cached by
:mod:`.bulk` in DuckDB, streamed, with the same problems; everything else by the pandas path. The
digest of a large source is remembered in the cache folder (by size, times and inode), so a warm
load does not read it again.

``connect(city)`` gives a DuckDB connection with one view per table over the cached Parquet, for
aggregating large cities in SQL instead of row-by-row pandas.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cohort_tools.core.errors import CdaError, Problem, errors_only
from cohort_tools.core.fileio import atomic_path, atomic_write_text
from cohort_tools.core.i18n import current_language
from cohort_tools.core.i18n import gettext as _

from . import bulk, schemas
from .check import (
    CACHE_DIR_NAME,
    CityFolder,
    check_prepared,
    cross_check,
    prepare_city_table,
    scan_city,
)
from .config import CITY_FILE, CityConfig
from .normalise import PreparedTable, normalised_frame
from .validate import check_city

if TYPE_CHECKING:
    import duckdb


def resolve_city_dir(city: str | Path, cohort: Path | None = None) -> Path:
    """A Path (or a string holding a path separator) is a city folder; other strings are city ids."""
    if isinstance(city, Path):
        return city
    if os.sep in city or (os.altsep and os.altsep in city):
        return Path(city)
    from cohort_tools.model.cohort import load_cohort

    return Path(load_cohort(cohort).city(city).data_dir)


def _usable_folder(city_dir: Path) -> tuple[CityFolder, CityConfig]:
    folder = _scanned(city_dir)
    if folder.config is None:
        raise CdaError(
            errors_only(folder.problems),
            headline=_("{folder} has no valid city.yaml.").format(folder=city_dir),
        )
    return folder, folder.config


# -- what stays true while the files are unchanged ---------------------------------------------
# A notebook loads a table many times (the strategy studio rebuilds the strategy after each
# decision), each time through the city folder's scan and the table's cache key. Both are kept in
# this process by the identity of the files they read (inode, size, times), and only for files last
# changed more than _RACY_NS before (as git does): a change within the file system's time resolution
# is never missed. A file changed, added or removed is read again.

_SCANS: dict[tuple[str, str], tuple[list[Path], tuple[object, ...], CityFolder]] = {}
_DIGESTS: dict[tuple[object, ...], str] = {}
_MEMO_LOCK = threading.Lock()
_MEMO_MAX = 256


def _stamp(path: Path, settled_before: int) -> tuple[object, ...] | None:
    """The file's identity, or None if it changed too recently to be trusted (or is missing:
    ``("missing",)``)."""
    try:
        st = path.stat()
    except OSError:
        return ("missing",)
    if max(st.st_mtime_ns, st.st_ctime_ns) >= settled_before:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _stamps(paths: list[Path]) -> tuple[object, ...] | None:
    settled_before = time.time_ns() - _RACY_NS
    found = [_stamp(p, settled_before) for p in paths]
    return None if any(f is None for f in found) else tuple(found)


def _folder_files(city_dir: Path, folder: CityFolder) -> list[Path]:
    """Every file the scan of the folder depends on: the folder's listing, city.yaml, each table's
    file, and each file city.yaml names (which may be elsewhere, or missing)."""
    named = []
    if folder.config is not None:
        for table in folder.config.tables.values():
            if table.file:
                path = Path(table.file)
                named.append(path if path.is_absolute() else city_dir / path)
    return [city_dir, city_dir / CITY_FILE, *folder.files.values(), *named]


def _scanned(city_dir: Path) -> CityFolder:
    """:func:`scan_city`, or what it gave before for the same unchanged files (in the same
    language: its problems are in words). Each caller gets its own lists."""
    key = (str(city_dir.resolve()), current_language())
    with _MEMO_LOCK:
        kept = _SCANS.get(key)
    if kept is not None:
        paths, stamps, folder = kept
        if _stamps(paths) == stamps:
            return replace(folder, files=dict(folder.files), problems=list(folder.problems))
    folder = scan_city(city_dir)
    paths = _folder_files(city_dir, folder)
    stamps_now = _stamps(paths)
    if stamps_now is not None:
        with _MEMO_LOCK:
            if len(_SCANS) >= _MEMO_MAX:
                _SCANS.clear()
            _SCANS[key] = (paths, stamps_now, folder)
        return replace(folder, files=dict(folder.files), problems=list(folder.problems))
    return folder


def _check_table_name(table: str) -> None:
    if table not in schemas.TABLES:
        raise CdaError.single(
            table,
            _("'{table}' is not a city table.").format(table=table),
            _("use one of: {choices}.").format(choices=", ".join(schemas.TABLES)),
        )


def _references(table: str) -> list[str]:
    refs = [other for other, _column in schemas.foreign_keys(table).values()]
    if table == "programme_outcomes":
        refs.append("neighbourhoods")
    return list(dict.fromkeys(refs))


#: Files at least this big have their digest remembered in the cache folder (with their size,
#: times and inode), so a warm load does not read a large source again.
DIGEST_MEMO_BYTES = 8 * 1024 * 1024
#: A remembered digest is trusted only for a file last changed this long before it was taken, so
#: that a change within the file system's time resolution is never missed (as git does).
_RACY_NS = 2_000_000_000
_MEMO_FILE = "digests.json"


def _file_digest(path: Path, memo_dir: Path | None = None) -> str:
    """The file's digest: remembered in this process while the file is unchanged, and for a large
    file also in ``memo_dir`` (for the next process)."""
    stamp = _stamp(path, time.time_ns() - _RACY_NS)
    key = (str(path.resolve()), stamp)
    if stamp is not None and stamp != ("missing",):
        with _MEMO_LOCK:
            known = _DIGESTS.get(key)
        if known is not None:
            return known
    digest = _stored_digest(path, memo_dir)
    if stamp is not None and stamp != ("missing",):
        with _MEMO_LOCK:
            if len(_DIGESTS) >= _MEMO_MAX:
                _DIGESTS.clear()
            _DIGESTS[key] = digest
    return digest


def _stored_digest(path: Path, memo_dir: Path | None) -> str:
    stat = path.stat()
    if memo_dir is None or stat.st_size < DIGEST_MEMO_BYTES:
        return _hash_file(path)
    key = str(path.resolve())
    stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
    memo_path = memo_dir / _MEMO_FILE
    memo: dict[str, dict[str, object]] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(memo_path.read_text(encoding="utf-8"))
        memo = loaded if isinstance(loaded, dict) else {}
    entry = memo.get(key)
    at = entry.get("at") if isinstance(entry, dict) else None
    if (
        isinstance(entry, dict)
        and entry.get("stat") == stamp
        and isinstance(at, int)
        and max(stat.st_mtime_ns, stat.st_ctime_ns) < at - _RACY_NS
    ):
        return str(entry["digest"])
    taken = time.time_ns()
    digest = _hash_file(path)
    memo[key] = {"stat": stamp, "digest": digest, "at": taken}
    with contextlib.suppress(OSError):
        atomic_write_text(memo_path, json.dumps(memo, sort_keys=True))
    return digest


def _hash_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()


def cache_key(folder: CityFolder, table: str) -> str:
    """Hash of everything the normalised table depends on."""
    config = folder.config
    memo = cache_dir_for(folder.path)
    h = hashlib.blake2b(digest_size=12)
    parts: dict[str, object] = {
        "schema": schemas.SCHEMA_VERSION,
        "table": table,
        "config": folder.table_config(table).model_dump(mode="json"),
        "timezone": config.timezone if config else None,
        "source": _file_digest(folder.files[table], memo),
        "refs": {
            ref: _file_digest(folder.files[ref], memo)
            for ref in _references(table)
            if ref in folder.files
        },
    }
    h.update(json.dumps(parts, sort_keys=True).encode())
    return h.hexdigest()


def cache_dir_for(city_dir: Path) -> Path:
    """``<city_dir>/.cda-cache``, or a per-city folder in the user cache if that is read-only."""
    override = os.environ.get("CDA_CACHE_DIR")
    if override:
        digest = hashlib.blake2b(str(city_dir.resolve()).encode(), digest_size=8).hexdigest()
        return Path(override) / digest
    local = city_dir / CACHE_DIR_NAME
    try:
        local.mkdir(exist_ok=True)
        if os.access(local, os.W_OK):
            return local
    except OSError:
        pass
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.blake2b(str(city_dir.resolve()).encode(), digest_size=8).hexdigest()
    return base / "cohort-tools" / "citydata" / digest


def validated_table(
    folder: CityFolder, table: str, refs: dict[str, PreparedTable] | None = None
) -> tuple[PreparedTable, list[Problem]]:
    """Prepare one table and check it with its references; problems include warnings."""
    item = prepare_city_table(folder, table)
    problems = check_prepared(
        item, folder.city_id, folder.config.country if folder.config else None
    )
    if item.frame is not None:
        prepared = {table: item}
        for ref in _references(table):
            if ref in folder.files and ref != table:
                prepared[ref] = (
                    refs[ref]
                    if refs is not None and ref in refs
                    else prepare_city_table(folder, ref)
                )
        problems += [p for p in cross_check(prepared, folder.city_id) if p.file == str(item.path)]
    return item, problems


def _write_parquet_atomically(frame: pd.DataFrame, target: Path) -> None:
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False)


def cache_file(directory: Path, table: str, key: str) -> Path:
    """The normalised Parquet of ``table`` made from the inputs ``key`` hashes (:func:`cache_key`)."""
    return directory / f"{table}-{key}.parquet"


def cached_table_path(folder: CityFolder, table: str) -> Path:
    """The normalised Parquet for a table, validating and writing it first if not cached yet."""
    _check_table_name(table)
    if table not in folder.files:
        raise CdaError.single(
            folder.path,
            _("the city has no {table} table.").format(table=table),
            _(
                "add {table}.csv (or .xlsx/.parquet) to the city folder; see `cda data dictionary`."
            ).format(table=table),
            city=folder.city_id,
        )
    directory = cache_dir_for(folder.path)
    if directory.is_dir() and next(directory.glob(f"{table}-*.parquet"), None) is not None:
        target = cache_file(directory, table, cache_key(folder, table))
        if target.exists():
            return target
        _validate_into(folder, table, directory, lambda: target)
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            # With no earlier cache of the table there is nothing the key could match: the source
            # is hashed while it is validated (hashing releases the GIL), and the file is named
            # after it.
            keyed = pool.submit(cache_key, folder, table)
            target = _validate_into(
                folder, table, directory, lambda: cache_file(directory, table, keyed.result())
            )
    for old in directory.glob(f"{table}-*.parquet"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
    return target


def _validate_into(
    folder: CityFolder, table: str, directory: Path, target: Callable[[], Path]
) -> Path:
    """Validate the table into a scratch file, then rename it to ``target()``."""
    scratch = directory / f".{table}.{os.getpid()}.{threading.get_ident()}.new.parquet"
    try:
        _validate_and_write(folder, table, scratch)
        named = target()
        os.replace(scratch, named)
    finally:
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()
    return named


def _validate_and_write(folder: CityFolder, table: str, target: Path) -> None:
    """Validate a table (streamed by DuckDB when large) and write its normalised Parquet to
    ``target``; raise CdaError listing every error, writing nothing, if it has any."""
    refs = {
        ref: prepare_city_table(folder, ref)
        for ref in _references(table)
        if ref in folder.files and ref != table
    }
    # Large tables are validated and written by DuckDB, streamed (same problems, same file).
    problems = bulk.load_table(folder, table, target, refs)
    item: PreparedTable | None = None
    if problems is None:
        item, problems = validated_table(folder, table, refs)
    errors = errors_only(problems)
    if errors or (item is not None and item.frame is None):
        raise CdaError(
            errors,
            headline=_(
                "The {table} table of {city} is not valid; nothing was loaded. Run "
                "`cda data check {folder}` after fixing it."
            ).format(table=table, city=folder.city_id or folder.path, folder=folder.path),
        )
    if item is not None:
        _write_parquet_atomically(normalised_frame(item), target)


def load(city: str | Path, table: str, *, cohort: Path | None = None) -> pd.DataFrame:
    """One validated, normalised table of a city (id in the cohort, or a city folder path).

    Raises CdaError listing every problem if the table is invalid. Columns that look like personal
    names or e-mail addresses are never returned. A small table read before in this process is
    not read again (:func:`_read_kept`).
    """
    _check_table_name(table)
    folder = _usable_folder(resolve_city_dir(city, cohort))[0]
    return _read_kept(cached_table_path(folder, table))


# -- tables kept in memory -------------------------------------------------------------------------
# A notebook reads the same few tables many times (the strategy studio rebuilds the whole strategy
# after each decision), and every kernel forked from a zygote starts with what the zygote read
# (:func:`preload`). The cached Parquet's name holds the hash of everything the table depends on,
# so a kept table is the file's content. pandas 3 copies on write: each caller gets its own frame
# over the shared columns, and what one caller changes, no other sees.

#: A table whose cached Parquet is bigger than this is read from the file each time.
KEEP_FILE_BYTES = 8 * 2**20
#: The cached Parquet bytes of all the tables kept in one process (least recently used go first).
KEEP_TOTAL_BYTES = 32 * 2**20

_KEPT: dict[tuple[int, int, int, int], pd.DataFrame] = {}
_KEPT_LOCK = threading.Lock()


def _read_kept(path: Path, *, one_thread: bool = False) -> pd.DataFrame:
    """The Parquet file as a DataFrame, kept in this process when small (see :data:`_KEPT`).
    ``one_thread``: read without starting a thread (a zygote, before it forks)."""
    st = path.stat()
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)  # the same file by any path
    with _KEPT_LOCK:
        kept = _KEPT.pop(key, None)
        if kept is not None:
            _KEPT[key] = kept  # the most recently used is last
            return kept.copy(deep=False)
    if one_thread:
        from cohort_tools.core.compat import read_parquet_one_thread

        frame: pd.DataFrame = read_parquet_one_thread(path)
    else:
        frame = pd.read_parquet(path)
    if st.st_size <= KEEP_FILE_BYTES:
        with _KEPT_LOCK:
            _KEPT[key] = frame
            while sum(k[2] for k in _KEPT) > KEEP_TOTAL_BYTES:
                del _KEPT[next(iter(_KEPT))]
        return frame.copy(deep=False)
    return frame


def preload_from_environment() -> None:
    """:func:`preload` each city folder named in ``CDA_PRELOAD_CITIES`` (separated by the path
    separator; see :class:`cohort_tools.notebooks.kernels.KernelPool`)."""
    from cohort_tools.core.paths import PRELOAD_CITIES_ENV

    for folder in os.environ.get(PRELOAD_CITIES_ENV, "").split(os.pathsep):
        if folder:
            preload(Path(folder))


def preload(city_dir: Path) -> list[str]:
    """Read the city's small tables whose normalised Parquet is already cached into this
    process's kept tables, so the kernels a zygote forks afterwards start with them. Validates
    nothing, writes no table and starts no thread; a table that cannot be read is left to the
    notebook that loads it. Returns the tables read."""
    read: list[str] = []
    try:
        folder = _usable_folder(city_dir)[0]
        directory = cache_dir_for(folder.path)
    except Exception:
        return read
    for table in sorted(folder.files):
        with contextlib.suppress(Exception):
            target = cache_file(directory, table, cache_key(folder, table))
            if target.is_file() and target.stat().st_size <= KEEP_FILE_BYTES:
                _read_kept(target, one_thread=True)
                read.append(table)
    return read


@dataclass
class CityData:
    """A city folder: its profile and its tables, loaded on demand through :func:`load`."""

    path: Path
    config: CityConfig
    tables: list[str] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        return load(self.path, name)

    def has(self, name: str) -> bool:
        return name in self.tables

    def table_or_empty(self, name: str) -> pd.DataFrame:
        """The table, or an empty one with its columns when the city has not shared it.

        Lets a notebook say "this city has not shared X" and still run the cells after it.
        """
        if self.has(name):
            return self.table(name)
        _check_table_name(name)
        schema = schemas.TABLES[name]
        return pd.DataFrame(
            {col: pd.Series(dtype=_empty_dtype(c)) for col, c in schema.columns.items()}
        )

    def check(self) -> list[Problem]:
        return check_city(self.path)

    def connect(self) -> duckdb.DuckDBPyConnection:
        return connect(self.path)


def _empty_dtype(column: object) -> str:
    dtype = str(getattr(column, "dtype", "") or "object")
    return (
        "datetime64[ns]"
        if "datetime" in dtype
        else ("object" if dtype in {"str", "string"} else dtype)
    )


def open_city(city: str | Path, cohort: Path | None = None) -> CityData:
    """The city's profile and the list of tables it has."""
    folder, config = _usable_folder(resolve_city_dir(city, cohort))
    return CityData(folder.path, config, [t for t in schemas.TABLES if t in folder.files])


def table_file(city: str | Path, table: str, *, cohort: Path | None = None) -> Path:
    """The validated, normalised Parquet of one table (validated and written first if it is not
    cached yet). Its name holds the hash of everything the table is made of, so it can key what a
    caller works out from the table."""
    folder = _usable_folder(resolve_city_dir(city, cohort))[0]
    return cached_table_path(folder, table)


def connect(
    city: str | Path, *, cohort: Path | None = None, tables: list[str] | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per (validated, cached) table of the city."""
    import duckdb

    folder = _usable_folder(resolve_city_dir(city, cohort))[0]
    wanted = tables if tables is not None else [t for t in schemas.TABLES if t in folder.files]
    con = duckdb.connect()
    for table in wanted:
        path = cached_table_path(folder, table)
        literal = str(path).replace("'", "''")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{literal}')")
    return con

"""Tables kept in memory: a table read before in the process is not read from its file again,
each caller gets its own frame, and a zygote can read a city's tables without starting a thread."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cohort_tools.citydata import loader
from cohort_tools.citydata.check import scan_city
from cohort_tools.core.compat import read_parquet_one_thread

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"


@pytest.fixture
def city(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    loader._KEPT.clear()
    yield target
    loader._KEPT.clear()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The Parquet files read from disk from now on (through pandas.read_parquet)."""
    seen: list[Path] = []
    real = pd.read_parquet

    def counting(path: Path, *args: object, **kwargs: object) -> pd.DataFrame:
        seen.append(Path(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader.pd, "read_parquet", counting)
    return seen


def test_a_table_read_again_comes_from_memory_with_the_same_content(
    city: Path, reads: list[Path]
) -> None:
    first = loader.load(city, "service_requests")
    second = loader.load(city, "service_requests")
    assert len(reads) == 1
    pd.testing.assert_frame_equal(first, second)
    assert first is not second


def test_what_one_caller_changes_in_its_table_no_later_caller_sees(city: Path) -> None:
    first = loader.load(city, "departments")
    original = first.loc[0, "headcount"]
    first.loc[0, "headcount"] = 99_999
    first["added"] = 1
    again = loader.load(city, "departments")
    assert again.loc[0, "headcount"] == original
    assert "added" not in again.columns


def test_a_changed_source_is_read_again_not_taken_from_memory(
    city: Path, reads: list[Path]
) -> None:
    assert loader.load(city, "departments").loc[1, "headcount"] == 45
    path = city / "departments.csv"
    path.write_text(path.read_text().replace("Parks,45", "Parks,46"))
    assert loader.load(city, "departments").loc[1, "headcount"] == 46
    assert len(reads) == 2


def test_a_table_over_the_size_limit_is_read_from_its_file_each_time(
    city: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "KEEP_FILE_BYTES", 10)
    loader.load(city, "departments")
    loader.load(city, "departments")
    assert len(reads) == 2
    assert not loader._KEPT


def test_the_least_recently_used_table_goes_first_when_memory_is_full(
    city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for table in ("departments", "neighbourhoods", "staff_survey"):
        loader.load(city, table)
    sizes = [key[2] for key in loader._KEPT]
    monkeypatch.setattr(loader, "KEEP_TOTAL_BYTES", sum(sizes) - 1)
    loader.load(city, "departments")  # used again: now the most recent
    loader.load(city, "performance_metrics")  # over the limit: the oldest unused ones go
    kept = {int(k[1]) for k in loader._KEPT}
    cache = city / ".cda-cache"
    inode = {p.name.split("-")[0]: p.stat().st_ino for p in cache.glob("*.parquet")}
    assert inode["departments"] in kept and inode["performance_metrics"] in kept
    assert inode["neighbourhoods"] not in kept
    assert sum(k[2] for k in loader._KEPT) <= sum(sizes) - 1


def test_preload_reads_every_cached_table_and_no_later_load_reads_a_file(
    city: Path, reads: list[Path]
) -> None:
    tables = sorted(scan_city(city).files)
    for table in tables:
        loader.load(city, table)  # validates and caches each table
    loader._KEPT.clear()
    reads.clear()
    assert loader.preload(city) == tables
    for table in tables:
        loader.load(city, table)
    assert reads == []


def test_preload_validates_and_writes_nothing_when_nothing_is_cached(city: Path) -> None:
    assert loader.preload(city) == []
    assert not list(city.glob(".cda-cache/*.parquet"))


def test_the_one_thread_reader_gives_what_pandas_gives(city: Path) -> None:
    for table in scan_city(city).files:
        loader.load(city, table)
    for path in sorted((city / ".cda-cache").glob("*.parquet")):
        frame, expected = read_parquet_one_thread(path), pd.read_parquet(path)
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)
        assert frame.attrs == expected.attrs


#: Counts this process's threads around a preload, in a fresh process (as a zygote runs it).
_THREADS_AROUND_PRELOAD = """
import os, sys
from pathlib import Path
from cohort_tools.citydata import loader
before = len(os.listdir("/proc/self/task"))
read = loader.preload(Path(sys.argv[1]))
print(before, len(os.listdir("/proc/self/task")), len(read))
"""


def test_a_preload_starts_no_thread(city: Path) -> None:
    import subprocess
    import sys

    for table in scan_city(city).files:
        loader.load(city, table)
    # As a zygote starts: one math thread, no allocator thread.
    quiet = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    env = {**os.environ, "JE_ARROW_MALLOC_CONF": "background_thread:false"}
    env |= dict.fromkeys(quiet, "1")
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_AROUND_PRELOAD, str(city)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    before, after, read = (int(x) for x in done.stdout.split())
    assert read == len(scan_city(city).files)
    assert after == before == 1


# -- the folder's scan and the tables' cache keys, kept while the files are unchanged ---------------


def _settle(city: Path, monkeypatch: pytest.MonkeyPatch, hours_ago: float = 1.0) -> None:
    """Date every file of the city folder (and the folder) hours back, as files last changed long
    ago are. Only such files are trusted to be unchanged while their identity is; setting a time
    changes the file's status-change time to now, so that test is turned off here."""
    monkeypatch.setattr(loader, "_RACY_NS", 0)
    when = os.stat(city).st_mtime - hours_ago * 3600
    for path in [city, *city.iterdir()]:
        os.utime(path, (when, when))


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The city folders scanned from now on."""
    seen: list[Path] = []

    def counting(city_dir: Path) -> object:
        seen.append(city_dir)
        return scan_city(city_dir)

    monkeypatch.setattr(loader, "scan_city", counting)
    loader._SCANS.clear()
    loader._DIGESTS.clear()
    return seen


def test_an_unchanged_folder_is_scanned_and_its_sources_hashed_once_per_process(
    city: Path, scans: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    loader.load(city, "departments")  # writes the cache folder into the city folder
    _settle(city, monkeypatch)
    hashed: list[Path] = []
    real = loader._hash_file
    monkeypatch.setattr(loader, "_hash_file", lambda p: hashed.append(p) or real(p))
    scans.clear()
    for _ in range(3):
        loader.load(city, "departments")
        loader.load(city, "service_requests")
    assert len(scans) == 1
    assert len(hashed) == len({p.name for p in hashed}), hashed


def test_a_settled_source_changed_again_is_read_again(
    city: Path, scans: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _settle(city, monkeypatch, hours_ago=2)
    assert loader.load(city, "departments").loc[1, "headcount"] == 45
    path = city / "departments.csv"
    path.write_text(path.read_text().replace("Parks,45", "Parks,46"))
    _settle(city, monkeypatch)  # the edit, too, is long past: only its identity tells
    assert loader.load(city, "departments").loc[1, "headcount"] == 46


def test_a_table_file_added_to_a_settled_folder_is_found(
    city: Path, scans: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = city.parent / "departments.csv"
    (city / "departments.csv").rename(moved)
    _settle(city, monkeypatch, hours_ago=2)
    assert not loader.open_city(city).has("departments")
    moved.rename(city / "departments.csv")
    when = os.stat(city / "city.yaml").st_mtime + 60  # only the folder and the file moved in
    for path in (city, city / "departments.csv"):
        os.utime(path, (when, when))
    assert loader.open_city(city).has("departments")
    assert loader.load(city, "departments").loc[1, "headcount"] == 45


def test_a_folder_changed_a_moment_ago_is_scanned_each_time(city: Path, scans: list[Path]) -> None:
    (city / "city.yaml").touch()  # now: within the file system's time resolution of a change
    loader.open_city(city)
    loader.open_city(city)
    assert len(scans) == 2

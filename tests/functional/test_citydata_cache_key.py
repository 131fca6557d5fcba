"""The cache key remembers the digest of large sources, and never trusts it for a changed file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cohort_tools.citydata import loader
from cohort_tools.citydata.check import scan_city

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "citydata" / "valid_city"


@pytest.fixture
def city(tmp_path: Path) -> Path:
    target = tmp_path / "testville"
    shutil.copytree(VALID, target)
    return target


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file treated as large; the names of the files whose bytes were read."""
    monkeypatch.setattr(loader, "DIGEST_MEMO_BYTES", 0)
    names: list[str] = []
    hash_file = loader._hash_file

    def counting(path: Path) -> str:
        names.append(path.name)
        return hash_file(path)

    monkeypatch.setattr(loader, "_hash_file", counting)
    return names


def test_a_remembered_digest_spares_reading_the_source_again(
    city: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "_RACY_NS", -(10**18))  # trust files changed just now
    folder = scan_city(city)
    first = loader.cache_key(folder, "service_requests")
    assert sorted(hashed) == ["neighbourhoods.csv", "service_requests.csv"]
    hashed.clear()
    assert loader.cache_key(folder, "service_requests") == first
    assert hashed == []


def test_a_changed_source_is_read_again_despite_a_remembered_digest(
    city: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "_RACY_NS", -(10**18))
    folder = scan_city(city)
    first = loader.cache_key(folder, "service_requests")
    path = city / "service_requests.csv"
    path.write_text(path.read_text().replace("Pothole", "Potholf"))  # same size
    hashed.clear()
    assert loader.cache_key(folder, "service_requests") != first
    assert hashed == ["service_requests.csv"]


def test_a_digest_taken_moments_after_a_change_is_not_trusted(
    city: Path, hashed: list[str]
) -> None:
    """A change within the file system's time resolution could keep size and times: re-read."""
    folder = scan_city(city)
    loader.cache_key(folder, "service_requests")
    hashed.clear()
    loader.cache_key(folder, "service_requests")
    assert "service_requests.csv" in hashed

"""What a process reads many times is read once, and read again when the file changes: the
programme (every kernel and command reads it several times) and its translation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cohort_tools.core import i18n, paths
from cohort_tools.model.programme import in_language, load_programme


def test_an_unchanged_programme_file_is_read_once(tmp_path: Path) -> None:
    copy = tmp_path / "programme.yaml"
    shutil.copy(paths.programme_file(), copy)
    assert load_programme(copy) is load_programme(copy)


def test_a_changed_programme_file_is_read_again(tmp_path: Path) -> None:
    copy = tmp_path / "programme.yaml"
    shutil.copy(paths.programme_file(), copy)
    first = load_programme(copy)
    title = first.modules[0].title
    copy.write_text(
        copy.read_text(encoding="utf-8").replace(title, title + " (revised)", 1), encoding="utf-8"
    )
    assert load_programme(copy).modules[0].title == title + " (revised)"


def test_a_translation_follows_the_catalog_it_is_read_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    programme = load_programme()
    title = programme.modules[0].title
    monkeypatch.setattr(i18n, "_messages", lambda language: {title: "Primera"})
    assert in_language(programme, "es").modules[0].title == "Primera"
    monkeypatch.setattr(i18n, "_messages", lambda language: {title: "Segunda"})
    assert in_language(programme, "es").modules[0].title == "Segunda"

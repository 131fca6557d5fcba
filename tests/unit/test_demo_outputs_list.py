"""`cda demo` lists every product file and the key numbers, and two lists can be compared (issue 21:
the outputs stay the same as the demo gets faster)."""

from __future__ import annotations

import json
from pathlib import Path

from cohort_tools.pipeline import (
    OUTPUTS_LIST,
    demo_outputs,
    outputs_differences,
    write_demo_outputs,
)


def _demo_like(out: Path) -> None:
    (out / "calendar").mkdir(parents=True)
    (out / "calendar" / "cohort.ics").write_text("BEGIN:VEVENT\nEND:VEVENT\nBEGIN:VEVENT\n")
    (out / "strategy" / "riverton").mkdir(parents=True)
    (out / "strategy" / "riverton" / "completeness.json").write_text(
        json.dumps({"sections_complete": 9, "sections": 10, "ready_to_sign": False, "made_on": "x"})
    )
    (out / "book" / ".doctrees").mkdir(parents=True)
    (out / "book" / ".doctrees" / "index.doctree").write_text("cache")
    (out / "book" / "index.html").write_text("<html></html>")
    (out / ".book-work").mkdir()
    (out / ".book-work" / "x.ipynb").write_text("{}")


def test_the_list_names_product_files_but_not_work_folders_caches_or_itself(
    tmp_path: Path,
) -> None:
    _demo_like(tmp_path)
    write_demo_outputs(tmp_path)
    listed = json.loads((tmp_path / OUTPUTS_LIST).read_text(encoding="utf-8"))
    assert listed["files"] == [
        "book/index.html",
        "calendar/cohort.ics",
        "strategy/riverton/completeness.json",
    ]


def test_the_key_numbers_count_events_and_strategy_completeness_but_not_the_date(
    tmp_path: Path,
) -> None:
    _demo_like(tmp_path)
    numbers = demo_outputs(tmp_path)["numbers"]
    assert numbers["calendar events"] == {"cohort.ics": 2}
    assert numbers["strategies"] == {
        "riverton": {"sections complete": "9/10", "ready to sign": False}
    }
    assert "made_on" not in json.dumps(numbers)


def test_differences_name_each_missing_or_new_file_and_each_changed_number(tmp_path: Path) -> None:
    _demo_like(tmp_path)
    before = demo_outputs(tmp_path)
    assert outputs_differences(before, before) == []
    (tmp_path / "book" / "index.html").unlink()
    (tmp_path / "book" / "search.html").write_text("<html></html>")
    (tmp_path / "calendar" / "cohort.ics").write_text("BEGIN:VEVENT\n")
    after = demo_outputs(tmp_path)
    assert outputs_differences(before, after) == [
        "missing file: book/index.html",
        "new file: book/search.html",
        "calendar events > cohort.ics: was 2, now 1",
    ]
